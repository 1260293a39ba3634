// Bulk import throughput: a CSV of N resource rows (fixed seed) imported through importResourceSheet
// into embedded PGlite, once as a dry run and once for real. Prints its figures.
// Needs `npm run build` first. Usage: node scripts/bench-import.js [rows=5000]
require('reflect-metadata');
const { Buffer } = require('node:buffer');
const os = require('node:os');
const path = require('node:path');

const dist = path.resolve(__dirname, '../dist');
const { openDatabase } = require(path.join(dist, 'db/client'));
const schema = require(path.join(dist, 'db/schema'));
const { toGlobalId } = require(path.join(dist, 'common/global-id'));
const { importResourceSheet } = require(path.join(dist, 'modules/resource-import/resource-import.service'));

const ROWS = Number(process.argv[2] ?? 5000);
let state = 20261127;
const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(random() * list.length)];

async function main() {
  const handle = await openDatabase({});
  await handle.migrate();
  const db = handle.db;
  const districts = [];
  for (let d = 0; d < 16; d += 1) {
    const [district] = await db.insert(schema.districts).values({ code: `3101${String(d).padStart(2, '0')}`, nameZh: `区${d}`, nameEn: `District ${d}` }).returning();
    const streets = [];
    for (let s = 0; s < 10; s += 1) {
      const [street] = await db.insert(schema.streets).values({ districtId: district.id, kind: 'STREET', nameZh: `区${d}街道${s}`, nameEn: `Street ${d}-${s}` }).returning();
      streets.push(street.nameZh);
    }
    districts.push({ name: district.nameZh, streets });
  }
  const [provider] = await db.insert(schema.organizations).values({ kind: 'SOCIAL_ORGANIZATION', nameZh: '基准社工服务社', isProvider: true, providerStatus: 'ACTIVE' }).returning();
  const lines = ['名称,类别,容量,容量周期,服务对象,开始日期,费用,公开,服务区域'];
  for (let i = 0; i < ROWS; i += 1) {
    const district = pick(districts);
    const areas = [district.name, `${district.name}/${pick(district.streets)}`].slice(0, 1 + Math.floor(random() * 2));
    lines.push(`资源${i},${pick(['照料护理', '心理疏导', 'CASE_ASSESSMENT'])},${Math.floor(random() * 100)},${pick(['每天', '每周', '每月'])},${pick(['', '低保', '低保、特困'])},2026-01-01,免费,是,"${areas.join(';')}"`);
  }
  const bytes = Buffer.from(lines.join('\n'));
  const actor = { viewer: { subject: 'bench', organizationId: null, staffMemberId: null, roles: ['CITY_CIVIL_AFFAIRS'], districtIds: [], streetIds: [] }, requestId: 'bench', purpose: undefined };
  const limits = { maxBytes: 100 * 1024 * 1024, maxRows: 100000 };
  process.stdout.write(`bulk import, ${ROWS} rows (${(bytes.length / 1024).toFixed(0)} KiB CSV), embedded PGlite, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}\n`);
  for (const dryRun of [true, false]) {
    const start = process.hrtime.bigint();
    const outcome = await importResourceSheet(db, actor, { format: 'CSV', bytes }, toGlobalId('Organization', provider.id), { allowPartial: false, dryRun, limits });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    process.stdout.write(`${dryRun ? 'dry run' : 'import '}: ${outcome.importedRows} rows ok, ${outcome.refusedRows} refused, ${seconds.toFixed(2)} s, ${(ROWS / seconds).toFixed(0)} rows/s\n`);
  }
  await handle.close();
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
