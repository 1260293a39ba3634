import type { Actor } from '../../auth/actor';
import { authorizeWrite } from '../../auth/authorize';
import type { ImportLimits } from '../../config';
import type { Database } from '../../db/client';
import { recordAudit, type AuditEntryInput } from '../audit/audit.service';
import { UserErrors, type UserError } from '../common/user-error.type';
import type { ResourceRow } from '../resources/resources.repository';
import { checkProvider, createResource } from '../resources/resources.service';
import type { CreateResourceInput } from '../resources/resources.types';
import { ReferenceIndex } from './reference-index';
import { columnOfHeader, RESOURCE_COLUMNS, rowToInput, templateHeader, type ColumnKey, type ColumnSpec } from './resource-columns';
import { ImportIssueCode, importCodeOf } from './resource-import.codes';
import { loadReferenceData } from './resource-import.repository';
import { parseCsv, parseXlsx, decodeText, UnreadableSheetError, type Sheet } from './spreadsheet';

export type SheetFormat = 'CSV' | 'XLSX';

/** One refusal (or, among warnings, one thing ignored): where it is and why. */
export interface ImportIssue {
  /** Spreadsheet line (the header is 1), or the HSDS service's position; null for the whole file. */
  readonly line: number | null;
  /** The header as written in the file (or the column expected), or an HSDS path; null for the whole file. */
  readonly column: string | null;
  readonly code: ImportIssueCode;
  readonly message: string;
}

export interface ImportOutcome {
  readonly dryRun: boolean;
  readonly allowPartial: boolean;
  /** Data rows (or services) read. */
  readonly totalRows: number;
  /** Rows that became resources, or would have in a dry run. */
  readonly importedRows: number;
  readonly refusedRows: number;
  /** Whether anything was written: false for a dry run and for an all-or-nothing import with a refused row. */
  readonly committed: boolean;
  /** The resources written (empty unless committed). */
  readonly resources: readonly ResourceRow[];
  readonly issues: readonly ImportIssue[];
  readonly warnings: readonly ImportIssue[];
}

