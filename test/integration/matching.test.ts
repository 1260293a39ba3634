import { eq, sql } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { toGlobalId } from '../../src/common/global-id';
import { ensureDemoData } from '../../src/db/seed/seed';
import { needs, referrals, resources } from '../../src/db/schema';
import { categoryIds, gid, makeHousehold, makePlace, makeProvider, makeResource } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';

const principal = (subject: string, roles: Role[], extra: Partial<Principal> = {}): Principal => ({ subject, organizationId: null, staffMemberId: null, roles, districtIds: [], streetIds: [], ...extra });

describe('matching on the demo data set, through GraphQL', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
    await ensureDemoData(hub.database.handle);
  });
  afterAll(() => hub.close());

  it('proposes referrals with explanations, never overbooks, and a provider accepts, serves, completes and rates one', async () => {
    const run = await hub.run<{ runMatching: { needsConsidered: number; proposed: number; unitsProposed: number; objective: number; conflicts: number; referralIds: string[] } }>(
      `mutation { runMatching(input: {}) { needsConsidered needsServed proposed unitsProposed objective urgentNeedsUnserved conflicts referralIds } }`,
    );
    expect(run.errors).toBeUndefined();
    const result = run.data!.runMatching;
    expect(result.needsConsidered).toBeGreaterThan(500);
    expect(result.proposed).toBeGreaterThan(100);
    expect(result.conflicts).toBe(0);

    // The objective reported is Σ score × units of what was written.
    const written = await hub.db.select({ units: referrals.units, score: referrals.score }).from(referrals).where(sql`${referrals.proposedBy} = 'test-city-civil-affairs'`);
    expect(written).toHaveLength(result.proposed);
    expect(written.reduce((total, r) => total + r.units * r.score!, 0)).toBeCloseTo(result.objective, 6);

    // No resource holds more than its capacity, and held units are exactly the live referrals'.
    const check = await hub.db.execute(sql`
      select count(*) filter (where r.held_units > r.capacity) as over,
             count(*) filter (where r.held_units <> coalesce(l.units, 0)) as mismatched
      from resources r left join (select resource_id, sum(units) as units from referrals where status in ('PROPOSED', 'ACCEPTED', 'IN_SERVICE') group by resource_id) l on l.resource_id = r.id`);
    const counts = ((check as { rows?: unknown[] }).rows ?? check) as { over: number | string; mismatched: number | string }[];
    expect(Number(counts[0]!.over)).toBe(0);
    expect(Number(counts[0]!.mismatched)).toBe(0);

    const first = result.referralIds[0]!;
    const detail = await hub.run<{ node: { status: string; reason: string; units: number; provider: { id: string }; scoreBreakdown: { urgency: number; nearness: number; total: number }; need: { status: string } } }>(
      `query($id: ID!) { node(id: $id) { ... on Referral { status reason units provider { id } scoreBreakdown { urgency nearness quality continuity waiting total } need { status } } } }`,
      { id: first },
    );
    const referral = detail.data!.node;
    expect(referral.status).toBe('PROPOSED');
    expect(referral.need.status).toBe('MATCHED');
    expect(referral.reason).toMatch(/^匹配得分 \d+\.\d{3}：紧急程度 (CRITICAL|HIGH|NORMAL|LOW)/);
    expect([1000, 100, 10, 1]).toContain(referral.scoreBreakdown.urgency);
    expect(referral.scoreBreakdown.total).toBeGreaterThan(referral.scoreBreakdown.urgency);

    const providerId = Number(Buffer.from(referral.provider.id, 'base64url').toString().split(':')[1]);
    const staff = principal('provider-staff', [Role.PROVIDER_STAFF], { organizationId: providerId });
    const step = (mutation: string, input: Record<string, unknown>, type = 'ReferralStepInput') =>
      hub.run<Record<string, { referral: { status: string; satisfaction: number | null } | null; userErrors: unknown[] }>>(
        `mutation($input: ${type}!) { ${mutation}(input: $input) { referral { status satisfaction } userErrors { field code } } }`,
        { input },
        { viewer: staff },
      );
    expect((await step('acceptReferral', { id: first })).data!.acceptReferral!.referral!.status).toBe('ACCEPTED');
    expect((await step('startReferralService', { id: first })).data!.startReferralService!.referral!.status).toBe('IN_SERVICE');
    const completed = await step('completeReferral', { id: first, outcome: '按计划完成服务', satisfaction: 5 }, 'CompleteReferralInput');
    expect(completed.data!.completeReferral!.referral).toEqual({ status: 'COMPLETED', satisfaction: 5 });

    // A second run finds nothing new to do for what the first one served.
    const again = await hub.run<{ runMatching: { conflicts: number; proposed: number } }>(`mutation { runMatching(input: {}) { proposed conflicts } }`);
    expect(again.data!.runMatching.conflicts).toBe(0);
    expect(again.data!.runMatching.proposed).toBeLessThan(result.proposed);
  });

  it('shows supply against need by district and catalogue item, only to signed-in users', async () => {
    const query = `{ supplyDemandBalance { district { name } category { code } openUnits freeUnits shortfall } }`;
    const balance = await hub.run<{ supplyDemandBalance: { district: { name: string }; category: { code: string }; openUnits: number; freeUnits: number; shortfall: number }[] }>(query);
    expect(balance.errors).toBeUndefined();
    expect(balance.data!.supplyDemandBalance).toHaveLength(16 * 10);
    for (const cell of balance.data!.supplyDemandBalance) expect(cell.shortfall).toBe(Math.max(0, cell.openUnits - cell.freeUnits));
    const [open] = await hub.db.select({ units: sql<number>`coalesce(sum(${needs.units}), 0)` }).from(needs).where(eq(needs.status, 'OPEN'));
    expect(balance.data!.supplyDemandBalance.reduce((total, c) => total + c.openUnits, 0)).toBe(Number(open!.units));
    const publicView = await hub.run(query, {}, { viewer: { ...principal('', []), subject: null } });
    expect(publicView.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('matching serves the most urgent first', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.close());

  it('gives the only free unit to the HIGH need over an older LOW one, explains the candidates, and a district bureau runs only in its districts', async () => {
    const place = await makePlace(hub.db);
    const care = (await categoryIds(hub.db)).CARE_NURSING!;
    const provider = await makeProvider(hub.db);
    const resourceId = await makeResource(hub.db, provider, care, [{ level: 'COMMITTEE', ...place }]);
    await hub.db.update(resources).set({ capacity: 1 }).where(eq(resources.id, resourceId));
    const household = await makeHousehold(hub.db, place);
    const [low] = await hub.db.insert(needs).values({ householdId: household, categoryId: care, urgency: 'LOW', units: 1, earliestStart: '2026-01-01', ...place, createdAt: new Date(Date.now() - 30 * 86_400_000) }).returning({ id: needs.id });
    const [high] = await hub.db.insert(needs).values({ householdId: household, categoryId: care, urgency: 'HIGH', units: 1, earliestStart: '2026-01-01', ...place }).returning({ id: needs.id });

    const candidates = await hub.run<{ node: { candidates: { coveredAt: string; freeUnits: number; resource: { id: string }; score: { urgency: number; nearness: number } }[] } }>(
      `query($id: ID!) { node(id: $id) { ... on Need { candidates { coveredAt freeUnits resource { id } score { urgency nearness total } } } } }`,
      { id: gid('Need', high!.id) },
    );
    expect(candidates.data!.node.candidates).toEqual([{ coveredAt: 'COMMITTEE', freeUnits: 1, resource: { id: gid('Resource', resourceId) }, score: expect.objectContaining({ urgency: 100, nearness: 0.4 }) }]);

    const elsewhere = await makePlace(hub.db);
    const bureau = principal('district-bureau', [Role.DISTRICT_CIVIL_AFFAIRS], { districtIds: [elsewhere.districtId] });
    const outside = await hub.run(`mutation($d: ID!) { runMatching(input: { districts: [$d] }) { proposed } }`, { d: toGlobalId('District', place.districtId) }, { viewer: bureau });
    expect(outside.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const own = await hub.run<{ runMatching: { proposed: number } }>(`mutation { runMatching(input: {}) { proposed } }`, {}, { viewer: bureau });
    expect(own.data!.runMatching.proposed).toBe(0);

    const run = await hub.run<{ runMatching: { proposed: number; urgentNeedsUnserved: number } }>(`mutation($d: ID!) { runMatching(input: { districts: [$d] }) { proposed urgentNeedsUnserved } }`, { d: toGlobalId('District', place.districtId) });
    expect(run.data!.runMatching).toEqual({ proposed: 1, urgentNeedsUnserved: 0 });
    const sent = await hub.db.select({ needId: referrals.needId }).from(referrals);
    expect(sent).toEqual([{ needId: high!.id }]);
    const statuses = await hub.db.select({ id: needs.id, status: needs.status }).from(needs);
    expect(statuses.find((n) => n.id === low!.id)?.status).toBe('OPEN');

    // Once declined, the pair is not proposed again.
    const referralId = (await hub.db.select({ id: referrals.id }).from(referrals))[0]!.id;
    const declined = await hub.run<{ declineReferral: { userErrors: unknown[] } }>(`mutation($id: ID!) { declineReferral(input: { id: $id, reason: "本周已满" }) { userErrors { code } } }`, { id: gid('Referral', referralId) }, { viewer: principal('p', [Role.PROVIDER_STAFF], { organizationId: provider }) });
    expect(declined.errors).toBeUndefined();
    expect(declined.data!.declineReferral.userErrors).toEqual([]);
    const matchHigh = await hub.run<{ matchNeedNow: { proposed: number } }>(`mutation($id: ID!) { matchNeedNow(id: $id) { proposed } }`, { id: gid('Need', high!.id) });
    expect(matchHigh.data!.matchNeedNow.proposed).toBe(0);
    const matchLow = await hub.run<{ matchNeedNow: { proposed: number } }>(`mutation($id: ID!) { matchNeedNow(id: $id) { proposed } }`, { id: gid('Need', low!.id) });
    expect(matchLow.data!.matchNeedNow.proposed).toBe(1);
  });

  it('explains why each resource of the item in the district is or is not a candidate', async () => {
    const place = await makePlace(hub.db);
    const neighbour = await makePlace(hub.db, { districtId: place.districtId });
    const care = (await categoryIds(hub.db)).CARE_NURSING!;
    const active = await makeProvider(hub.db);
    const suspended = await makeProvider(hub.db, { status: 'SUSPENDED' });
    const household = await makeHousehold(hub.db, place);
    const [need] = await hub.db.insert(needs).values({ householdId: household, categoryId: care, urgency: 'NORMAL', units: 1, earliestStart: '2026-01-01', ...place }).returning({ id: needs.id });
    const good = await makeResource(hub.db, active, care, [{ level: 'STREET', districtId: place.districtId, streetId: place.streetId }]);
    const elsewhere = await makeResource(hub.db, active, care, [{ level: 'COMMITTEE', ...neighbour }]);
    const strict = await makeResource(hub.db, active, care, [{ level: 'DISTRICT', districtId: place.districtId }], { eligibleStatuses: ['LOW_INCOME'] });
    const full = await makeResource(hub.db, suspended, care, [{ level: 'DISTRICT', districtId: place.districtId }]);
    await hub.db.update(resources).set({ capacity: 0 }).where(eq(resources.id, full));
    const result = await hub.run<{ node: { candidateChecks: { resource: { id: string }; compatible: boolean; reasons: string[] }[] } }>(
      `query($id: ID!) { node(id: $id) { ... on Need { candidateChecks { resource { id } compatible reasons freeUnits } } } }`,
      { id: gid('Need', need!.id) },
    );
    expect(result.errors).toBeUndefined();
    const byResource = Object.fromEntries(result.data!.node.candidateChecks.map((c) => [c.resource.id, c.reasons]));
    expect(byResource).toEqual({
      [gid('Resource', good)]: [],
      [gid('Resource', elsewhere)]: ['OUTSIDE_AREA'],
      [gid('Resource', strict)]: ['NOT_ELIGIBLE'],
      [gid('Resource', full)]: ['NO_FREE_UNITS', 'PROVIDER_NOT_ACTIVE'],
    });
  });

  it('matches a need the moment it is recorded when asked to', async () => {
    const place = await makePlace(hub.db);
    const care = (await categoryIds(hub.db)).CARE_NURSING!;
    const resourceId = await makeResource(hub.db, await makeProvider(hub.db), care, [{ level: 'STREET', districtId: place.districtId, streetId: place.streetId }]);
    const household = await makeHousehold(hub.db, place);
    const created = await hub.run<{ createNeed: { need: { status: string; referrals: { nodes: { units: number; resource: { id: string }; reason: string }[] } }; userErrors: unknown[] } }>(
      `mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { status referrals { nodes { units reason resource { id } } } } userErrors { code } } }`,
      { input: { household: gid('Household', household), category: gid('ServiceCategory', care), urgency: 'HIGH', units: 2, earliestStart: '2026-01-01', matchNow: true } },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createNeed.need.status).toBe('MATCHED');
    expect(created.data!.createNeed.need.referrals.nodes).toEqual([{ units: 2, resource: { id: gid('Resource', resourceId) }, reason: expect.stringMatching(/^匹配得分/) }]);
  });
});
