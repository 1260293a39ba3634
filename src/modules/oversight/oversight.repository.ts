import { and, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Visibility } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { rowGroupsByKeys, rowsByKeys } from '../../db/batch';
import { childPageLoader, paginate, type PageRequest } from '../../db/paginate';
import { rowsOf } from '../../db/rows';
import {
  cases,
  contractEvaluations,
  evaluationFormulas,
  organizations,
  providerBans,
  purchaseContracts,
  purchaseProjects,
  referralEvents,
  referrals,
  resources,
  takeoverActivations,
  takeoverPlanResources,
  takeoverPlans,
  takeoverTransfers,
} from '../../db/schema';
import { referralScope, type ReferralRow } from '../referrals/referrals.repository';
import { LIVE_REFERRAL_STATUSES } from '../referrals/referrals.transitions';

export type EvaluationFormulaRow = typeof evaluationFormulas.$inferSelect;
export type ContractEvaluationRow = typeof contractEvaluations.$inferSelect;
export type TakeoverPlanRow = typeof takeoverPlans.$inferSelect;
export type TakeoverPlanResourceRow = typeof takeoverPlanResources.$inferSelect;
export type TakeoverActivationRow = typeof takeoverActivations.$inferSelect;
export type ProviderBanRow = typeof providerBans.$inferSelect;

const LIVE = [...LIVE_REFERRAL_STATUSES];

/* ---------- evaluation formula ---------- */

/* findCurrentFormula: the newest row is in force. */
export async function findCurrentFormula(db: Database): Promise<EvaluationFormulaRow> {
  const [row] = await db.select().from(evaluationFormulas).orderBy(desc(evaluationFormulas.id)).limit(1);
  if (!row) throw new Error('No evaluation formula: the seed migration was not applied');
  return row;
}

export async function insertFormula(db: Database, values: typeof evaluationFormulas.$inferInsert): Promise<EvaluationFormulaRow> {
  const [row] = await db.insert(evaluationFormulas).values(values).returning();
  return row!;
}

export const findFormulasByIds = (db: Database, ids: readonly number[]) => rowsByKeys<EvaluationFormulaRow>(db, evaluationFormulas, evaluationFormulas.id, ids, (r) => r.id);

/* ---------- contracts ---------- */

export interface ContractFacts {
  readonly id: number;
  readonly projectId: number;
  readonly providerId: number;
  readonly status: 'ACTIVE' | 'COMPLETED' | 'TERMINATED' | 'TAKEN_OVER';
  readonly projectStatus: string;
  /** Where the contract's project lies (the purchaser's district and street): what a bureau's scope is checked against. */
  readonly districtId: number | null;
  readonly streetId: number | null;
}

/* lockContract: the contract, locked so that evaluations, plans and takeovers of it queue. */
export const lockContract = (db: Database, contractId: number) => contractFacts(db, contractId, true);
export const findContractFacts = (db: Database, contractId: number) => contractFacts(db, contractId, false);

async function contractFacts(db: Database, contractId: number, lock: boolean): Promise<ContractFacts | undefined> {
  const query = db
    .select({ id: purchaseContracts.id, projectId: purchaseContracts.projectId, providerId: purchaseContracts.providerId, status: purchaseContracts.status, projectStatus: purchaseProjects.status, districtId: purchaseProjects.districtId, streetId: purchaseProjects.streetId })
    .from(purchaseContracts)
    .innerJoin(purchaseProjects, eq(purchaseProjects.id, purchaseContracts.projectId))
    .where(eq(purchaseContracts.id, contractId))
    .$dynamic();
  const [row] = lock ? await query.for('update', { of: purchaseContracts }) : await query;
  return row;
}

/* activeContractIdsOfProvider: in id order, so concurrent bans lock them in one order. */
export async function activeContractIdsOfProvider(db: Database, providerId: number): Promise<number[]> {
  const rows = await db
    .select({ id: purchaseContracts.id })
    .from(purchaseContracts)
    .where(and(eq(purchaseContracts.providerId, providerId), eq(purchaseContracts.status, 'ACTIVE')))
    .orderBy(purchaseContracts.id);
  return rows.map((r) => r.id);
}

export async function endContract(db: Database, contractId: number, status: 'TERMINATED' | 'TAKEN_OVER', reason: string): Promise<void> {
  await db.update(purchaseContracts).set({ status, endedAt: new Date(), endReason: reason }).where(eq(purchaseContracts.id, contractId));
}

export interface ContractBrief {
  readonly id: number;
  readonly subject: string;
  readonly projectId: number;
  readonly fiscalYear: number;
  /** Where the contract's project lies: what a write scope on the contract is checked against. */
  readonly districtId: number | null;
  readonly streetId: number | null;
}

