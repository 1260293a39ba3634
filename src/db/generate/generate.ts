import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { todayInShanghai } from '../../common/dates';
import type { DbHandle } from '../client';
import { CITY_SEED, planCity, type Cell, type TableRows } from './city-plan';

/** The `hub_meta` key the demo seed also uses: whichever data set filled the database. */
const SEED_KEY = 'seed';
/** The demo seed's lock: a hub starting on the same server waits instead of seeding beside us. */
const SEED_LOCK_KEY = 4_823_518;
const COPY_CHUNK_ROWS = 10_000;
/** Tables this big get their secondary indexes built after the load. */
const DEFER_INDEXES_FROM = 50_000;

export interface GenerateOptions {
  readonly seed?: number;
  readonly scale?: number;
  /** Replace data that the generator did not write (demo data, real data). */
  readonly force?: boolean;
  /** YYYY-MM-DD; defaults to today in Shanghai. */
  readonly today?: string;
  /** Called as rows are written: the phase (a table name, or "planning"), rows done and rows in all. */
  readonly progress?: (phase: string, done: number, total: number) => void;
}

export interface GenerateOutcome {
  /** False when the database already held this exact data set (same seed and scale). */
  readonly generated: boolean;
  readonly counts: Readonly<Record<string, number>>;
  readonly ms: number;
}

/** The database holds data the generator did not write, and `force` was not given. */
export class OccupiedDatabaseError extends Error {
  constructor(readonly dataSet: string) {
    super(`The database already holds ${dataSet} data. hub generate only fills an empty database (or one it generated); pass --force to replace that data.`);
    this.name = 'OccupiedDatabaseError';
  }
}

/** What the generator needs of a connection: plain statements, and COPY of tab-separated text. */
interface Session {
  query<Row>(text: string): Promise<Row[]>;
  copy(table: string, columns: readonly string[], chunks: Iterable<string>): Promise<void>;
}

interface PostgresTx {
  unsafe(text: string): Promise<unknown[]> & { writable(): Promise<Writable> };
}
interface PostgresClient {
  begin<T>(fn: (tx: PostgresTx) => Promise<T>): Promise<T>;
  unsafe(text: string): Promise<unknown[]>;
}
interface PgliteTx {
  query<Row>(text: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: Row[] }>;
}
interface PgliteClient {
  transaction<T>(fn: (tx: PgliteTx) => Promise<T>): Promise<T>;
  query<Row>(text: string): Promise<{ rows: Row[] }>;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** One transaction on the handle's own driver: COPY through postgres.js on a server, COPY from a blob on PGlite. */
async function inTransaction<T>(handle: DbHandle, work: (session: Session) => Promise<T>): Promise<T> {
  const client = (handle.db as unknown as { $client: unknown }).$client;
  if (handle.kind === 'postgres') {
    return (client as PostgresClient).begin(async (tx) =>
      work({
        query: async <Row>(text: string) => (await tx.unsafe(text)) as Row[],
        async copy(table, columns, chunks) {
          const stream = await tx.unsafe(`copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) from stdin`).writable();
          const done = new Promise<void>((resolve, reject) => {
            stream.on('finish', resolve);
            stream.on('error', reject);
          });
          for (const chunk of chunks) if (!stream.write(chunk)) await once(stream, 'drain');
          stream.end();
          await done;
        },
      }),
    );
  }
  return (client as PgliteClient).transaction(async (tx) =>
    work({
      query: async <Row>(text: string) => (await tx.query<Row>(text)).rows,
      async copy(table, columns, chunks) {
        await tx.query(`copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) from '/dev/blob'`, [], { blob: new Blob([...chunks]) });
      },
    }),
  );
}

function copyValue(value: Cell): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  // Arrays hold enum labels only: no quoting needed.
  return `{${value.join(',')}}`;
}

