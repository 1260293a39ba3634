import { and, inArray, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client';

/**
 * Rows whose key is one of `keys`, in the order of `keys` (undefined where none, or where the
 * row lies outside `scope`): one statement.
 */
export async function rowsByKeys<Row>(db: Database, table: PgTable, keyColumn: PgColumn, keys: readonly number[], keyOf: (row: Row) => number, scope?: SQL): Promise<(Row | undefined)[]> {
  const rows = (await db.select().from(table).where(and(inArray(keyColumn, [...keys]), scope)).$dynamic()) as Row[];
  const byKey = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => byKey.get(key));
}

/** All rows whose foreign key is one of `keys`, grouped per key in the order of `keys`: one statement. */
export async function rowGroupsByKeys<Row>(db: Database, table: PgTable, keyColumn: PgColumn, orderColumn: PgColumn, keys: readonly number[], keyOf: (row: Row) => number): Promise<Row[][]> {
  const rows = (await db.select().from(table).where(inArray(keyColumn, [...keys])).orderBy(orderColumn).$dynamic()) as Row[];
  const groups = new Map<number, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}
