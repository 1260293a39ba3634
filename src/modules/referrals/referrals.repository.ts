import { and, asc, eq, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Visibility } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { rowsByKeys } from '../../db/batch';
import { childPageLoader, paginate, type ChildList, type PageRequest } from '../../db/paginate';
import { scopeCondition } from '../../db/scope';
import { households, needs, organizations, purchaseContracts, referralEvents, referrals, resources } from '../../db/schema';
import { householdScope } from '../households/households.repository';
import { LIVE_REFERRAL_STATUSES } from './referrals.transitions';

export type ReferralRow = typeof referrals.$inferSelect;
export type NewReferralRow = typeof referrals.$inferInsert;
export type ReferralEventRow = typeof referralEvents.$inferSelect;

const LIVE = [...LIVE_REFERRAL_STATUSES];

/** Referrals of households in scope (by place or case), or sent to the principal's own organization. */
export function referralScope(v: Visibility): SQL | undefined {
  const ofVisibleHouseholds = (scope: Visibility['scopes'][number]) =>
    sql`${referrals.householdId} in (select ${households.id} from ${households} where ${householdScope({ ...v, scopes: [scope] }) ?? sql`true`})`;
  return scopeCondition(v, {
    MY_DISTRICTS: () => ofVisibleHouseholds('MY_DISTRICTS'),
    MY_STREETS: () => ofVisibleHouseholds('MY_STREETS'),
    MY_CASES: () => ofVisibleHouseholds('MY_CASES'),
    MY_ORGANIZATION: ({ organizationId }) => eq(referrals.providerId, organizationId ?? -1),
  });
}

export interface ReferralListFilter {
  readonly statuses?: readonly ReferralRow['status'][];
  readonly providerIds?: readonly number[];
  readonly resourceIds?: readonly number[];
  readonly needIds?: readonly number[];
}

export function listReferrals(db: Database, v: Visibility, filter: ReferralListFilter, request: PageRequest, maxPageSize: number) {
  const where = and(
    referralScope(v),
    filter.statuses?.length ? inArray(referrals.status, [...filter.statuses]) : undefined,
    filter.providerIds?.length ? inArray(referrals.providerId, [...filter.providerIds]) : undefined,
    filter.resourceIds?.length ? inArray(referrals.resourceId, [...filter.resourceIds]) : undefined,
    filter.needIds?.length ? inArray(referrals.needId, [...filter.needIds]) : undefined,
  );
  return paginate<ReferralRow>({ db, table: referrals, where, keys: [{ column: referrals.id }], keyOf: (r) => [r.id], request, maxPageSize });
}

export const findReferralsByIds = (db: Database, v: Visibility, ids: readonly number[]) =>
  rowsByKeys<ReferralRow>(db, referrals, referrals.id, ids, (r) => r.id, referralScope(v));

const byId = { keys: [{ column: referrals.id }], keyOf: (r: ReferralRow) => [r.id] };

/** A need's referrals in scope, oldest first. */
export const referralsOfNeed = (v: Visibility): ChildList => ({ table: referrals, parentColumn: referrals.needId, where: referralScope(v), keys: byId.keys });

/** A resource's referrals in scope, oldest first. */
export const referralsOfResource = (v: Visibility): ChildList => ({ table: referrals, parentColumn: referrals.resourceId, where: referralScope(v), keys: byId.keys });

export const referralsOfNeedLoader = (db: Database, v: Visibility, maxPageSize: number) =>
  childPageLoader<ReferralRow>({ db, ...referralsOfNeed(v), parentOf: (r) => r.needId, keyOf: byId.keyOf, maxPageSize });

export const referralsOfResourceLoader = (db: Database, v: Visibility, maxPageSize: number) =>
  childPageLoader<ReferralRow>({ db, ...referralsOfResource(v), parentOf: (r) => r.resourceId, keyOf: byId.keyOf, maxPageSize });

export const eventsOfReferralLoader = (db: Database, maxPageSize: number) =>
  childPageLoader<ReferralEventRow>({
    db,
    table: referralEvents,
    parentColumn: referralEvents.referralId,
    parentOf: (r) => r.referralId,
    keys: [{ column: referralEvents.id }],
    keyOf: (r) => [r.id],
    maxPageSize,
  });

export async function lockReferral(db: Database, id: number): Promise<ReferralRow | undefined> {
  const [row] = await db.select().from(referrals).where(eq(referrals.id, id)).for('update');
  return row;
}

export async function findReferralByIdempotencyKey(db: Database, key: string): Promise<ReferralRow | undefined> {
  const [row] = await db.select().from(referrals).where(eq(referrals.idempotencyKey, key));
  return row;
}

/** The need with the facts a referral checks, locked so concurrent proposals for it queue. */
export async function lockNeedForReferral(db: Database, needId: number) {
  const [row] = await db
    .select({
      id: needs.id,
      householdId: needs.householdId,
      categoryId: needs.categoryId,
      units: needs.units,
      status: needs.status,
      committeeId: needs.committeeId,
      streetId: needs.streetId,
      districtId: needs.districtId,
      earliestStart: needs.earliestStart,
      deadline: needs.deadline,
      assistanceStatuses: households.assistanceStatuses,
    })
    .from(needs)
    .innerJoin(households, eq(households.id, needs.householdId))
    .where(eq(needs.id, needId))
    .for('update', { of: needs });
  return row;
}

