import DataLoader from 'dataloader';
import { and, asc, count, desc, eq, getTableColumns, getTableName, gt, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { decodeCursor, encodeCursor, type CursorValue } from '../common/cursor';
import { isIsoDate } from '../common/dates';
import { badInput } from '../common/errors';
import { anyOfKeys } from './batch';
import type { Database } from './client';
import { cachedStatement, filterKey } from './prepared';

/** Relay pagination arguments, already checked for shape by the GraphQL layer. */
export interface PageRequest {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
}

export interface SortKey {
  readonly column: PgColumn;
  readonly descending?: boolean;
}

export interface Page<Row> {
  readonly rows: Row[];
  readonly cursors: string[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  /** Counted only when a client asks for totalCount. */
  readonly totalCount: () => Promise<number>;
}

interface ResolvedPageRequest {
  readonly limit: number;
  readonly backward: boolean;
  readonly after?: CursorValue[];
  readonly before?: CursorValue[];
}

/** Items of a page when a query gives neither `first` nor `last`. */
export const DEFAULT_PAGE_SIZE = 20;

export function resolvePageRequest(request: PageRequest, keys: readonly SortKey[], maxPageSize: number, defaultPageSize = DEFAULT_PAGE_SIZE): ResolvedPageRequest {
  const { first, last, after, before } = request;
  if (first != null && last != null) throw badInput(['first'], 'Give either first or last, not both');
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value != null && (!Number.isInteger(value) || value < 0 || value > maxPageSize)) {
      throw badInput([name], `${name} must be an integer from 0 to ${maxPageSize}`);
    }
  }
  const decode = (name: 'after' | 'before', cursor: string | null | undefined): CursorValue[] | undefined => {
    if (cursor == null) return undefined;
    const values = decodeCursor(cursor, keys.length);
    if (!values || !values.every((value, i) => fitsColumn(keys[i]!.column, value))) throw badInput([name], `${name} is not a cursor of this list and ordering`);
    return values;
  };
  return {
    limit: last ?? first ?? defaultPageSize,
    backward: last != null,
    after: decode('after', after),
    before: decode('before', before),
  };
}

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const CURSOR_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(Z?)$/;

/** A real calendar time written the way cursors write it (Z for columns with a time zone). */
function isCursorTimestamp(value: string, withTimezone: boolean): boolean {
  const match = CURSOR_TIMESTAMP.exec(value);
  if (!match || (match[7] === 'Z') !== withTimezone) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second);
  return year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
}

/**
 * Whether a decoded cursor value can be a value of the key column: a cursor of another list or
 * ordering with the same number of keys, or a forged one, is refused before it reaches SQL.
 */
function fitsColumn(column: PgColumn, value: CursorValue): boolean {
  if (value === null) return !column.notNull;
  if (isTimestamp(column)) return typeof value === 'string' && isCursorTimestamp(value, hasTimezone(column));
  if (column.columnType === 'PgDateString') return typeof value === 'string' && isIsoDate(value);
  switch (column.dataType) {
    case 'number':
      return typeof value === 'number' && (['PgInteger', 'PgSerial', 'PgSmallInt', 'PgSmallSerial'].includes(column.columnType) ? Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX : Number.isFinite(value));
    case 'string':
      return typeof value === 'string' && (column.enumValues === undefined || column.enumValues.length === 0 || column.enumValues.includes(value));
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return false;
  }
}

function isTimestamp(column: PgColumn): boolean {
  return column.columnType === 'PgTimestamp' || column.columnType === 'PgTimestampString';
}

function hasTimezone(column: PgColumn): boolean {
  return (column as PgColumn & { withTimezone?: boolean }).withTimezone === true;
}

/**
 * Timestamp keys go into cursors as text with all six fractional digits, read in SQL: a JS Date
 * keeps only milliseconds, and a row stored with microseconds would then sort after its own
 * cursor and come back on the next page.
 */
function timestampKeyTexts(keys: readonly SortKey[]): Record<string, SQL.Aliased<string>> {
  const fields: Record<string, SQL.Aliased<string>> = {};
  keys.forEach((key, i) => {
    if (!isTimestamp(key.column)) return;
    const text = hasTimezone(key.column)
      ? sql<string>`to_char(${key.column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
      : sql<string>`to_char(${key.column}, 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
    fields[`__key${i}`] = text.as(`__key${i}`);
  });
  return fields;
}

/**
 * A fetched row without the helper fields its statement added (`__key<i>` from
 * `timestampKeyTexts`, `__rank` from `childPages`), and the texts of its timestamp keys. Rows
 * without helper fields are kept as they are: copying every row of every page is what a page
 * of a hundred items spends its time on.
 */
function withoutHelperFields<Row>(fetched: Row, timestampKeys: readonly number[], ranked: boolean): { row: Row; texts: unknown[] | undefined } {
  if (timestampKeys.length === 0 && !ranked) return { row: fetched, texts: undefined };
  const row: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fetched as Record<string, unknown>)) if (!name.startsWith('__')) row[name] = value;
  const helpers = fetched as Record<string, unknown>;
  return { row: row as Row, texts: timestampKeys.length === 0 ? undefined : timestampKeys.map((i) => helpers[`__key${i}`]) };
}

