import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'drizzle-orm';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Schema = typeof schema;
/** The database or a transaction on it: services take either, so callers can compose them. */
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type DatabaseKind = 'pglite' | 'postgres';

export interface DbHandle {
  readonly db: Database;
  readonly kind: DatabaseKind;
  /** Counts SQL statements sent through `db`; tests read it to prove batching. */
  readonly statements: StatementCounter;
  /** Runs the migrations in `drizzle/`, serialised across processes on a server. */
  migrate(): Promise<void>;
  /** PostgreSQL LISTEN/NOTIFY on this database: how hub instances tell each other about events. */
  readonly notifications: Notifications;
  close(): Promise<void>;
}

export interface Notifications {
  /**
   * Calls `onMessage` with the payload of every NOTIFY on `channel`; `onListening` runs once the
   * LISTEN is in place and again after each reconnect (notifications sent while the connection
   * was down are lost). Resolves with a function that stops listening.
   */
  listen(channel: string, onMessage: (payload: string) => void, onListening?: () => void): Promise<() => Promise<void>>;
  /** Sends a notification; delivered to listeners when the sender's transaction commits (at once outside one). */
  notify(channel: string, payload: string): Promise<void>;
}

export class StatementCounter implements Logger {
  count = 0;
  private readonly echo: boolean;
  constructor(echo = false) {
    this.echo = echo;
  }
  logQuery(query: string): void {
    this.count += 1;
    // Parameters are never printed: they may hold personal data.
    if (this.echo) process.stderr.write(`[sql] ${query}\n`);
  }
}

export interface OpenDatabaseOptions {
  /** postgres://… for a server; undefined for embedded PGlite. */
  readonly databaseUrl?: string;
  /** PGlite data folder; undefined keeps the embedded database in memory. */
  readonly dataDir?: string;
  readonly poolSize?: number;
  readonly logSql?: boolean;
}

export const MIGRATIONS_FOLDER = path.resolve(__dirname, '../../drizzle');
/** Any fixed number: the advisory lock that serialises migration and seeding across hub instances. */
const SETUP_LOCK_KEY = 4_823_517;

export async function openDatabase(options: OpenDatabaseOptions): Promise<DbHandle> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options);
}

async function openPglite(options: OpenDatabaseOptions): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const release = options.dataDir ? lockDataDir(options.dataDir) : () => undefined;
  const client = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  try {
    await client.waitReady;
  } catch (error) {
    release();
    throw error;
  }
  const statements = new StatementCounter(options.logSql);
  const db = drizzle({ client, schema, logger: statements }) as unknown as Database;
  return {
    db,
    kind: 'pglite',
    statements,
    migrate: () => migrate(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    notifications: {
      async listen(channel, onMessage, onListening) {
        // One embedded connection that never drops: listening once is enough.
        const unlisten = await client.listen(channel, onMessage);
        onListening?.();
        return () => unlisten();
      },
      async notify(channel, payload) {
        await client.query('select pg_notify($1, $2)', [channel, payload]);
      },
    },
    close: async () => {
      await client.close();
      release();
    },
  };
}

/** The embedded database is in use by another process (a running hub, say). */
export class DataDirInUseError extends Error {
  constructor(readonly pid: number) {
    super(`The embedded database is in use by process ${pid} (is the hub running?). Stop it first, or use PostgreSQL (DATABASE_URL).`);
    this.name = 'DataDirInUseError';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite has one connection and no lock of its own: two processes on one data folder would
 * corrupt it. A lock file beside the folder, holding the owner's pid, keeps it to one; a lock
 * left by a process that died is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = `${path.resolve(dataDir)}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      const release = (): void => {
        process.removeListener('exit', release);
        fs.rmSync(lockFile, { force: true });
      };
      // Also on exit: the process may end while PGlite is still closing.
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) throw new DataDirInUseError(owner);
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new DataDirInUseError(-1);
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<DbHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, { max: options.poolSize ?? 10, onnotice: () => undefined });
  const statements = new StatementCounter(options.logSql);
  const db = drizzle({ client, schema, logger: statements }) as unknown as Database;
  return {
    db,
    kind: 'postgres',
    statements,
    async migrate() {
      // A dedicated single connection, so the advisory lock and the migration share a session.
      const single = postgres(url, { max: 1, onnotice: () => undefined });
      try {
        await single`select pg_advisory_lock(${SETUP_LOCK_KEY})`;
        await migrate(drizzle({ client: single }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await single`select pg_advisory_unlock(${SETUP_LOCK_KEY})`.catch(() => undefined);
        await single.end();
      }
    },
    notifications: {
      // postgres.js listens on a dedicated connection of its own, outside the pool, and
      // reconnects it with backoff, calling `onListening` again each time the LISTEN is back.
      async listen(channel, onMessage, onListening) {
        const { unlisten } = await client.listen(channel, onMessage, onListening);
        return unlisten;
      },
      async notify(channel, payload) {
        await client.notify(channel, payload);
      },
    },
    close: () => client.end({ timeout: 5 }),
  };
}