export async function findResourceForReferral(db: Database, resourceId: number) {
  const [row] = await db
    .select({
      id: resources.id,
      providerId: resources.providerId,
      categoryId: resources.categoryId,
      status: resources.status,
      capacity: resources.capacity,
      heldUnits: resources.heldUnits,
      eligibleStatuses: resources.eligibleStatuses,
      availableFrom: resources.availableFrom,
      availableUntil: resources.availableUntil,
      providerStatus: organizations.providerStatus,
      bannedUntil: organizations.bannedUntil,
      contractId: resources.contractId,
      contractStatus: purchaseContracts.status,
      contractProviderId: purchaseContracts.providerId,
    })
    .from(resources)
    .innerJoin(organizations, eq(organizations.id, resources.providerId))
    .leftJoin(purchaseContracts, eq(purchaseContracts.id, resources.contractId))
    .where(eq(resources.id, resourceId));
  return row;
}

/**
 * Takes `units` of the resource's free capacity, or nothing: one conditional update, so two
 * transactions can never both take the last units (the row lock orders them; the check
 * constraint on held_units stands behind it).
 */
export async function reserveUnits(db: Database, resourceId: number, units: number): Promise<boolean> {
  const rows = await db
    .update(resources)
    .set({ heldUnits: sql`${resources.heldUnits} + ${units}` })
    .where(and(eq(resources.id, resourceId), eq(resources.status, 'ACTIVE'), lte(sql`${resources.heldUnits} + ${units}`, resources.capacity)))
    .returning({ id: resources.id });
  return rows.length === 1;
}

export async function releaseUnits(db: Database, resourceId: number, units: number): Promise<void> {
  await db
    .update(resources)
    .set({ heldUnits: sql`${resources.heldUnits} - ${units}` })
    .where(eq(resources.id, resourceId));
}

/** Units of the need already promised (live referrals) or delivered (completed ones). */
export async function unitsOfNeed(db: Database, needId: number): Promise<{ live: number; completed: number }> {
  const rows = await db
    .select({ status: referrals.status, units: sql<number>`sum(${referrals.units})` })
    .from(referrals)
    .where(eq(referrals.needId, needId))
    .groupBy(referrals.status);
  const sum = (statuses: readonly string[]) => rows.filter((r) => statuses.includes(r.status)).reduce((total, r) => total + Number(r.units), 0);
  return { live: sum(LIVE), completed: sum(['COMPLETED']) };
}

export async function insertReferral(db: Database, values: NewReferralRow): Promise<ReferralRow> {
  const [row] = await db.insert(referrals).values(values).returning();
  return row!;
}

export async function updateReferralRow(db: Database, id: number, values: Partial<NewReferralRow>): Promise<ReferralRow> {
  const [row] = await db
    .update(referrals)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(referrals.id, id))
    .returning();
  return row!;
}

export async function insertReferralEvent(db: Database, values: typeof referralEvents.$inferInsert): Promise<void> {
  await db.insert(referralEvents).values(values);
}

/** Many referrals in one statement; rows come back in the order given. */
export async function insertReferrals(db: Database, values: readonly NewReferralRow[]): Promise<ReferralRow[]> {
  if (values.length === 0) return [];
  const rows = await db.insert(referrals).values([...values]).returning();
  // One statement draws identity values in VALUES order: sorting by id restores that order.
  return rows.sort((a, b) => a.id - b.id);
}

export async function insertReferralEvents(db: Database, values: readonly (typeof referralEvents.$inferInsert)[]): Promise<void> {
  if (values.length > 0) await db.insert(referralEvents).values([...values]);
}

/** Sets one status on many referrals in one statement. */
export async function setReferralStatuses(db: Database, ids: readonly number[], status: ReferralRow['status']): Promise<void> {
  if (ids.length > 0) await db.update(referrals).set({ status, updatedAt: new Date() }).where(inArray(referrals.id, [...ids]));
}

export async function setNeedStatus(db: Database, needId: number, status: 'OPEN' | 'MATCHED' | 'FULFILLED'): Promise<void> {
  await db.update(needs).set({ status, updatedAt: new Date() }).where(eq(needs.id, needId));
}

/** Proposals whose answer is overdue, oldest first. */
export async function findOverdueProposals(db: Database, now: Date, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: referrals.id })
    .from(referrals)
    .where(and(eq(referrals.status, 'PROPOSED'), lte(referrals.expiresAt, now)))
    .orderBy(asc(referrals.expiresAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Live referrals of a need, for withdrawing it. */
export async function liveReferralIdsOfNeed(db: Database, needId: number): Promise<number[]> {
  const rows = await db.select({ id: referrals.id }).from(referrals).where(and(eq(referrals.needId, needId), inArray(referrals.status, LIVE)));
  return rows.map((r) => r.id);
}

