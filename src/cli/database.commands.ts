import fs from 'node:fs';
import path from 'node:path';
import { TOKEN_USAGE, tokenCommand, UsageError } from '../auth/token.command';
import type { Logger } from '../common/logger';
import type { HubConfig } from '../config';
import { DataDirInUseError, openDatabase, type DbHandle } from '../db/client';
import { ensureDemoData } from '../db/seed/seed';
import { auditVerifyCommand } from '../modules/audit/audit.command';
import type { CommandIo as ImportCommandIo } from '../modules/resource-import/resource-import.command';
import { printHubSchema } from '../server/schema';
import type { Command, CommandIo } from './command';

export const MIGRATE_USAGE = `Usage: hub migrate

Applies the migrations in drizzle/ that the database lacks, and exits. On PostgreSQL an advisory
lock serialises hubs that start at once. Database: DATABASE_URL, else the embedded one in HUB_DATA_DIR.`;

export const SEED_USAGE = `Usage: hub seed

Applies the migrations, then loads the demo data set (Shanghai's districts, streets, providers,
households) into an empty database. A database that holds data is left as it is.`;

export const EMIT_SCHEMA_USAGE = `Usage: hub emit-schema

Writes the schema's SDL, sorted, to schema/schema.graphql (a test fails when the committed file drifts).`;

export const AUDIT_VERIFY_USAGE = `Usage: hub audit-verify

Recomputes the audit log's hash chain. Prints the result as one JSON line; exit code 0 when the
chain is intact, 1 when a row was changed, removed or inserted.`;

/** Opens the configured database and logs which one (the data folder relative to here, never a URL that could hold a password). */
export async function openForCommand(config: HubConfig, logger: Logger): Promise<DbHandle> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize, logSql: config.logSql });
  logger.info(handle.kind === 'pglite' ? { kind: 'pglite', dataDir: path.relative(process.cwd(), config.dataDir) || '.' } : { kind: 'postgres' }, 'database.opened');
  return handle;
}

export async function prepareDatabase(handle: DbHandle, logger: Logger, seed: boolean): Promise<void> {
  const started = Date.now();
  await handle.migrate();
  logger.info({ ms: Date.now() - started }, 'database.migrated');
  if (!seed) return;
  const seeding = Date.now();
  const outcome = await ensureDemoData(handle);
  if (outcome.seeded) logger.info({ ms: Date.now() - seeding, ...outcome.summary }, 'database.seeded');
  else logger.info({ reason: 'database already holds data' }, 'database.seed_skipped');
}

async function prepareOnly(io: CommandIo, seed: boolean): Promise<number> {
  const handle = await openForCommand(io.config(), io.logger());
  try {
    await prepareDatabase(handle, io.logger(), seed);
  } finally {
    await handle.close();
  }
  return 0;
}

export const migrateCommand = (_argv: readonly string[], io: CommandIo): Promise<number> => prepareOnly(io, false);

export const seedCommand = (_argv: readonly string[], io: CommandIo): Promise<number> => prepareOnly(io, true);

export async function emitSchemaCommand(_argv: readonly string[], io: CommandIo): Promise<number> {
  const target = path.resolve(__dirname, '../../schema/schema.graphql');
  fs.writeFileSync(target, await printHubSchema());
  io.logger().info({ file: path.relative(process.cwd(), target) }, 'schema.written');
  return 0;
}

/** Read-only and silent but for the result line: no migration, no log line. */
export async function auditVerifyCliCommand(_argv: readonly string[], io: CommandIo): Promise<number> {
  const config = io.config();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
  try {
    return await auditVerifyCommand(handle.db, (line) => io.out(`${line}\n`));
  } finally {
    await handle.close();
  }
}

/**
 * A database opened and migrated on first use (and seeded with the demo data when asked), for
 * commands that may not need one at all; `close` is safe when it was never opened.
 */
function databaseOnDemand(config: HubConfig, options: { seed: boolean }) {
  let handle: DbHandle | undefined;
  return {
    database: async () => {
      if (!handle) {
        handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
        await handle.migrate();
        if (options.seed) await ensureDemoData(handle);
      }
      return handle.db;
    },
    close: async () => handle?.close(),
  };
}

/** `hub token`: migrated and seeded like `serve` when it needs a demo principal, so a newcomer can ask for a token before the first start. */
export async function tokenCliCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const config = io.config();
  const { database, close } = databaseOnDemand(config, { seed: config.seed === 'demo' });
  try {
    io.out(`${await tokenCommand(database, config, argv)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      io.err(`${error.message}\nA token for this role needs a demo principal from the database: stop the hub, or pass --org/--staff/--street/--district IDs. CITY_CIVIL_AFFAIRS tokens work while it runs.\n`);
      return 2;
    }
    if (!(error instanceof UsageError) && !(error instanceof TypeError && /parseArgs|option/i.test(error.message))) throw error;
    io.err(`hub token: ${error.message}\n\n${TOKEN_USAGE}\n`);
    return 2;
  } finally {
    await close();
  }
}

/**
 * Runs a command written for the import helper's io (output, the configuration, a database
 * opened and migrated on demand, never seeded: an import goes into the database as it is).
 */
export function withDatabaseOnDemand(run: (argv: readonly string[], io: ImportCommandIo) => Promise<number>): Command['run'] {
  return async (argv, io) => {
    const config = io.config();
    const { database, close } = databaseOnDemand(config, { seed: false });
    try {
      return await run(argv, { stdout: io.out, stderr: io.err, stderrIsTty: process.stderr.isTTY === true, env: process.env, config, database });
    } finally {
      await close();
    }
  };
}
