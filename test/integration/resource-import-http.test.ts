import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { eq, inArray } from 'drizzle-orm';
import { Role } from '../../src/auth/roles';
import { issueDevelopmentToken } from '../../src/auth/tokens';
import { loadConfig, type HubConfig } from '../../src/config';
import { openDatabase } from '../../src/db/client';
import { organizations, resources } from '../../src/db/schema';
import { hsdsPage, type HsdsObject } from '../../src/modules/resource-import/hsds';
import { exportHsdsDirectory, importHsdsDocument } from '../../src/modules/resource-import/hsds.service';
import { XLSX_TYPE } from '../../src/modules/resource-import/resource-import.http';
import { startHttpServer, type RunningHub } from '../../src/server/http';
import { openTestDatabase } from '../support/database';
import { gid, makeProvider } from '../support/factories';
import { CITY_VIEWER, startTestHub, type TestHub } from '../support/hub';
import { makeImportGeography } from '../support/import-fixtures';

/**
 * The import over HTTP (templates, the upload endpoint), the public directory in Open Referral
 * HSDS 3.0 (endpoints, import, the round trip into a fresh database), and the command line.
 */

interface Payload {
  ok: boolean;
  committed: boolean;
  importedRows: number;
  refusedRows: number;
  totalRows: number;
  issues: { line: number | null; column: string | null; code: string; message: string }[];
  warnings: { line: number | null; column: string | null; code: string; message: string }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Replaces every id-like UUID by its order of first appearance: two exports of the same directory from different databases then compare equal. */
function withoutIds(value: unknown, names = new Map<string, string>()): unknown {
  if (typeof value === 'string' && UUID.test(value)) {
    if (!names.has(value)) names.set(value, `uuid-${names.size + 1}`);
    return names.get(value);
  }
  if (Array.isArray(value)) return value.map((item) => withoutIds(item, names));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutIds(v, names)]));
  return value;
}

const ENGLISH_HEADER = 'name,category,description,capacity,capacity period,eligible statuses,min age,max age,available from,available until,cost,contact name,contact phone,public,service areas';

