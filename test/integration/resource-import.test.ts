import ExcelJS from 'exceljs';
import { and, count, eq } from 'drizzle-orm';
import { PUBLIC_PRINCIPAL, type Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import type { Database } from '../../src/db/client';
import { auditLog, resources } from '../../src/db/schema';
import { importResourceSheet, type ImportOptions } from '../../src/modules/resource-import/resource-import.service';
import { CITY_VIEWER, startTestHub, type TestHub } from '../support/hub';
import { gid, makeProvider } from '../support/factories';
import { makeImportGeography } from '../support/import-fixtures';

/**
 * Bulk import of resources (批量导入) from CSV and XLSX through the importResources mutation. Every
 * row goes through createResource's own checks and audit; a refused row is reported by its line,
 * the column as its header is written, and a stable code; and nothing is written unless every row
 * is valid, or with allowPartial only the valid rows.
 */

interface Issue {
  line: number | null;
  column: string | null;
  code: string;
  message: string;
}

interface Payload {
  ok: boolean;
  committed: boolean;
  dryRun: boolean;
  totalRows: number;
  importedRows: number;
  refusedRows: number;
  issues: Issue[];
  warnings: Issue[];
  resources: {
    id: string;
    title: string;
    description: string | null;
    capacity: number;
    capacityPeriod: string;
    eligibleStatuses: string[];
    minAge: number | null;
    maxAge: number | null;
    availableFrom: string;
    availableUntil: string | null;
    cost: string;
    contactName: string | null;
    contactPhone: string | null;
    isPublic: boolean;
    provider: { id: string };
    category: { code: string };
    serviceArea: { level: string; district: { name: string }; street: { name: string } | null; committee: { name: string } | null }[];
  }[];
}

const IMPORT = `mutation Import($input: ImportResourcesInput!) {
  importResources(input: $input) {
    ok committed dryRun totalRows importedRows refusedRows
    issues { line column code message }
    warnings { line column code message }
    resources {
      id title description capacity capacityPeriod eligibleStatuses minAge maxAge availableFrom availableUntil cost
      contactName contactPhone isPublic provider { id } category { code }
      serviceArea { level district { name } street { name } committee { name } }
    }
  }
}`;

const ENGLISH_HEADER = 'name,category,description,capacity,capacity period,eligible statuses,min age,max age,available from,available until,cost,contact name,contact phone,public,service areas';

describe('bulk import of resources from spreadsheets', () => {
  let hub: TestHub;
  let provider: number;
  let other: number;
  let suspended: number;

  beforeAll(async () => {
    hub = await startTestHub();
    const db = hub.db;
    await makeImportGeography(db);
    provider = await makeProvider(db);
    other = await makeProvider(db);
    suspended = await makeProvider(db, { status: 'SUSPENDED' });
  });

  afterAll(async () => {
    await hub.close();
  });

  const providerViewer = (organizationId: number): Principal => ({
    subject: `provider-staff-${organizationId}`,
    organizationId,
    staffMemberId: null,
    roles: [Role.PROVIDER_STAFF],
    districtIds: [],
    streetIds: [],
  });

  async function importCsv(content: string, extra: Record<string, unknown> = {}, viewer: Principal = CITY_VIEWER, requestId?: string) {
    const { data, errors } = await hub.run<{ importResources: Payload }>(IMPORT, { input: { format: 'CSV', content, provider: gid('Organization', provider), ...extra } }, { viewer, requestId });
    return { payload: data?.importResources, errors };
  }

  async function resourceCount(db: Database = hub.db): Promise<number> {
    const [row] = await db.select({ n: count() }).from(resources);
    return row!.n;
  }

  async function auditCount(requestId: string): Promise<number> {
    const [row] = await hub.db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.requestId, requestId), eq(auditLog.entityType, 'Resource'), eq(auditLog.action, 'CREATE')));
    return row!.n;
  }

  it('imports every row of an English-headed CSV, each exactly as createResource would write it, and audits each', async () => {
    const csv = [
      ENGLISH_HEADER,
      'Meals on wheels,CARE_NURSING,Lunch delivered,30,DAY,MINIMUM_LIVING_ALLOWANCE;EXTREME_POVERTY_SUPPORT,60,,2026-01-01,,FREE,Duty social worker,021-58881234,yes,浦东新区',
      'Counselling,Psychological counselling,,5,week,,,,2026/3/1,2026-12-31,SUBSIDISED,,13812345678,no,浦东新区/陆家嘴街道/梅园一村居委会; 徐汇区/天平路街道',
    ].join('\n');
    const before = await resourceCount();
    const { payload, errors } = await importCsv(csv, {}, CITY_VIEWER, 'import-english');
    expect(errors).toBeUndefined();
    expect(payload).toMatchObject({ ok: true, committed: true, dryRun: false, totalRows: 2, importedRows: 2, refusedRows: 0, issues: [], warnings: [] });
    expect(await resourceCount()).toBe(before + 2);
    expect(await auditCount('import-english')).toBe(2);
    const [meals, counselling] = payload!.resources;
    expect(meals).toMatchObject({
      title: 'Meals on wheels',
      description: 'Lunch delivered',
      capacity: 30,
      capacityPeriod: 'DAY',
      eligibleStatuses: ['MINIMUM_LIVING_ALLOWANCE', 'EXTREME_POVERTY_SUPPORT'],
      minAge: 60,
      maxAge: null,
      availableFrom: '2026-01-01',
      availableUntil: null,
      cost: 'FREE',
      contactName: 'Duty social worker',
      contactPhone: '021-58881234',
      isPublic: true,
      provider: { id: gid('Organization', provider) },
      category: { code: 'CARE_NURSING' },
      serviceArea: [{ level: 'DISTRICT', district: { name: '浦东新区' }, street: null, committee: null }],
    });
    expect(counselling).toMatchObject({
      category: { code: 'PSYCHOLOGICAL_COUNSELLING' },
      capacityPeriod: 'WEEK',
      availableFrom: '2026-03-01',
      availableUntil: '2026-12-31',
      cost: 'SUBSIDISED',
      contactPhone: '13812345678',
      isPublic: false,
      serviceArea: [
        { level: 'COMMITTEE', district: { name: '浦东新区' }, street: { name: '陆家嘴街道' }, committee: { name: '梅园一村居委会' } },
        { level: 'STREET', district: { name: '徐汇区' }, street: { name: '天平路街道' }, committee: null },
      ],
    });
  });

  it('reads a Chinese-headed CSV with a byte-order mark, CRLF line ends, and quoted cells holding commas and line breaks', async () => {
    const csv =
      '\ufeff名称,类别,描述,容量,容量周期,服务对象,开始日期,费用,公开,服务区域,备注\r\n' +
      '"助餐，送餐",照料护理,"午餐送上门,\r\n周末不送",20,每天,低保、特困,2026-02-01,免费,是,"浦东新区; 徐汇区",内部备注\r\n';
    const { payload } = await importCsv(csv);
    expect(payload).toMatchObject({ ok: true, committed: true, importedRows: 1 });
    expect(payload!.warnings).toEqual([{ line: 1, column: '备注', code: 'UNKNOWN_COLUMN', message: '"备注" is not a column the hub knows; it is ignored' }]);
    expect(payload!.resources[0]).toMatchObject({
      title: '助餐，送餐',
      description: '午餐送上门,\r\n周末不送',
      eligibleStatuses: ['MINIMUM_LIVING_ALLOWANCE', 'EXTREME_POVERTY_SUPPORT'],
      capacityPeriod: 'DAY',
      isPublic: true,
    });
    expect(payload!.resources[0]!.serviceArea.map((a) => a.district.name)).toEqual(['浦东新区', '徐汇区']);
  });

  it('imports an XLSX workbook with a Chinese header, number cells and a date cell', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('资源');
    sheet.addRow(['名称', '类别', '容量', '容量周期', '开始日期', '结束日期', '联系电话', '服务区域']);
    sheet.addRow(['心理疏导热线', 'PSYCHOLOGICAL_COUNSELLING', 12, '每月', new Date(Date.UTC(2026, 4, 1)), '2026-10-31', 13900001111, '陆家嘴街道']);
    sheet.addRow([]);
    sheet.addRow(['上门照护', { richText: [{ text: '照料' }, { text: '护理' }] }, 3, 'YEAR', '2026-06-01', null, null, '310104']);
    const content = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
    const { data, errors } = await hub.run<{ importResources: Payload }>(IMPORT, { input: { format: 'XLSX', content, provider: gid('Organization', provider) } });
    expect(errors).toBeUndefined();
    const payload = data!.importResources;
    expect(payload).toMatchObject({ ok: true, committed: true, totalRows: 2, importedRows: 2 });
    expect(payload.resources[0]).toMatchObject({
      title: '心理疏导热线',
      capacity: 12,
      capacityPeriod: 'MONTH',
      availableFrom: '2026-05-01',
      availableUntil: '2026-10-31',
      contactPhone: '13900001111',
      serviceArea: [{ level: 'STREET', street: { name: '陆家嘴街道' } }],
    });
    expect(payload.resources[1]).toMatchObject({ category: { code: 'CARE_NURSING' }, capacityPeriod: 'YEAR', serviceArea: [{ level: 'DISTRICT', district: { name: '徐汇区' } }] });
  });

  const BAD_FILE = [
    '名称,类别,容量,容量周期,最小年龄,最大年龄,开始日期,结束日期,联系电话,服务区域',
    '好的一行,照料护理,10,每周,,,2026-01-01,,,浦东新区',
    ',照料护理,abc,每周,,,2026-01-01,,,黄浦区',
    '年龄反了,照料护理,10,每季度,70,60,2026-01-01,2025-12-31,12345,浦东新区',
    '另一行好的,心理疏导,1,一次性,,,2026-01-01,,,徐汇区',
    '类别不明,不存在的类别,10,每周,,,2026-13-01,,,浦东新区/不存在街道',
  ].join('\n');

  it('reports each bad row with its line, the column as written and a stable code, and writes nothing at all', async () => {
    const before = await resourceCount();
    const { payload, errors } = await importCsv(BAD_FILE, {}, CITY_VIEWER, 'import-bad');
    expect(errors).toBeUndefined();
    expect(payload).toMatchObject({ ok: false, committed: false, totalRows: 5, importedRows: 2, refusedRows: 3, resources: [] });
    const found = payload!.issues.map(({ line, column, code }) => ({ line, column, code }));
    expect(found).toEqual(
      expect.arrayContaining([
        { line: 3, column: '容量', code: 'INVALID' },
        { line: 3, column: '服务区域', code: 'NOT_FOUND' },
        { line: 3, column: '名称', code: 'REQUIRED' },
        { line: 4, column: '容量周期', code: 'INVALID' },
        { line: 4, column: '最大年龄', code: 'OUT_OF_RANGE' },
        { line: 4, column: '结束日期', code: 'OUT_OF_RANGE' },
        { line: 4, column: '联系电话', code: 'INVALID' },
        { line: 6, column: '类别', code: 'NOT_FOUND' },
        { line: 6, column: '开始日期', code: 'INVALID' },
        { line: 6, column: '服务区域', code: 'NOT_FOUND' },
      ]),
    );
    expect(found).toHaveLength(10);
    expect(payload!.issues.find((i) => i.column === '容量')!.message).toBe('"abc" is not a whole number');
    expect(await resourceCount()).toBe(before);
    expect(await auditCount('import-bad')).toBe(0);
  });

  it('with allowPartial writes only the valid rows, and still lists the refused ones', async () => {
    const before = await resourceCount();
    const { payload } = await importCsv(BAD_FILE, { allowPartial: true }, CITY_VIEWER, 'import-partial');
    expect(payload).toMatchObject({ ok: false, committed: true, totalRows: 5, importedRows: 2, refusedRows: 3 });
    expect(payload!.resources.map((r) => r.title)).toEqual(['好的一行', '另一行好的']);
    expect(new Set(payload!.issues.map((i) => i.line))).toEqual(new Set([3, 4, 6]));
    expect(await resourceCount()).toBe(before + 2);
    expect(await auditCount('import-partial')).toBe(2);
    // The placeholders that let a row with unreadable cells be checked are never written.
    expect(await hub.db.select({ id: resources.id }).from(resources).where(eq(resources.title, '类别不明'))).toEqual([]);
  });

  it('a dry run checks every row and writes nothing, even when all are valid', async () => {
    const before = await resourceCount();
    const { payload } = await importCsv(`${ENGLISH_HEADER}\nDry,CARE_NURSING,,1,ONCE,,,,2026-01-01,,,,,,徐汇区`, { dryRun: true }, CITY_VIEWER, 'import-dry');
    expect(payload).toMatchObject({ ok: true, committed: false, dryRun: true, importedRows: 1, resources: [] });
    expect(await resourceCount()).toBe(before);
    expect(await auditCount('import-dry')).toBe(0);
  });

  it('refuses a header without a required column, or with one column twice, before reading any row', async () => {
    const missing = await importCsv('名称,类别\n甲,照料护理\n');
    expect(missing.payload).toMatchObject({ ok: false, committed: false, totalRows: 0 });
    expect(missing.payload!.issues.map((i) => [i.line, i.column, i.code])).toEqual([
      [1, '容量 (capacity)', 'MISSING_COLUMN'],
      [1, '容量周期 (capacity period)', 'MISSING_COLUMN'],
      [1, '开始日期 (available from)', 'MISSING_COLUMN'],
      [1, '服务区域 (service areas)', 'MISSING_COLUMN'],
    ]);
    const twice = await importCsv('名称,name,类别,容量,容量周期,开始日期,服务区域\n');
    expect(twice.payload!.issues).toEqual([{ line: 1, column: 'name', code: 'DUPLICATE_COLUMN', message: '"name" and "名称" are the same column (名称 (name))' }]);
  });

  it('lets a provider import for its own organization only', async () => {
    const row = `${ENGLISH_HEADER}\nOwn,CARE_NURSING,,1,ONCE,,,,2026-01-01,,,,,,徐汇区`;
    const own = await hub.run<{ importResources: Payload }>(IMPORT, { input: { format: 'CSV', content: row, provider: gid('Organization', provider) } }, { viewer: providerViewer(provider) });
    expect(own.errors).toBeUndefined();
    expect(own.data!.importResources).toMatchObject({ ok: true, committed: true, importedRows: 1 });

    const before = await resourceCount();
    const foreign = await hub.run<{ importResources: Payload }>(IMPORT, { input: { format: 'CSV', content: row, provider: gid('Organization', other) } }, { viewer: providerViewer(provider) });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await hub.run<{ importResources: Payload }>(IMPORT, { input: { format: 'CSV', content: row, provider: gid('Organization', provider) } }, { viewer: PUBLIC_PRINCIPAL });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await resourceCount()).toBe(before);
  });

  it('refuses a suspended provider once, for the whole file', async () => {
    const row = `${ENGLISH_HEADER}\nX,CARE_NURSING,,1,ONCE,,,,2026-01-01,,,,,,徐汇区\nY,CARE_NURSING,,1,ONCE,,,,2026-01-01,,,,,,徐汇区`;
    const { payload } = await importCsv(row, { provider: gid('Organization', suspended) });
    expect(payload!.issues).toEqual([{ line: null, column: 'provider', code: 'INACTIVE', message: 'The provider is suspended or banned and cannot post resources' }]);
    expect(payload).toMatchObject({ committed: false, totalRows: 2, refusedRows: 0 });
  });

  it('needs a provider for a spreadsheet, and base64 for XLSX', async () => {
    const noProvider = await hub.run(IMPORT, { input: { format: 'CSV', content: 'a' } });
    expect(noProvider.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'provider'] });
    const notBase64 = await hub.run(IMPORT, { input: { format: 'XLSX', content: '名称', provider: gid('Organization', provider) } });
    expect(notBase64.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'content'] });
    const notXlsx = await hub.run<{ importResources: Payload }>(IMPORT, { input: { format: 'XLSX', content: Buffer.from('not a workbook').toString('base64'), provider: gid('Organization', provider) } });
    expect(notXlsx.data!.importResources.issues).toEqual([{ line: null, column: null, code: 'UNREADABLE_FILE', message: 'The file is not an XLSX workbook' }]);
  });

  describe('size limits (HUB_IMPORT_MAX_BYTES, HUB_IMPORT_MAX_ROWS)', () => {
    const actor = { viewer: CITY_VIEWER, requestId: 'limits', purpose: undefined };
    const options = (maxBytes: number, maxRows: number): ImportOptions => ({ allowPartial: false, dryRun: false, limits: { maxBytes, maxRows } });
    const rows = (n: number): Buffer => Buffer.from([ENGLISH_HEADER, ...Array.from({ length: n }, (_, i) => `R${i},CARE_NURSING,,1,ONCE,,,,2026-01-01,,,,,,徐汇区`)].join('\n'));

    it('refuses a file over the byte limit before reading it', async () => {
      const file = rows(3);
      const outcome = await importResourceSheet(hub.db, actor, { format: 'CSV', bytes: file }, gid('Organization', provider), options(file.length - 1, 100));
      expect(outcome.issues).toEqual([{ line: null, column: null, code: 'FILE_TOO_LARGE', message: `The file has ${file.length} bytes; at most ${file.length - 1} are taken (HUB_IMPORT_MAX_BYTES)` }]);
      expect(outcome.committed).toBe(false);
    });

    it('refuses more rows than the row limit, and takes exactly the limit', async () => {
      const before = await resourceCount();
      const over = await importResourceSheet(hub.db, actor, { format: 'CSV', bytes: rows(4) }, gid('Organization', provider), options(1 << 20, 3));
      expect(over.issues.map((i) => i.code)).toEqual(['TOO_MANY_ROWS']);
      expect(await resourceCount()).toBe(before);
      const progress: number[] = [];
      const exact = await importResourceSheet(hub.db, actor, { format: 'CSV', bytes: rows(3) }, gid('Organization', provider), { ...options(1 << 20, 3), onProgress: (done) => progress.push(done) });
      expect(exact).toMatchObject({ committed: true, importedRows: 3 });
      expect(progress).toEqual([1, 2, 3]);
    });
  });
});