/* findContractBriefs: what the public disclosure of an evaluation names of its contract, and where its project lies. */
export async function findContractBriefs(db: Database, ids: readonly number[]): Promise<(ContractBrief | undefined)[]> {
  const rows = await db
    .select({ id: purchaseContracts.id, subject: purchaseContracts.subject, projectId: purchaseContracts.projectId, fiscalYear: purchaseProjects.fiscalYear, districtId: purchaseProjects.districtId, streetId: purchaseProjects.streetId })
    .from(purchaseContracts)
    .innerJoin(purchaseProjects, eq(purchaseProjects.id, purchaseContracts.projectId))
    .where(inArray(purchaseContracts.id, [...ids]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id));
}

/* ---------- evaluations ---------- */

/* ratingsOfContract: the satisfaction ratings of completed referrals served under the contract. */
export async function ratingsOfContract(db: Database, contractId: number): Promise<{ count: number; sum: number }> {
  const [row] = await db
    .select({ count: sql<number>`count(${referrals.satisfaction})`, sum: sql<number>`coalesce(sum(${referrals.satisfaction}), 0)` })
    .from(referrals)
    .innerJoin(resources, eq(resources.id, referrals.resourceId))
    .where(and(eq(resources.contractId, contractId), eq(referrals.status, 'COMPLETED'), isNotNull(referrals.satisfaction)));
  return { count: Number(row?.count ?? 0), sum: Number(row?.sum ?? 0) };
}

export async function insertEvaluation(db: Database, values: typeof contractEvaluations.$inferInsert): Promise<ContractEvaluationRow> {
  const [row] = await db.insert(contractEvaluations).values(values).returning();
  return row!;
}

export async function evaluationOfContract(db: Database, contractId: number): Promise<ContractEvaluationRow | undefined> {
  const [row] = await db.select().from(contractEvaluations).where(eq(contractEvaluations.contractId, contractId));
  return row;
}

/** Evaluation results are public (§3(6)): no scope, newest first. */
export function listEvaluations(db: Database, filter: { providerIds?: readonly number[] }, request: PageRequest, maxPageSize: number) {
  const where = filter.providerIds?.length ? inArray(contractEvaluations.providerId, [...filter.providerIds]) : undefined;
  return paginate<ContractEvaluationRow>({ db, table: contractEvaluations, where, keys: [{ column: contractEvaluations.id, descending: true }], keyOf: (r) => [r.id], request, maxPageSize });
}

export const findEvaluationsByIds = (db: Database, ids: readonly number[]) => rowsByKeys<ContractEvaluationRow>(db, contractEvaluations, contractEvaluations.id, ids, (r) => r.id);

export const evaluationsOfProviderLoader = (db: Database, maxPageSize: number) =>
  childPageLoader<ContractEvaluationRow>({
    db,
    table: contractEvaluations,
    parentColumn: contractEvaluations.providerId,
    parentOf: (r) => r.providerId,
    keys: [{ column: contractEvaluations.id, descending: true }],
    keyOf: (r) => [r.id],
    maxPageSize,
  });

/** Each provider's latest evaluated total (0–100), null when never evaluated: one statement. */
export async function latestTotalsOfProviders(db: Database, providerIds: readonly number[]): Promise<(number | null)[]> {
  const rows = await db
    .selectDistinctOn([contractEvaluations.providerId], { providerId: contractEvaluations.providerId, total: contractEvaluations.total })
    .from(contractEvaluations)
    .where(inArray(contractEvaluations.providerId, [...providerIds]))
    .orderBy(contractEvaluations.providerId, desc(contractEvaluations.id));
  const byProvider = new Map(rows.map((r) => [r.providerId, r.total]));
  return providerIds.map((id) => byProvider.get(id) ?? null);
}

/* ---------- service records ---------- */

/** Referrals to the contract's resources that the viewer may see as referrals, in id order. */
export function listServiceRecords(db: Database, v: Visibility, contractId: number, statuses: readonly ReferralRow['status'][] | undefined, request: PageRequest, maxPageSize: number) {
  const where = and(
    sql`${referrals.resourceId} in (select ${resources.id} from ${resources} where ${resources.contractId} = ${contractId})`,
    statuses?.length ? inArray(referrals.status, [...statuses]) : undefined,
    referralScope(v),
  );
  return paginate<ReferralRow>({ db, table: referrals, where, keys: [{ column: referrals.id }], keyOf: (r) => [r.id], request, maxPageSize });
}

