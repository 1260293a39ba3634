import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database } from './client';

/** A statement built once and run many times with fresh placeholder values. */
export interface CachedStatement<Row> {
  execute(values: Record<string, unknown>): Promise<Row[]>;
}

/** What `cachedStatement` builds from: any drizzle query that can be prepared. */
export interface Preparable {
  prepare(name: string): { execute(values?: Record<string, unknown>): Promise<unknown> };
}

/**
 * Statements kept per database. The keys hold every row filter's text and values, so a key
 * names one statement exactly; a hub sees few shapes but many principals' scopes, hence the bound.
 */
const MAX_STATEMENTS_PER_DATABASE = 2_000;
const statements = new WeakMap<Database, Map<string, CachedStatement<unknown>>>();
const renderer = new PgDialect();

/**
 * The part of a statement's cache key that a filter contributes: its SQL text and its values.
 * Rendering a small filter costs a few microseconds; building and rendering a whole select with
 * drizzle costs a hundred or more, on every batch of every request.
 */
export function filterKey(condition: SQL | undefined): string {
  if (!condition) return '';
  const { sql, params } = renderer.sqlToQuery(condition);
  return `${sql}\u0000${JSON.stringify(params, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}`;
}

/**
 * The statement under `key` on this database, built by `build` the first time. Prepared
 * statements skip drizzle's query building on every later call, and on PostgreSQL they are named
 * statements, parsed once per connection instead of once per call. `key` must determine the SQL
 * text and every value not passed as a placeholder.
 */
export function cachedStatement<Row>(db: Database, key: string, build: () => Preparable): CachedStatement<Row> {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(key);
  if (statement) {
    // Least recently used first: move a hit to the end.
    cache.delete(key);
  } else {
    const prepared = build().prepare(key.slice(0, 60));
    statement = { execute: (values) => prepared.execute(values) as Promise<unknown[]> };
    if (cache.size >= MAX_STATEMENTS_PER_DATABASE) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, statement);
  return statement as CachedStatement<Row>;
}
