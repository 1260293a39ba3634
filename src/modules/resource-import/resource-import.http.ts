import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import ExcelJS from 'exceljs';
import { GraphQLError } from 'graphql';
import type { Principal } from '../../auth/principal';
import type { HubConfig } from '../../config';
import type { Database } from '../../db/client';
import { hsdsPage, HSDS_VERSION, type HsdsObject } from './hsds';
import { exportHsdsDirectory, importHsdsDocument } from './hsds.service';
import { RESOURCE_COLUMNS, templateHeader } from './resource-columns';
import { ImportIssueCode } from './resource-import.codes';
import { toPayload } from './resource-import.resolver';
import { importResourceSheet, type SheetFormat } from './resource-import.service';
import { writeCsv } from './spreadsheet';
import type { Logger } from '../../common/logger';
import { logInternalError, requestIdOfResponse } from '../../server/observability';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The template's rows: the bilingual header and one example row. */
export function templateRows(): string[][] {
  return [RESOURCE_COLUMNS.map(templateHeader), RESOURCE_COLUMNS.map((column) => column.example)];
}

export function templateCsv(): string {
  return writeCsv(templateRows());
}

/** The XLSX template: the sheet to fill first (an import reads the first worksheet), then a sheet explaining each column. */
export async function templateXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Shanghai social assistance hub';
  const sheet = workbook.addWorksheet('资源 resources');
  const [header, example] = templateRows();
  sheet.addRow(header);
  sheet.addRow(example);
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  RESOURCE_COLUMNS.forEach((column, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = Math.max(14, templateHeader(column).length + 4);
    // Text cells: a spreadsheet program must not turn codes, phone numbers or dates into numbers.
    col.numFmt = '@';
  });
  const notes = workbook.addWorksheet('说明 notes');
  notes.addRow(['列 column', '必填 required', '填写说明 what to write']);
  notes.getRow(1).font = { bold: true };
  for (const column of RESOURCE_COLUMNS) notes.addRow([templateHeader(column), column.required ? '是 yes' : '否 no', column.help]);
  notes.getColumn(1).width = 28;
  notes.getColumn(2).width = 12;
  notes.getColumn(3).width = 90;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface ResourceImportRoutes {
  readonly db: Database;
  readonly config: HubConfig;
  /** The principal of a request (throws UNAUTHENTICATED for a bad token), as the GraphQL endpoint decides it. */
  readonly principalOf: (req: Request) => Promise<Principal>;
  readonly logger: Logger;
}

const STATUS_OF_CODE: Readonly<Record<string, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, NOT_FOUND: 404 };

function sendError(res: Response, error: unknown, logger: Logger): void {
  if (error instanceof GraphQLError && typeof error.extensions.code === 'string' && STATUS_OF_CODE[error.extensions.code]) {
    res.status(STATUS_OF_CODE[error.extensions.code]!).json({ error: { code: error.extensions.code, message: error.message } });
    return;
  }
  // Logged as the GraphQL endpoint logs its internal errors: name and call sites, never the message.
  const errorId = logInternalError(error, undefined, requestIdOfResponse(res), logger);
  res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', errorId } });
}

function formatOf(req: Request): SheetFormat | 'HSDS' | undefined {
  const named = String(req.query.format ?? '').toUpperCase();
  if (named === 'CSV' || named === 'XLSX') return named;
  if (named === 'HSDS' || named === 'HSDS_JSON' || named === 'JSON') return 'HSDS';
  if (named !== '') return undefined;
  const type = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') return 'CSV';
  if (type === XLSX_TYPE) return 'XLSX';
  if (type === 'application/json') return 'HSDS';
  return undefined;
}

const flag = (value: unknown): boolean => value === 'true' || value === '1';

function pageArguments(req: Request, maxPageSize: number): { page: number; perPage: number } | undefined {
  const page = req.query.page === undefined ? 1 : Number(req.query.page);
  const perPage = req.query.per_page === undefined ? Math.min(50, maxPageSize) : Number(req.query.per_page);
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 1 || perPage > maxPageSize) return undefined;
  return { page, perPage };
}

/**
 * Spreadsheet templates, the upload endpoint for bulk imports, and the public directory in HSDS 3.0:
 *   GET  /templates/resources.csv | .xlsx      bilingual header and one example row
 *   POST /import/resources?provider=ID[&partial=true][&dryRun=true][&format=csv|xlsx|hsds]
 *   GET  /hsds  /hsds/directory.json  /hsds/organizations[/:id]  /hsds/services[/:id]
 */
/** How long a built HSDS directory answers requests before it is built again. */
const HSDS_CACHE_MS = 5000;

