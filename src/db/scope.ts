import { inArray, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { RowScope } from '../auth/policy';
import type { Visibility } from '../auth/visibility';

/** How one table expresses each scope; a scope the table has no rule for grants nothing. */
export type ScopeRules = Partial<Record<Exclude<RowScope, 'ALL'>, (v: Visibility) => SQL>>;

const NOTHING = sql`false`;

/**
 * The row filter for a visibility: undefined when every row is visible, `false` when none is,
 * otherwise the union of what each granted scope allows. Repositories add it to every read.
 */
export function scopeCondition(visibility: Visibility, rules: ScopeRules): SQL | undefined {
  if (visibility.scopes.includes('ALL')) return undefined;
  const granted = visibility.scopes.flatMap((scope) => {
    const rule = rules[scope as Exclude<RowScope, 'ALL'>];
    return rule ? [rule(visibility)] : [];
  });
  return granted.length === 0 ? NOTHING : or(...granted);
}

/** `column in (ids)`, or nothing when the principal holds no such ids. */
export function within(column: PgColumn, ids: readonly number[]): SQL {
  return ids.length === 0 ? NOTHING : inArray(column, [...ids]);
}