export interface ServiceFacts {
  readonly categoryId: number;
  readonly startedAt: Date | null;
  readonly completedAt: Date | null;
}

/* serviceFactsOfReferrals: catalogue item and the days service started and ended, for many referrals in one statement. */
export async function serviceFactsOfReferrals(db: Database, referralIds: readonly number[]): Promise<(ServiceFacts | undefined)[]> {
  const result = await db.execute(sql`
    select ${referrals.id} as "id", ${resources.categoryId} as "categoryId",
      (select min(e.at) from ${referralEvents} e where e.referral_id = ${referrals.id} and e.to_status = 'IN_SERVICE') as "startedAt",
      (select max(e.at) from ${referralEvents} e where e.referral_id = ${referrals.id} and e.to_status = 'COMPLETED') as "completedAt"
    from ${referrals} join ${resources} on ${resources.id} = ${referrals.resourceId}
    where ${inArray(referrals.id, [...referralIds])}`);
  const toDate = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  const byId = new Map(
    rowsOf<Record<string, unknown>>(result).map((r) => [Number(r.id), { categoryId: Number(r.categoryId), startedAt: toDate(r.startedAt), completedAt: toDate(r.completedAt) }]),
  );
  return referralIds.map((id) => byId.get(id));
}

/* ---------- takeover plans ---------- */

export async function findPlanOfContract(db: Database, contractId: number): Promise<TakeoverPlanRow | undefined> {
  const [row] = await db.select().from(takeoverPlans).where(eq(takeoverPlans.contractId, contractId));
  return row;
}

/** The stand-in resources of many plans in one statement. */
export const resourcesOfPlans = (db: Database, planIds: readonly number[]) =>
  rowGroupsByKeys<TakeoverPlanResourceRow>(db, takeoverPlanResources, takeoverPlanResources.planId, takeoverPlanResources.categoryId, planIds, (r) => r.planId);

export async function resourcesOfPlan(db: Database, planId: number): Promise<TakeoverPlanResourceRow[]> {
  return db.select().from(takeoverPlanResources).where(eq(takeoverPlanResources.planId, planId)).orderBy(takeoverPlanResources.categoryId);
}

/** Writes the contract's plan, replacing an earlier one and its resources. */
export async function savePlan(db: Database, values: { contractId: number; standInProviderId: number; note: string | null; createdBy: string | null }, planResources: readonly { categoryId: number; resourceId: number }[]): Promise<TakeoverPlanRow> {
  const [plan] = await db
    .insert(takeoverPlans)
    .values(values)
    .onConflictDoUpdate({ target: takeoverPlans.contractId, set: { standInProviderId: values.standInProviderId, note: values.note, updatedAt: new Date() } })
    .returning();
  await db.delete(takeoverPlanResources).where(eq(takeoverPlanResources.planId, plan!.id));
  if (planResources.length > 0) await db.insert(takeoverPlanResources).values(planResources.map((r) => ({ planId: plan!.id, ...r })));
  return plan!;
}

export interface ResourceFacts {
  readonly id: number;
  readonly providerId: number;
  readonly categoryId: number;
  readonly status: string;
  readonly contractId: number | null;
  readonly capacity: number;
  readonly heldUnits: number;
}

const resourceFacts = {
  id: resources.id,
  providerId: resources.providerId,
  categoryId: resources.categoryId,
  status: resources.status,
  contractId: resources.contractId,
  capacity: resources.capacity,
  heldUnits: resources.heldUnits,
};

export async function findResourceFacts(db: Database, ids: readonly number[]): Promise<ResourceFacts[]> {
  if (ids.length === 0) return [];
  return db.select(resourceFacts).from(resources).where(inArray(resources.id, [...ids]));
}

/* lockResources: in id order, so two takeovers sharing a stand-in resource queue instead of deadlocking. */
export async function lockResources(db: Database, where: SQL): Promise<ResourceFacts[]> {
  return db.select(resourceFacts).from(resources).where(where).orderBy(resources.id).for('update');
}

export const ofContract = (contractId: number): SQL => eq(resources.contractId, contractId);
export const withIds = (ids: readonly number[]): SQL => (ids.length ? inArray(resources.id, [...ids]) : sql`false`);

/** The contract's categories: those of its resources. */
export async function categoriesOfContractResources(db: Database, contractId: number): Promise<number[]> {
  const rows = await db.selectDistinct({ categoryId: resources.categoryId }).from(resources).where(eq(resources.contractId, contractId));
  return rows.map((r) => r.categoryId);
}

