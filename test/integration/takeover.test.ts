import { and, eq, inArray, sql } from 'drizzle-orm';
import { PUBLIC_PRINCIPAL } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { auditLog, needs, organizations, purchaseContracts, referralEvents, referrals, resources, takeoverTransfers } from '../../src/db/schema';
import { hubPubSub, TOPICS } from '../../src/server/pubsub';
import type { ReferralProposedEvent } from '../../src/modules/referrals/referrals.subscriptions';
import postgres from 'postgres';
import { rowsOf } from '../../src/db/rows';
import { databaseUrl, TEST_DATABASE_URL } from '../support/database';
import { categoryIds, gid, makePlace, makeProvider, type Place } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';
import { makeCaseOwner, makeContract, makePurchaser, makeReferral, makeServedNeed, makeServiceResource, principal } from './oversight.factories';

const LIVE = ['PROPOSED', 'ACCEPTED', 'IN_SERVICE'] as const;

const SET_PLAN = `mutation($input: SetTakeoverPlanInput!) { setTakeoverPlan(input: $input) { plan { contract note standInProvider { id } resources { category { code } resource { id } } } userErrors { field code message } } }`;
const ACTIVATE = `mutation($input: ActivateTakeoverInput!) { activateTakeover(input: $input) { activation { contract reason liveBefore transferred casesAffected capacityAdded standInProvider { id } } userErrors { field code message } } }`;
const ACCEPT = `mutation($input: ReferralStepInput!) { acceptReferral(input: $input) { referral { id status } userErrors { code } } }`;

type PlanResult = { setTakeoverPlan: { plan: unknown; userErrors: { field: string[]; code: string; message: string }[] } };
type ActivationResult = {
  activateTakeover: {
    activation: { liveBefore: number; transferred: number; casesAffected: number; capacityAdded: number; reason: string; standInProvider: { id: string } } | null;
    userErrors: { field: string[]; code: string; message: string }[];
  };
};

