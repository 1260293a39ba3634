#!/usr/bin/env node
import 'reflect-metadata';
import { TOKEN_USAGE } from './auth/token.command';
import { CommandError, processIo, runCommandLine, type Command } from './cli/command';
import { logWritten } from './common/logger';
import { AUDIT_VERIFY_USAGE, auditVerifyCliCommand, EMIT_SCHEMA_USAGE, emitSchemaCommand, MIGRATE_USAGE, migrateCommand, SEED_USAGE, seedCommand, tokenCliCommand, withDatabaseOnDemand } from './cli/database.commands';
import { SERVE_USAGE, serveCommand } from './cli/serve.command';
import { ConfigError } from './config';
import { DataDirInUseError } from './db/client';
import { SOLVE_USAGE, solveCommand } from './matching/solve.command';
import { EXPORT_USAGE, exportCommand, IMPORT_USAGE, importCommand } from './modules/resource-import/resource-import.command';
import { GENERATE_USAGE, generateCommand } from './db/generate/generate.command';

/**
 * Every command of `hub`, in the order `hub --help` lists them. Adding one is one entry here:
 * a command written as `export async function xCommand(argv: readonly string[], io: CommandIo):
 * Promise<number>` with an `X_USAGE` text registers as
 *
 *   x: { summary: 'one line for hub --help', usage: X_USAGE, run: xCommand },
 *
 * The runner answers `--help` from `usage` before `run` is called. Add `args` (its options and
 * how many positional arguments) to have unknown options refused before `run`; without `args`
 * the command parses `argv` itself and must return 2 for bad arguments. `io` gives stdout,
 * stderr, the configuration and the JSON logger (src/cli/command.ts).
 */
const COMMANDS: Record<string, Command> = {
  serve: { summary: 'migrate, seed demo data into an empty database, and serve GraphQL (the default)', usage: SERVE_USAGE, args: {}, run: serveCommand },
  migrate: { summary: 'apply the migrations in drizzle/ and exit', usage: MIGRATE_USAGE, args: {}, run: migrateCommand },
  seed: { summary: 'apply migrations and load the demo data set into an empty database', usage: SEED_USAGE, args: {}, run: seedCommand },
  'emit-schema': { summary: 'write the sorted SDL to schema/schema.graphql', usage: EMIT_SCHEMA_USAGE, args: {}, run: emitSchemaCommand },
  'audit-verify': { summary: "check the audit log's hash chain; one JSON line, exit 1 when broken", usage: AUDIT_VERIFY_USAGE, args: {}, run: auditVerifyCliCommand },
  token: { summary: 'print a development bearer token for a role', usage: TOKEN_USAGE, run: tokenCliCommand },
  solve: {
    summary: 'solve a matching instance file exactly; print the solution JSON',
    usage: SOLVE_USAGE,
    args: { positionals: [1, 1] },
    // Pure computation: it reads no configuration, so a hub variable set wrong cannot stop it.
    run: async (argv, io) => solveCommand(argv, io.out, io.err),
  },
  import: { summary: 'post resources in bulk from CSV, XLSX or HSDS 3.0 JSON', usage: IMPORT_USAGE, run: withDatabaseOnDemand(importCommand) },
  export: { summary: 'write the public resource directory as an HSDS 3.0 JSON document', usage: EXPORT_USAGE, run: withDatabaseOnDemand(exportCommand) },
  generate: {
    summary: 'fill the database with the city-sized synthetic data set',
    usage: GENERATE_USAGE,
    run: (argv, io) => generateCommand(argv, { stdout: io.out, stderr: io.err, interactive: process.stderr.isTTY === true }),
  },
};

function exitWhenFlushed(code: number): void {
  // A big result can outlast the pipe's buffer, and log lines may still be on their way: exit
  // only once both have been written.
  void logWritten().then(() => process.stdout.write('', () => process.exit(code)));
}

runCommandLine(COMMANDS, 'serve', process.argv.slice(2), processIo()).then(exitWhenFlushed, (error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirInUseError || error instanceof CommandError) {
    process.stderr.write(`${error.message}\n`);
    exitWhenFlushed(2);
    return;
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  exitWhenFlushed(1);
});
