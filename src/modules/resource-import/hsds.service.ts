import type { Actor } from '../../auth/actor';
import { authorizeWrite } from '../../auth/authorize';
import { toGlobalId } from '../../common/global-id';
import type { Database } from '../../db/client';
import { buildHsdsDirectory, organizationKeys, servicesOfDocument, serviceToInput, type HsdsObject } from './hsds';
import { ReferenceIndex } from './reference-index';
import { ImportIssueCode } from './resource-import.codes';
import { findOrganizationsByCodeOrName, findPublicDirectory, loadReferenceData } from './resource-import.repository';
import { checkImportProvider, refusedFile, writeRecords, type ImportIssue, type ImportOptions, type ImportOutcome, type PreparedRecord } from './resource-import.service';

/** What an organization of the document is matched by, or holds (its services). */
const ORGANIZATION_KEYS = new Set(['id', 'name', 'organization_identifiers', 'services']);

/** The public resource directory as HSDS 3.0 organizations with nested services (public data: no viewer needed). */
export async function exportHsdsDirectory(db: Database): Promise<HsdsObject[]> {
  const [rows, reference] = await Promise.all([findPublicDirectory(db), loadReferenceData(db)]);
  return buildHsdsDirectory(rows, new ReferenceIndex(reference));
}

/**
 * Imports the services of an HSDS 3.0 document as resources, through `createResource` like a
 * spreadsheet row. Each service goes to the provider given, or else to the hub organization its
 * HSDS organization names (unified social credit code, else the exact Chinese name). Organizations
 * themselves are never created: registering a provider is not an import.
 */
export async function importHsdsDocument(db: Database, actor: Actor, text: string, provider: string | null, options: ImportOptions): Promise<ImportOutcome> {
  authorizeWrite(actor.viewer, 'createResource');
  const bytes = Buffer.byteLength(text, 'utf8');
  const { maxBytes, maxRows } = options.limits;
  if (bytes > maxBytes) {
    return refusedFile([{ line: null, column: null, code: ImportIssueCode.FILE_TOO_LARGE, message: `The document has ${bytes} bytes; at most ${maxBytes} are taken (HUB_IMPORT_MAX_BYTES)` }], options);
  }
  let document: unknown;
  try {
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return refusedFile([{ line: null, column: null, code: ImportIssueCode.UNREADABLE_FILE, message: 'The document is not JSON' }], options);
  }
  const read = servicesOfDocument(document);
  if ('error' in read) return refusedFile([{ line: null, column: null, code: ImportIssueCode.UNREADABLE_FILE, message: read.error }], options);
  const { entries } = read;
  if (entries.length === 0) return refusedFile([{ line: null, column: null, code: ImportIssueCode.NO_ROWS, message: 'The document holds no service' }], options);
  if (entries.length > maxRows) {
    return refusedFile(
      [{ line: null, column: null, code: ImportIssueCode.TOO_MANY_ROWS, message: `The document has ${entries.length} services; at most ${maxRows} are taken at once (HUB_IMPORT_MAX_ROWS)` }],
      options,
      [],
      entries.length,
    );
  }

  // Which hub provider each service goes to, each checked once (FORBIDDEN when the viewer may not post for it).
  const providerOf = new Map<HsdsObject | undefined, { provider: string | null; issue?: string }>();
  const fileIssues: ImportIssue[] = [];
  if (provider !== null) {
    fileIssues.push(...(await checkImportProvider(db, actor, provider, 'provider')));
    if (fileIssues.length > 0) return refusedFile(fileIssues, options, [], entries.length);
  } else {
    const keys = [...new Set(entries.map((e) => e.organization))].map((organization) => ({ organization, ...organizationKeys(organization) }));
    const found = await findOrganizationsByCodeOrName(
      db,
      keys.map((k) => k.creditCode).filter((v): v is string => v !== undefined),
      keys.map((k) => k.name).filter((v): v is string => v !== undefined),
    );
    for (const key of keys) {
      const byCode = key.creditCode ? found.filter((o) => o.creditCode === key.creditCode) : [];
      const byName = found.filter((o) => o.nameZh === key.name);
      const match = byCode.length === 1 ? byCode : byName;
      if (!key.organization) providerOf.set(key.organization, { provider: null, issue: 'The service names no organization, and no provider was given' });
      else if (match.length === 1) {
        const id = toGlobalId('Organization', match[0]!.id);
        const issues = await checkImportProvider(db, actor, id, null);
        providerOf.set(key.organization, issues.length > 0 ? { provider: null, issue: issues[0]!.message } : { provider: id });
      } else {
        providerOf.set(key.organization, { provider: null, issue: match.length === 0 ? `No hub organization has the credit code or name of "${key.name ?? ''}"` : `More than one hub organization is named "${key.name}"` });
      }
    }
  }

  const index = new ReferenceIndex(await loadReferenceData(db));
  const warnings: ImportIssue[] = [];
  // An organization only names which hub organization gets the services: its other fields stay behind.
  const seen = new Set<HsdsObject>();
  for (const entry of entries) {
    if (!entry.organization || seen.has(entry.organization)) continue;
    seen.add(entry.organization);
    for (const [field, value] of Object.entries(entry.organization)) {
      if (ORGANIZATION_KEYS.has(field) || value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
      warnings.push({ line: null, column: `${entry.organizationPath ?? ''}${entry.organizationPath ? '.' : ''}${field}`, code: ImportIssueCode.UNMAPPED_FIELD, message: `Organizations are matched, not imported: its ${field} is not imported` });
    }
  }
  const records: PreparedRecord[] = entries.map((entry) => {
    const target = provider !== null ? { provider } : providerOf.get(entry.organization)!;
    const mapped = serviceToInput(entry, target.provider ?? '', index);
    warnings.push(...mapped.warnings);
    const issues = [...mapped.issues];
    if (target.issue) issues.unshift({ field: 'provider', code: ImportIssueCode.NOT_FOUND, message: target.issue });
    const columnOf = (field: string): string | null => (field === 'provider' ? (entry.organizationPath ?? `${entry.path}.organization_id`) : (mapped.columns[field] ?? entry.path));
    return { line: entry.line, input: mapped.input, issues, columnOf };
  });
  return writeRecords(db, actor, records, options, warnings);
}
