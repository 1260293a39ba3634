import { and, eq, inArray, sum } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { todayInShanghai } from '../../src/common/dates';
import { bids, contractMilestones, milestonePayments, purchaseContracts, purchaseProjectItems, purchaseProjects } from '../../src/db/schema';
import { TEST_DATABASE_URL } from '../support/database';
import { categoryIds, gid, makePlace, makeProvider, makeStreetOffice, type Place } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * Payment requests of one contract racing each other. Embedded PGlite runs one statement at a
 * time, so only a PostgreSQL server interleaves the transactions: the contract row lock must keep
 * PENDING plus APPROVED payments within the contract amount.
 */

const CONCURRENT = 8;
const AMOUNT = 100_000;
const EACH = 30_000;
const pg = TEST_DATABASE_URL ? describe : describe.skip;

const SIGN = `mutation($input: SignContractInput!) { signContract(input: $input) { contract { id milestones { id } } userErrors { code } } }`;
const REQUEST = `mutation($input: RequestMilestonePaymentInput!) { requestMilestonePayment(input: $input) { payment { id } userErrors { field code } } }`;

pg('concurrent milestone payment requests (needs a PostgreSQL server: set TEST_DATABASE_URL)', () => {
  let hub: TestHub;
  let place: Place;
  const officer = (i: number): Principal => ({ subject: `street-${i}`, organizationId: null, staffMemberId: null, roles: [Role.STREET_OFFICER], districtIds: [], streetIds: [place.streetId] });

  beforeAll(async () => {
    hub = await startTestHub();
    expect(hub.database.handle.kind).toBe('postgres');
    place = await makePlace(hub.db);
  });
  afterAll(() => hub.close());

  /** A signed contract of AMOUNT with `milestones` milestones splitting it. */
  async function contract(milestones: number): Promise<{ contractId: number; milestoneIds: string[] }> {
    const year = Number(todayInShanghai().slice(0, 4));
    const purchaserId = await makeStreetOffice(hub.db, place);
    const providerId = await makeProvider(hub.db);
    const [project] = await hub.db
      .insert(purchaseProjects)
      .values({ purchaserId, districtId: place.districtId, streetId: place.streetId, title: '并发项目', needsStudy: '调研', serviceStandard: '标准', quantity: 10, budgetFen: AMOUNT, fiscalYear: year, termStart: `${year}-01-01`, termEnd: `${year}-12-31`, status: 'AWARDED' })
      .returning();
    await hub.db.insert(purchaseProjectItems).values({ projectId: project!.id, categoryId: Object.values(await categoryIds(hub.db))[0]! });
    const [bid] = await hub.db.insert(bids).values({ projectId: project!.id, providerId, priceFen: AMOUNT, proposal: '方案', status: 'AWARDED' }).returning();
    await hub.db.update(purchaseProjects).set({ awardedBidId: bid!.id }).where(eq(purchaseProjects.id, project!.id));
    const result = await hub.run<{ signContract: { contract: { id: string; milestones: { id: string }[] }; userErrors: unknown[] } }>(
      SIGN,
      {
        input: {
          project: gid('PurchaseProject', project!.id),
          subject: '标的',
          serviceStandard: '标准',
          quantity: 10,
          term: { start: `${year}-01-01`, end: `${year}-12-31` },
          amountFen: AMOUNT,
          paymentMethod: '按节点',
          breachLiability: '违约责任',
          disputeResolution: '仲裁',
          areas: [gid('Street', place.streetId)],
          milestones: Array.from({ length: milestones }, (_, i) => ({ name: `节点${i + 1}`, dueOn: `${year}-06-30`, amountFen: AMOUNT / milestones })),
        },
      },
      { viewer: officer(0) },
    );
    expect(result.data!.signContract.userErrors).toEqual([]);
    const [row] = await hub.db.select({ id: purchaseContracts.id }).from(purchaseContracts).where(eq(purchaseContracts.projectId, project!.id));
    return { contractId: row!.id, milestoneIds: result.data!.signContract.contract.milestones.map((m) => m.id) };
  }

  async function committed(contractId: number): Promise<number> {
    const [row] = await hub.db.select({ total: sum(milestonePayments.amountFen) }).from(milestonePayments).where(and(eq(milestonePayments.contractId, contractId), inArray(milestonePayments.status, ['PENDING', 'APPROVED'])));
    return Number(row!.total ?? 0);
  }

  it(`${CONCURRENT} concurrent requests on one milestone never exceed the contract amount`, async () => {
    const { contractId, milestoneIds } = await contract(1);
    const results = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => hub.run<{ requestMilestonePayment: { payment: { id: string } | null; userErrors: { code: string }[] } }>(REQUEST, { input: { milestone: milestoneIds[0], amountFen: EACH } }, { viewer: officer(i) })));
    for (const result of results) expect(result.errors).toBeUndefined();
    const accepted = results.filter((r) => r.data!.requestMilestonePayment.payment !== null);
    expect(accepted).toHaveLength(Math.floor(AMOUNT / EACH));
    for (const refused of results.filter((r) => r.data!.requestMilestonePayment.payment === null)) expect(refused.data!.requestMilestonePayment.userErrors.map((e) => e.code)).toEqual(['OUT_OF_RANGE']);
    expect(await committed(contractId)).toBe(Math.floor(AMOUNT / EACH) * EACH);
  });

  it('concurrent requests spread over several milestones are capped by the contract amount as a whole', async () => {
    // Four milestones of 25,000, each asked for in full twice at once: only one request per milestone fits.
    const { contractId, milestoneIds } = await contract(4);
    const requests = [...milestoneIds, ...milestoneIds].map((milestone, i) => hub.run<{ requestMilestonePayment: { payment: { id: string } | null } }>(REQUEST, { input: { milestone } }, { viewer: officer(i) }));
    const results = await Promise.all(requests);
    expect(results.filter((r) => r.data!.requestMilestonePayment.payment !== null)).toHaveLength(4);
    expect(await committed(contractId)).toBe(AMOUNT);
    const [milestoneTotal] = await hub.db.select({ total: sum(contractMilestones.amountFen) }).from(contractMilestones).where(eq(contractMilestones.contractId, contractId));
    expect(Number(milestoneTotal!.total)).toBe(AMOUNT);
  });
});