function* copyLines(rows: readonly Cell[][], from: number, to: number): Generator<string> {
  let buffer = '';
  for (let i = from; i < to; i += 1) {
    buffer += `${rows[i]!.map(copyValue).join('\t')}\n`;
    if (buffer.length > 256 * 1024) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/**
 * Fills the database with the city data set in one transaction (all or nothing), then records
 * it in `hub_meta` under the demo seed's key, so a hub started on it never seeds demo data on top.
 * A database it generated before with other settings is emptied first; any other data only with
 * `force`. The migrations must have run.
 */
export async function generateCity(handle: DbHandle, options: GenerateOptions = {}): Promise<GenerateOutcome> {
  const started = Date.now();
  const seed = options.seed ?? CITY_SEED;
  const scale = options.scale ?? 1;
  const today = options.today ?? todayInShanghai();
  const progress = options.progress ?? (() => undefined);
  const outcome = await inTransaction(handle, async (session) => {
    if (handle.kind === 'postgres') {
      await session.query(`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
      // Nothing here needs to survive a crash before the commit, which alone makes it durable.
      await session.query('set local synchronous_commit = off');
    }
    const [marker] = await session.query<{ value: { dataSet?: string; seed?: number; scale?: number; counts?: Record<string, number> } }>(`select value from hub_meta where key = '${SEED_KEY}'`);
    const [{ occupied } = { occupied: false }] = await session.query<{ occupied: boolean }>('select exists (select 1 from districts) or exists (select 1 from organizations) as occupied');
    const ours = marker?.value.dataSet === 'city';
    if (ours && marker.value.seed === seed && marker.value.scale === scale) return { generated: false, counts: marker.value.counts ?? {} };
    // Another seed or scale of the city data set is replaced only with force too: rows added to
    // a generated database since would go with it.
    if (occupied && !options.force) throw new OccupiedDatabaseError(ours ? `city (seed ${marker.value.seed}, scale ${marker.value.scale})` : (marker?.value.dataSet ?? 'non-generated'));
    if (occupied) {
      // Every table that hangs off the geography or the organizations goes; the catalogue, the
      // calendar and the other reference tables the migrations load stay. The audit log is
      // append-only and keeps its history.
      await session.query('truncate districts, organizations restart identity cascade');
    }
    const categoryRows = await session.query<{ id: number; code: string }>('select id, code from service_categories where retired_at is null order by id');
    progress('planning', 0, 1);
    const plan = planCity({ seed, scale, today, categories: new Map(categoryRows.map((row) => [row.code, row.id])) });
    const total = plan.tables.reduce((sum, t) => sum + t.rows.length, 0);
    let done = 0;
    for (const t of plan.tables) {
      progress(t.table, done, total);
      // Secondary indexes are built once after the load (a sort) rather than row by row; the
      // keys behind constraints (primary, unique, foreign targets) stay and check every row.
      const deferred = handle.kind === 'postgres' && t.rows.length >= DEFER_INDEXES_FROM ? await dropSecondaryIndexes(session, t.table) : [];
      for (let from = 0; from < t.rows.length; from += COPY_CHUNK_ROWS) {
        const to = Math.min(t.rows.length, from + COPY_CHUNK_ROWS);
        await session.copy(t.table, t.columns, copyLines(t.rows, from, to));
        done += to - from;
        progress(t.table, done, total);
      }
      for (const definition of deferred) await session.query(definition);
      await restartIdentity(session, t);
    }
    const value = { dataSet: 'city', seed, scale, today, at: new Date().toISOString(), counts: plan.counts };
    await session.query(`insert into hub_meta (key, value) values ('${SEED_KEY}', '${JSON.stringify(value).replace(/'/g, "''")}'::jsonb) on conflict (key) do update set value = excluded.value, updated_at = now()`);
    return { generated: true, counts: plan.counts };
  });
  if (outcome.generated) {
    progress('analyze', 1, 1);
    // Fresh statistics, so the planner sees the new volumes at once rather than after autovacuum,
    // and a set visibility map, so index-only scans need no heap visits.
    const client = (handle.db as unknown as { $client: { query?: (text: string) => Promise<unknown>; unsafe?: (text: string) => Promise<unknown> } }).$client;
    await (handle.kind === 'postgres' ? client.unsafe!('vacuum analyze') : client.query!('analyze'));
  }
  return { ...outcome, ms: Date.now() - started };
}

/** Ids were written explicitly: the identity continues after the highest. */
async function restartIdentity(session: Session, t: TableRows): Promise<void> {
  if (!t.columns.includes('id')) return;
  await session.query(`select setval(pg_get_serial_sequence('${quoteIdent(t.table)}', 'id'), greatest((select max(id) from ${quoteIdent(t.table)}), 1))`);
}

/** Drops the table's indexes that no constraint owns; returns the statements that rebuild them. */
async function dropSecondaryIndexes(session: Session, table: string): Promise<string[]> {
  const rows = await session.query<{ name: string; definition: string }>(
    `select indexname as name, indexdef as definition from pg_indexes i
     where i.schemaname = current_schema() and i.tablename = '${table.replace(/'/g, "''")}'
       and not exists (select 1 from pg_constraint c where c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
  );
  for (const row of rows) await session.query(`drop index ${quoteIdent(row.name)}`);
  return rows.map((row) => row.definition);
}