/* lockLiveReferralsOfContract: live referrals to the contract's resources, locked, in id order. */
export async function lockLiveReferralsOfContract(db: Database, contractId: number): Promise<ReferralRow[]> {
  return db
    .select()
    .from(referrals)
    .where(and(inArray(referrals.status, LIVE), sql`${referrals.resourceId} in (select ${resources.id} from ${resources} where ${resources.contractId} = ${contractId})`))
    .orderBy(referrals.id)
    .for('update');
}

/** Takes units on a locked resource, raising its capacity by whatever is short; returns the capacity added. */
export async function holdUnitsRaisingCapacity(db: Database, resource: ResourceFacts, units: number): Promise<number> {
  const added = Math.max(0, resource.heldUnits + units - resource.capacity);
  await db
    .update(resources)
    .set({ capacity: resource.capacity + added, heldUnits: resource.heldUnits + units, updatedAt: new Date() })
    .where(eq(resources.id, resource.id));
  return added;
}

/** Takes units off a locked resource. */
export async function releaseHeldUnits(db: Database, resourceId: number, units: number): Promise<void> {
  await db.update(resources).set({ heldUnits: sql`${resources.heldUnits} - ${units}`, updatedAt: new Date() }).where(eq(resources.id, resourceId));
}

/** The contract's resources leave the matching pool. */
export async function closeResources(db: Database, ids: readonly number[], reason: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(resources)
    .set({ status: 'CLOSED', closedAt: new Date(), closureReason: reason, updatedAt: new Date() })
    .where(and(inArray(resources.id, [...ids]), sql`${resources.status} <> 'CLOSED'`));
}

/** Each household's open case, if any. */
export async function openCasesOfHouseholds(db: Database, householdIds: readonly number[]): Promise<Map<number, number>> {
  if (householdIds.length === 0) return new Map();
  const rows = await db.select({ id: cases.id, householdId: cases.householdId }).from(cases).where(and(inArray(cases.householdId, [...householdIds]), eq(cases.status, 'OPEN')));
  return new Map(rows.map((r) => [r.householdId, r.id]));
}

export async function insertActivation(db: Database, values: typeof takeoverActivations.$inferInsert): Promise<TakeoverActivationRow> {
  const [row] = await db.insert(takeoverActivations).values(values).returning();
  return row!;
}

export async function insertTransfers(db: Database, values: readonly (typeof takeoverTransfers.$inferInsert)[]): Promise<void> {
  for (let i = 0; i < values.length; i += 1000) await db.insert(takeoverTransfers).values(values.slice(i, i + 1000));
}

/* ---------- bans ---------- */

export interface ProviderFacts {
  readonly id: number;
  readonly isProvider: boolean;
  readonly providerStatus: 'ACTIVE' | 'SUSPENDED' | 'BANNED' | null;
  readonly bannedUntil: string | null;
  readonly districtId: number | null;
}

/* lockProvider: the provider, locked so that a ban and a takeover naming it as stand-in queue. */
export async function lockProvider(db: Database, id: number): Promise<ProviderFacts | undefined> {
  const [row] = await db
    .select({ id: organizations.id, isProvider: organizations.isProvider, providerStatus: organizations.providerStatus, bannedUntil: organizations.bannedUntil, districtId: organizations.districtId })
    .from(organizations)
    .where(eq(organizations.id, id))
    .for('update');
  return row;
}

export async function findProvider(db: Database, id: number): Promise<ProviderFacts | undefined> {
  const [row] = await db
    .select({ id: organizations.id, isProvider: organizations.isProvider, providerStatus: organizations.providerStatus, bannedUntil: organizations.bannedUntil, districtId: organizations.districtId })
    .from(organizations)
    .where(eq(organizations.id, id));
  return row;
}

export async function setProviderBanned(db: Database, id: number, until: string): Promise<void> {
  await db.update(organizations).set({ providerStatus: 'BANNED', bannedUntil: until, updatedAt: new Date() }).where(eq(organizations.id, id));
}

/** Where the projects of the provider's active contracts lie: each must be in the scope of whoever bans it. */
export function activeContractPlacesOfProvider(db: Database, providerId: number): Promise<{ districtId: number | null; streetId: number | null }[]> {
  return db
    .select({ districtId: purchaseProjects.districtId, streetId: purchaseProjects.streetId })
    .from(purchaseContracts)
    .innerJoin(purchaseProjects, eq(purchaseProjects.id, purchaseContracts.projectId))
    .where(and(eq(purchaseContracts.providerId, providerId), eq(purchaseContracts.status, 'ACTIVE')));
}

export async function insertBan(db: Database, values: typeof providerBans.$inferInsert): Promise<ProviderBanRow> {
  const [row] = await db.insert(providerBans).values(values).returning();
  return row!;
}
