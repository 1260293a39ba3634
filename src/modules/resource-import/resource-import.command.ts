import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { GraphQLError } from 'graphql';
import type { Principal } from '../../auth/principal';
import { createTokenVerifier, InvalidTokenError } from '../../auth/tokens';
import type { HubConfig } from '../../config';
import type { Database } from '../../db/client';
import { hsdsPage } from './hsds';
import { exportHsdsDirectory, importHsdsDocument } from './hsds.service';
import { importResourceSheet, type ImportIssue, type ImportOutcome } from './resource-import.service';

export const IMPORT_USAGE = `Usage: hub import resources <file.csv|file.xlsx> --provider ID [options]
       hub import hsds <file.json> [--provider ID] [options]

Posts resources in bulk, each row checked and audited exactly as the createResource mutation
would. Nothing is written unless every row is valid (unless --partial). The template is served
at GET /templates/resources.csv and /templates/resources.xlsx; the columns are in README.md.

Options:
  --provider ID   the provider (Organization ID) the resources belong to; for HSDS it overrides
                  the organizations the document names
  --partial       write the valid rows even when some are refused
  --dry-run       check every row, write nothing
  --progress      show progress on stderr (shown anyway when stderr is a terminal)
  --token TOKEN   the bearer token of who imports (default: HUB_TOKEN); a provider's token
                  imports only for its own organization

Exit status: 0 imported (or a clean dry run), 1 rows refused (listed on stdout), 2 usage error.
With the embedded database, stop the hub first (or upload to POST /import/resources).`;

export const EXPORT_USAGE = `Usage: hub export hsds [--out FILE]

Writes the public resource directory as an Open Referral HSDS 3.0 JSON document (organizations
with their services, in the HSDS API's page form) to FILE or stdout.`;

/** What the import and export commands use of the process: output, the configuration, and a database opened on demand. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stderrIsTty: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly config: HubConfig;
  readonly database: () => Promise<Database>;
}

class UsageError extends Error {}

/** A progress bar on stderr, redrawn when the percentage changes. */
function progressBar(io: CommandIo): (done: number, total: number) => void {
  let shown = -1;
  return (done, total) => {
    const percent = Math.floor((done / total) * 100);
    if (percent === shown && done !== total) return;
    shown = percent;
    const width = 30;
    const filled = Math.round((done / total) * width);
    io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}% ${done}/${total} rows`);
    if (done === total) io.stderr('\n');
  };
}

function describe(issue: ImportIssue): string {
  const where = [issue.line !== null ? `line ${issue.line}` : 'file', issue.column].filter((part) => part !== null).join(', ');
  return `${where}: ${issue.code} ${issue.message}`;
}

async function principalOf(io: CommandIo, token: string | undefined): Promise<Principal> {
  if (!token) throw new UsageError('Give the bearer token of who imports: --token TOKEN or HUB_TOKEN (hub token --role … prints one in development)');
  try {
    return await (await createTokenVerifier(io.config.auth)).verify(token);
  } catch (error) {
    throw new UsageError(`The token was refused: ${error instanceof InvalidTokenError ? error.message : 'it could not be verified'}`);
  }
}

function report(io: CommandIo, outcome: ImportOutcome): number {
  for (const warning of outcome.warnings) io.stdout(`warning: ${describe(warning)}\n`);
  for (const issue of outcome.issues) io.stdout(`refused: ${describe(issue)}\n`);
  const verb = outcome.dryRun ? 'would import' : outcome.committed ? 'imported' : 'imported nothing of';
  io.stdout(
    `${verb} ${outcome.dryRun || outcome.committed ? `${outcome.importedRows} of ` : ''}${outcome.totalRows} rows; ${outcome.refusedRows} refused${
      outcome.issues.length > 0 && !outcome.committed && !outcome.dryRun && !outcome.allowPartial ? ' (all or nothing: fix them, or pass --partial)' : ''
    }\n`,
  );
  return outcome.issues.length > 0 ? 1 : 0;
}

/** `hub import resources|hsds <file> …`: see IMPORT_USAGE. */
export async function importCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: {
        provider: { type: 'string' },
        partial: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        progress: { type: 'boolean', default: false },
        token: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout(`${IMPORT_USAGE}\n`);
      return 0;
    }
    const [kind, file, ...rest] = positionals;
    if (kind !== 'resources' && kind !== 'hsds') throw new UsageError('Say what to import: hub import resources <file> or hub import hsds <file>');
    if (!file || rest.length > 0) throw new UsageError('Give exactly one file');
    const extension = path.extname(file).toLowerCase();
    if (kind === 'resources' && extension !== '.csv' && extension !== '.xlsx') throw new UsageError('The file must end in .csv or .xlsx');
    if (kind === 'resources' && !values.provider) throw new UsageError('--provider is required: the Organization ID the resources belong to');
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      throw new UsageError(`Cannot read ${file}`);
    }
    const viewer = await principalOf(io, values.token ?? io.env.HUB_TOKEN);
    const actor = { viewer, requestId: randomUUID(), purpose: undefined };
    const showProgress = values.progress || io.stderrIsTty;
    const options = { allowPartial: values.partial, dryRun: values['dry-run'], limits: io.config.imports, onProgress: showProgress ? progressBar(io) : undefined };
    const db = await io.database();
    const outcome =
      kind === 'resources'
        ? await importResourceSheet(db, actor, { format: extension === '.csv' ? 'CSV' : 'XLSX', bytes }, values.provider!, options)
        : await importHsdsDocument(db, actor, bytes.toString('utf8'), values.provider ?? null, options);
    return report(io, outcome);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && /parseArgs|option|argument/i.test(error.message))) {
      io.stderr(`${error.message}\n\n${IMPORT_USAGE}\n`);
      return 2;
    }
    if (error instanceof GraphQLError && (error.extensions.code === 'FORBIDDEN' || error.extensions.code === 'UNAUTHENTICATED')) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** `hub export hsds [--out FILE]`: see EXPORT_USAGE. */
export async function exportCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  let values: { out?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options: { out: { type: 'string' }, help: { type: 'boolean', default: false } }, allowPositionals: true, strict: true }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${EXPORT_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${EXPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'hsds') {
    io.stderr(`Say what to export: hub export hsds\n\n${EXPORT_USAGE}\n`);
    return 2;
  }
  const organizations = await exportHsdsDirectory(await io.database());
  const text = `${JSON.stringify(hsdsPage(organizations, 1, Math.max(1, organizations.length)), null, 2)}\n`;
  if (values.out) fs.writeFileSync(values.out, text);
  else io.stdout(text);
  return 0;
}