describe('resource import over HTTP, and the directory in HSDS 3.0', () => {
  let hub: TestHub;
  let server: RunningHub;
  let base: string;
  let config: HubConfig;
  let provider: number;
  let other: number;
  let cityToken: string;
  let providerToken: string;
  const city = { viewer: CITY_VIEWER, requestId: 'hsds-test', purpose: undefined };
  const options = { allowPartial: false, dryRun: false, limits: { maxBytes: 1 << 20, maxRows: 1000 } };

  beforeAll(async () => {
    hub = await startTestHub();
    await makeImportGeography(hub.db);
    provider = await makeProvider(hub.db);
    other = await makeProvider(hub.db);
    await hub.db.update(organizations).set({ creditCode: '52310115MJ0000001X', address: '浦东新区张杨路1号', nameEn: 'Test Social Work Agency', contactPhone: '021-50001234' }).where(eq(organizations.id, provider));
    const defaults = loadConfig({ HUB_JWT_SECRET: 'import-test-secret-'.padEnd(40, 'x') });
    config = { ...defaults, host: '127.0.0.1', port: 0, limits: { ...defaults.limits, ratePerMinute: 0 }, imports: { maxBytes: 64 * 1024, maxRows: 100 } };
    server = await startHttpServer(hub.db, config);
    base = `http://127.0.0.1:${server.port}`;
    cityToken = await issueDevelopmentToken(config.auth, { roles: [Role.CITY_CIVIL_AFFAIRS], sub: 'city-officer' }, '10m');
    providerToken = await issueDevelopmentToken(config.auth, { roles: [Role.PROVIDER_STAFF], sub: 'provider-staff', org: gid('Organization', provider) }, '10m');
  });

  afterAll(async () => {
    await server.stop();
    await hub.close();
  });

  async function upload(body: Buffer | string, contentType: string, query: string, token: string | null = cityToken): Promise<{ status: number; body: Payload & { error?: { code: string } } }> {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${base}/import/resources?${query}`, { method: 'POST', headers, body });
    return { status: response.status, body: (await response.json()) as never };
  }

  describe('templates', () => {
    it('serves a CSV template with a bilingual header and one example row, which imports cleanly', async () => {
      const response = await fetch(`${base}/templates/resources.csv`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(response.headers.get('content-disposition')).toMatch(/resources-template\.csv/);
      const text = await response.text();
      const [header, example, rest] = text.replace(/^\ufeff/, '').split('\r\n');
      expect(header).toMatch(/^名称 \(name\),类别 \(category\),描述 \(description\),容量 \(capacity\),/);
      expect(example).toMatch(/^助餐送餐服务,照料护理,/);
      expect(rest).toBe('');
      const { status, body } = await upload(text, 'text/csv', `provider=${gid('Organization', provider)}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ ok: true, committed: true, totalRows: 1, importedRows: 1, issues: [], warnings: [] });
    });

    it('serves an XLSX template (a sheet to fill, then notes), which its provider imports cleanly', async () => {
      const response = await fetch(`${base}/templates/resources.xlsx`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(XLSX_TYPE);
      const bytes = Buffer.from(await response.arrayBuffer());
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
      expect(workbook.worksheets.map((s) => s.name)).toEqual(['资源 resources', '说明 notes']);
      expect(workbook.worksheets[0]!.getRow(1).getCell(1).value).toBe('名称 (name)');
      expect(workbook.worksheets[1]!.rowCount).toBe(16);
      const { status, body } = await upload(bytes, XLSX_TYPE, `provider=${gid('Organization', provider)}`, providerToken);
      expect(status).toBe(200);
      expect(body).toMatchObject({ ok: true, committed: true, importedRows: 1 });
    });
  });

  describe('POST /import/resources', () => {
    const row = `${ENGLISH_HEADER}\nUploaded,CARE_NURSING,,1,ONCE,,,,2026-01-01,,,,,no,徐汇区`;

    it('answers 401 without a valid token, 403 for another organization, 400 without provider or format', async () => {
      expect((await upload(row, 'text/csv', `provider=${gid('Organization', provider)}`, null)).status).toBe(401);
      expect((await upload(row, 'text/csv', `provider=${gid('Organization', provider)}`, 'not-a-token')).status).toBe(401);
      const forbidden = await upload(row, 'text/csv', `provider=${gid('Organization', other)}`, providerToken);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error?.code).toBe('FORBIDDEN');
      expect((await upload(row, 'text/csv', '')).status).toBe(400);
      expect((await upload(row, 'application/octet-stream', `provider=${gid('Organization', provider)}`)).status).toBe(400);
    });

    it('answers 413 with FILE_TOO_LARGE for a body over HUB_IMPORT_MAX_BYTES, writing nothing', async () => {
      const [before] = await hub.db.select({ id: resources.id }).from(resources).orderBy(resources.id);
      const big = `${row}\n${'x'.repeat(config.imports.maxBytes)}`;
      const { status, body } = await upload(big, 'text/csv', `provider=${gid('Organization', provider)}`);
      expect(status).toBe(413);
      expect(body.issues[0]!.code).toBe('FILE_TOO_LARGE');
      const [after] = await hub.db.select({ id: resources.id }).from(resources).orderBy(resources.id);
      expect(after).toEqual(before);
    });

    it('takes the format from ?format= and the flags partial and dryRun', async () => {
      const two = `${row}\nBad,CARE_NURSING,,x,ONCE,,,,2026-01-01,,,,,no,徐汇区`;
      const refused = await upload(two, 'text/plain', `provider=${gid('Organization', provider)}&format=csv`);
      expect(refused.body).toMatchObject({ ok: false, committed: false, importedRows: 1, refusedRows: 1 });
      expect(refused.body.issues).toEqual([{ line: 3, column: 'capacity', code: 'INVALID', message: '"x" is not a whole number' }]);
      const dry = await upload(two, 'text/csv', `provider=${gid('Organization', provider)}&partial=true&dryRun=true`);
      expect(dry.body).toMatchObject({ ok: false, committed: false, importedRows: 1 });
      const partial = await upload(two, 'text/csv', `provider=${gid('Organization', provider)}&partial=true`);
      expect(partial.body).toMatchObject({ ok: false, committed: true, importedRows: 1, refusedRows: 1 });
    });
  });

  describe('HSDS 3.0', () => {
    beforeAll(async () => {
      const csv = [
        ENGLISH_HEADER,
        'Elder meals,CARE_NURSING,"Lunch, delivered",30,DAY,MINIMUM_LIVING_ALLOWANCE;LOW_INCOME,60,90,2026-01-01,2026-12-31,SUBSIDISED,Duty worker,021-58881234,yes,浦东新区/陆家嘴街道/梅园一村居委会;徐汇区/天平路街道;浦东新区',
        'Private counselling,PSYCHOLOGICAL_COUNSELLING,,2,WEEK,,,,2026-01-01,,,,,no,徐汇区',
      ].join('\n');
      const { body } = await upload(csv, 'text/csv', `provider=${gid('Organization', provider)}`);
      expect(body).toMatchObject({ ok: true, importedRows: 2 });
    });

    it('lists the public directory only, organizations with their services nested, in the API page form', async () => {
      expect(await (await fetch(`${base}/hsds`)).json()).toMatchObject({ version: '3.0' });
      const page = (await (await fetch(`${base}/hsds/directory.json`)).json()) as ReturnType<typeof hsdsPage>;
      expect(page).toMatchObject({ page_number: 1, total_pages: 1, first_page: true, last_page: true, empty: false });
      const organization = page.contents.find((o) => o.name === (page.contents[0]!.name as string))!;
      expect(organization).toMatchObject({
        description: '社会组织',
        alternate_name: 'Test Social Work Agency',
        organization_identifiers: [{ identifier_scheme: 'CN-USCC', identifier: '52310115MJ0000001X' }],
        locations: [{ location_type: 'physical', addresses: [{ address_1: '浦东新区张杨路1号', city: '上海市', country: 'CN' }] }],
      });
      const services = organization.services as HsdsObject[];
      expect(services.map((s) => s.name)).not.toContain('Private counselling');
      const meals = services.find((s) => s.name === 'Elder meals')!;
      expect(meals).toMatchObject({
        status: 'active',
        description: 'Lunch, delivered',
        minimum_age: 60,
        maximum_age: 90,
        eligibility_description: '低保、低收入，60至90岁',
        fees_description: '补贴',
        schedules: [{ valid_from: '2026-01-01', valid_to: '2026-12-31' }],
        phones: [{ number: '021-58881234' }],
        contacts: [{ name: 'Duty worker' }],
        service_areas: [{ name: '浦东新区/陆家嘴街道/梅园一村居委会' }, { name: '徐汇区/天平路街道' }, { name: '浦东新区' }],
        service_at_locations: [],
      });
      expect((meals.attributes as HsdsObject[]).map((a) => [a.link_type, (a.taxonomy_term as HsdsObject).code, a.value ?? null])).toEqual([
        ['service_category', 'CARE_NURSING', null],
        ['eligibility', 'MINIMUM_LIVING_ALLOWANCE', null],
        ['eligibility', 'LOW_INCOME', null],
        ['capacity', 'capacity', '30'],
        ['capacity_period', 'capacity_period', 'DAY'],
        ['cost', 'cost', 'SUBSIDISED'],
      ]);
      expect(meals.id).toMatch(UUID);

      const one = (await (await fetch(`${base}/hsds/services/${String(meals.id)}`)).json()) as HsdsObject;
      expect(one).toMatchObject({ name: 'Elder meals', organization: { name: organization.name } });
      expect((await fetch(`${base}/hsds/services/00000000-0000-5000-8000-000000000000`)).status).toBe(404);
      const paged = (await (await fetch(`${base}/hsds/services?per_page=1&page=2`)).json()) as ReturnType<typeof hsdsPage>;
      expect(paged).toMatchObject({ page_number: 2, size: 1, first_page: false });
      expect((await fetch(`${base}/hsds/organizations?per_page=0`)).status).toBe(400);
      expect((await (await fetch(`${base}/hsds/organizations/${String(organization.id)}`)).json()) as HsdsObject).toMatchObject({ name: organization.name });
    });

    it('round-trips: export, import into a fresh database, export again gives the same document but for its ids', async () => {
      const first = hsdsPage(await exportHsdsDirectory(hub.db), 1, 1000);
      expect(first.total_items).toBeGreaterThan(0);
      const fresh = await openTestDatabase();
      try {
        await makeImportGeography(fresh.handle.db);
        // The same organizations, registered in the fresh hub (an import never creates them), in the same order.
        const names = first.contents.map((o) => o.name as string);
        const rows = await hub.db.select().from(organizations).where(inArray(organizations.nameZh, names)).orderBy(organizations.id);
        await fresh.handle.db.insert(organizations).values(rows.map(({ id: _id, ...row }) => row));
        const outcome = await importHsdsDocument(fresh.handle.db, city, JSON.stringify(first), null, options);
        expect(outcome.issues).toEqual([]);
        expect(outcome).toMatchObject({ committed: true, importedRows: first.contents.reduce((n, o) => n + (o.services as unknown[]).length, 0) });
        // The organizations' own fields are not imported, and say so.
        expect(new Set(outcome.warnings.map((w) => w.code))).toEqual(new Set(['UNMAPPED_FIELD']));
        const second = hsdsPage(await exportHsdsDirectory(fresh.handle.db), 1, 1000);
        expect(withoutIds(second)).toEqual(withoutIds(first));
        expect(JSON.stringify(second)).not.toEqual(JSON.stringify(first));
      } finally {
        await fresh.close();
      }
    });

    it('imports a foreign directory: unmapped fields and assumed values are reported, inactive services and unknown organizations refused', async () => {
      const [providerRow] = await hub.db.select({ nameZh: organizations.nameZh }).from(organizations).where(eq(organizations.id, provider));
      const document = {
        contents: [
          {
            id: 'org-1',
            name: providerRow!.nameZh,
            description: 'x',
            services: [
              {
                id: 's-1',
                name: 'Home help',
                status: 'active',
                url: 'http://example.org',
                languages: [{ name: 'Shanghainese' }],
                attributes: [{ id: 'a', taxonomy_term: { id: 't', name: '照料护理', description: '' } }],
                service_areas: [{ id: 'sa', name: '徐汇区' }],
              },
              { id: 's-2', name: 'Closed one', status: 'inactive', attributes: [{ id: 'b', taxonomy_term: { id: 't2', code: 'CARE_NURSING', name: 'x' } }], service_areas: [{ id: 'sb', name: '徐汇区' }] },
            ],
          },
          { id: 'org-2', name: '不在本平台的机构', description: 'y', services: [{ id: 's-3', name: 'Elsewhere', status: 'active', service_areas: [{ id: 'sc', name: '火星区' }] }] },
        ],
      };
      const outcome = await importHsdsDocument(hub.db, city, JSON.stringify(document), null, { ...options, dryRun: true });
      expect(outcome).toMatchObject({ committed: false, totalRows: 3, importedRows: 1, refusedRows: 2 });
      expect(outcome.issues.map(({ line, column, code }) => ({ line, column, code }))).toEqual([
        { line: 2, column: 'contents[0].services[1].status', code: 'INVALID_STATE' },
        { line: 3, column: 'contents[1]', code: 'NOT_FOUND' },
        { line: 3, column: 'contents[1].services[0].attributes', code: 'NOT_FOUND' },
        { line: 3, column: 'contents[1].services[0].service_areas', code: 'NOT_FOUND' },
      ]);
      const warned = outcome.warnings.filter((w) => w.line === 1).map((w) => `${w.code} ${w.column}`);
      expect(warned).toEqual(
        expect.arrayContaining([
          'UNMAPPED_FIELD contents[0].services[0].url',
          'UNMAPPED_FIELD contents[0].services[0].languages',
          'DEFAULTED contents[0].services[0].attributes',
          'DEFAULTED contents[0].services[0].schedules',
        ]),
      );

      const providerActor = { viewer: { subject: 'p', organizationId: provider, staffMemberId: null, roles: [Role.PROVIDER_STAFF], districtIds: [], streetIds: [] }, requestId: 'p', purpose: undefined };
      await expect(importHsdsDocument(hub.db, providerActor, JSON.stringify(first(document)), gid('Organization', other), options)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
      const broken = await importHsdsDocument(hub.db, city, '{"contents": [', null, options);
      expect(broken.issues.map((i) => i.code)).toEqual(['UNREADABLE_FILE']);
    });
  });

  describe('the command line (built CLI on an embedded database)', () => {
    const main = path.resolve(__dirname, '../../dist/main.js');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-import-cli-'));
    const env = { ...process.env, HUB_DATA_DIR: dataDir, HUB_DEV_SECRET_FILE: path.join(dataDir, 'dev-jwt-secret'), DATABASE_URL: '', HUB_JWT_SECRET: '', NODE_OPTIONS: '', HUB_TOKEN: '' };
    let cliProvider = 0;
    let token = '';

    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [main, ...args], { env }, (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
        });
      });

    beforeAll(async () => {
      const handle = await openDatabase({ dataDir });
      await handle.migrate();
      await makeImportGeography(handle.db);
      cliProvider = await makeProvider(handle.db);
      await handle.close();
      token = await issueDevelopmentToken(loadConfig(env).auth, { roles: [Role.CITY_CIVIL_AFFAIRS], sub: 'cli-officer' }, '10m');
      fs.writeFileSync(path.join(dataDir, 'good.csv'), `${ENGLISH_HEADER}\nCLI one,CARE_NURSING,,3,WEEK,,,,2026-01-01,,,,,yes,徐汇区\nCLI two,照料护理,,4,每月,,,,2026-01-01,,,,,是,浦东新区\n`);
      fs.writeFileSync(path.join(dataDir, 'bad.csv'), '名称,类别,容量,容量周期,开始日期,服务区域\n好,照料护理,1,每周,2026-01-01,徐汇区\n坏,照料护理,很多,每周,2026-01-01,徐汇区\n');
    });

    afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    it('imports a small file with a progress bar on stderr, exiting 0', async () => {
      const result = await run(['import', 'resources', path.join(dataDir, 'good.csv'), '--provider', gid('Organization', cliProvider), '--token', token, '--progress']);
      expect(result.stderr).toContain('100% 2/2 rows');
      expect(result.stdout).toBe('imported 2 of 2 rows; 0 refused\n');
      expect(result.code).toBe(0);
    });

    it('prints the refused rows and exits 1, writing nothing; exits 2 on usage errors', async () => {
      const refused = await run(['import', 'resources', path.join(dataDir, 'bad.csv'), '--provider', gid('Organization', cliProvider), '--token', token]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('refused: line 3, 容量: INVALID "很多" is not a whole number\nimported nothing of 2 rows; 1 refused (all or nothing: fix them, or pass --partial)\n');
      const dry = await run(['import', 'resources', path.join(dataDir, 'good.csv'), '--provider', gid('Organization', cliProvider), '--token', token, '--dry-run']);
      expect(dry).toMatchObject({ code: 0, stdout: 'would import 2 of 2 rows; 0 refused\n' });
      expect((await run(['import', 'resources', path.join(dataDir, 'good.csv'), '--token', token])).code).toBe(2);
      expect((await run(['import', 'resources', path.join(dataDir, 'good.csv'), '--provider', gid('Organization', cliProvider)])).code).toBe(2);
      expect((await run(['import', 'resources', path.join(dataDir, 'nope.csv'), '--provider', 'x', '--token', token])).code).toBe(2);
      expect((await run(['import', 'resources', path.join(dataDir, 'good.csv'), '--provider', 'x', '--token', token, '--bogus'])).code).toBe(2);
      const help = await run(['import', '--help']);
      expect(help).toMatchObject({ code: 0 });
      expect(help.stdout).toMatch(/^Usage: hub import resources/);
    });

    it('exports the public directory as HSDS, with what the CLI imported', async () => {
      const out = path.join(dataDir, 'directory.json');
      const result = await run(['export', 'hsds', '--out', out]);
      expect(result.code).toBe(0);
      const page = JSON.parse(fs.readFileSync(out, 'utf8')) as ReturnType<typeof hsdsPage>;
      expect(page.contents.flatMap((o) => (o.services as HsdsObject[]).map((s) => s.name))).toEqual(['CLI one', 'CLI two']);
    });
  });
});

/** The document with its first organization only. */
function first(document: { contents: unknown[] }): { contents: unknown[] } {
  return { contents: document.contents.slice(0, 1) };
}
