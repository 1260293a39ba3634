import { count, eq } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { todayInShanghai } from '../../src/common/dates';
import { bids, organizations, purchaseContracts, purchaseProjectEvents, purchaseProjectItems, purchaseProjects, referrals, resourceServiceAreas, resources } from '../../src/db/schema';
import { missingContractTerms, splitQuantity } from '../../src/modules/contracts/contracts.service';
import { categoryIds, gid, makeHousehold, makeNeed, makePlace, makeProvider, makeResource, makeStreetOffice, type Place } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';
import { TEST_DATABASE_URL } from '../support/database';
import { whileHeld } from '../support/race';
import { fromGlobalId } from '../../src/common/global-id';
import { makeReferral } from './oversight.factories';

/**
 * Purchase contracts (§3(5)2, §3(6), §3(7)): signing from an award with every missing term listed,
 * the contract's capacity as supply in the matching pool, no subcontracting, milestone payments
 * capped and approved by finance, the finance view, public disclosure and who may do what.
 * Awarded projects and bids are inserted directly (the procurement module builds them).
 */

interface UserError {
  field: string[];
  code: string;
  message: string;
}

const principal = (subject: string, roles: Role[], extra: Partial<Principal> = {}): Principal => ({ subject, organizationId: null, staffMemberId: null, roles, districtIds: [], streetIds: [], ...extra });
const finance = principal('finance-1', [Role.FINANCE_OFFICER]);
const PUBLIC: Principal = { subject: null, organizationId: null, staffMemberId: null, roles: [], districtIds: [], streetIds: [] };

const YEAR = Number(todayInShanghai().slice(0, 4));
const PROJECT_TERM = { start: `${YEAR}-01-01`, end: `${YEAR + 1}-12-31` };
const TERM = { start: `${YEAR}-01-01`, end: `${YEAR + 1}-06-30` };

const SIGN = `mutation($input: SignContractInput!) { signContract(input: $input) {
  contract { id project bid subject serviceStandard quantity termStart termEnd amountFen paymentMethod breachLiability disputeResolution status
    provider { id } areas { district { id } street { id } } milestones { id seq name dueOn amountFen }
    resources { id title capacity capacityPeriod availableFrom availableUntil cost status provider { id } category { id } serviceArea { level district { id } street { id } } } }
  userErrors { field code message } } }`;
const REQUEST = `mutation($input: RequestMilestonePaymentInput!) { requestMilestonePayment(input: $input) { payment { id amountFen status requestedBy } userErrors { field code message } } }`;
const APPROVE = `mutation($input: DecideMilestonePaymentInput!) { approveMilestonePayment(input: $input) { payment { id status decidedBy } userErrors { field code message } } }`;
const REJECT = `mutation($input: DecideMilestonePaymentInput!) { rejectMilestonePayment(input: $input) { payment { id status decisionReason } userErrors { field code message } } }`;
const END = `mutation($input: EndContractInput!) { endContract(input: $input) { contract { id status endReason resources { id status } } userErrors { field code message } } }`;

/** The database's own refusal: the message of the driver error behind drizzle's wrapper. */
async function refusedBy(write: PromiseLike<unknown>, pattern: RegExp): Promise<void> {
  const error = await Promise.resolve(write).then(
    () => undefined,
    (e: unknown) => e as Error & { cause?: Error },
  );
  expect(error).toBeDefined();
  expect(error!.cause?.message ?? error!.message).toMatch(pattern);
}