function cursorParam(column: PgColumn, value: CursorValue): unknown {
  // Timestamps travel in cursors as ISO text with microseconds; PostgreSQL reads them back exactly.
  if (isTimestamp(column) && typeof value === 'string') {
    return hasTimezone(column) ? sql`${value}::timestamptz` : sql`${value}::timestamp`;
  }
  return value;
}

/** Rows strictly after (or before) the cursor in the given key order, ties broken by the later keys. */
export function keysetCondition(keys: readonly SortKey[], values: readonly CursorValue[], direction: 'after' | 'before'): SQL {
  const branches: SQL[] = [];
  for (let i = 0; i < keys.length; i += 1) {
    const equalities = keys.slice(0, i).map((k, j) => eq(k.column, cursorParam(k.column, values[j]!)));
    const key = keys[i]!;
    const forward = (direction === 'after') !== (key.descending ?? false);
    const value = cursorParam(key.column, values[i]!);
    branches.push(and(...equalities, forward ? gt(key.column, value) : lt(key.column, value))!);
  }
  return or(...branches)!;
}

function cursorValue(value: unknown): CursorValue {
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new Error('Unsupported sort key type');
}

/** What a list is: its table, its row filter and its order. Compiled queries (src/server/compiled) read the same. */
export interface RowList {
  readonly table: PgTable;
  readonly where: SQL | undefined;
  /** Sort keys; the last one must be unique (the primary key). */
  readonly keys: readonly SortKey[];
}

export interface PaginateOptions<Row> extends RowList {
  readonly db: Database;
  /** Property names of the keys on a row, in the same order. */
  readonly keyOf: (row: Row) => readonly unknown[];
  readonly request: PageRequest;
  readonly maxPageSize: number;
}

/** One page of a keyset-paginated list: one statement for the page, one more if totalCount is read. */
export async function paginate<Row>(options: PaginateOptions<Row>): Promise<Page<Row>> {
  const { db, table, where, keys, keyOf, request, maxPageSize } = options;
  const page = resolvePageRequest(request, keys, maxPageSize);
  const build = () => {
    const bounds = [where];
    if (page.after) bounds.push(keysetCondition(keys, page.after, 'after'));
    if (page.before) bounds.push(keysetCondition(keys, page.before, 'before'));
    const order = keys.map((k) => ((k.descending ?? false) !== page.backward ? desc(k.column) : asc(k.column)));
    // One row beyond the page tells whether more follow (even for first: 0).
    return db
      .select({ ...getTableColumns(table), ...timestampKeyTexts(keys) })
      .from(table)
      .where(and(...bounds))
      .orderBy(...order)
      .limit(page.limit + 1)
      .$dynamic();
  };
  // A first (or last) page without a cursor is one statement per list, filter, ordering and
  // size, kept prepared; a page after a cursor is built each time.
  const fetched = (
    page.after || page.before ? await build() : await cachedStatement(db, `paginate ${getTableName(table)} ${sortKeyText(keys)} ${page.backward ? 'last' : 'first'} ${page.limit} ${filterKey(where)}`, build).execute({})
  ) as Row[];
  return toPage(fetched, page, keys, keyOf, async () => {
    const [row] = await db.select({ n: count() }).from(table).where(where).$dynamic();
    return Number(row?.n ?? 0);
  });
}

/** Sort keys as text, for statement cache keys. */
function sortKeyText(keys: readonly SortKey[]): string {
  return keys.map((k) => `${getTableName(k.column.table)}.${k.column.name}${k.descending ? ' desc' : ''}`).join(',');
}

/**
 * A page from rows fetched in request order, one beyond the limit when more follow. Cursors are
 * encoded when first read: most queries ask for nodes, not edges.
 */
function toPage<Row>(fetched: readonly Row[], page: ResolvedPageRequest, keys: readonly SortKey[], keyOf: (row: Row) => readonly unknown[], totalCount: () => Promise<number>, ranked = false): Page<Row> {
  const hasMore = fetched.length > page.limit;
  const timestampKeys = keys.flatMap((key, i) => (isTimestamp(key.column) ? [i] : []));
  const items = fetched.slice(0, page.limit).map((row) => withoutHelperFields(row, timestampKeys, ranked));
  if (page.backward) items.reverse();
  let cursors: string[] | undefined;
  return {
    rows: items.map((item) => item.row),
    get cursors() {
      return (cursors ??= items.map(({ row, texts }) =>
        encodeCursor(keyOf(row).map((value, i) => {
          const text = texts?.[timestampKeys.indexOf(i)];
          return typeof text === 'string' ? text : cursorValue(value);
        })),
      ));
    },
    // Relay's rule: the side we paged from reports whether more rows exist; the other side
    // reports true only when a cursor there proves rows exist beyond it.
    hasNextPage: page.backward ? page.before !== undefined : hasMore,
    hasPreviousPage: page.backward ? hasMore : page.after !== undefined,
    totalCount,
  };
}

