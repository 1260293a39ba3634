import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/**
 * Rows carried as JSON inside a statement: a row is `json_build_object('property', column, …)`
 * with drizzle's property names, and becomes the row drizzle would have returned, column by
 * column through the column's own driver mapping. Compiled queries (src/server/compiled) build
 * whole answers this way; a report brings the rows its cells refer to in its one statement.
 */

/** A property of a row and the column it is. */
export type RowColumn = readonly [property: string, column: PgColumn];

/** Column types whose JSON form is what the driver would hand drizzle (some are sent as text, below). */
const JSON_READABLE = new Set([
  'PgSerial',
  'PgInteger',
  'PgSmallInt',
  'PgBigInt53',
  'PgBigInt64',
  'PgNumeric',
  'PgText',
  'PgVarchar',
  'PgChar',
  'PgBoolean',
  'PgTimestamp',
  'PgDate',
  'PgDateString',
  'PgEnumColumn',
  'PgArray',
  'PgJsonb',
  'PgJson',
  'PgUUID',
  'PgReal',
  'PgDoublePrecision',
]);

/** Column types sent as text: JSON would turn 12.50 into 12.5 and round integers beyond 2^53. */
const TEXT_IN_JSON = new Set(['PgNumeric', 'PgBigInt64']);

const columnsByTable = new WeakMap<PgTable, RowColumn[] | null>();

/** Every column of a table with its property, or null when one of them has no exact JSON form. */
export function jsonColumnsOf(table: PgTable): readonly RowColumn[] | null {
  let columns = columnsByTable.get(table);
  if (columns === undefined) {
    columns = Object.entries(getTableColumns(table) as Record<string, PgColumn>);
    const readable = columns.every(([, column]) => {
      if (column.columnType !== 'PgArray') return JSON_READABLE.has(column.columnType);
      // Elements are not cast: an array of numerics or 64-bit integers would lose digits in JSON.
      const element = (column as PgColumn & { baseColumn: PgColumn }).baseColumn.columnType;
      return JSON_READABLE.has(element) && !TEXT_IN_JSON.has(element);
    });
    if (!readable) columns = null;
    columnsByTable.set(table, columns);
  }
  return columns;
}

/** A value as the driver would hand it to drizzle; `from` names the table's alias, if it has one. */
function columnValue(column: PgColumn, from: string | undefined): SQL {
  const value = from === undefined ? sql`${column}` : sql`${sql.identifier(from)}.${sql.identifier(column.name)}`;
  return TEXT_IN_JSON.has(column.columnType) ? sql`${value}::text` : value;
}

/**
 * A JSON key as a literal: properties come from the table definitions and other keys are GraphQL
 * names, so neither needs escaping; as literals they cost the statement no parameters.
 */
export function jsonKey(key: string): SQL {
  if (!/^@?[_A-Za-z][_0-9A-Za-z]*$/.test(key)) throw new Error(`Unexpected JSON key ${JSON.stringify(key)}`);
  return sql.raw(`'${key}'`);
}

/**
 * `json_build_object` of the columns, then of any further `'key', value` pairs; `from` is the
 * alias the columns' table is read under, when it is not read under its own name.
 */
export function jsonObject(columns: readonly RowColumn[], more: readonly SQL[] = [], from?: string): SQL {
  const parts = [...columns.map(([property, column]) => sql`${jsonKey(property)}, ${columnValue(column, from)}`), ...more];
  // json_build_object takes at most 100 arguments; wider objects are merged from several.
  const chunks: SQL[] = [];
  for (let i = 0; i < parts.length; i += 50) chunks.push(sql`json_build_object(${sql.join(parts.slice(i, i + 50), sql`, `)})`);
  return chunks.length === 1 ? chunks[0]! : sql`(${sql.join(chunks.map((chunk) => sql`${chunk}::jsonb`), sql` || `)})::json`;
}

/** The row drizzle would have returned for these columns, from their JSON object. */
export function rowOfJson(columns: readonly RowColumn[], json: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [property, column] of columns) {
    const value = json[property];
    row[property] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row;
}
