import { and, eq, gte, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Visibility } from '../../auth/visibility';
import { LIVE_REFERRAL_STATUSES } from '../referrals/referrals.transitions';
import type { Database } from '../../db/client';
import { scopeCondition, within } from '../../db/scope';
import { rowsByKeys } from '../../db/batch';
import { childPageLoader, paginate, type PageRequest, type RowList, type SortKey } from '../../db/paginate';
import { cases, households, needs, referrals, serviceCategories } from '../../db/schema';

export type NeedRow = typeof needs.$inferSelect;
export type NewNeedRow = typeof needs.$inferInsert;

export interface NeedListFilter {
  readonly districtIds?: readonly number[];
  readonly streetIds?: readonly number[];
  readonly committeeIds?: readonly number[];
  readonly categoryIds?: readonly number[];
  readonly urgencies?: readonly NeedRow['urgency'][];
  readonly statuses?: readonly NeedRow['status'][];
  readonly createdFrom?: Date;
  readonly createdBefore?: Date;
  readonly wantedFrom?: string;
  readonly wantedUntil?: string;
}

export type NeedOrdering = { by: 'CREATED_AT' | 'URGENCY'; descending: boolean };

function needOrderKeys(order: NeedOrdering): { keys: SortKey[]; keyOf: (r: NeedRow) => unknown[] } {
  if (order.by === 'URGENCY') {
    return {
      keys: [
        { column: needs.urgency, descending: order.descending },
        { column: needs.createdAt, descending: order.descending },
        { column: needs.id, descending: order.descending },
      ],
      keyOf: (r) => [r.urgency, r.createdAt, r.id],
    };
  }
  return {
    keys: [
      { column: needs.createdAt, descending: order.descending },
      { column: needs.id, descending: order.descending },
    ],
    keyOf: (r) => [r.createdAt, r.id],
  };
}

function needConditions(filter: NeedListFilter): SQL | undefined {
  const list = <T extends string | number>(column: Parameters<typeof inArray>[0], values: readonly T[] | undefined) =>
    values?.length ? inArray(column, [...values]) : undefined;
  return and(
    list(needs.districtId, filter.districtIds),
    list(needs.streetId, filter.streetIds),
    list(needs.committeeId, filter.committeeIds),
    list(needs.categoryId, filter.categoryIds),
    list(needs.urgency, filter.urgencies),
    list(needs.status, filter.statuses),
    filter.createdFrom ? gte(needs.createdAt, filter.createdFrom) : undefined,
    filter.createdBefore ? lt(needs.createdAt, filter.createdBefore) : undefined,
    filter.wantedFrom ? or(isNull(needs.deadline), gte(needs.deadline, filter.wantedFrom)) : undefined,
    filter.wantedUntil ? lte(needs.earliestStart, filter.wantedUntil) : undefined,
  );
}

/** Needs located in the principal's districts or streets, or of households whose case the principal owns. */
export function needScope(v: Visibility): SQL | undefined {
  return scopeCondition(v, {
    MY_DISTRICTS: ({ districtIds }) => within(needs.districtId, districtIds),
    MY_STREETS: ({ streetIds }) => within(needs.streetId, streetIds),
    MY_CASES: ({ staffMemberId }) => sql`exists (select 1 from ${cases} where ${cases.householdId} = ${needs.householdId} and ${cases.caseworkerId} = ${staffMemberId ?? -1})`,
    REFERRED_TO_MY_ORGANIZATION: ({ organizationId }) =>
      sql`exists (select 1 from ${referrals} where ${referrals.needId} = ${needs.id} and ${referrals.providerId} = ${organizationId ?? -1} and ${inArray(referrals.status, [...LIVE_REFERRAL_STATUSES])})`,
  });
}

/** The needs in scope under a filter, in an order. */
export function needList(visibility: Visibility, filter: NeedListFilter, order: NeedOrdering): RowList {
  return { table: needs, where: and(needScope(visibility), needConditions(filter)), keys: needOrderKeys(order).keys };
}

export function listNeeds(db: Database, visibility: Visibility, filter: NeedListFilter, order: NeedOrdering, request: PageRequest, maxPageSize: number) {
  return paginate<NeedRow>({ db, ...needList(visibility, filter, order), keyOf: needOrderKeys(order).keyOf, request, maxPageSize });
}

export const findNeedsByIds = (db: Database, v: Visibility, ids: readonly number[]) => rowsByKeys<NeedRow>(db, needs, needs.id, ids, (r) => r.id, needScope(v));

const oldestFirst = needOrderKeys({ by: 'CREATED_AT', descending: false });

export const needsOfHouseholdLoader = (db: Database, v: Visibility, maxPageSize: number) =>
  childPageLoader<NeedRow>({ db, table: needs, parentColumn: needs.householdId, parentOf: (r) => r.householdId, where: needScope(v), ...oldestFirst, maxPageSize });

export const needsOfCaseLoader = (db: Database, v: Visibility, maxPageSize: number) =>
  childPageLoader<NeedRow>({ db, table: needs, parentColumn: needs.caseId, parentOf: (r) => r.caseId!, where: needScope(v), ...oldestFirst, maxPageSize });

/** The need, locked against concurrent changes until the transaction ends. */
export async function lockNeed(db: Database, id: number): Promise<NeedRow | undefined> {
  const [row] = await db.select().from(needs).where(eq(needs.id, id)).for('update');
  return row;
}

export async function findHouseholdLocation(db: Database, householdId: number) {
  const [row] = await db
    .select({ id: households.id, committeeId: households.committeeId, streetId: households.streetId, districtId: households.districtId })
    .from(households)
    .where(eq(households.id, householdId));
  return row;
}

export async function findCaseForNeed(db: Database, caseId: number) {
  const [row] = await db.select({ id: cases.id, householdId: cases.householdId, status: cases.status }).from(cases).where(eq(cases.id, caseId));
  return row;
}

export async function findOpenCaseIdOfHousehold(db: Database, householdId: number): Promise<number | undefined> {
  const [row] = await db.select({ id: cases.id }).from(cases).where(and(eq(cases.householdId, householdId), eq(cases.status, 'OPEN')));
  return row?.id;
}

/** Caseworkers of the household's open cases. */
export async function findCaseworkersOfHousehold(db: Database, householdId: number): Promise<number[]> {
  const rows = await db.select({ caseworkerId: cases.caseworkerId }).from(cases).where(and(eq(cases.householdId, householdId), eq(cases.status, 'OPEN')));
  return rows.map((r) => r.caseworkerId);
}

export async function findCategoryState(db: Database, categoryId: number) {
  const [row] = await db.select({ id: serviceCategories.id, retiredAt: serviceCategories.retiredAt }).from(serviceCategories).where(eq(serviceCategories.id, categoryId));
  return row;
}

export async function insertNeed(db: Database, values: NewNeedRow): Promise<NeedRow> {
  const [row] = await db.insert(needs).values(values).returning();
  return row!;
}

export async function updateNeedRow(db: Database, id: number, values: Partial<NewNeedRow>): Promise<NeedRow> {
  const [row] = await db
    .update(needs)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(needs.id, id))
    .returning();
  return row!;
}
