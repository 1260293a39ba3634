import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { Kind, parse, print, type DocumentNode } from 'graphql';
import { isValidMainlandPhone } from '../../src/common/phone';
import { isValidResidentId } from '../../src/common/resident-id';
import { toGlobalId } from '../../src/common/global-id';
import { rowsOf } from '../../src/db/rows';
import { generateCity, OccupiedDatabaseError } from '../../src/db/generate/generate';
import { generateCommand } from '../../src/db/generate/generate.command';
import { startTestHub, type TestHub } from '../support/hub';

const SCALE = 0.01;
const SEED = 4242;

let hub: TestHub;
const phases: string[] = [];

async function rows<Row>(query: ReturnType<typeof sql>): Promise<Row[]> {
  return rowsOf<Row>(await hub.db.execute(query));
}

async function one<Row>(query: ReturnType<typeof sql>): Promise<Row> {
  return (await rows<Row>(query))[0]!;
}

beforeAll(async () => {
  hub = await startTestHub();
  await generateCity(hub.database.handle, { seed: SEED, scale: SCALE, progress: (phase) => phases.push(phase) });
}, 180_000);

afterAll(async () => {
  await hub?.close();
});

describe('hub generate: the city data set at a small scale', () => {
  it('writes the fixed geography and the scaled volumes, reporting progress table by table', async () => {
    const counts = await one<Record<string, number>>(sql`select
      (select count(*) from districts)::int as districts, (select count(*) from streets)::int as streets,
      (select count(*) from committees)::int as committees, (select count(*) from organizations where kind = 'SERVICE_CENTER')::int as centres,
      (select count(*) from organizations where is_provider)::int as providers, (select count(*) from resources)::int as resources,
      (select count(*) from households)::int as households, (select count(*) from persons)::int as persons,
      (select count(*) from needs)::int as needs, (select count(*) from referrals)::int as referrals`);
    expect(counts).toMatchObject({ districts: 16, streets: 215, centres: 287, providers: 30, resources: 200, households: 1500, needs: 3000, referrals: 1500 });
    // About 2.7 members per household, and at least one committee per street.
    expect(counts.persons! / counts.households!).toBeGreaterThan(2.4);
    expect(counts.persons! / counts.households!).toBeLessThan(3);
    expect(counts.committees).toBeGreaterThanOrEqual(215);
    expect(phases).toEqual(expect.arrayContaining(['planning', 'households', 'persons', 'needs', 'referrals', 'analyze']));
  });

  it('records the data set in hub_meta, so the demo seed never runs on top of it', async () => {
    const marker = await one<{ value: { dataSet: string; seed: number; scale: number; counts: Record<string, number> } }>(sql`select value from hub_meta where key = 'seed'`);
    expect(marker.value).toMatchObject({ dataSet: 'city', seed: SEED, scale: SCALE });
    expect(marker.value.counts.needs).toBe(3000);
  });

  it('is skewed: central districts hold more households per committee, and catalogue items are uneven', async () => {
    const density = await rows<{ central: boolean; perCommittee: number }>(sql`
      select d.central, count(h.id)::float / count(distinct c.id) as "perCommittee"
      from districts d join committees c on c.district_id = d.id left join households h on h.committee_id = c.id group by d.central`);
    const central = density.find((d) => d.central)!.perCommittee;
    const outer = density.find((d) => !d.central)!.perCommittee;
    expect(central).toBeGreaterThan(outer * 1.2);
    const byCategory = await rows<{ code: string; n: number }>(sql`select c.code, count(*)::int as n from needs n join service_categories c on c.id = n.category_id group by c.code order by n desc`);
    expect(byCategory[0]!.code).toBe('CARE_NURSING');
    expect(byCategory[0]!.n).toBeGreaterThan(4 * byCategory[byCategory.length - 1]!.n);
  });

  it('keeps referrals, needs and held units consistent with the hub rules', async () => {
    const broken = await one<Record<string, number>>(sql`select
      (select count(*) from needs n where n.status = 'MATCHED' and not exists (select 1 from referrals r where r.need_id = n.id and r.status in ('PROPOSED', 'ACCEPTED', 'IN_SERVICE')))::int as "matchedWithoutLive",
      (select count(*) from needs n where n.status in ('OPEN', 'WITHDRAWN', 'FULFILLED') and exists (select 1 from referrals r where r.need_id = n.id and r.status in ('PROPOSED', 'ACCEPTED', 'IN_SERVICE')))::int as "liveOnClosedNeed",
      (select count(*) from needs n where n.status = 'FULFILLED' and coalesce((select sum(units) from referrals r where r.need_id = n.id and r.status = 'COMPLETED'), 0) < n.units)::int as "fulfilledShort",
      (select count(*) from resources s where s.held_units <> coalesce((select sum(units) from referrals r where r.resource_id = s.id and r.status in ('PROPOSED', 'ACCEPTED', 'IN_SERVICE')), 0))::int as "heldMismatch",
      (select count(*) from referrals r join resources s on s.id = r.resource_id where s.provider_id <> r.provider_id)::int as "wrongProvider",
      (select count(*) from referrals r join needs n on n.id = r.need_id where n.household_id <> r.household_id or n.category_id <> (select category_id from resources where id = r.resource_id))::int as "wrongPair",
      (select count(*) from needs n join households h on h.id = n.household_id where n.committee_id <> h.committee_id)::int as "needElsewhere",
      (select count(*) from needs n where n.case_id is not null and not exists (select 1 from cases c where c.id = n.case_id and c.household_id = n.household_id and c.status = 'OPEN'))::int as "foreignCase",
      (select count(*) from referrals r where not exists (select 1 from referral_events e where e.referral_id = r.id and e.to_status = r.status))::int as "noHistory"`);
    expect(broken).toEqual({ matchedWithoutLive: 0, liveOnClosedNeed: 0, fulfilledShort: 0, heldMismatch: 0, wrongProvider: 0, wrongPair: 0, needElsewhere: 0, foreignCase: 0, noHistory: 0 });
    const statuses = await rows<{ status: string }>(sql`select distinct status::text as status from needs`);
    expect(statuses.map((s) => s.status).sort()).toEqual(['FULFILLED', 'MATCHED', 'OPEN', 'WITHDRAWN']);
  });

  it('writes valid resident ID numbers and phones, and unique ones', async () => {
    const people = await rows<{ idNumber: string; phone: string | null }>(sql`select id_number as "idNumber", phone from persons`);
    expect(people.every((p) => isValidResidentId(p.idNumber))).toBe(true);
    expect(people.filter((p) => p.phone !== null).every((p) => isValidMainlandPhone(p.phone!))).toBe(true);
    expect(new Set(people.map((p) => p.idNumber)).size).toBe(people.length);
  });

  it('continues the ids after the generated rows: the hub can add its own', async () => {
    const next = await one<{ id: number }>(sql`insert into districts (code, name_zh, name_en) values ('999999', '测试区', 'Test District') returning id`);
    expect(next.id).toBe(17);
    await hub.db.execute(sql`delete from districts where id = ${next.id}`);
  });

  it("answers the partner departments' query shapes (schema/operations/load-shapes.graphql)", async () => {
    const parsed = parse(fs.readFileSync(path.resolve(__dirname, '../../schema/operations/load-shapes.graphql'), 'utf8'));
    const operation = (name: string): string => print({ kind: Kind.DOCUMENT, definitions: parsed.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name) } as DocumentNode);
    const provider = await one<{ id: number }>(sql`select provider_id as id from resources group by provider_id order by count(*) desc, provider_id limit 1`);
    const need = await one<{ id: number }>(sql`select id from needs where status = 'MATCHED' order by id limit 1`);
    const district = await one<{ id: number }>(sql`select district_id as id from needs where status = 'OPEN' group by 1 order by count(*) desc limit 1`);

    const page = await hub.run<{ needs: { nodes: { referrals: { nodes: unknown[] }; household: { committee: { street: { district: { id: string } } } } }[] } }>(operation('LoadOpenNeedsPage'), { districts: [toGlobalId('District', district.id)] });
    expect(page.errors).toBeUndefined();
    expect(page.data!.needs.nodes).toHaveLength(50);
    expect(page.data!.needs.nodes.every((n) => n.household.committee.street.district.id === toGlobalId('District', district.id))).toBe(true);

    const dashboard = await hub.run<{ node: { resources: { nodes: { referrals: { nodes: { need: { id: string } }[] } }[] } } }>(operation('LoadProviderDashboard'), { id: toGlobalId('Organization', provider.id) });
    expect(dashboard.errors).toBeUndefined();
    expect(dashboard.data!.node.resources.nodes.length).toBeGreaterThan(0);

    const byId = await hub.run<{ node: { status: string; household: { persons: { nodes: { name: string; idNumber: string }[] } } } }>(operation('LoadNeed'), { id: toGlobalId('Need', need.id) });
    expect(byId.errors).toBeUndefined();
    expect(byId.data!.node.status).toBe('MATCHED');
    // Masked without a stated purpose.
    expect(byId.data!.node.household.persons.nodes[0]!.idNumber).toMatch(/^\d{3}\*{11}[\dX]{4}$/);

    const balance = await hub.run<{ supplyDemandBalance: { openUnits: number; district: { id: string } }[] }>(operation('LoadSupplyDemandBalance'), { districts: [toGlobalId('District', district.id)] });
    expect(balance.errors).toBeUndefined();
    const open = await one<{ units: number }>(sql`select sum(units)::int as units from needs where status = 'OPEN' and district_id = ${district.id}`);
    expect(balance.data!.supplyDemandBalance.reduce((sum, cell) => sum + cell.openUnits, 0)).toBe(open.units);
  });

  it('does nothing when run again with the same seed and scale', async () => {
    const again = await generateCity(hub.database.handle, { seed: SEED, scale: SCALE });
    expect(again.generated).toBe(false);
    expect((await one<{ n: number }>(sql`select count(*)::int as n from needs`)).n).toBe(3000);
  });

  it('replaces the city data set of another seed only with force', async () => {
    await expect(generateCity(hub.database.handle, { seed: SEED + 7, scale: SCALE })).rejects.toThrow(/city \(seed \d+, scale [\d.]+\) data/);
    expect((await one<{ n: number }>(sql`select count(*)::int as n from needs`)).n).toBe(3000);
  });

  it('refuses a database holding data it did not generate, and replaces it only with force', async () => {
    await hub.db.execute(sql`update hub_meta set value = jsonb_set(value, '{dataSet}', '"demo"') where key = 'seed'`);
    await expect(generateCity(hub.database.handle, { seed: SEED + 1, scale: SCALE })).rejects.toThrow(OccupiedDatabaseError);
    // Refused before writing anything: the old rows are all there.
    expect((await one<{ n: number }>(sql`select count(*)::int as n from needs`)).n).toBe(3000);
    const forced = await generateCity(hub.database.handle, { seed: SEED + 1, scale: SCALE, force: true });
    expect(forced.generated).toBe(true);
    const marker = await one<{ value: { dataSet: string; seed: number } }>(sql`select value from hub_meta where key = 'seed'`);
    expect(marker.value).toMatchObject({ dataSet: 'city', seed: SEED + 1 });
    expect((await one<{ n: number }>(sql`select count(*)::int as n from districts`)).n).toBe(16);
  }, 120_000);

  it('the command refuses bad options with its usage', async () => {
    const err: string[] = [];
    const io = { stdout: () => undefined, stderr: (text: string) => err.push(text) };
    expect(await generateCommand(['--scale', 'lots'], io)).toBe(2);
    expect(err.join('')).toMatch(/--scale must be a number/);
    expect(await generateCommand(['--seed', '1.5'], io)).toBe(2);
    expect(await generateCommand(['--bogus'], io)).toBe(2);
    expect(err.join('')).toMatch(/Usage: hub generate/);
  });
});