/** What a nested list is: its table, the foreign key to its parent's id, its row filter and its order. */
export interface ChildList {
  readonly table: PgTable;
  /** The foreign key that ties a child to its parent. */
  readonly parentColumn: PgColumn;
  readonly keys: readonly SortKey[];
  readonly where?: SQL;
}

export interface ChildPageOptions<Row> extends ChildList {
  readonly db: Database;
  readonly parentOf: (row: Row) => number;
  readonly keyOf: (row: Row) => readonly unknown[];
  readonly maxPageSize: number;
}

/**
 * Pages of children for many parents at once (e.g. the streets of each district on a page of
 * districts): one windowed statement for all pages, and one grouped count if totalCount is read.
 * Every parent in a batch shares the same page request, as it does in one GraphQL selection.
 */
export async function childPages<Row>(options: ChildPageOptions<Row>, parentIds: readonly number[], request: PageRequest): Promise<Page<Row>[]> {
  const { db, table, parentColumn, parentOf, keys, keyOf, where, maxPageSize } = options;
  const page = resolvePageRequest(request, keys, maxPageSize);
  const build = () => {
    const bounds = [anyOfKeys(parentColumn), where];
    if (page.after) bounds.push(keysetCondition(keys, page.after, 'after'));
    if (page.before) bounds.push(keysetCondition(keys, page.before, 'before'));
    const order = keys.map((k) => ((k.descending ?? false) !== page.backward ? sql`${k.column} desc` : sql`${k.column} asc`));
    const ranked = db
      .select({
        ...getTableColumns(table),
        ...timestampKeyTexts(keys),
        __rank: sql<number>`row_number() over (partition by ${parentColumn} order by ${sql.join(order, sql`, `)})`.as('__rank'),
      })
      .from(table)
      .where(and(...bounds))
      .as('ranked');
    return db.select().from(ranked).where(lte(ranked.__rank, page.limit + 1)).$dynamic();
  };
  // The first page of each parent (no cursor: what nested lists ask for) is one statement per
  // list, ordering and size, kept prepared; a page after a cursor is built each time.
  const values = { keys: [...parentIds] };
  const fetched = (
    page.after || page.before
      ? await build().prepare('childPage').execute(values)
      : await cachedStatement(db, `childPages ${getTableName(table)}.${parentColumn.name} ${sortKeyText(keys)} ${page.backward ? 'last' : 'first'} ${page.limit} ${filterKey(where)}`, build).execute(values)
  ) as (Row & { __rank: number })[];
  const groups = new Map<number, (Row & { __rank: number })[]>(parentIds.map((id) => [id, []]));
  for (const row of fetched) groups.get(parentOf(row))?.push(row);
  let counts: Promise<Map<number, number>> | undefined;
  const countAll = (): Promise<Map<number, number>> => {
    counts ??= db
      .select({ parent: parentColumn, n: count() })
      .from(table)
      .where(and(inArray(parentColumn, [...parentIds]), where))
      .groupBy(parentColumn)
      .then((rows) => new Map(rows.map((r) => [Number(r.parent), Number(r.n)])));
    return counts;
  };
  return parentIds.map((parentId) => {
    const rows = groups.get(parentId)!.sort((a, b) => Number(a.__rank) - Number(b.__rank));
    return toPage<Row>(rows, page, keys, keyOf, async () => (await countAll()).get(parentId) ?? 0, true);
  });
}

export interface ChildPageKey {
  readonly parentId: number;
  readonly request: PageRequest;
}

/** A per-request DataLoader over `childPages`, batching parents that ask for the same page shape. */
export function childPageLoader<Row>(options: ChildPageOptions<Row>): DataLoader<ChildPageKey, Page<Row>, string> {
  const shapeOf = (r: PageRequest): string => JSON.stringify([r.first ?? null, r.after ?? null, r.last ?? null, r.before ?? null]);
  return new DataLoader<ChildPageKey, Page<Row>, string>(
    async (keys) => {
      const byShape = new Map<string, { request: PageRequest; indexes: number[] }>();
      keys.forEach((key, index) => {
        const shape = shapeOf(key.request);
        const entry = byShape.get(shape) ?? { request: key.request, indexes: [] };
        entry.indexes.push(index);
        byShape.set(shape, entry);
      });
      const results: (Page<Row> | Error)[] = new Array(keys.length);
      await Promise.all(
        [...byShape.values()].map(async ({ request, indexes }) => {
          try {
            const pages = await childPages(options, indexes.map((i) => keys[i]!.parentId), request);
            indexes.forEach((keyIndex, i) => (results[keyIndex] = pages[i]!));
          } catch (error) {
            for (const keyIndex of indexes) results[keyIndex] = error as Error;
          }
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => `${key.parentId}|${shapeOf(key.request)}` },
  );
}