export function mountResourceImport(app: Express, routes: ResourceImportRoutes): void {
  const { db, config, logger } = routes;
  app.get('/templates/resources.csv', (_req, res) => {
    res.type('text/csv; charset=utf-8').attachment('resources-template.csv').send(templateCsv());
  });
  app.get('/templates/resources.xlsx', (_req, res, next) => {
    templateXlsx().then((buffer) => res.type(XLSX_TYPE).attachment('resources-template.xlsx').send(buffer), next);
  });

  // The caller is known before the body is read: the public never makes the hub buffer a file.
  const signedIn = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const viewer = await routes.principalOf(req);
      if (viewer.subject === null) {
        res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'An import needs a bearer token: Authorization: Bearer <token>' } });
        return;
      }
      res.locals.viewer = viewer;
      next();
    } catch (error) {
      sendError(res, error, logger);
    }
  };
  app.post('/import/resources', signedIn, express.raw({ type: () => true, limit: config.imports.maxBytes }), async (req: Request, res: Response) => {
    try {
      const viewer = res.locals.viewer as Principal;
      // Audited under the request's own id, as the request log line shows it.
      const actor = { viewer, requestId: requestIdOfResponse(res) ?? randomUUID(), purpose: undefined };
      const format = formatOf(req);
      if (!format) {
        res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: `Say the format: Content-Type text/csv, ${XLSX_TYPE} or application/json, or ?format=csv|xlsx|hsds` } });
        return;
      }
      const bytes: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const provider = typeof req.query.provider === 'string' && req.query.provider !== '' ? req.query.provider : null;
      const options = { allowPartial: flag(req.query.partial), dryRun: flag(req.query.dryRun), limits: config.imports };
      if (format === 'HSDS') {
        res.json(toPayload(await importHsdsDocument(db, actor, bytes.toString('utf8'), provider, options)));
        return;
      }
      if (provider === null) {
        res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: 'provider is required: ?provider=<Organization ID>' } });
        return;
      }
      res.json(toPayload(await importResourceSheet(db, actor, { format, bytes }, provider, options)));
    } catch (error) {
      sendError(res, error, logger);
    }
  });
  // The body parser refuses a file over the limit before any of it is read.
  app.use('/import', (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if ((error as { type?: string }).type === 'entity.too.large') {
      res.status(413).json({
        ok: false,
        issues: [{ line: null, column: null, code: ImportIssueCode.FILE_TOO_LARGE, message: `The file is larger than ${config.imports.maxBytes} bytes (HUB_IMPORT_MAX_BYTES)` }],
      });
      return;
    }
    next(error);
  });

  // The public directory is built once for all requests within a few seconds of each other (and
  // those that arrive while it is being built): anyone may ask, and a build reads every public resource.
  let built: { at: number; organizations: Promise<HsdsObject[]> } | undefined;
  const directory = (res: Response, answer: (items: HsdsObject[]) => void): void => {
    if (!built || Date.now() - built.at > HSDS_CACHE_MS) {
      const organizations = exportHsdsDirectory(db);
      built = { at: Date.now(), organizations };
      organizations.catch(() => (built = undefined));
    }
    built.organizations.then(answer, (error: unknown) => sendError(res, error, logger));
  };
  app.get('/hsds', (_req, res) => {
    res.json({ version: HSDS_VERSION, description: 'The public resource directory of the Shanghai social assistance hub in Open Referral HSDS 3.0.' });
  });
  app.get('/hsds/directory.json', (_req, res) => directory(res, (organizations) => res.json(hsdsPage(organizations, 1, Math.max(1, organizations.length)))));
  app.get('/hsds/organizations', (req, res) => {
    const page = pageArguments(req, config.maxPageSize);
    if (!page) {
      res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: `page must be 1 or more and per_page 1 to ${config.maxPageSize}` } });
      return;
    }
    directory(res, (organizations) => res.json(hsdsPage(organizations, page.page, page.perPage)));
  });
  app.get('/hsds/organizations/:id', (req, res) =>
    directory(res, (organizations) => {
      const found = organizations.find((o) => o.id === req.params.id);
      if (found) res.json(found);
      else res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No organization of the public directory has this id' } });
    }),
  );
  const servicesOf = (organizations: HsdsObject[]): HsdsObject[] =>
    organizations.flatMap((organization) => {
      const { services, ...summary } = organization;
      return (services as HsdsObject[]).map((service) => ({ ...service, organization: summary }));
    });
  app.get('/hsds/services', (req, res) => {
    const page = pageArguments(req, config.maxPageSize);
    if (!page) {
      res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: `page must be 1 or more and per_page 1 to ${config.maxPageSize}` } });
      return;
    }
    directory(res, (organizations) => res.json(hsdsPage(servicesOf(organizations), page.page, page.perPage)));
  });
  app.get('/hsds/services/:id', (req, res) =>
    directory(res, (organizations) => {
      const found = servicesOf(organizations).find((s) => s.id === req.params.id);
      if (found) res.json(found);
      else res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No service of the public directory has this id' } });
    }),
  );
}
