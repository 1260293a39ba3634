import { eq } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import type { Database } from '../../src/db/client';
import { bids, cases, needs, organizations, purchaseContractAreas, purchaseProjectItems, purchaseContracts, purchaseProjects, referralEvents, referrals, resources } from '../../src/db/schema';
import { makeCaseworker, makeHousehold, makeResource, makeStreetOffice, type Place } from '../support/factories';

/**
 * Rows the procurement and contracts modules will create through their own mutations, written
 * directly here so oversight can be tested on its own branch (the lead's end-to-end test uses
 * the real mutations).
 */
let sequence = 0;

export const principal = (subject: string, roles: Role[], extra: Partial<Principal> = {}): Principal => ({ subject, organizationId: null, staffMemberId: null, roles, districtIds: [], streetIds: [], ...extra });

export async function makePurchaser(db: Database, place: Place): Promise<number> {
  const [row] = await db
    .insert(organizations)
    .values({ kind: 'GOVERNMENT_DEPARTMENT', departmentFunction: 'CIVIL_AFFAIRS', level: 'DISTRICT', districtId: place.districtId, nameZh: `测试区民政局${(sequence += 1)}` })
    .returning({ id: organizations.id });
  return row!.id;
}

/** A project IN_PROGRESS with its awarded bid and an ACTIVE contract for `providerId`, serving the place's district. */
export async function makeContract(db: Database, place: Place, purchaserId: number, providerId: number, categoryId: number): Promise<{ contractId: number; projectId: number }> {
  const n = (sequence += 1);
  const [project] = await db
    .insert(purchaseProjects)
    .values({
      purchaserId,
      districtId: place.districtId,
      title: `居家照护服务项目${n}`,
      needsStudy: '需求调研报告',
      serviceStandard: '每周上门两次',
      quantity: 1000,
      budgetFen: 50_000_000,
      fiscalYear: 2026,
      termStart: '2026-01-01',
      termEnd: '2026-12-31',
      status: 'IN_PROGRESS',
      method: 'OPEN_TENDER',
    })
    .returning({ id: purchaseProjects.id });
  await db.insert(purchaseProjectItems).values({ projectId: project!.id, categoryId });
  const [bid] = await db.insert(bids).values({ projectId: project!.id, providerId, priceFen: 45_000_000, proposal: '服务方案', status: 'AWARDED' }).returning({ id: bids.id });
  const [contract] = await db
    .insert(purchaseContracts)
    .values({
      projectId: project!.id,
      bidId: bid!.id,
      providerId,
      subject: `居家照护服务${n}`,
      serviceStandard: '每周上门两次',
      quantity: 1000,
      termStart: '2026-01-01',
      termEnd: '2026-12-31',
      amountFen: 45_000_000,
      paymentMethod: '按季度里程碑支付',
      breachLiability: '违约金为合同金额的10%',
      disputeResolution: '提交上海仲裁委员会仲裁',
    })
    .returning({ id: purchaseContracts.id });
  await db.insert(purchaseContractAreas).values({ contractId: contract!.id, districtId: place.districtId });
  await db.update(purchaseProjects).set({ awardedBidId: bid!.id }).where(eq(purchaseProjects.id, project!.id));
  return { contractId: contract!.id, projectId: project!.id };
}

/** A resource of the provider serving the place's street; with a contract, that contract's capacity (CONTRACT_FUNDED). */
export async function makeServiceResource(db: Database, place: Place, providerId: number, categoryId: number, capacity: number, contractId: number | null = null): Promise<number> {
  const id = await makeResource(db, providerId, categoryId, [{ level: 'STREET', districtId: place.districtId, streetId: place.streetId }]);
  await db.update(resources).set({ capacity, contractId, cost: contractId === null ? 'FREE' : 'CONTRACT_FUNDED' }).where(eq(resources.id, id));
  return id;
}

/** A street office and one of its caseworkers, who owns the cases of the households made with `makeServedNeed`. */
export async function makeCaseOwner(db: Database, place: Place): Promise<number> {
  return makeCaseworker(db, await makeStreetOffice(db, place));
}

/** A household with an open case and one need of `units`. */
export async function makeServedNeed(db: Database, place: Place, caseworkerId: number, categoryId: number, units: number): Promise<{ needId: number; householdId: number }> {
  const householdId = await makeHousehold(db, place);
  await db.insert(cases).values({ householdId, ownerStreetId: place.streetId, caseworkerId });
  const [need] = await db.insert(needs).values({ householdId, categoryId, urgency: 'HIGH', units, earliestStart: '2026-01-01', status: 'MATCHED', ...place }).returning({ id: needs.id });
  return { needId: need!.id, householdId };
}

/**
 * A referral written as the referrals module leaves it after its steps (units held on the
 * resource, one history row per step), without going through GraphQL for each of dozens.
 */
export async function makeReferral(
  db: Database,
  need: { needId: number; householdId: number },
  resourceId: number,
  providerId: number,
  units: number,
  status: 'PROPOSED' | 'ACCEPTED' | 'IN_SERVICE' | 'COMPLETED',
  satisfaction: number | null = null,
): Promise<number> {
  const [row] = await db
    .insert(referrals)
    .values({
      needId: need.needId,
      householdId: need.householdId,
      resourceId,
      providerId,
      units,
      status,
      reason: '测试转介',
      outcome: status === 'COMPLETED' ? '服务完成' : null,
      satisfaction,
      expiresAt: new Date(Date.now() + 3 * 86_400_000),
    })
    .returning({ id: referrals.id });
  const steps = ['PROPOSED', 'ACCEPTED', 'IN_SERVICE', 'COMPLETED'] as const;
  const upTo = steps.indexOf(status);
  await db.insert(referralEvents).values(steps.slice(0, upTo + 1).map((to, i) => ({ referralId: row!.id, fromStatus: i === 0 ? null : steps[i - 1]!, toStatus: to, actor: 'factory', reason: null })));
  if (status !== 'COMPLETED') {
    const [resource] = await db.select({ held: resources.heldUnits }).from(resources).where(eq(resources.id, resourceId));
    await db.update(resources).set({ heldUnits: resource!.held + units }).where(eq(resources.id, resourceId));
  }
  return row!.id;
}