describe('purchase contracts', () => {
  let hub: TestHub;
  let categories: number[];

  beforeAll(async () => {
    hub = await startTestHub();
    const codes = await categoryIds(hub.db);
    categories = Object.values(codes);
  });
  afterAll(() => hub.close());

  interface Awarded {
    place: Place;
    projectId: number;
    providerId: number;
    purchaserId: number;
    officer: Principal;
    items: number[];
  }

  /** An AWARDED project of a street office, buying `items`, with the awarded bid of a new provider. */
  async function awardedProject(options: { items?: number[]; budgetFen?: number; quantity?: number; fiscalYear?: number; status?: 'AWARDED' | 'PROCUREMENT'; place?: Place } = {}): Promise<Awarded> {
    const place = options.place ?? (await makePlace(hub.db));
    const purchaserId = await makeStreetOffice(hub.db, place);
    const providerId = await makeProvider(hub.db);
    const items = options.items ?? [categories[0]!, categories[1]!];
    const [project] = await hub.db
      .insert(purchaseProjects)
      .values({
        purchaserId,
        districtId: place.districtId,
        streetId: place.streetId,
        title: '居家养老助餐服务项目',
        needsStudy: '需求调研报告',
        serviceStandard: '每日送餐一次',
        quantity: options.quantity ?? 100,
        budgetFen: options.budgetFen ?? 1_000_000,
        fiscalYear: options.fiscalYear ?? YEAR,
        termStart: PROJECT_TERM.start,
        termEnd: PROJECT_TERM.end,
        status: options.status ?? 'AWARDED',
        method: 'OPEN_TENDER',
      })
      .returning();
    await hub.db.insert(purchaseProjectItems).values(items.map((categoryId) => ({ projectId: project!.id, categoryId })));
    const [bid] = await hub.db.insert(bids).values({ projectId: project!.id, providerId, priceFen: 900_000, proposal: '服务方案', status: 'AWARDED' }).returning();
    await hub.db.update(purchaseProjects).set({ awardedBidId: bid!.id }).where(eq(purchaseProjects.id, project!.id));
    return { place, projectId: project!.id, providerId, purchaserId, items, officer: principal(`street-${place.streetId}`, [Role.STREET_OFFICER], { streetIds: [place.streetId] }) };
  }

  function fullTerms(awarded: Awarded, overrides: Record<string, unknown> = {}) {
    return {
      project: gid('PurchaseProject', awarded.projectId),
      subject: '为辖区低保老人提供助餐服务',
      serviceStandard: '每日一餐，营养均衡',
      quantity: 7,
      term: TERM,
      amountFen: 800_000,
      paymentMethod: '按节点支付',
      breachLiability: '违约按合同金额10%赔偿',
      disputeResolution: '提交上海仲裁委员会仲裁',
      areas: [gid('Street', awarded.place.streetId)],
      milestones: [
        { name: '签约后', dueOn: `${YEAR}-02-01`, amountFen: 300_000 },
        { name: '终期评估后', dueOn: `${YEAR + 1}-06-30`, amountFen: 500_000 },
      ],
      ...overrides,
    };
  }

  type SignPayload = { contract: { id: string; [key: string]: unknown } | null; userErrors: UserError[] };

  async function sign(input: Record<string, unknown>, viewer: Principal) {
    const result = await hub.run<{ signContract: SignPayload }>(SIGN, { input }, { viewer });
    return result;
  }

  async function signed(awarded: Awarded, overrides: Record<string, unknown> = {}, viewer: Principal = awarded.officer) {
    const result = await sign(fullTerms(awarded, overrides), viewer);
    expect(result.errors).toBeUndefined();
    expect(result.data!.signContract.userErrors).toEqual([]);
    return result.data!.signContract.contract as {
      id: string;
      milestones: { id: string; amountFen: number }[];
      resources: { id: string; capacity: number; [key: string]: unknown }[];
      [key: string]: unknown;
    };
  }

  type PaymentPayload = { payment: { id: string; amountFen: number; status: string; [key: string]: unknown } | null; userErrors: UserError[] };
  const request = (milestone: string, amountFen: number | null, viewer: Principal) => hub.run<{ requestMilestonePayment: PaymentPayload }>(REQUEST, { input: { milestone, amountFen } }, { viewer });
  const approve = (payment: string, viewer: Principal) => hub.run<{ approveMilestonePayment: PaymentPayload }>(APPROVE, { input: { payment } }, { viewer });

  async function contractCount(projectId: number): Promise<number> {
    const [row] = await hub.db.select({ n: count() }).from(purchaseContracts).where(eq(purchaseContracts.projectId, projectId));
    return Number(row!.n);
  }

  describe('signing', () => {
    it('lists every missing term, one error each, writes nothing; then the complete contract is signed and the project CONTRACTED', async () => {
      const awarded = await awardedProject();
      const lacking = fullTerms(awarded, { subject: null, quantity: null, term: null, amountFen: null, paymentMethod: '  ', breachLiability: null, disputeResolution: null, serviceStandard: null });
      const refused = await sign(lacking, awarded.officer);
      expect(refused.errors).toBeUndefined();
      expect(refused.data!.signContract.contract).toBeNull();
      const errors = refused.data!.signContract.userErrors;
      expect(errors.map((e) => [e.field.join('.'), e.code])).toEqual([
        ['input.subject', 'MISSING_CONTRACT_TERM'],
        ['input.serviceStandard', 'MISSING_CONTRACT_TERM'],
        ['input.quantity', 'MISSING_CONTRACT_TERM'],
        ['input.term', 'MISSING_CONTRACT_TERM'],
        ['input.amountFen', 'MISSING_CONTRACT_TERM'],
        ['input.paymentMethod', 'MISSING_CONTRACT_TERM'],
        ['input.breachLiability', 'MISSING_CONTRACT_TERM'],
        ['input.disputeResolution', 'MISSING_CONTRACT_TERM'],
      ]);
      expect(errors[3]!.message).toContain('服务期限');

      // One term missing: exactly that one is named.
      const oneMissing = await sign(fullTerms(awarded, { disputeResolution: undefined }), awarded.officer);
      expect(oneMissing.data!.signContract.userErrors).toEqual([{ field: ['input', 'disputeResolution'], code: 'MISSING_CONTRACT_TERM', message: expect.stringContaining('dispute resolution') }]);
      expect(await contractCount(awarded.projectId)).toBe(0);
      expect((await hub.db.select().from(purchaseProjects).where(eq(purchaseProjects.id, awarded.projectId)))[0]!.status).toBe('AWARDED');

      const contract = await signed(awarded);
      expect(contract).toMatchObject({
        project: gid('PurchaseProject', awarded.projectId),
        subject: '为辖区低保老人提供助餐服务',
        quantity: 7,
        termStart: TERM.start,
        termEnd: TERM.end,
        amountFen: 800_000,
        status: 'ACTIVE',
        provider: { id: gid('Organization', awarded.providerId) },
        areas: [{ district: { id: gid('District', awarded.place.districtId) }, street: { id: gid('Street', awarded.place.streetId) } }],
        milestones: [
          { seq: 1, name: '签约后', amountFen: 300_000 },
          { seq: 2, name: '终期评估后', amountFen: 500_000 },
        ],
      });
      const [project] = await hub.db.select().from(purchaseProjects).where(eq(purchaseProjects.id, awarded.projectId));
      expect(project!.status).toBe('CONTRACTED');
      const events = await hub.db.select().from(purchaseProjectEvents).where(eq(purchaseProjectEvents.projectId, awarded.projectId));
      expect(events.map((e) => [e.fromStatus, e.toStatus, e.actor])).toEqual([['AWARDED', 'CONTRACTED', awarded.officer.subject]]);

      // A second contract for the project is refused: it is no longer AWARDED.
      const again = await sign(fullTerms(awarded), awarded.officer);
      expect(again.data!.signContract.userErrors).toEqual([expect.objectContaining({ field: ['input', 'project'], code: 'INVALID_STATE' })]);
      expect(await contractCount(awarded.projectId)).toBe(1);
    });

    it('refuses an amount over the budget, a quantity over the project’s, a term outside it, milestones over the amount and areas outside the purchaser’s street', async () => {
      const awarded = await awardedProject({ budgetFen: 500_000, quantity: 10 });
      const elsewhere = await makePlace(hub.db, { districtId: awarded.place.districtId });
      const refused = await sign(
        fullTerms(awarded, {
          amountFen: 600_000,
          quantity: 11,
          term: { start: `${YEAR - 1}-12-01`, end: TERM.end },
          milestones: [{ name: '一次性', dueOn: `${YEAR}-03-01`, amountFen: 700_000 }],
          areas: [gid('Street', awarded.place.streetId), gid('Street', elsewhere.streetId), gid('Committee', awarded.place.committeeId)],
        }),
        awarded.officer,
      );
      expect(refused.data!.signContract.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([
        ['input.quantity', 'OUT_OF_RANGE'],
        ['input.term', 'OUT_OF_RANGE'],
        ['input.amountFen', 'OUT_OF_RANGE'],
        ['input.areas.1', 'OUT_OF_RANGE'],
        ['input.areas.2', 'NOT_FOUND'],
        ['input.milestones', 'OUT_OF_RANGE'],
      ]);
      expect(await contractCount(awarded.projectId)).toBe(0);
    });

    it('refuses an amount above the awarded price, even within the budget, naming the price', async () => {
      const awarded = await awardedProject({ budgetFen: 1_000_000 });
      const refused = await sign(fullTerms(awarded, { amountFen: 950_000, milestones: [{ name: '一次性', dueOn: `${YEAR}-03-01`, amountFen: 950_000 }] }), awarded.officer);
      expect(refused.data!.signContract.userErrors).toEqual([{ field: ['input', 'amountFen'], code: 'OUT_OF_RANGE', message: expect.stringContaining('awarded price of 900000 fen') }]);
      expect(await contractCount(awarded.projectId)).toBe(0);
      await signed(awarded, { amountFen: 900_000, milestones: [{ name: '一次性', dueOn: `${YEAR}-03-01`, amountFen: 900_000 }] });
    });

    it('refuses a project that is not AWARDED, and purchasers outside the project’s street', async () => {
      const inProcurement = await awardedProject({ status: 'PROCUREMENT' });
      const refused = await sign(fullTerms(inProcurement), inProcurement.officer);
      expect(refused.data!.signContract.userErrors).toEqual([expect.objectContaining({ field: ['input', 'project'], code: 'INVALID_STATE' })]);

      const awarded = await awardedProject();
      const other = await makePlace(hub.db);
      const outsider = await sign(fullTerms(awarded), principal('street-other', [Role.STREET_OFFICER], { streetIds: [other.streetId] }));
      expect(outsider.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const provider = await sign(fullTerms(awarded), principal('provider-staff', [Role.PROVIDER_STAFF], { organizationId: awarded.providerId }));
      expect(provider.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const districtBureau = await sign(fullTerms(awarded), principal('district-1', [Role.DISTRICT_CIVIL_AFFAIRS], { districtIds: [awarded.place.districtId] }));
      expect(districtBureau.data!.signContract.userErrors).toEqual([]);
      expect(await contractCount(awarded.projectId)).toBe(1);
    });

    it('knows the eight terms and splits the quantity evenly over the items', () => {
      expect(missingContractTerms({ subject: 'x', serviceStandard: ' ', quantity: 0, term: {}, amountFen: 1 })).toEqual(['serviceStandard', 'paymentMethod', 'breachLiability', 'disputeResolution']);
      expect(splitQuantity(7, 2)).toEqual([4, 3]);
      expect(splitQuantity(9, 3)).toEqual([3, 3, 3]);
      expect(splitQuantity(5, 1)).toEqual([5]);
    });
  });

  describe('capacity as supply', () => {
    it('creates one CONTRACT_FUNDED resource of the provider per item, in the contract’s areas and term, that matching finds for a compatible need', async () => {
      const awarded = await awardedProject();
      const contract = await signed(awarded);
      expect(contract.resources).toHaveLength(2);
      expect(contract.resources.map((r) => r.capacity)).toEqual([4, 3]);
      for (const [i, resource] of contract.resources.entries()) {
        expect(resource).toMatchObject({
          capacityPeriod: 'ONCE',
          availableFrom: TERM.start,
          availableUntil: TERM.end,
          cost: 'CONTRACT_FUNDED',
          status: 'ACTIVE',
          provider: { id: gid('Organization', awarded.providerId) },
          category: { id: gid('ServiceCategory', awarded.items[i]!) },
          serviceArea: [{ level: 'STREET', district: { id: gid('District', awarded.place.districtId) }, street: { id: gid('Street', awarded.place.streetId) } }],
        });
      }
      const rows = await hub.db.select().from(resources).where(eq(resources.providerId, awarded.providerId));
      expect(rows.every((r) => r.contractId !== null)).toBe(true);

      const household = await makeHousehold(hub.db, awarded.place);
      const need = await makeNeed(hub.db, household, awarded.place, awarded.items[0]!);
      const candidates = await hub.run<{ node: { candidates: { resource: { id: string }; freeUnits: number }[] } }>(
        `query($id: ID!) { node(id: $id) { ... on Need { candidates { resource { id } freeUnits } } } }`,
        { id: gid('Need', need) },
      );
      expect(candidates.errors).toBeUndefined();
      expect(candidates.data!.node.candidates).toContainEqual({ resource: { id: contract.resources[0]!.id }, freeUnits: 4 });

      const matched = await hub.run<{ matchNeedNow: { proposed: number } }>(`mutation($id: ID!) { matchNeedNow(id: $id) { proposed } }`, { id: gid('Need', need) });
      expect(matched.errors).toBeUndefined();
      expect(matched.data!.matchNeedNow.proposed).toBe(1);
      const [referral] = await hub.db.select().from(referrals).where(eq(referrals.needId, need));
      expect(referral).toMatchObject({ providerId: awarded.providerId, status: 'PROPOSED' });
      expect(contract.resources.map((r) => r.id)).toContain(gid('Resource', referral!.resourceId));
    });
  });

  describe('no subcontracting (严禁服务转包)', () => {
    it('the database refuses a contract resource of another provider, a change of a contract’s provider, and a referral moved to another resource', async () => {
      const awarded = await awardedProject();
      const contract = await signed(awarded);
      const contractId = Number((await hub.db.select().from(purchaseContracts).where(eq(purchaseContracts.projectId, awarded.projectId)))[0]!.id);
      const resourceId = (await hub.db.select().from(resources).where(eq(resources.contractId, contractId)))[0]!.id;
      const subcontractor = await makeProvider(hub.db);

      const insert = hub.db.insert(resources).values({
        providerId: subcontractor,
        categoryId: awarded.items[0]!,
        title: '转包',
        capacity: 5,
        capacityPeriod: 'ONCE',
        availableFrom: TERM.start,
        cost: 'CONTRACT_FUNDED',
        contractId,
      });
      await refusedBy(insert, /no subcontracting/);
      await refusedBy(hub.db.update(resources).set({ providerId: subcontractor }).where(eq(resources.id, resourceId)), /no subcontracting/);
      await refusedBy(hub.db.update(resources).set({ cost: 'FREE' }).where(eq(resources.id, resourceId)), /must be CONTRACT_FUNDED/);
      await refusedBy(hub.db.update(purchaseContracts).set({ providerId: subcontractor }).where(eq(purchaseContracts.id, contractId)), /cannot change/);

      // A referral to the contract's resource stays with it; another provider's resource cannot take it over by an update.
      const household = await makeHousehold(hub.db, awarded.place);
      const need = await makeNeed(hub.db, household, awarded.place, awarded.items[0]!);
      const proposed = await hub.run<{ proposeReferral: { referral: { id: string } | null; userErrors: UserError[] } }>(
        `mutation($input: ProposeReferralInput!) { proposeReferral(input: $input) { referral { id } userErrors { field code } } }`,
        { input: { need: gid('Need', need), resource: contract.resources[0]!.id, units: 1, reason: '合同服务', override: false } },
      );
      expect(proposed.data!.proposeReferral.userErrors).toEqual([]);
      const otherResource = await makeResource(hub.db, subcontractor, awarded.items[0]!, [{ level: 'STREET', districtId: awarded.place.districtId, streetId: awarded.place.streetId }]);
      const [referral] = await hub.db.select().from(referrals).where(eq(referrals.needId, need));
      await refusedBy(hub.db.update(referrals).set({ resourceId: otherResource, providerId: subcontractor }).where(eq(referrals.id, referral!.id)), /takeover plan/);
      await refusedBy(hub.db.update(referrals).set({ providerId: subcontractor }).where(eq(referrals.id, referral!.id)), /no subcontracting/);
      await refusedBy(
        hub.db.insert(referrals).values({ needId: need, resourceId, providerId: subcontractor, householdId: household, units: 1, reason: '转包', expiresAt: new Date(Date.now() + 86_400_000) }),
        /no subcontracting/,
      );
      const [after] = await hub.db.select().from(referrals).where(eq(referrals.id, referral!.id));
      expect(after).toMatchObject({ resourceId: referral!.resourceId, providerId: awarded.providerId });
    });

    it('the API refuses changing what the contract fixes of its resources, while the provider may edit the rest', async () => {
      const awarded = await awardedProject();
      const contract = await signed(awarded);
      const staff = principal('provider-staff', [Role.PROVIDER_STAFF], { organizationId: awarded.providerId });
      const UPDATE = `mutation($input: UpdateResourceInput!) { updateResource(input: $input) { resource { id title capacity } userErrors { field code } } }`;
      const refused = await hub.run<{ updateResource: { resource: unknown; userErrors: UserError[] } }>(
        UPDATE,
        { input: { id: contract.resources[0]!.id, capacity: 400, serviceArea: [{ area: gid('District', awarded.place.districtId) }], availableUntil: null } },
        { viewer: staff },
      );
      expect(refused.data!.updateResource.userErrors).toEqual([
        { field: ['input', 'capacity'], code: 'INVALID_STATE' },
        { field: ['input', 'availableUntil'], code: 'INVALID_STATE' },
        { field: ['input', 'serviceArea'], code: 'INVALID_STATE' },
      ]);
      const allowed = await hub.run<{ updateResource: { resource: { title: string; capacity: number }; userErrors: UserError[] } }>(UPDATE, { input: { id: contract.resources[0]!.id, title: '助餐服务（合同）' } }, { viewer: staff });
      expect(allowed.data!.updateResource).toEqual({ resource: { id: contract.resources[0]!.id, title: '助餐服务（合同）', capacity: 4 }, userErrors: [] });
    });

    it('a contract no longer in force takes no referrals, by hand or by matching', async () => {
      const awarded = await awardedProject();
      const contract = await signed(awarded);
      await hub.db.update(purchaseContracts).set({ status: 'TERMINATED', endedAt: new Date(), endReason: '违约' }).where(eq(purchaseContracts.projectId, awarded.projectId));
      const household = await makeHousehold(hub.db, awarded.place);
      const need = await makeNeed(hub.db, household, awarded.place, awarded.items[0]!);
      const proposed = await hub.run<{ proposeReferral: { referral: unknown; userErrors: UserError[] } }>(
        `mutation($input: ProposeReferralInput!) { proposeReferral(input: $input) { referral { id } userErrors { field code } } }`,
        { input: { need: gid('Need', need), resource: contract.resources[0]!.id, units: 1, reason: '试图转介', override: true } },
      );
      expect(proposed.data!.proposeReferral.userErrors).toEqual([{ field: ['input', 'resource'], code: 'INACTIVE' }]);
      const candidates = await hub.run<{ node: { candidates: { resource: { id: string } }[] } }>(`query($id: ID!) { node(id: $id) { ... on Need { candidates { resource { id } } } } }`, { id: gid('Need', need) });
      expect(candidates.data!.node.candidates.map((c) => c.resource.id)).not.toContain(contract.resources[0]!.id);
    });
  });

  describe('ending a contract', () => {
    it('is refused while referrals to its resources are live, then closes its resources', async () => {
      const awarded = await awardedProject();
      const contract = await signed(awarded);
      const household = await makeHousehold(hub.db, awarded.place);
      const need = await makeNeed(hub.db, household, awarded.place, awarded.items[0]!);
      const proposed = await hub.run<{ proposeReferral: { referral: { id: string } } }>(
        `mutation($input: ProposeReferralInput!) { proposeReferral(input: $input) { referral { id } } }`,
        { input: { need: gid('Need', need), resource: contract.resources[0]!.id, units: 1, reason: '合同服务', override: false } },
      );
      const end = { contract: contract.id, ending: 'COMPLETED', reason: '服务期满' };
      const refused = await hub.run<{ endContract: { contract: unknown; userErrors: UserError[] } }>(END, { input: end }, { viewer: awarded.officer });
      expect(refused.data!.endContract.userErrors).toEqual([expect.objectContaining({ field: ['input', 'contract'], code: 'CONFLICT' })]);

      await hub.run(`mutation($input: ReferralStepInput!) { cancelReferral(input: $input) { userErrors { code } } }`, { input: { id: proposed.data!.proposeReferral.referral.id, reason: '家庭搬离' } });
      const ended = await hub.run<{ endContract: { contract: { status: string; resources: { status: string }[] }; userErrors: UserError[] } }>(END, { input: end }, { viewer: awarded.officer });
      expect(ended.data!.endContract.userErrors).toEqual([]);
      expect(ended.data!.endContract.contract.status).toBe('COMPLETED');
      expect(ended.data!.endContract.contract.resources.map((r) => r.status)).toEqual(['CLOSED', 'CLOSED']);
      const again = await hub.run<{ endContract: { userErrors: UserError[] } }>(END, { input: end }, { viewer: awarded.officer });
      expect(again.data!.endContract.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_STATE' })]);
    });
  });

  // Embedded PGlite runs one transaction at a time: only a PostgreSQL server interleaves them.
  (TEST_DATABASE_URL ? it : it.skip)('ending waits for a referral taking units on its resources, then counts it (needs a PostgreSQL server: set TEST_DATABASE_URL)', async () => {
    const awarded = await awardedProject();
    const contract = await signed(awarded);
    const householdId = await makeHousehold(hub.db, awarded.place);
    const needId = await makeNeed(hub.db, householdId, awarded.place, awarded.items[0]!);
    // A proposal that has taken a unit on the resource but not committed yet.
    const result = await whileHeld(
      hub.db,
      (tx) => makeReferral(tx, { needId, householdId }, rowId(contract.resources[0]!.id), awarded.providerId, 1, 'PROPOSED'),
      () => hub.run<{ endContract: { contract: { status: string } | null; userErrors: UserError[] } }>(END, { input: { contract: contract.id, ending: 'COMPLETED', reason: '服务期满' } }, { viewer: awarded.officer }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.endContract.contract).toBeNull();
    expect(result.data!.endContract.userErrors).toEqual([expect.objectContaining({ field: ['input', 'contract'], code: 'CONFLICT' })]);
    const [row] = await hub.db.select({ status: purchaseContracts.status }).from(purchaseContracts).where(eq(purchaseContracts.projectId, awarded.projectId));
    expect(row!.status).toBe('ACTIVE');
  });

  (TEST_DATABASE_URL ? it : it.skip)('signing waits for a ban of the awarded provider in flight, then refuses (needs a PostgreSQL server: set TEST_DATABASE_URL)', async () => {
    const awarded = await awardedProject();
    const result = await whileHeld(
      hub.db,
      (tx) => tx.update(organizations).set({ providerStatus: 'BANNED', bannedUntil: '2999-12-31' }).where(eq(organizations.id, awarded.providerId)),
      () => sign(fullTerms(awarded), awarded.officer),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.signContract.userErrors).toEqual([expect.objectContaining({ field: ['input', 'project'], code: 'INACTIVE' })]);
    expect(await contractCount(awarded.projectId)).toBe(0);
  });

  describe('milestone payments', () => {
    it('never adds up above the milestone or the contract amount; a rejection frees its amount', async () => {
      const awarded = await awardedProject();
      const contract = await signed(awarded);
      const [first, second] = contract.milestones;
      const a = await request(first!.id, 200_000, awarded.officer);
      expect(a.data!.requestMilestonePayment.payment).toMatchObject({ amountFen: 200_000, status: 'PENDING', requestedBy: awarded.officer.subject });
      const over = await request(first!.id, 100_001, awarded.officer);
      expect(over.data!.requestMilestonePayment.userErrors).toEqual([expect.objectContaining({ field: ['input', 'amountFen'], code: 'OUT_OF_RANGE' })]);
      const rest = await request(first!.id, null, awarded.officer);
      expect(rest.data!.requestMilestonePayment.payment!.amountFen).toBe(100_000);
      const none = await request(first!.id, 1, awarded.officer);
      expect(none.data!.requestMilestonePayment.userErrors).toEqual([expect.objectContaining({ field: ['input', 'milestone'], code: 'CONFLICT' })]);

      const rejected = await hub.run<{ rejectMilestonePayment: PaymentPayload }>(REJECT, { input: { payment: rest.data!.requestMilestonePayment.payment!.id, reason: '材料不全' } }, { viewer: finance });
      expect(rejected.data!.rejectMilestonePayment.payment).toMatchObject({ status: 'REJECTED', decisionReason: '材料不全' });
      const retry = await request(first!.id, null, awarded.officer);
      expect(retry.data!.requestMilestonePayment.payment!.amountFen).toBe(100_000);
      const all = await request(second!.id, null, awarded.officer);
      expect(all.data!.requestMilestonePayment.payment!.amountFen).toBe(500_000);

      const totals = await hub.run<{ node: { paidFen: number; pendingFen: number; amountFen: number } }>(`query($id: ID!) { node(id: $id) { ... on PurchaseContract { amountFen paidFen pendingFen } } }`, { id: contract.id });
      expect(totals.data!.node).toEqual({ amountFen: 800_000, paidFen: 0, pendingFen: 800_000 });
    });

    it('only finance approves, never the one who asked; approving again changes nothing', async () => {
      const awarded = await awardedProject();
      const contract = await signed(awarded);
      const asked = await request(contract.milestones[0]!.id, 50_000, awarded.officer);
      const id = asked.data!.requestMilestonePayment.payment!.id;

      for (const viewer of [awarded.officer, principal('city-1', [Role.CITY_CIVIL_AFFAIRS]), principal('provider', [Role.PROVIDER_STAFF], { organizationId: awarded.providerId })]) {
        expect((await approve(id, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
      // The same person holding the finance role too may still not approve their own request.
      const both = principal(awarded.officer.subject!, [Role.STREET_OFFICER, Role.FINANCE_OFFICER], { streetIds: [awarded.place.streetId] });
      expect((await approve(id, both)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

      const approved = await approve(id, finance);
      expect(approved.data!.approveMilestonePayment.payment).toMatchObject({ status: 'APPROVED', decidedBy: 'finance-1' });
      expect((await approve(id, principal('finance-2', [Role.FINANCE_OFFICER]))).data!.approveMilestonePayment.payment).toMatchObject({ status: 'APPROVED', decidedBy: 'finance-1' });

      // Providers and finance do not ask for payments.
      expect((await request(contract.milestones[0]!.id, 1, principal('provider', [Role.PROVIDER_STAFF], { organizationId: awarded.providerId }))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await request(contract.milestones[0]!.id, 1, finance)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('finance view', () => {
    it('shows budget, committed and paid per project, purchaser and year, each in one statement, within the viewer’s scope', async () => {
      const place = await makePlace(hub.db);
      const contracted = await awardedProject({ place, budgetFen: 1_000_000, fiscalYear: 2031 });
      const contract = await signed(contracted);
      const p1 = await hub.run<{ requestMilestonePayment: { payment: { id: string } } }>(REQUEST, { input: { milestone: contract.milestones[0]!.id, amountFen: 300_000 } }, { viewer: contracted.officer });
      await approve(p1.data!.requestMilestonePayment.payment.id, finance);
      await request(contract.milestones[1]!.id, 100_000, contracted.officer);
      const uncontracted = await awardedProject({ place, budgetFen: 400_000, fiscalYear: 2031 });
      const nextYear = await awardedProject({ place, budgetFen: 250_000, fiscalYear: 2032 });
      // Drafts do not count: their budget is not approved.
      await hub.db.update(purchaseProjects).set({ status: 'DRAFT' }).where(eq(purchaseProjects.id, nextYear.projectId));
      await awardedProject({ place, budgetFen: 150_000, fiscalYear: 2032 });

      const district = principal('district-fin', [Role.DISTRICT_CIVIL_AFFAIRS], { districtIds: [place.districtId] });
      const YEARS = `query($filter: PurchaseFinanceFilter) { purchaseFinanceByYear(filter: $filter) { fiscalYear projects budgetFen committedFen paidFen pendingFen uncommittedFen } }`;
      const years = await hub.run<{ purchaseFinanceByYear: unknown[] }>(YEARS, { filter: { fiscalYears: [2031, 2032] } }, { viewer: district });
      expect(years.errors).toBeUndefined();
      expect(years.statements).toBe(1);
      expect(years.data!.purchaseFinanceByYear).toEqual([
        { fiscalYear: 2031, projects: 2, budgetFen: 1_400_000, committedFen: 800_000, paidFen: 300_000, pendingFen: 100_000, uncommittedFen: 600_000 },
        { fiscalYear: 2032, projects: 1, budgetFen: 150_000, committedFen: 0, paidFen: 0, pendingFen: 0, uncommittedFen: 150_000 },
      ]);

      const purchasers = await hub.run<{ purchaseFinanceByPurchaser: unknown[] }>(
        `query($filter: PurchaseFinanceFilter) { purchaseFinanceByPurchaser(filter: $filter) { purchaser { id } projects budgetFen committedFen paidFen } }`,
        { filter: { fiscalYears: [2031], purchasers: [gid('Organization', contracted.purchaserId), gid('Organization', uncontracted.purchaserId)] } },
        { viewer: finance },
      );
      expect(purchasers.data!.purchaseFinanceByPurchaser).toEqual([
        { purchaser: { id: gid('Organization', contracted.purchaserId) }, projects: 1, budgetFen: 1_000_000, committedFen: 800_000, paidFen: 300_000 },
        { purchaser: { id: gid('Organization', uncontracted.purchaserId) }, projects: 1, budgetFen: 400_000, committedFen: 0, paidFen: 0 },
      ]);

      const PROJECTS = `query($filter: PurchaseFinanceFilter, $after: String) { purchaseFinanceByProject(filter: $filter, first: 1, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { project title fiscalYear status budgetFen committedFen paidFen pendingFen } } }`;
      const page1 = await hub.run<{ purchaseFinanceByProject: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: unknown[] } }>(PROJECTS, { filter: { fiscalYears: [2031] } }, { viewer: district });
      expect(page1.errors).toBeUndefined();
      expect(page1.data!.purchaseFinanceByProject).toMatchObject({
        totalCount: 2,
        pageInfo: { hasNextPage: true },
        nodes: [{ project: gid('PurchaseProject', contracted.projectId), fiscalYear: 2031, status: 'CONTRACTED', budgetFen: 1_000_000, committedFen: 800_000, paidFen: 300_000, pendingFen: 100_000 }],
      });
      const page2 = await hub.run<{ purchaseFinanceByProject: { pageInfo: { hasNextPage: boolean }; nodes: unknown[] } }>(PROJECTS, { filter: { fiscalYears: [2031] }, after: page1.data!.purchaseFinanceByProject.pageInfo.endCursor }, { viewer: district });
      expect(page2.data!.purchaseFinanceByProject).toMatchObject({ pageInfo: { hasNextPage: false }, nodes: [{ project: gid('PurchaseProject', uncontracted.projectId), committedFen: 0 }] });

      // Another district sees none of it; providers and the public are refused.
      const other = await makePlace(hub.db);
      const elsewhere = await hub.run<{ purchaseFinanceByYear: unknown[] }>(YEARS, { filter: { fiscalYears: [2031, 2032] } }, { viewer: principal('district-x', [Role.DISTRICT_CIVIL_AFFAIRS], { districtIds: [other.districtId] }) });
      expect(elsewhere.data!.purchaseFinanceByYear).toEqual([]);
      expect((await hub.run(YEARS, {}, { viewer: principal('p', [Role.PROVIDER_STAFF], { organizationId: contracted.providerId }) })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await hub.run(YEARS, {}, { viewer: PUBLIC })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('who sees contracts', () => {
    it('the public sees the disclosed fields of every contract and nothing more; providers see their own contracts in full, not others’', async () => {
      const mine = await awardedProject();
      const theirs = await awardedProject();
      const myContract = await signed(mine);
      const theirContract = await signed(theirs);
      const p = await request(myContract.milestones[0]!.id, 120_000, mine.officer);
      await approve(p.data!.requestMilestonePayment.payment!.id, finance);

      const DISCLOSE = `query($filter: ContractFilter) { contractDisclosures(filter: $filter) { totalCount nodes {
        contract project subject amountFen termStart termEnd status paidFen provider { id name } areas { district { id } street { id } } milestones { name dueOn amountFen paidFen } } } }`;
      const disclosed = await hub.run<{ contractDisclosures: { totalCount: number; nodes: unknown[] } }>(DISCLOSE, { filter: { providers: [gid('Organization', mine.providerId)] } }, { viewer: PUBLIC });
      expect(disclosed.errors).toBeUndefined();
      expect(disclosed.data!.contractDisclosures).toEqual({
        totalCount: 1,
        nodes: [
          {
            contract: myContract.id,
            project: gid('PurchaseProject', mine.projectId),
            subject: '为辖区低保老人提供助餐服务',
            amountFen: 800_000,
            termStart: TERM.start,
            termEnd: TERM.end,
            status: 'ACTIVE',
            paidFen: 120_000,
            provider: { id: gid('Organization', mine.providerId), name: expect.any(String) },
            areas: [{ district: { id: gid('District', mine.place.districtId) }, street: { id: gid('Street', mine.place.streetId) } }],
            milestones: [
              { name: '签约后', dueOn: `${YEAR}-02-01`, amountFen: 300_000, paidFen: 120_000 },
              { name: '终期评估后', dueOn: `${YEAR + 1}-06-30`, amountFen: 500_000, paidFen: 0 },
            ],
          },
        ],
      });
      // The disclosure type carries only the public fields.
      const fields = await hub.run<{ __type: { fields: { name: string }[] } }>(`{ __type(name: "ContractDisclosure") { fields { name } } }`, {}, { viewer: PUBLIC });
      expect(fields.data!.__type.fields.map((f) => f.name).sort()).toEqual(['amountFen', 'areas', 'contract', 'milestones', 'paidFen', 'project', 'provider', 'signedAt', 'status', 'subject', 'termEnd', 'termStart']);
      const nosy = await hub.run(`{ contractDisclosures { nodes { breachLiability } } }`, {}, { viewer: PUBLIC });
      expect(nosy.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

      const LIST = `{ contracts { nodes { id paymentMethod milestones { payments { id status } } } } }`;
      const publicList = await hub.run<{ contracts: { nodes: unknown[] } }>(LIST, {}, { viewer: PUBLIC });
      expect(publicList.data!.contracts.nodes).toEqual([]);
      expect((await hub.run<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: myContract.id }, { viewer: PUBLIC })).data!.node).toBeNull();

      const staff = principal('provider-staff', [Role.PROVIDER_STAFF], { organizationId: mine.providerId });
      const own = await hub.run<{ contracts: { nodes: { id: string; paymentMethod: string }[] } }>(LIST, {}, { viewer: staff });
      expect(own.data!.contracts.nodes.map((c) => c.id)).toEqual([myContract.id]);
      expect(own.data!.contracts.nodes[0]!.paymentMethod).toBe('按节点支付');
      const other = await hub.run<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: theirContract.id }, { viewer: staff });
      expect(other.data!.node).toBeNull();

      // Purchasers see their street's contracts; finance sees them all.
      const street = await hub.run<{ contracts: { nodes: { id: string }[] } }>(LIST, {}, { viewer: mine.officer });
      expect(street.data!.contracts.nodes.map((c) => c.id)).toEqual([myContract.id]);
      const all = await hub.run<{ contracts: { nodes: { id: string }[] } }>(`{ contracts(first: 100) { nodes { id } } }`, {}, { viewer: finance });
      expect(all.data!.contracts.nodes.map((c) => c.id)).toEqual(expect.arrayContaining([myContract.id, theirContract.id]));
    });
  });

  it('a district bureau’s contract serves whole districts: its resource carries a DISTRICT service area', async () => {
    const awarded = await awardedProject({ items: [categories[2]!] });
    await hub.db.update(purchaseProjects).set({ streetId: null }).where(eq(purchaseProjects.id, awarded.projectId));
    const bureau = principal('district-bureau', [Role.DISTRICT_CIVIL_AFFAIRS], { districtIds: [awarded.place.districtId] });
    // A street office's contract stays in its street; the district bureau's may cover the district.
    const refused = await sign(fullTerms(awarded, { areas: [gid('District', (await makePlace(hub.db)).districtId)] }), bureau);
    expect(refused.data!.signContract.userErrors).toEqual([expect.objectContaining({ field: ['input', 'areas', '0'], code: 'OUT_OF_RANGE' })]);
    await signed(awarded, { quantity: 5, areas: [gid('District', awarded.place.districtId)] }, bureau);
    const [row] = await hub.db.select().from(resources).where(eq(resources.providerId, awarded.providerId));
    expect(row).toMatchObject({ capacity: 5, cost: 'CONTRACT_FUNDED', isPublic: true });
    const areas = await hub.db.select().from(resourceServiceAreas).where(eq(resourceServiceAreas.resourceId, row!.id));
    expect(areas.map((a) => [a.level, a.districtId, a.streetId])).toEqual([['DISTRICT', awarded.place.districtId, null]]);
  });
});

/** The row key behind a global ID. */
function rowId(globalId: string): number {
  return fromGlobalId(globalId)!.id;
}