/** Takeover plans (临时接管预案) and their activation: every live referral of a contract moves to the stand-in at once. */
describe('takeover', () => {
  let hub: TestHub;
  let place: Place;
  let care: number;
  let meals: number;
  let purchaser: number;
  let caseworker: number;
  const bureau = () => principal('district-bureau', [Role.DISTRICT_CIVIL_AFFAIRS], { districtIds: [place.districtId] });

  beforeAll(async () => {
    hub = await startTestHub();
    place = await makePlace(hub.db);
    const categories = await categoryIds(hub.db);
    care = categories.CARE_NURSING!;
    meals = Object.entries(categories).find(([code]) => code !== 'CARE_NURSING')![1];
    purchaser = await makePurchaser(hub.db, place);
    caseworker = await makeCaseOwner(hub.db, place);
  });
  afterAll(() => hub.close());

  /** A failing provider's contract with one resource of capacity `capacity`, and an ACTIVE stand-in with one resource. */
  async function contractWithStandIn(capacity: number, standInCapacity: number) {
    const provider = await makeProvider(hub.db);
    const standIn = await makeProvider(hub.db);
    const { contractId } = await makeContract(hub.db, place, purchaser, provider, care);
    const resourceId = await makeServiceResource(hub.db, place, provider, care, capacity, contractId);
    const standInResource = await makeServiceResource(hub.db, place, standIn, care, standInCapacity);
    return { provider, standIn, contractId, resourceId, standInResource };
  }

  const setPlan = (contractId: number, standIn: number, resourceIds: number[], viewer = bureau()) =>
    hub.run<PlanResult>(SET_PLAN, { input: { contract: gid('PurchaseContract', contractId), standInProvider: gid('Organization', standIn), standInResources: resourceIds.map((id) => gid('Resource', id)), note: '接管方已书面确认' } }, { viewer });

  const activate = (contractId: number, viewer = bureau(), reason = 'PROVIDER_CANNOT_DELIVER') =>
    hub.run<ActivationResult>(ACTIVATE, { input: { contract: gid('PurchaseContract', contractId), reason, note: '机构停业' } }, { viewer });

  const liveUnder = async (resourceId: number) =>
    Number((await hub.db.select({ n: sql<number>`count(*)` }).from(referrals).where(and(eq(referrals.resourceId, resourceId), inArray(referrals.status, [...LIVE]))))[0]!.n);
  const resource = async (id: number) => (await hub.db.select().from(resources).where(eq(resources.id, id)))[0]!;

  it('moves all 50 live referrals to the stand-in in one transaction: history kept, held units moved, capacity raised, contract TAKEN_OVER, stand-in notified', async () => {
    const { provider, standIn, contractId, resourceId, standInResource } = await contractWithStandIn(60, 30);
    // The stand-in already serves someone with 5 of its 30 units; 50 more need 25 units it does not have.
    const own = await makeServedNeed(hub.db, place, caseworker, care, 5);
    await makeReferral(hub.db, own, standInResource, standIn, 5, 'ACCEPTED');
    const statuses = Array.from({ length: 50 }, (_, i) => LIVE[i % 3]!);
    const oldIds: number[] = [];
    const needIds: number[] = [];
    for (const status of statuses) {
      const need = await makeServedNeed(hub.db, place, caseworker, care, 1);
      needIds.push(need.needId);
      oldIds.push(await makeReferral(hub.db, need, resourceId, provider, 1, status));
    }
    const done = await makeReferral(hub.db, await makeServedNeed(hub.db, place, caseworker, care, 1), resourceId, provider, 1, 'COMPLETED', 5);
    expect(await liveUnder(resourceId)).toBe(50);
    expect((await resource(resourceId)).heldUnits).toBe(50);

    const plan = await setPlan(contractId, standIn, [standInResource]);
    expect(plan.errors).toBeUndefined();
    expect(plan.data!.setTakeoverPlan.userErrors).toEqual([]);

    const inbox = hubPubSub.subscribe(TOPICS.referralProposed)[Symbol.asyncIterator]();
    const result = await activate(contractId);
    expect(result.errors).toBeUndefined();
    expect(result.data!.activateTakeover).toEqual({
      activation: { contract: gid('PurchaseContract', contractId), liveBefore: 50, transferred: 50, casesAffected: 50, capacityAdded: 25, reason: 'PROVIDER_CANNOT_DELIVER', standInProvider: { id: gid('Organization', standIn) } },
      userErrors: [],
    });

    // Nothing dropped: 50 live before under the contract, 0 after, 50 more live with the stand-in.
    expect(await liveUnder(resourceId)).toBe(0);
    expect(await liveUnder(standInResource)).toBe(51);
    // The side effects are audited under what they changed: the contract, its closed resource, the stand-in's.
    const audited = async (entityType: string, entityId: number) =>
      (await hub.db.select().from(auditLog).where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))).map((e) => e.fields);
    expect(await audited('PurchaseContract', contractId)).toContainEqual(['endReason', 'endedAt', 'status']);
    expect(await audited('Resource', resourceId)).toContainEqual(['closedAt', 'closureReason', 'status']);
    expect(await audited('Resource', standInResource)).toContainEqual(['capacity', 'heldUnits']);
    const old = await hub.db.select().from(referrals).where(inArray(referrals.id, oldIds));
    expect(old.every((r) => r.status === 'TRANSFERRED')).toBe(true);
    const transfers = await hub.db.select().from(takeoverTransfers).where(inArray(takeoverTransfers.fromReferralId, oldIds));
    expect(transfers).toHaveLength(50);
    expect(transfers.every((t) => t.caseId !== null)).toBe(true);
    const moved = await hub.db.select().from(referrals).where(inArray(referrals.id, transfers.map((t) => t.toReferralId)));
    const byId = new Map(moved.map((r) => [r.id, r]));
    for (const t of transfers) {
      const from = old.find((r) => r.id === t.fromReferralId)!;
      const to = byId.get(t.toReferralId)!;
      // Same need, household and units; the same stage of service, now with the stand-in.
      expect({ needId: to.needId, householdId: to.householdId, units: to.units, providerId: to.providerId, resourceId: to.resourceId }).toEqual({
        needId: from.needId,
        householdId: from.householdId,
        units: from.units,
        providerId: standIn,
        resourceId: standInResource,
      });
      expect(to.status).toBe(statuses[oldIds.indexOf(from.id)]);
    }
    // History: each old referral's last step is TRANSFERRED with the reason; each new one starts with it.
    const events = await hub.db.select().from(referralEvents).where(inArray(referralEvents.referralId, [...oldIds, ...moved.map((r) => r.id)]));
    const transferredSteps = events.filter((e) => e.toStatus === 'TRANSFERRED');
    expect(transferredSteps).toHaveLength(50);
    expect(transferredSteps.every((e) => e.actor === 'district-bureau' && e.reason!.includes('承接主体无法履约') && e.reason!.includes('机构停业'))).toBe(true);
    expect(events.filter((e) => e.fromStatus === null && moved.some((r) => r.id === e.referralId))).toHaveLength(50);

    // Held units: off the closed contract resource, onto the stand-in's, whose capacity grew by exactly the shortfall.
    const failed = await resource(resourceId);
    expect(failed).toMatchObject({ heldUnits: 0, status: 'CLOSED' });
    expect(await resource(standInResource)).toMatchObject({ heldUnits: 55, capacity: 55 });
    expect((await hub.db.select({ status: purchaseContracts.status }).from(purchaseContracts).where(eq(purchaseContracts.id, contractId)))[0]!.status).toBe('TAKEN_OVER');
    expect((await hub.db.select({ status: referrals.status }).from(referrals).where(eq(referrals.id, done)))[0]!.status).toBe('COMPLETED');
    const needStatuses = await hub.db.selectDistinct({ status: needs.status }).from(needs).where(inArray(needs.id, needIds));
    expect(needStatuses).toEqual([{ status: 'MATCHED' }]);

    // The stand-in heard of every referral it received, on the existing referralProposed topic.
    const heard: ReferralProposedEvent[] = [];
    for (let i = 0; i < 50; i += 1) heard.push((await inbox.next()).value as ReferralProposedEvent);
    await inbox.return?.();
    expect(heard.every((e) => e.providerId === standIn)).toBe(true);
    expect(new Set(heard.map((e) => e.referralId))).toEqual(new Set(moved.map((r) => r.id)));

    // The moved referral's own history reads through the graph as well.
    const history = await hub.run<{ node: { history: { nodes: { fromStatus: string | null; toStatus: string }[] } } }>(
      `query($id: ID!) { node(id: $id) { ... on Referral { history { nodes { fromStatus toStatus } } } } }`,
      { id: gid('Referral', oldIds[1]!) },
    );
    expect(history.data!.node.history.nodes).toEqual([
      { fromStatus: null, toStatus: 'PROPOSED' },
      { fromStatus: 'PROPOSED', toStatus: 'ACCEPTED' },
      { fromStatus: 'ACCEPTED', toStatus: 'TRANSFERRED' },
    ]);
    // A contract is taken over once.
    expect((await activate(contractId)).data!.activateTakeover.userErrors.map((e) => e.code)).toEqual(['INVALID_STATE']);
  });

  it('refuses, moving nothing, when the stand-in is banned by then or the contract has no plan', async () => {
    const { provider, standIn, contractId, resourceId, standInResource } = await contractWithStandIn(10, 10);
    for (let i = 0; i < 3; i += 1) await makeReferral(hub.db, await makeServedNeed(hub.db, place, caseworker, care, 1), resourceId, provider, 1, 'ACCEPTED');
    const noPlan = await activate(contractId);
    expect(noPlan.data!.activateTakeover).toEqual({ activation: null, userErrors: [{ field: ['input', 'contract'], code: 'INVALID_STATE', message: 'The contract has no takeover plan' }] });
    expect((await setPlan(contractId, standIn, [standInResource])).data!.setTakeoverPlan.userErrors).toEqual([]);
    await hub.db.update(organizations).set({ providerStatus: 'BANNED', bannedUntil: '2099-12-31' }).where(eq(organizations.id, standIn));
    const refused = await activate(contractId);
    expect(refused.data!.activateTakeover.activation).toBeNull();
    expect(refused.data!.activateTakeover.userErrors.map((e) => e.message)).toEqual(['The stand-in provider is suspended or banned']);
    expect(await liveUnder(resourceId)).toBe(3);
    expect(await resource(resourceId)).toMatchObject({ heldUnits: 3, status: 'ACTIVE' });
    expect((await hub.db.select({ status: purchaseContracts.status }).from(purchaseContracts).where(eq(purchaseContracts.id, contractId)))[0]!.status).toBe('ACTIVE');
  });

  it('validates plans: another provider, its own active resources, every catalogue item of the contract covered', async () => {
    const { provider, standIn, contractId, standInResource } = await contractWithStandIn(10, 10);
    await makeServiceResource(hub.db, place, provider, meals, 5, contractId);
    const otherProvidersResource = await makeServiceResource(hub.db, place, await makeProvider(hub.db), care, 5);
    const self = await setPlan(contractId, provider, []);
    expect(self.data!.setTakeoverPlan.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.standInProvider', 'INVALID']]);
    const foreign = await setPlan(contractId, standIn, [otherProvidersResource]);
    expect(foreign.data!.setTakeoverPlan.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.standInResources.0', 'INVALID']]);
    const partial = await setPlan(contractId, standIn, [standInResource]);
    expect(partial.data!.setTakeoverPlan.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.standInResources', 'REQUIRED']]);
    const mealsOfStandIn = await makeServiceResource(hub.db, place, standIn, meals, 5);
    const full = await setPlan(contractId, standIn, [standInResource, mealsOfStandIn]);
    expect(full.data!.setTakeoverPlan.userErrors).toEqual([]);
    expect(full.data!.setTakeoverPlan.plan).toMatchObject({ contract: gid('PurchaseContract', contractId), standInProvider: { id: gid('Organization', standIn) } });
  });

  it('lets only civil affairs in scope plan and activate; the providers named read the plan', async () => {
    const { provider, standIn, contractId, standInResource } = await contractWithStandIn(10, 10);
    const otherBureau = principal('other-bureau', [Role.DISTRICT_CIVIL_AFFAIRS], { districtIds: [(await makePlace(hub.db)).districtId] });
    const staff = principal('provider-staff', [Role.PROVIDER_STAFF], { organizationId: provider });
    const finance = principal('finance', [Role.FINANCE_OFFICER]);
    for (const viewer of [otherBureau, staff, finance]) {
      expect((await setPlan(contractId, standIn, [standInResource], viewer)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    }
    expect((await setPlan(contractId, standIn, [standInResource])).data!.setTakeoverPlan.userErrors).toEqual([]);
    for (const viewer of [otherBureau, staff, finance]) expect((await activate(contractId, viewer)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await activate(contractId, PUBLIC_PRINCIPAL)).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');

    const READ = `query($c: ID!) { takeoverPlan(contract: $c) { standInProvider { id } } }`;
    const standInStaff = principal('stand-in-staff', [Role.PROVIDER_STAFF], { organizationId: standIn });
    expect((await hub.run<{ takeoverPlan: unknown }>(READ, { c: gid('PurchaseContract', contractId) }, { viewer: standInStaff })).data!.takeoverPlan).toEqual({ standInProvider: { id: gid('Organization', standIn) } });
    expect((await hub.run(READ, { c: gid('PurchaseContract', contractId) }, { viewer: staff })).errors).toBeUndefined();
    expect((await hub.run(READ, { c: gid('PurchaseContract', contractId) }, { viewer: otherBureau })).errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  /**
   * Two orders of a provider's accept and a takeover, forced rather than hoped for: a third
   * transaction holds a row one side needs next, until the other side is waiting on the first.
   */
  describe('a provider accepting during the takeover (needs a PostgreSQL server: set TEST_DATABASE_URL)', () => {
    const pg = TEST_DATABASE_URL ? it : it.skip;
    let monitor: postgres.Sql | undefined;
    afterAll(() => monitor?.end());

    async function waitingOnLocks(count: number): Promise<void> {
      const [{ name }] = rowsOf<{ name: string }>(await hub.db.execute(sql`select current_database() as name`)) as [{ name: string }];
      monitor ??= postgres(databaseUrl(TEST_DATABASE_URL!, name), { max: 1, onnotice: () => undefined });
      for (let tries = 0; tries < 500; tries += 1) {
        const [row] = await monitor`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
        if ((row as { n: number }).n >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`Fewer than ${count} transactions came to wait on a lock`);
    }

    /** Holds the rows `lock` selects FOR UPDATE until `release` is called. */
    async function hold(lock: ReturnType<typeof sql>) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let held!: () => void;
      const isHeld = new Promise<void>((resolve) => (held = resolve));
      const done = hub.db.transaction(async (tx) => {
        await tx.execute(lock);
        held();
        await released;
      });
      await isHeld;
      return { release, done };
    }

    async function twoProposals() {
      const setup = await contractWithStandIn(10, 10);
      const needsOf = [await makeServedNeed(hub.db, place, caseworker, care, 1), await makeServedNeed(hub.db, place, caseworker, care, 1)];
      const ids = [await makeReferral(hub.db, needsOf[0]!, setup.resourceId, setup.provider, 1, 'PROPOSED'), await makeReferral(hub.db, needsOf[1]!, setup.resourceId, setup.provider, 1, 'PROPOSED')];
      expect((await setPlan(setup.contractId, setup.standIn, [setup.standInResource])).data!.setTakeoverPlan.userErrors).toEqual([]);
      const staff = principal('failing-staff', [Role.PROVIDER_STAFF], { organizationId: setup.provider });
      const accept = (id: number) => hub.run<{ acceptReferral: { referral: { status: string } | null; userErrors: { code: string }[] } }>(ACCEPT, { input: { id: gid('Referral', id) } }, { viewer: staff });
      return { ...setup, ids, needIds: needsOf.map((n) => n.needId), accept };
    }

    async function nothingLeftWithFailedProvider(setup: { provider: number; resourceId: number; standInResource: number }, standInStatus: string) {
      expect(await hub.db.select({ id: referrals.id }).from(referrals).where(and(eq(referrals.providerId, setup.provider), inArray(referrals.status, [...LIVE])))).toEqual([]);
      const withStandIn = await hub.db.select({ status: referrals.status }).from(referrals).where(and(eq(referrals.resourceId, setup.standInResource), inArray(referrals.status, [...LIVE])));
      expect(withStandIn.map((r) => r.status)).toEqual([standInStatus, standInStatus]);
      expect(await resource(setup.resourceId)).toMatchObject({ heldUnits: 0 });
      expect(await resource(setup.standInResource)).toMatchObject({ heldUnits: 2 });
    }

    pg('takeover first: the accepts wait, then find their referrals TRANSFERRED', async () => {
      const setup = await twoProposals();
      // The takeover locks the live referrals, then the stand-in's row: held here, so it stops in between.
      const blocker = await hold(sql`select id from ${organizations} where id = ${setup.standIn} for update`);
      const takeover = activate(setup.contractId);
      await waitingOnLocks(1);
      const accepts = Promise.all(setup.ids.map(setup.accept));
      await waitingOnLocks(3);
      blocker.release();
      await blocker.done;
      const [moved, answers] = await Promise.all([takeover, accepts]);
      expect(moved.data!.activateTakeover.activation).toMatchObject({ liveBefore: 2, transferred: 2 });
      expect(answers.map((a) => a.data!.acceptReferral)).toEqual([
        { referral: null, userErrors: [{ code: 'INVALID_STATE' }] },
        { referral: null, userErrors: [{ code: 'INVALID_STATE' }] },
      ]);
      await nothingLeftWithFailedProvider(setup, 'PROPOSED');
    });

    pg('accept first: the takeover waits, then moves the referrals as ACCEPTED', async () => {
      const setup = await twoProposals();
      // An accept locks its referral, then its need: needs held here, so the accepts stop in between.
      const blocker = await hold(sql`select id from ${needs} where ${inArray(needs.id, setup.needIds)} for update`);
      const accepts = Promise.all(setup.ids.map(setup.accept));
      await waitingOnLocks(2);
      const takeover = activate(setup.contractId);
      await waitingOnLocks(3);
      blocker.release();
      await blocker.done;
      const [answers, moved] = await Promise.all([accepts, takeover]);
      expect(answers.map((a) => a.data!.acceptReferral.referral?.status)).toEqual(['ACCEPTED', 'ACCEPTED']);
      expect(moved.data!.activateTakeover.activation).toMatchObject({ liveBefore: 2, transferred: 2 });
      await nothingLeftWithFailedProvider(setup, 'ACCEPTED');
    });
  });
});
