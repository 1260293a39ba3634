import { and, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client';
import { cachedStatement, filterKey, type Preparable } from './prepared';

/** `column = any(:placeholder)`: one statement text for any number of values, so it is prepared once. */
export function anyOfKeys(column: PgColumn | SQL, placeholder = 'keys'): SQL {
  return sql`${column} = any(${sql.placeholder(placeholder)})`;
}

/**
 * Rows whose key is one of `keys`, in the order of `keys` (undefined where none, or where the
 * row lies outside `scope`): one statement.
 */
export async function rowsByKeys<Row>(db: Database, table: PgTable, keyColumn: PgColumn, keys: readonly number[], keyOf: (row: Row) => number, scope?: SQL): Promise<(Row | undefined)[]> {
  return joinedRowsByKeys<Row>(db, `rowsByKeys ${getTableName(table)}.${keyColumn.name} ${filterKey(scope)}`, () => db.select().from(table).where(and(anyOfKeys(keyColumn), scope)).$dynamic(), keys, keyOf);
}

/** All rows whose foreign key is one of `keys`, grouped per key in the order of `keys`: one statement. */
export async function rowGroupsByKeys<Row>(db: Database, table: PgTable, keyColumn: PgColumn, orderColumn: PgColumn, keys: readonly number[], keyOf: (row: Row) => number): Promise<Row[][]> {
  const statement = cachedStatement<Row>(db, `rowGroupsByKeys ${getTableName(table)}.${keyColumn.name} ${orderColumn.name}`, () =>
    db.select().from(table).where(anyOfKeys(keyColumn)).orderBy(orderColumn).$dynamic(),
  );
  const rows = await statement.execute({ keys: [...keys] });
  const groups = new Map<number, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}

/**
 * Rows by key that come with the rows they refer to, joined in one statement where loading each
 * referred row by its own loader would be a round trip per level: `build` selects one object per
 * row (`{ household, committee, … }`) filtered by `anyOfKeys`, and is prepared once under
 * `statementKey` (which must name every value the statement holds, see `cachedStatement`).
 * In the order of `keys`; undefined where none.
 */
export async function joinedRowsByKeys<Joined>(db: Database, statementKey: string, build: () => Preparable, keys: readonly number[], keyOf: (joined: Joined) => number): Promise<(Joined | undefined)[]> {
  const rows = await cachedStatement<Joined>(db, statementKey, build).execute({ keys: [...keys] });
  const byKey = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => byKey.get(key));
}
