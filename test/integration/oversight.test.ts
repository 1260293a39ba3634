import { and, eq, inArray } from 'drizzle-orm';
import { PUBLIC_PRINCIPAL, type Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { needs, organizations, purchaseContractAreas, purchaseContracts, purchaseProjectEvents, purchaseProjects, referrals } from '../../src/db/schema';
import { categoryIds, gid, makePlace, makeProvider, type Place } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';
import { makeCaseOwner, makeContract, makePurchaser, makeReferral, makeServedNeed, makeServiceResource, principal } from './oversight.factories';

const EVALUATE = `mutation($input: EvaluateContractInput!) { evaluateContract(input: $input) {
  evaluation { id contract serviceEffect management socialImpact satisfaction ratingsCount ratingsAverage total formula { satisfactionWeight } }
  userErrors { field code message } } }`;
const CANDIDATES = `query($id: ID!) { node(id: $id) { ... on Need { candidates(first: 50) { resource { id } score { quality } } } } }`;
const BAN = `mutation($input: BanProviderInput!) { banProvider(input: $input) { ban { bannedUntil reason contractsTakenOver contractsTerminated referralsTransferred referralsCancelled provider { id providerStatus bannedUntil } } userErrors { field code message } } }`;

type EvaluationResult = {
  evaluateContract: { evaluation: { id: string; total: number; satisfaction: number; ratingsCount: number; ratingsAverage: number | null } | null; userErrors: { field: string[]; code: string }[] };
};

/** Service records, the final evaluation and its weight in matching, public disclosure, and bans. */
describe('oversight', () => {
  let hub: TestHub;
  let place: Place;
  let care: number;
  let purchaser: number;
  let caseworker: number;
  const city = principal('city-bureau', [Role.CITY_CIVIL_AFFAIRS]);
  const bureau = () => principal('district-bureau', [Role.DISTRICT_CIVIL_AFFAIRS], { districtIds: [place.districtId] });

  beforeAll(async () => {
    hub = await startTestHub();
    place = await makePlace(hub.db);
    care = (await categoryIds(hub.db)).CARE_NURSING!;
    purchaser = await makePurchaser(hub.db, place);
    caseworker = await makeCaseOwner(hub.db, place);
  });
  afterAll(() => hub.close());

  /** A contract of `provider` whose completed referrals carry these ratings (null: completed, not rated). */
  async function ratedContract(provider: number, ratings: (number | null)[]) {
    const { contractId, projectId } = await makeContract(hub.db, place, purchaser, provider, care);
    const resourceId = await makeServiceResource(hub.db, place, provider, care, 20, contractId);
    for (const rating of ratings) await makeReferral(hub.db, await makeServedNeed(hub.db, place, caseworker, care, 1), resourceId, provider, 1, 'COMPLETED', rating);
    return { contractId, projectId, resourceId };
  }

  const evaluate = (contractId: number, parts: { serviceEffect: number; management: number; socialImpact: number }, viewer = bureau()) =>
    hub.run<EvaluationResult>(EVALUATE, { input: { contract: gid('PurchaseContract', contractId), ...parts, serviceEffectNote: '服务效果良好', managementNote: '台账完整', socialImpactNote: '社区反响积极' } }, { viewer });

  it('starts from the seeded formula, satisfaction weighted most', async () => {
    const result = await hub.run<{ evaluationFormula: Record<string, unknown> }>(`{ evaluationFormula { satisfactionWeight serviceEffectWeight managementWeight socialImpactWeight minRatings } }`, {}, { viewer: PUBLIC_PRINCIPAL });
    expect(result.data!.evaluationFormula).toEqual({ satisfactionWeight: 0.4, serviceEffectWeight: 0.3, managementWeight: 0.15, socialImpactWeight: 0.15, minRatings: 5 });
  });

  it('evaluates a contract by the formula: satisfaction from its ratings, total stored with its parts, project EVALUATED; once only', async () => {
    const provider = await makeProvider(hub.db);
    // Six ratings (5,5,4,4,5,3): mean 4.333 → 83.33; one completed referral without a rating does not count.
    const { contractId, projectId } = await ratedContract(provider, [5, 5, 4, 4, 5, 3, null]);
    const result = await evaluate(contractId, { serviceEffect: 80, management: 70, socialImpact: 90 });
    expect(result.errors).toBeUndefined();
    expect(result.data!.evaluateContract.userErrors).toEqual([]);
    // 0.4 × 83.33 + 0.3 × 80 + 0.15 × 70 + 0.15 × 90 = 81.33
    expect(result.data!.evaluateContract.evaluation).toMatchObject({ contract: gid('PurchaseContract', contractId), satisfaction: 83.33, ratingsCount: 6, total: 81.33, formula: { satisfactionWeight: 0.4 } });
    expect(result.data!.evaluateContract.evaluation!.ratingsAverage).toBeCloseTo(4.333, 3);
    expect((await hub.db.select({ status: purchaseProjects.status }).from(purchaseProjects).where(eq(purchaseProjects.id, projectId)))[0]!.status).toBe('EVALUATED');
    const steps = await hub.db.select().from(purchaseProjectEvents).where(eq(purchaseProjectEvents.projectId, projectId));
    expect(steps.map((s) => [s.fromStatus, s.toStatus, s.actor])).toEqual([['IN_PROGRESS', 'EVALUATED', 'district-bureau']]);
    const again = await evaluate(contractId, { serviceEffect: 100, management: 100, socialImpact: 100 });
    expect(again.data!.evaluateContract.userErrors.map((e) => e.code).sort()).toEqual(['CONFLICT', 'INVALID_STATE']);
  });

  it('draws satisfaction from few ratings toward the neutral middle, and refuses scores outside 0–100', async () => {
    const provider = await makeProvider(hub.db);
    // Two ratings of 5 and three neutral ones in their place: mean 3.8 → 70, not 100.
    const few = await ratedContract(provider, [5, 5]);
    const result = await evaluate(few.contractId, { serviceEffect: 60, management: 60, socialImpact: 60 });
    expect(result.data!.evaluateContract.evaluation).toMatchObject({ satisfaction: 70, ratingsCount: 2, total: 64 });
    const none = await ratedContract(await makeProvider(hub.db), []);
    const bad = await evaluate(none.contractId, { serviceEffect: 101, management: -1, socialImpact: 50 });
    expect(bad.data!.evaluateContract.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([
      ['input.serviceEffect', 'OUT_OF_RANGE'],
      ['input.management', 'OUT_OF_RANGE'],
    ]);
    const unrated = await evaluate(none.contractId, { serviceEffect: 50, management: 50, socialImpact: 50 });
    expect(unrated.data!.evaluateContract.evaluation).toMatchObject({ satisfaction: 50, ratingsCount: 0, ratingsAverage: null, total: 50 });
  });

  it("makes the latest evaluated total the provider's quality in matching, visible on the organization", async () => {
    const evaluated = await makeProvider(hub.db);
    const unevaluated = await makeProvider(hub.db);
    const { contractId } = await ratedContract(evaluated, [5, 5, 5, 5, 5]);
    const good = await makeServiceResource(hub.db, place, evaluated, care, 5);
    const plain = await makeServiceResource(hub.db, place, unevaluated, care, 5);
    const need = await makeServedNeed(hub.db, place, caseworker, care, 1);
    await hub.db.update(needs).set({ status: 'OPEN' }).where(eq(needs.id, need.needId));
    const qualities = async () => {
      const result = await hub.run<{ node: { candidates: { resource: { id: string }; score: { quality: number } }[] } }>(CANDIDATES, { id: gid('Need', need.needId) });
      return Object.fromEntries(result.data!.node.candidates.map((c) => [c.resource.id, c.score.quality]));
    };
    const before = await qualities();
    expect(before[gid('Resource', good)]).toBeCloseTo(0.15, 6);
    expect(before[gid('Resource', plain)]).toBeCloseTo(0.15, 6);

    // Satisfaction 100, parts 90/80/70: total 0.4×100 + 0.3×90 + 0.15×80 + 0.15×70 = 89.5.
    expect((await evaluate(contractId, { serviceEffect: 90, management: 80, socialImpact: 70 })).data!.evaluateContract.evaluation!.total).toBe(89.5);
    const after = await qualities();
    expect(after[gid('Resource', good)]).toBeCloseTo(0.3 * 0.895, 6);
    expect(after[gid('Resource', plain)]).toBeCloseTo(0.15, 6);

    // The referral the matcher proposes carries the changed quality part in its breakdown.
    const run = await hub.run<{ matchNeedNow: { proposed: number } }>(`mutation($id: ID!) { matchNeedNow(id: $id) { proposed } }`, { id: gid('Need', need.needId) }, { viewer: city });
    expect(run.data!.matchNeedNow.proposed).toBe(1);
    const proposed = await hub.run<{ node: { referrals: { nodes: { provider: { id: string }; scoreBreakdown: { quality: number } }[] } } }>(
      `query($id: ID!) { node(id: $id) { ... on Need { referrals { nodes { provider { id } scoreBreakdown { quality } } } } } }`,
      { id: gid('Need', need.needId) },
    );
    expect(proposed.data!.node.referrals.nodes).toEqual([{ provider: { id: gid('Organization', evaluated) }, scoreBreakdown: { quality: expect.closeTo(0.2685, 6) as number } }]);

    const org = await hub.run<{ a: { qualityScore: number; evaluations: { totalCount: number; nodes: { total: number }[] } }; b: { qualityScore: number | null } }>(
      `query($a: ID!, $b: ID!) { a: node(id: $a) { ... on Organization { qualityScore evaluations { totalCount nodes { total } } } } b: node(id: $b) { ... on Organization { qualityScore } } }`,
      { a: gid('Organization', evaluated), b: gid('Organization', unevaluated) },
      { viewer: PUBLIC_PRINCIPAL },
    );
    expect(org.data).toEqual({ a: { qualityScore: 0.895, evaluations: { totalCount: 1, nodes: [{ total: 89.5 }] } }, b: { qualityScore: null } });
  });

  it('discloses evaluation results to the public without notes or personal data; the provider reads its own notes', async () => {
    const provider = await makeProvider(hub.db);
    const other = await makeProvider(hub.db);
    const { contractId } = await ratedContract(provider, [4, 4, 4, 4, 4]);
    await evaluate(contractId, { serviceEffect: 75, management: 75, socialImpact: 75 });
    const QUERY = `query($p: [ID!]) { evaluationResults(providers: $p) { totalCount nodes { contract contractSubject provider { id name } serviceEffect management socialImpact satisfaction total serviceEffectNote managementNote socialImpactNote } } }`;
    type Results = { evaluationResults: { totalCount: number; nodes: Record<string, unknown>[] } };
    const pub = await hub.run<Results>(QUERY, { p: [gid('Organization', provider)] }, { viewer: PUBLIC_PRINCIPAL });
    expect(pub.errors).toBeUndefined();
    expect(pub.data!.evaluationResults.totalCount).toBe(1);
    const row = pub.data!.evaluationResults.nodes[0]!;
    expect(row).toMatchObject({ contract: gid('PurchaseContract', contractId), provider: { id: gid('Organization', provider) }, satisfaction: 75, total: 75, serviceEffectNote: null, managementNote: null, socialImpactNote: null });
    expect(row.contractSubject).toMatch(/^居家照护服务\d+$/);
    expect(JSON.stringify(pub.data)).not.toMatch(/测试\d|测试路|Household|Person/);

    const own = await hub.run<Results>(QUERY, { p: [gid('Organization', provider)] }, { viewer: principal('own', [Role.PROVIDER_STAFF], { organizationId: provider }) });
    expect(own.data!.evaluationResults.nodes[0]).toMatchObject({ serviceEffectNote: '服务效果良好', managementNote: '台账完整', socialImpactNote: '社区反响积极' });
    const foreign = await hub.run<Results>(QUERY, { p: [gid('Organization', provider)] }, { viewer: principal('other', [Role.PROVIDER_STAFF], { organizationId: other }) });
    expect(foreign.data!.evaluationResults.nodes[0]).toMatchObject({ serviceEffectNote: null, total: 75 });
  });

  it('hides the mean of fewer ratings than the formula’s minimum, and keeps the notes from bureaus of other districts', async () => {
    const provider = await makeProvider(hub.db);
    const { contractId } = await ratedContract(provider, [2, 5]);
    const evaluated = await evaluate(contractId, { serviceEffect: 60, management: 60, socialImpact: 60 });
    expect(evaluated.data!.evaluateContract.evaluation).toMatchObject({ ratingsCount: 2, ratingsAverage: null });
    const QUERY = `query($p: [ID!]) { evaluationResults(providers: $p) { nodes { ratingsCount ratingsAverage serviceEffectNote } } }`;
    type Results = { evaluationResults: { nodes: Record<string, unknown>[] } };
    const read = async (viewer: Principal) => (await hub.run<Results>(QUERY, { p: [gid('Organization', provider)] }, { viewer })).data!.evaluationResults.nodes;
    expect(await read(PUBLIC_PRINCIPAL)).toEqual([{ ratingsCount: 2, ratingsAverage: null, serviceEffectNote: null }]);
    const elsewhere = await makePlace(hub.db);
    expect(await read(principal('other-bureau', [Role.DISTRICT_CIVIL_AFFAIRS], { districtIds: [elsewhere.districtId] }))).toEqual([{ ratingsCount: 2, ratingsAverage: null, serviceEffectNote: null }]);
    expect(await read(bureau())).toEqual([{ ratingsCount: 2, ratingsAverage: null, serviceEffectNote: '服务效果良好' }]);
  });

  it('lists a contract’s service records, batched, to civil affairs and the contract’s provider only', async () => {
    const provider = await makeProvider(hub.db);
    const { contractId, resourceId } = await ratedContract(provider, [5, 4, 3]);
    await makeReferral(hub.db, await makeServedNeed(hub.db, place, caseworker, care, 2), resourceId, provider, 2, 'IN_SERVICE');
    const QUERY = `query($c: ID!) { contractServiceRecords(contract: $c, first: 10) { totalCount nodes { referral householdRef units status outcome satisfaction createdAt startedAt completedAt category { code } provider { id } } } }`;
    type Records = { contractServiceRecords: { totalCount: number; nodes: { householdRef: string; status: string; satisfaction: number | null; startedAt: string | null; completedAt: string | null; category: { code: string } }[] } };
    const seen = await hub.run<Records>(QUERY, { c: gid('PurchaseContract', contractId) }, { viewer: bureau() });
    expect(seen.errors).toBeUndefined();
    const records = seen.data!.contractServiceRecords;
    expect(records.totalCount).toBe(4);
    expect(records.nodes.map((n) => [n.status, n.satisfaction, n.category.code])).toEqual([
      ['COMPLETED', 5, 'CARE_NURSING'],
      ['COMPLETED', 4, 'CARE_NURSING'],
      ['COMPLETED', 3, 'CARE_NURSING'],
      ['IN_SERVICE', null, 'CARE_NURSING'],
    ]);
    expect(records.nodes.every((n) => n.householdRef.length > 0 && n.startedAt !== null)).toBe(true);
    expect(records.nodes.map((n) => n.completedAt === null)).toEqual([false, false, false, true]);
    // One page, its count and every nested field: a fixed number of statements, not one per record.
    expect(seen.statements).toBeLessThanOrEqual(5);

    const own = await hub.run<Records>(QUERY, { c: gid('PurchaseContract', contractId) }, { viewer: principal('own', [Role.PROVIDER_STAFF], { organizationId: provider }) });
    expect(own.data!.contractServiceRecords.totalCount).toBe(4);
    for (const viewer of [PUBLIC_PRINCIPAL, principal('other', [Role.PROVIDER_STAFF], { organizationId: await makeProvider(hub.db) }), principal('finance', [Role.FINANCE_OFFICER])]) {
      expect((await hub.run<Records>(QUERY, { c: gid('PurchaseContract', contractId) }, { viewer })).data!.contractServiceRecords.totalCount).toBe(0);
    }
  });

  it('bans a provider until a date: out of matching, its contract taken over by plan, a contract without a plan terminated back to the pool', async () => {
    const provider = await makeProvider(hub.db);
    const standIn = await makeProvider(hub.db);
    const planned = await makeContract(hub.db, place, purchaser, provider, care);
    const plannedResource = await makeServiceResource(hub.db, place, provider, care, 10, planned.contractId);
    const standInResource = await makeServiceResource(hub.db, place, standIn, care, 10);
    const unplanned = await makeContract(hub.db, place, purchaser, provider, care);
    const unplannedResource = await makeServiceResource(hub.db, place, provider, care, 10, unplanned.contractId);
    const ownSupply = await makeServiceResource(hub.db, place, provider, care, 10);
    for (let i = 0; i < 3; i += 1) await makeReferral(hub.db, await makeServedNeed(hub.db, place, caseworker, care, 1), plannedResource, provider, 1, 'IN_SERVICE');
    const orphan = await makeServedNeed(hub.db, place, caseworker, care, 1);
    const orphanReferral = await makeReferral(hub.db, orphan, unplannedResource, provider, 1, 'ACCEPTED');
    const plan = await hub.run<{ setTakeoverPlan: { userErrors: unknown[] } }>(
      `mutation($input: SetTakeoverPlanInput!) { setTakeoverPlan(input: $input) { userErrors { code } } }`,
      { input: { contract: gid('PurchaseContract', planned.contractId), standInProvider: gid('Organization', standIn), standInResources: [gid('Resource', standInResource)] } },
      { viewer: city },
    );
    expect(plan.data!.setTakeoverPlan.userErrors).toEqual([]);
    const probe = await makeServedNeed(hub.db, place, caseworker, care, 1);
    await hub.db.update(needs).set({ status: 'OPEN' }).where(eq(needs.id, probe.needId));
    const candidates = async () =>
      (await hub.run<{ node: { candidates: { resource: { id: string } }[] } }>(CANDIDATES, { id: gid('Need', probe.needId) })).data!.node.candidates.map((c) => c.resource.id);
    expect(await candidates()).toEqual(expect.arrayContaining([gid('Resource', ownSupply), gid('Resource', plannedResource)]));

    const input = { provider: gid('Organization', provider), until: '2099-06-30', reason: '伪造服务记录' };
    expect((await hub.run(BAN, { input }, { viewer: principal('staff', [Role.PROVIDER_STAFF], { organizationId: standIn }) })).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const past = await hub.run<{ banProvider: { userErrors: { field: string[]; code: string }[] } }>(BAN, { input: { ...input, until: '2020-01-01' } }, { viewer: bureau() });
    expect(past.data!.banProvider.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.until', 'OUT_OF_RANGE']]);

    const banned = await hub.run<{ banProvider: { ban: Record<string, unknown>; userErrors: unknown[] } }>(BAN, { input }, { viewer: bureau() });
    expect(banned.errors).toBeUndefined();
    expect(banned.data!.banProvider).toEqual({
      ban: {
        bannedUntil: '2099-06-30',
        reason: '伪造服务记录',
        contractsTakenOver: 1,
        contractsTerminated: 1,
        referralsTransferred: 3,
        referralsCancelled: 1,
        provider: { id: gid('Organization', provider), providerStatus: 'BANNED', bannedUntil: '2099-06-30' },
      },
      userErrors: [],
    });
    // Out of matching: neither its own supply nor its (closed) contract capacity is a candidate any more.
    const now = await candidates();
    expect(now).not.toContain(gid('Resource', ownSupply));
    expect(now).not.toContain(gid('Resource', plannedResource));
    expect(now).toContain(gid('Resource', standInResource));
    const statusOf = async (id: number) => (await hub.db.select({ status: purchaseContracts.status }).from(purchaseContracts).where(eq(purchaseContracts.id, id)))[0]!.status;
    expect([await statusOf(planned.contractId), await statusOf(unplanned.contractId)]).toEqual(['TAKEN_OVER', 'TERMINATED']);
    const live = await hub.db.select({ status: referrals.status }).from(referrals).where(and(eq(referrals.resourceId, standInResource), inArray(referrals.status, ['IN_SERVICE'])));
    expect(live).toHaveLength(3);
    expect((await hub.db.select({ status: referrals.status }).from(referrals).where(eq(referrals.id, orphanReferral)))[0]!.status).toBe('CANCELLED');
    expect((await hub.db.select({ status: needs.status }).from(needs).where(eq(needs.id, orphan.needId)))[0]!.status).toBe('OPEN');

    // A referral proposed by hand is refused too; once the last day has passed the ban lifts by itself.
    const manual = await hub.run<{ proposeReferral: { userErrors: { code: string }[] } }>(
      `mutation($input: ProposeReferralInput!) { proposeReferral(input: $input) { userErrors { code } } }`,
      { input: { need: gid('Need', probe.needId), resource: gid('Resource', ownSupply), reason: '手工转介' } },
      { viewer: city },
    );
    expect(manual.data!.proposeReferral.userErrors.map((e) => e.code)).toEqual(['INACTIVE']);
    await hub.db.update(organizations).set({ bannedUntil: '2020-01-01' }).where(eq(organizations.id, provider));
    expect(await candidates()).toContain(gid('Resource', ownSupply));
  });

  it('holds a district bureau to contracts whose project lies in its district: serving its district is not enough, nor the provider’s home', async () => {
    // A contract bought by another district's purchaser, serving this district too.
    const elsewhere = await makePlace(hub.db);
    const provider = await makeProvider(hub.db, { districtId: place.districtId });
    const foreign = await makeContract(hub.db, elsewhere, await makePurchaser(hub.db, elsewhere), provider, care);
    await hub.db.insert(purchaseContractAreas).values({ contractId: foreign.contractId, districtId: place.districtId });
    const parts = { serviceEffect: 70, management: 70, socialImpact: 70 };
    expect((await evaluate(foreign.contractId, parts)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const ban = { provider: gid('Organization', provider), until: '2099-06-30', reason: '越权禁入' };
    expect((await hub.run(BAN, { input: ban }, { viewer: bureau() })).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const [stored] = await hub.db.select({ status: purchaseContracts.status }).from(purchaseContracts).where(eq(purchaseContracts.id, foreign.contractId));
    expect(stored!.status).toBe('ACTIVE');
    expect((await hub.db.select({ status: organizations.providerStatus }).from(organizations).where(eq(organizations.id, provider)))[0]!.status).toBe('ACTIVE');
    // The purchaser's own bureau may.
    const owner = principal('owner-bureau', [Role.DISTRICT_CIVIL_AFFAIRS], { districtIds: [elsewhere.districtId] });
    expect((await evaluate(foreign.contractId, parts, owner)).data!.evaluateContract.userErrors).toEqual([]);
  });

  it('lets only the city set the formula, which must weigh satisfaction most and add up to 1', async () => {
    const SET = `mutation($input: EvaluationFormulaInput!) { setEvaluationFormula(input: $input) { formula { id satisfactionWeight } userErrors { field code } } }`;
    const good = { satisfactionWeight: 0.5, serviceEffectWeight: 0.2, managementWeight: 0.15, socialImpactWeight: 0.15, minRatings: 3, note: '2027年度评价办法' };
    expect((await hub.run(SET, { input: good }, { viewer: bureau() })).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    type SetResult = { setEvaluationFormula: { formula: { id: string; satisfactionWeight: number } | null; userErrors: { field: string[]; code: string }[] } };
    const light = await hub.run<SetResult>(SET, { input: { ...good, satisfactionWeight: 0.1, serviceEffectWeight: 0.6 } }, { viewer: city });
    expect(light.data!.setEvaluationFormula.userErrors).toEqual([{ field: ['input', 'satisfactionWeight'], code: 'OUT_OF_RANGE' }]);
    const sum = await hub.run<SetResult>(SET, { input: { ...good, socialImpactWeight: 0.3 } }, { viewer: city });
    expect(sum.data!.setEvaluationFormula.userErrors).toEqual([{ field: ['input', 'satisfactionWeight'], code: 'OUT_OF_RANGE' }]);
    const set = await hub.run<SetResult>(SET, { input: good }, { viewer: city });
    expect(set.data!.setEvaluationFormula.userErrors).toEqual([]);
    // Later evaluations use it: satisfaction from three ratings of 5 is now 100 (minimum 3).
    const { contractId } = await ratedContract(await makeProvider(hub.db), [5, 5, 5]);
    const result = await evaluate(contractId, { serviceEffect: 50, management: 50, socialImpact: 50 });
    expect(result.data!.evaluateContract.evaluation).toMatchObject({ satisfaction: 100, total: 75 });
  });
});
