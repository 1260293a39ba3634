import { eq, sql } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { cases, needs, referralEvents, referrals, resources } from '../../src/db/schema';
import { expireOverdueReferrals } from '../../src/modules/referrals/referrals.service';
import { hubJobs } from '../../src/server/jobs';
import { hubPubSub, TOPICS } from '../../src/server/pubsub';
import { TEST_DATABASE_URL } from '../support/database';
import { categoryIds, gid, makeCaseworker, makeHousehold, makePlace, makeProvider, makeResource, makeStreetOffice, type Place } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';

/** The closed loop of a referral, its unit reservations, and who may take each step. */
describe('referrals', () => {
  let hub: TestHub;
  let place: Place;
  let care: number;
  let providerP: number;
  let providerQ: number;
  let caseworker: Principal;
  let staffP: Principal;
  let staffQ: Principal;

  const principal = (subject: string, roles: Role[], extra: Partial<Principal> = {}): Principal => ({ subject, organizationId: null, staffMemberId: null, roles, districtIds: [], streetIds: [], ...extra });

  beforeAll(async () => {
    hub = await startTestHub();
    place = await makePlace(hub.db);
    care = (await categoryIds(hub.db)).CARE_NURSING!;
    providerP = await makeProvider(hub.db);
    providerQ = await makeProvider(hub.db);
    const office = await makeStreetOffice(hub.db, place);
    const caseworkerId = await makeCaseworker(hub.db, office);
    caseworker = principal('caseworker-1', [Role.CASEWORKER], { staffMemberId: caseworkerId, organizationId: office });
    staffP = principal('staff-p', [Role.PROVIDER_STAFF], { organizationId: providerP });
    staffQ = principal('staff-q', [Role.PROVIDER_STAFF], { organizationId: providerQ });
  });
  afterAll(() => hub.close());

  /** A household with an open case owned by the test caseworker, and one need of `units`. */
  async function needOf(units: number): Promise<{ needId: number; householdId: number }> {
    const householdId = await makeHousehold(hub.db, place);
    await hub.db.insert(cases).values({ householdId, ownerStreetId: place.streetId, caseworkerId: caseworker.staffMemberId! });
    const [need] = await hub.db
      .insert(needs)
      .values({ householdId, categoryId: care, urgency: 'HIGH', units, earliestStart: '2026-01-01', ...place })
      .returning({ id: needs.id });
    return { needId: need!.id, householdId };
  }

  const resourceOf = (capacity: number, providerId = providerP) =>
    makeResource(hub.db, providerId, care, [{ level: 'STREET', districtId: place.districtId, streetId: place.streetId }]).then(async (id) => {
      await hub.db.update(resources).set({ capacity }).where(eq(resources.id, id));
      return id;
    });

  const PROPOSE = `mutation($input: ProposeReferralInput!) { proposeReferral(input: $input) { referral { id status units } userErrors { field code message } } }`;
  const STEP = (name: string, input = 'ReferralStepInput') => `mutation($input: ${input}!) { ${name}(input: $input) { referral { id status satisfaction outcome } userErrors { field code } } }`;

  async function propose(needId: number, resourceId: number, extra: Record<string, unknown> = {}, viewer = caseworker) {
    return hub.run<{ proposeReferral: { referral: { id: string; status: string; units: number } | null; userErrors: { field: string[]; code: string }[] } }>(
      PROPOSE,
      { input: { need: gid('Need', needId), resource: gid('Resource', resourceId), reason: '就近、同类服务', ...extra } },
      { viewer },
    );
  }

  const held = async (resourceId: number) => (await hub.db.select({ held: resources.heldUnits }).from(resources).where(eq(resources.id, resourceId)))[0]!.held;
  const needStatus = async (needId: number) => (await hub.db.select({ status: needs.status }).from(needs).where(eq(needs.id, needId)))[0]!.status;

  it('runs the closed loop: proposed (units reserved), accepted, in service, completed with outcome and satisfaction (units released, need fulfilled)', async () => {
    const { needId } = await needOf(3);
    const resourceId = await resourceOf(5);
    const proposed = await propose(needId, resourceId);
    expect(proposed.errors).toBeUndefined();
    expect(proposed.data!.proposeReferral).toMatchObject({ referral: { status: 'PROPOSED', units: 3 }, userErrors: [] });
    expect(await held(resourceId)).toBe(3);
    expect(await needStatus(needId)).toBe('MATCHED');
    const id = proposed.data!.proposeReferral.referral!.id;

    const inbox = await hub.run<{ referrals: { nodes: { id: string }[] } }>(`query($p: ID!) { referrals(filter: { providers: [$p], statuses: [PROPOSED] }) { nodes { id } } }`, { p: gid('Organization', providerP) }, { viewer: staffP });
    expect(inbox.data!.referrals.nodes.map((n) => n.id)).toContain(id);

    for (const [mutation, input, status] of [
      ['acceptReferral', { id }, 'ACCEPTED'],
      ['startReferralService', { id }, 'IN_SERVICE'],
    ] as const) {
      const step = await hub.run<Record<string, { referral: { status: string } }>>(STEP(mutation), { input }, { viewer: staffP });
      expect(step.errors).toBeUndefined();
      expect(step.data![mutation]!.referral.status).toBe(status);
      expect(await held(resourceId)).toBe(3);
    }
    const done = await hub.run<{ completeReferral: { referral: { status: string; satisfaction: number; outcome: string } } }>(
      STEP('completeReferral', 'CompleteReferralInput'),
      { input: { id, outcome: '完成四次上门照护', satisfaction: 4 } },
      { viewer: staffP },
    );
    expect(done.data!.completeReferral.referral).toEqual({ id, status: 'COMPLETED', satisfaction: 4, outcome: '完成四次上门照护' });
    expect(await held(resourceId)).toBe(0);
    expect(await needStatus(needId)).toBe('FULFILLED');

    const history = await hub.run<{ node: { history: { nodes: { fromStatus: string | null; toStatus: string; actor: string }[] } } }>(
      `query($id: ID!) { node(id: $id) { ... on Referral { history { nodes { fromStatus toStatus actor } } } } }`,
      { id },
    );
    expect(history.data!.node.history.nodes).toEqual([
      { fromStatus: null, toStatus: 'PROPOSED', actor: 'caseworker-1' },
      { fromStatus: 'PROPOSED', toStatus: 'ACCEPTED', actor: 'staff-p' },
      { fromStatus: 'ACCEPTED', toStatus: 'IN_SERVICE', actor: 'staff-p' },
      { fromStatus: 'IN_SERVICE', toStatus: 'COMPLETED', actor: 'staff-p' },
    ]);
  });

  it('lets the provider see the referred household, and read names in clear only for that referral', async () => {
    const { needId, householdId } = await needOf(1);
    const resourceId = await resourceOf(5);
    const query = `query($id: ID!) { node(id: $id) { ... on Household { id persons { nodes { name idNumber } } } } }`;
    expect((await hub.run<{ node: unknown }>(query, { id: gid('Household', householdId) }, { viewer: staffP })).data!.node).toBeNull();
    const id = (await propose(needId, resourceId)).data!.proposeReferral.referral!.id;
    const seen = await hub.run<{ node: { persons: { nodes: { name: string; idNumber: string }[] } } }>(query, { id: gid('Household', householdId) }, { viewer: staffP, purpose: id });
    expect(seen.errors).toBeUndefined();
    const person = seen.data!.node.persons.nodes[0]!;
    expect(person.name).toMatch(/^测试\d+$/);
    expect(person.idNumber).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
    expect((await hub.run<{ node: unknown }>(query, { id: gid('Household', householdId) }, { viewer: staffQ })).data!.node).toBeNull();
  });

  it('releases units and reopens the need when the provider declines, and asks for a reason', async () => {
    const { needId } = await needOf(2);
    const resourceId = await resourceOf(5);
    const id = (await propose(needId, resourceId)).data!.proposeReferral.referral!.id;
    const noReason = await hub.run<{ declineReferral: { userErrors: { field: string[]; code: string }[] } }>(STEP('declineReferral'), { input: { id } }, { viewer: staffP });
    expect(noReason.data!.declineReferral.userErrors).toEqual([{ field: ['input', 'reason'], code: 'REQUIRED' }]);
    const declined = await hub.run<{ declineReferral: { referral: { status: string } } }>(STEP('declineReferral'), { input: { id, reason: '本周人手不足' } }, { viewer: staffP });
    expect(declined.data!.declineReferral.referral.status).toBe('DECLINED');
    expect(await held(resourceId)).toBe(0);
    expect(await needStatus(needId)).toBe('OPEN');
  });

  it('lets only the right side take each step', async () => {
    const { needId } = await needOf(1);
    const resourceId = await resourceOf(5);
    const id = (await propose(needId, resourceId)).data!.proposeReferral.referral!.id;
    const otherProvider = await hub.run(STEP('acceptReferral'), { input: { id } }, { viewer: staffQ });
    expect(otherProvider.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const providerCancelsProposal = await hub.run(STEP('cancelReferral'), { input: { id, reason: 'x' } }, { viewer: staffP });
    expect(providerCancelsProposal.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const caseworkerAccepts = await hub.run(STEP('acceptReferral'), { input: { id } }, { viewer: caseworker });
    expect(caseworkerAccepts.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const cancelled = await hub.run<{ cancelReferral: { referral: { status: string } } }>(STEP('cancelReferral'), { input: { id, reason: '家庭已另行安排' } }, { viewer: caseworker });
    expect(cancelled.data!.cancelReferral.referral.status).toBe('CANCELLED');
    expect(await held(resourceId)).toBe(0);
    const again = await hub.run<{ acceptReferral: { userErrors: { code: string }[] } }>(STEP('acceptReferral'), { input: { id } }, { viewer: staffP });
    expect(again.data!.acceptReferral.userErrors.map((e) => e.code)).toEqual(['INVALID_STATE']);
  });

  it('refuses to overbook: a proposal beyond the free units is a CONFLICT and writes nothing', async () => {
    const { needId } = await needOf(10);
    const resourceId = await resourceOf(5);
    const before = (await hub.db.select({ n: sql<number>`count(*)` }).from(referrals))[0]!.n;
    const refused = await propose(needId, resourceId);
    expect(refused.data!.proposeReferral).toEqual({ referral: null, userErrors: [{ field: ['input', 'resource'], code: 'CONFLICT', message: 'The resource has fewer than 10 free units' }] });
    expect((await hub.db.select({ n: sql<number>`count(*)` }).from(referrals))[0]!.n).toBe(before);
    expect(await held(resourceId)).toBe(0);
    const partial = await propose(needId, resourceId, { units: 5 });
    expect(partial.data!.proposeReferral.referral).toMatchObject({ units: 5 });
    expect(await held(resourceId)).toBe(5);
  });

  it('refuses a capacity below the units live referrals hold', async () => {
    const { needId } = await needOf(4);
    const resourceId = await resourceOf(5);
    await propose(needId, resourceId);
    const edit = await hub.run<{ updateResource: { userErrors: { field: string[]; code: string }[] } }>(
      `mutation($input: UpdateResourceInput!) { updateResource(input: $input) { userErrors { field code } } }`,
      { input: { id: gid('Resource', resourceId), capacity: 3 } },
    );
    expect(edit.data!.updateResource.userErrors).toEqual([{ field: ['input', 'capacity'], code: 'CONFLICT' }]);
    expect((await hub.db.select({ capacity: resources.capacity }).from(resources).where(eq(resources.id, resourceId)))[0]!.capacity).toBe(5);
  });

  it('returns the first referral when a proposal is retried with the same idempotency key', async () => {
    const { needId } = await needOf(2);
    const resourceId = await resourceOf(5);
    const first = await propose(needId, resourceId, { idempotencyKey: 'retry-1', units: 1 });
    const second = await propose(needId, resourceId, { idempotencyKey: 'retry-1', units: 1 });
    expect(second.data!.proposeReferral.referral!.id).toBe(first.data!.proposeReferral.referral!.id);
    expect((await hub.db.select().from(referrals).where(eq(referrals.needId, needId))).length).toBe(1);
    expect(await held(resourceId)).toBe(1);
  });

  it('expires proposals nobody answered in time and puts their needs back in the pool', async () => {
    const { needId } = await needOf(2);
    const resourceId = await resourceOf(5);
    const id = (await propose(needId, resourceId)).data!.proposeReferral.referral!.id;
    expect(await expireOverdueReferrals(hub.db, new Date(Date.now() + 86_400_000))).toEqual([]);
    // The scheduled job expires it, and tells subscribers to the need's status.
    const heard = hubPubSub.subscribe(TOPICS.needStatusChanged)[Symbol.asyncIterator]();
    const expire = hubJobs(60_000).find((job) => job.name === 'referrals.expire')!;
    const expired = await expire.run(hub.db, new Date(Date.now() + 4 * 86_400_000));
    expect(expired).toBeGreaterThanOrEqual(1);
    // One event per need put back (earlier tests' proposals may expire too).
    const events: unknown[] = [];
    for (let i = 0; i < expired; i += 1) {
      const event = await Promise.race([heard.next(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000))]);
      if (!event) break;
      events.push(event.value);
    }
    await heard.return?.();
    expect(events).toContainEqual({ needId });
    const status = await hub.run<{ node: { status: string } }>(`query($id: ID!) { node(id: $id) { ... on Referral { status } } }`, { id });
    expect(status.data!.node.status).toBe('EXPIRED');
    expect(await held(resourceId)).toBe(0);
    expect(await needStatus(needId)).toBe('OPEN');
  });

  it('cancels live referrals when their need is withdrawn', async () => {
    const { needId } = await needOf(2);
    const resourceId = await resourceOf(5);
    await propose(needId, resourceId);
    const withdrawn = await hub.run<{ withdrawNeed: { userErrors: unknown[] } }>(
      `mutation($input: WithdrawNeedInput!) { withdrawNeed(input: $input) { userErrors { code } } }`,
      { input: { id: gid('Need', needId), reason: '家庭已搬离' } },
    );
    expect(withdrawn.data!.withdrawNeed.userErrors).toEqual([]);
    expect((await hub.db.select({ status: referrals.status }).from(referrals).where(eq(referrals.needId, needId))).map((r) => r.status)).toEqual(['CANCELLED']);
    expect(await held(resourceId)).toBe(0);
    expect((await hub.db.select().from(referralEvents)).some((e) => e.toStatus === 'CANCELLED' && e.reason?.startsWith('Need withdrawn'))).toBe(true);
  });

  it('checks compatibility unless overridden with a reason: the category must match in any case', async () => {
    const { needId } = await needOf(1);
    const elsewhere = await makePlace(hub.db);
    const far = await makeResource(hub.db, providerP, care, [{ level: 'DISTRICT', districtId: elsewhere.districtId }]);
    const refused = await propose(needId, far);
    expect(refused.data!.proposeReferral.userErrors).toEqual([expect.objectContaining({ field: ['input', 'resource'], code: 'OUT_OF_RANGE' })]);
    const overridden = await propose(needId, far, { override: true, reason: '本区无同类资源，跨区临时安排' });
    expect(overridden.data!.proposeReferral.referral?.status).toBe('PROPOSED');
    const { needId: other } = await needOf(1);
    const counselling = await makeResource(hub.db, providerP, (await categoryIds(hub.db)).PSYCHOLOGICAL_COUNSELLING!, [{ level: 'DISTRICT', districtId: place.districtId }]);
    const wrongCategory = await propose(other, counselling, { override: true });
    expect(wrongCategory.data!.proposeReferral.userErrors.map((e) => e.code)).toEqual(['INVALID']);
  });
});

const pg = TEST_DATABASE_URL ? describe : describe.skip;

pg('referrals under concurrency (needs a PostgreSQL server: set TEST_DATABASE_URL)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.close());

  /** A resource with 5 units and 200 one-unit needs it may serve. */
  async function resourceAndNeeds() {
    const place = await makePlace(hub.db);
    const care = (await categoryIds(hub.db)).CARE_NURSING!;
    const provider = await makeProvider(hub.db);
    const resourceId = await makeResource(hub.db, provider, care, [{ level: 'DISTRICT', districtId: place.districtId }]);
    await hub.db.update(resources).set({ capacity: 5 }).where(eq(resources.id, resourceId));
    const householdId = await makeHousehold(hub.db, place);
    const needRows = await hub.db
      .insert(needs)
      .values(Array.from({ length: 200 }, () => ({ householdId, categoryId: care, urgency: 'HIGH' as const, units: 1, earliestStart: '2026-01-01', ...place })))
      .returning({ id: needs.id });
    return { resourceId, needRows };
  }

  it('200 concurrent proposals against a resource with 5 units: exactly 5 hold, the rest get CONFLICT, and capacity edits never let held exceed capacity', async () => {
    const { resourceId, needRows } = await resourceAndNeeds();
    const results = await Promise.all([
      ...needRows.map((need) =>
        hub.run<{ proposeReferral: { referral: { id: string } | null; userErrors: { code: string }[] } }>(
          `mutation($input: ProposeReferralInput!) { proposeReferral(input: $input) { referral { id } userErrors { code } } }`,
          { input: { need: gid('Need', need.id), resource: gid('Resource', resourceId), reason: '并发测试' } },
        ),
      ),
      // Capacity edits racing the proposals: each is either applied or refused, never breaking the rule.
      ...[4, 6, 5].map((capacity) =>
        hub.run(`mutation($input: UpdateResourceInput!) { updateResource(input: $input) { userErrors { code } } }`, { input: { id: gid('Resource', resourceId), capacity } }),
      ),
    ]);
    const proposals = results.slice(0, 200) as { data?: { proposeReferral: { referral: unknown; userErrors: { code: string }[] } } | null; errors?: unknown }[];
    expect(proposals.every((r) => r.errors === undefined)).toBe(true);
    const accepted = proposals.filter((r) => r.data!.proposeReferral.referral !== null);
    const refused = proposals.filter((r) => r.data!.proposeReferral.referral === null);
    const [row] = await hub.db.select({ held: resources.heldUnits, capacity: resources.capacity }).from(resources).where(eq(resources.id, resourceId));
    const live = await hub.db.select({ units: referrals.units }).from(referrals).where(eq(referrals.resourceId, resourceId));
    expect(row!.held).toBe(live.reduce((total, r) => total + r.units, 0));
    expect(row!.held).toBeLessThanOrEqual(row!.capacity);
    expect(accepted.length).toBe(row!.held);
    expect(accepted.length).toBeGreaterThanOrEqual(4);
    expect(accepted.length).toBeLessThanOrEqual(6);
    expect(refused.every((r) => r.data!.proposeReferral.userErrors.map((e) => e.code).join() === 'CONFLICT')).toBe(true);
  });

  it('exactly 5 of 200 concurrent proposals hold when capacity stays 5', async () => {
    const { resourceId, needRows } = await resourceAndNeeds();
    const results = await Promise.all(
      needRows.map((need) =>
        hub.run<{ proposeReferral: { referral: unknown; userErrors: { code: string }[] } }>(
          `mutation($input: ProposeReferralInput!) { proposeReferral(input: $input) { referral { id } userErrors { code } } }`,
          { input: { need: gid('Need', need.id), resource: gid('Resource', resourceId), reason: '并发测试' } },
        ),
      ),
    );
    expect(results.filter((r) => r.data!.proposeReferral.referral !== null)).toHaveLength(5);
    expect(results.filter((r) => r.data!.proposeReferral.userErrors[0]?.code === 'CONFLICT')).toHaveLength(195);
    expect((await hub.db.select({ held: resources.heldUnits }).from(resources).where(eq(resources.id, resourceId)))[0]!.held).toBe(5);
  });

  it('10 concurrent retries with one idempotency key make one referral and all return it', async () => {
    const place = await makePlace(hub.db);
    const care = (await categoryIds(hub.db)).CARE_NURSING!;
    const resourceId = await makeResource(hub.db, await makeProvider(hub.db), care, [{ level: 'DISTRICT', districtId: place.districtId }]);
    const householdId = await makeHousehold(hub.db, place);
    const [need] = await hub.db.insert(needs).values({ householdId, categoryId: care, urgency: 'HIGH', units: 2, earliestStart: '2026-01-01', ...place }).returning({ id: needs.id });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        hub.run<{ proposeReferral: { referral: { id: string } | null; userErrors: unknown[] } }>(
          `mutation($input: ProposeReferralInput!) { proposeReferral(input: $input) { referral { id } userErrors { code } } }`,
          { input: { need: gid('Need', need!.id), resource: gid('Resource', resourceId), units: 1, reason: '重试', idempotencyKey: 'same-key-race' } },
        ),
      ),
    );
    expect(results.every((r) => r.errors === undefined)).toBe(true);
    expect(new Set(results.map((r) => r.data!.proposeReferral.referral?.id)).size).toBe(1);
    expect((await hub.db.select().from(referrals).where(eq(referrals.needId, need!.id))).length).toBe(1);
    expect((await hub.db.select({ held: resources.heldUnits }).from(resources).where(eq(resources.id, resourceId)))[0]!.held).toBe(1);
  });
});
