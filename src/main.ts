#!/usr/bin/env node
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type HubConfig } from './config';
import { DataDirInUseError, openDatabase, type DbHandle } from './db/client';
import { auditVerifyCommand } from './modules/audit/audit.command';
import { ensureDemoData } from './db/seed/seed';
import { startHttpServer } from './server/http';
import { startInstanceServices } from './server/instance';
import { TOKEN_USAGE, tokenCommand, UsageError } from './auth/token.command';
import { printHubSchema } from './server/schema';
import { solveCommand } from './matching/solve.command';
import { exportCommand, importCommand } from './modules/resource-import/resource-import.command';
import { generateCommand } from './db/generate/generate.command';

const USAGE = `Usage: hub <command>

Commands:
  serve         migrate, seed demo data into an empty database, and serve GraphQL (default)
  migrate       apply the migrations in drizzle/ and exit
  seed          apply migrations and load the demo data set into an empty database
  emit-schema   write the sorted SDL to schema/schema.graphql
  audit-verify  check the audit log's hash chain; print the result as one JSON line, exit 1 when broken
  token         print a development bearer token for a role (hub token --help)
  solve <file>  solve a matching instance exactly; print the solution JSON (format in README.md)
  import        post resources in bulk from CSV, XLSX or HSDS 3.0 JSON (hub import --help)
  export hsds   write the public resource directory as an HSDS 3.0 JSON document
  generate      fill the database with the city-sized synthetic data set (hub generate --help)

Configuration is read from the environment; see README.md.`;

function log(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), event, ...fields })}\n`);
}

async function open(config: HubConfig): Promise<DbHandle> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize, logSql: config.logSql });
  log('database.opened', handle.kind === 'pglite' ? { kind: 'pglite', dataDir: path.relative(process.cwd(), config.dataDir) || '.' } : { kind: 'postgres' });
  return handle;
}

async function prepare(handle: DbHandle, config: HubConfig, seed: boolean): Promise<void> {
  const started = Date.now();
  await handle.migrate();
  log('database.migrated', { ms: Date.now() - started });
  if (!seed) return;
  const seeding = Date.now();
  const outcome = await ensureDemoData(handle);
  log(outcome.seeded ? 'database.seeded' : 'database.seed_skipped', outcome.seeded ? { ms: Date.now() - seeding, ...outcome.summary } : { reason: 'database already holds data' });
  void config;
}

async function serve(config: HubConfig): Promise<void> {
  const started = Date.now();
  const handle = await open(config);
  await prepare(handle, config, config.seed === 'demo');
  const hub = await startHttpServer(handle.db, config);
  // Events reach subscribers on every instance; the scheduled jobs run once across instances.
  const instance = await startInstanceServices(handle, config, log);
  log('server.ready', { url: hub.url, startupMs: Date.now() - started });
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    // Stay subscribed while stopping: a second signal must not fall back to the default kill,
    // which would skip closing the database and leave its lock behind.
    if (stopping) return;
    stopping = true;
    log('server.stopping', { signal });
    // Draining may leave a promise that never settles once every socket is gone; the timer also
    // keeps the process alive until the database below is closed cleanly.
    await Promise.race([hub.stop(), new Promise((resolve) => setTimeout(resolve, 5000))]);
    await instance.stop();
    await handle.close();
    log('server.stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

async function main(argv: readonly string[]): Promise<number> {
  const command = argv[0] ?? 'serve';
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === 'solve') {
    // Pure computation: it needs no configuration, so a hub variable set wrong cannot stop it.
    const code = solveCommand(argv.slice(1), (text) => process.stdout.write(text), (text) => process.stderr.write(text));
    // A big solution can outlast the pipe's buffer: exit only once stdout has drained.
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    return code;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      await serve(config);
      return -1;
    case 'migrate':
    case 'seed': {
      const handle = await open(config);
      try {
        await prepare(handle, config, command === 'seed');
      } finally {
        await handle.close();
      }
      return 0;
    }
    case 'emit-schema': {
      const target = path.resolve(__dirname, '../schema/schema.graphql');
      fs.writeFileSync(target, await printHubSchema());
      log('schema.written', { file: path.relative(process.cwd(), target) });
      return 0;
    }
    case 'token': {
      if (argv.includes('--help')) {
        process.stdout.write(`${TOKEN_USAGE}\n`);
        return 0;
      }
      // Migrated and seeded like `serve`, so a newcomer can ask for a token before the first start.
      let handle: DbHandle | undefined;
      const database = async () => {
        if (!handle) {
          handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
          await handle.migrate();
          if (config.seed === 'demo') await ensureDemoData(handle);
        }
        return handle.db;
      };
      try {
        process.stdout.write(`${await tokenCommand(database, config, argv.slice(1))}\n`);
        return 0;
      } catch (error) {
        if (error instanceof DataDirInUseError) {
          process.stderr.write(`${error.message}\nA token for this role needs a demo principal from the database: stop the hub, or pass --org/--staff/--street/--district IDs. CITY_CIVIL_AFFAIRS tokens work while it runs.\n`);
          return 2;
        }
        if (!(error instanceof UsageError) && !(error instanceof TypeError && /parseArgs|option/i.test(error.message))) throw error;
        process.stderr.write(`${error.message}\n\n${TOKEN_USAGE}\n`);
        return 2;
      } finally {
        await handle?.close();
      }
    }
    case 'generate':
      return generateCommand(argv.slice(1), { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), interactive: process.stderr.isTTY === true });
    case 'audit-verify': {
      // Read-only and silent but for the result line: no migration, no open log line.
      const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
      try {
        return await auditVerifyCommand(handle.db, (line) => process.stdout.write(`${line}\n`));
      } finally {
        await handle.close();
      }
    }
    case 'import':
    case 'export': {
      // Migrated like `token`, never seeded: an import goes into the database as it is.
      let handle: DbHandle | undefined;
      const database = async () => {
        if (!handle) {
          handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
          await handle.migrate();
        }
        return handle.db;
      };
      const io = { stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stderr.write(text), stderrIsTty: process.stderr.isTTY === true, env: process.env, config, database };
      try {
        const code = command === 'import' ? await importCommand(argv.slice(1), io) : await exportCommand(argv.slice(1), io);
        await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
        return code;
      } finally {
        await handle?.close();
      }
    }
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DataDirInUseError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