export interface ImportOptions {
  readonly allowPartial: boolean;
  readonly dryRun: boolean;
  readonly limits: ImportLimits;
  /** Called after each row with how many are done: for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A record ready for `createResource`, with what went wrong reading it and where its fields came from. */
export interface PreparedRecord {
  readonly line: number;
  readonly input: CreateResourceInput;
  readonly issues: readonly { readonly field: string; readonly code: ImportIssueCode; readonly message: string }[];
  /** The column (or path) a `CreateResourceInput` field came from. */
  readonly columnOf: (field: string) => string | null;
}

/** Refusals of the file as a whole: nothing was read or written. */
export function refusedFile(issues: readonly ImportIssue[], options: Pick<ImportOptions, 'allowPartial' | 'dryRun'>, warnings: readonly ImportIssue[] = [], totalRows = 0): ImportOutcome {
  return { dryRun: options.dryRun, allowPartial: options.allowPartial, totalRows, importedRows: 0, refusedRows: 0, committed: false, resources: [], issues, warnings };
}

class RollBack extends Error {}
class RowRefused extends Error {}

/**
 * Writes the records through `createResource`, each exactly as the mutation would (its checks, its
 * row, its audit entry), all in one transaction. Every record is checked, so the answer lists every
 * bad one; then the transaction commits only when none was refused, or with `allowPartial` keeps
 * the good ones (each record runs in its own savepoint), and a dry run always rolls back.
 */
export async function writeRecords(db: Database, actor: Actor, records: readonly PreparedRecord[], options: ImportOptions, warnings: readonly ImportIssue[] = []): Promise<ImportOutcome> {
  const issues: ImportIssue[] = [];
  const written: ResourceRow[] = [];
  let refused = 0;
  // Each kept row's audit entry, appended together before the commit (see Actor.deferredAudit).
  const audit: AuditEntryInput[] = [];
  const attempt = async (tx: Database, record: PreparedRecord): Promise<{ row: ResourceRow | null; userErrors: UserError[] }> => {
    if (record.issues.length === 0) {
      const deferredAudit: AuditEntryInput[] = [];
      const result = await createResource(tx, { viewer: actor.viewer, requestId: actor.requestId, purpose: actor.purpose, now: actor.now, deferredAudit }, record.input);
      if (result.row) audit.push(...deferredAudit);
      return result;
    }
    // A record with unreadable cells is still validated, but its placeholders are never kept.
    let checked: { row: ResourceRow | null; userErrors: UserError[] } = { row: null, userErrors: [] };
    try {
      await tx.transaction(async (savepoint) => {
        checked = await createResource(savepoint, actor, record.input);
        throw new RowRefused();
      });
    } catch (error) {
      if (!(error instanceof RowRefused)) throw error;
    }
    return { row: null, userErrors: checked.userErrors };
  };
  try {
    await db.transaction(async (tx) => {
      for (const [i, record] of records.entries()) {
        const result = await attempt(tx, record);
        const reported = new Set(record.issues.map((issue) => issue.field));
        const rowIssues: ImportIssue[] = record.issues.map((issue) => ({ line: record.line, column: record.columnOf(issue.field), code: issue.code, message: issue.message }));
        for (const error of result.userErrors) {
          const field = error.field[1] ?? error.field[0] ?? '';
          if (reported.has(field)) continue;
          rowIssues.push({ line: record.line, column: record.columnOf(field), code: importCodeOf(error.code), message: error.message });
        }
        if (rowIssues.length > 0 || !result.row) {
          refused += 1;
          issues.push(...rowIssues);
        } else {
          written.push(result.row);
        }
        options.onProgress?.(i + 1, records.length);
      }
      if (options.dryRun || (refused > 0 && !options.allowPartial)) throw new RollBack();
      await recordAudit(tx, audit);
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    return { dryRun: options.dryRun, allowPartial: options.allowPartial, totalRows: records.length, importedRows: written.length, refusedRows: refused, committed: false, resources: [], issues, warnings };
  }
  return { dryRun: false, allowPartial: options.allowPartial, totalRows: records.length, importedRows: written.length, refusedRows: refused, committed: written.length > 0, resources: written, issues, warnings };
}

/** Checks the provider once for the whole file: a bad provider is one refusal, not one per row; FORBIDDEN when the viewer may not post for it. */
export async function checkImportProvider(db: Database, actor: Actor, provider: string, column: string | null): Promise<ImportIssue[]> {
  const errors = new UserErrors();
  await checkProvider(db, actor.viewer, provider, errors);
  return errors.list.map((error) => ({ line: null, column, code: importCodeOf(error.code), message: error.message }));
}

interface HeaderMap {
  readonly columns: ReadonlyMap<ColumnKey, { index: number; header: string }>;
  readonly issues: ImportIssue[];
  readonly warnings: ImportIssue[];
}

function mapHeader(header: readonly string[]): HeaderMap {
  const columns = new Map<ColumnKey, { index: number; header: string }>();
  const issues: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  header.forEach((text, index) => {
    if (text === '') return;
    const column = columnOfHeader(text);
    if (!column) {
      warnings.push({ line: 1, column: text, code: ImportIssueCode.UNKNOWN_COLUMN, message: `"${text}" is not a column the hub knows; it is ignored` });
      return;
    }
    const earlier = columns.get(column.key);
    if (earlier) {
      issues.push({ line: 1, column: text, code: ImportIssueCode.DUPLICATE_COLUMN, message: `"${text}" and "${earlier.header}" are the same column (${templateHeader(column)})` });
      return;
    }
    columns.set(column.key, { index, header: text });
  });
  for (const column of RESOURCE_COLUMNS.filter((c: ColumnSpec) => c.required && !columns.has(c.key))) {
    issues.push({ line: 1, column: templateHeader(column), code: ImportIssueCode.MISSING_COLUMN, message: `The header has no ${column.zh} (${column.en}) column` });
  }
  return { columns, issues, warnings };
}

export async function readSheet(format: SheetFormat, bytes: Uint8Array): Promise<Sheet> {
  return format === 'CSV' ? parseCsv(decodeText(bytes)) : parseXlsx(bytes);
}

/**
 * Imports a CSV or XLSX sheet of resources for one provider. Refusals of the whole file (too big,
 * unreadable, a missing column, too many rows, a bad provider) come back before any row is
 * checked; otherwise every row is checked and reported by line and column.
 */
export async function importResourceSheet(
  db: Database,
  actor: Actor,
  file: { readonly format: SheetFormat; readonly bytes: Uint8Array },
  provider: string,
  options: ImportOptions,
): Promise<ImportOutcome> {
  authorizeWrite(actor.viewer, 'createResource');
  const { maxBytes, maxRows } = options.limits;
  if (file.bytes.byteLength > maxBytes) {
    return refusedFile([{ line: null, column: null, code: ImportIssueCode.FILE_TOO_LARGE, message: `The file has ${file.bytes.byteLength} bytes; at most ${maxBytes} are taken (HUB_IMPORT_MAX_BYTES)` }], options);
  }
  let sheet: Sheet;
  try {
    sheet = await readSheet(file.format, file.bytes);
  } catch (error) {
    if (!(error instanceof UnreadableSheetError)) throw error;
    return refusedFile([{ line: error.line, column: null, code: ImportIssueCode.UNREADABLE_FILE, message: error.message }], options);
  }
  const header = mapHeader(sheet.header);
  if (header.issues.length > 0) return refusedFile(header.issues, options, header.warnings);
  if (sheet.rows.length === 0) return refusedFile([{ line: null, column: null, code: ImportIssueCode.NO_ROWS, message: 'The file has a header but no data row' }], options, header.warnings);
  if (sheet.rows.length > maxRows) {
    return refusedFile(
      [{ line: null, column: null, code: ImportIssueCode.TOO_MANY_ROWS, message: `The file has ${sheet.rows.length} rows; at most ${maxRows} are taken at once (HUB_IMPORT_MAX_ROWS): split it` }],
      options,
      header.warnings,
      sheet.rows.length,
    );
  }
  const providerIssues = await checkImportProvider(db, actor, provider, 'provider');
  if (providerIssues.length > 0) return refusedFile(providerIssues, options, header.warnings, sheet.rows.length);

  const index = new ReferenceIndex(await loadReferenceData(db));
  const headerOf = (field: string): string | null => header.columns.get(field as ColumnKey)?.header ?? RESOURCE_COLUMNS.find((c) => c.key === field)?.zh ?? null;
  const lastColumn = Math.max(...[...header.columns.values()].map((c) => c.index), sheet.header.length - 1);
  const records: PreparedRecord[] = sheet.rows.map((row) => {
    const cells = new Map<ColumnKey, string>();
    for (const [key, column] of header.columns) cells.set(key, row.cells[column.index] ?? '');
    const { input, issues } = rowToInput(cells, provider, index);
    const extra = row.cells.findIndex((cell, i) => i > lastColumn && cell.trim() !== '');
    const all = issues.map((issue) => ({ field: issue.key as string, code: issue.code, message: issue.message }));
    if (extra >= 0) all.push({ field: `#${extra + 1}`, code: ImportIssueCode.EXTRA_CELL, message: `Column ${extra + 1} has a value but no header` });
    return { line: row.line, input, issues: all, columnOf: (field) => (field.startsWith('#') ? field : headerOf(field)) };
  });
  return writeRecords(db, actor, records, options, header.warnings);
}
