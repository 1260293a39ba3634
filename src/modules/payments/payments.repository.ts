import DataLoader from 'dataloader';
import { and, asc, count, desc, eq, gte, inArray, lte, ne, sql, sum, type SQL } from 'drizzle-orm';
import type { Visibility } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { rowGroupsByKeys, rowsByKeys } from '../../db/batch';
import { childPageLoader, paginate, type PageRequest } from '../../db/paginate';
import { rowsOf } from '../../db/rows';
import { scopeCondition, within } from '../../db/scope';
import {
  allowanceEvents,
  allowanceFormulas,
  allowances,
  applications,
  disbursementBatches,
  disbursementLines,
  districts,
  persons,
  verificationRequests,
} from '../../db/schema';

export type AllowanceRow = typeof allowances.$inferSelect;
export type NewAllowanceRow = typeof allowances.$inferInsert;
export type AllowanceEventRow = typeof allowanceEvents.$inferSelect;
export type FormulaRow = typeof allowanceFormulas.$inferSelect;
export type BatchRow = typeof disbursementBatches.$inferSelect;
export type LineRow = typeof disbursementLines.$inferSelect;
export type AllowanceStatusValue = AllowanceRow['status'];
export type ApplicationTypeValue = AllowanceRow['type'];

/** Names of unique indexes whose violations the service handles. */
export const ONE_ALLOWANCE_PER_APPLICATION = 'allowances_application_uq';

/* allowanceScope */
/** Allowances of the principal's districts or streets (the competent ones of the application). */
export function allowanceScope(v: Visibility): SQL | undefined {
  return scopeCondition(v, {
    MY_DISTRICTS: ({ districtIds }) => within(allowances.districtId, districtIds),
    MY_STREETS: ({ streetIds }) => within(allowances.streetId, streetIds),
  });
}

const batchScope = (v: Visibility) => scopeCondition(v, { MY_DISTRICTS: ({ districtIds }) => within(disbursementBatches.districtId, districtIds) });
const lineScope = (v: Visibility) => scopeCondition(v, { MY_DISTRICTS: ({ districtIds }) => within(disbursementLines.districtId, districtIds) });

/** Whether the viewer's Disbursement scope reaches a district (for the reconciliation report). */
export function disbursementVisibleIn(v: Visibility, districtId: number): boolean {
  return v.scopes.includes('ALL') || (v.scopes.includes('MY_DISTRICTS') && v.districtIds.includes(districtId));
}

/**
 * The allowance is due in `month`: the latest status change effective on or before it is ACTIVE.
 * Before its start month there is no change yet, so nothing is due.
 */
function dueIn(month: string): SQL {
  return sql`(select ${allowanceEvents.status} from ${allowanceEvents}
    where ${allowanceEvents.allowanceId} = ${allowances.id} and ${allowanceEvents.effectiveMonth} <= ${month}
    order by ${allowanceEvents.effectiveMonth} desc, ${allowanceEvents.id} desc limit 1) = 'ACTIVE'`;
}

/** Payable allowances of a district in a month: due and with an amount. */
const payableIn = (districtId: number, month: string) => and(eq(allowances.districtId, districtId), sql`${allowances.monthlyAmountFen} > 0`, dueIn(month))!;

// ---- grants ----

/* findApplicationForAllowance */
export async function findApplicationForAllowance(db: Database, id: number) {
  const [row] = await db
    .select({
      id: applications.id,
      type: applications.type,
      status: applications.status,
      householdId: applications.householdId,
      streetId: applications.competentStreetId,
      districtId: applications.competentDistrictId,
      decidedAt: applications.decidedAt,
    })
    .from(applications)
    .where(eq(applications.id, id));
  return row;
}

/* findFormulaInForce */
export async function findFormulaInForce(db: Database, type: ApplicationTypeValue, month: string): Promise<FormulaRow | undefined> {
  const [row] = await db
    .select()
    .from(allowanceFormulas)
    .where(and(eq(allowanceFormulas.applicationType, type), lte(allowanceFormulas.effectiveFrom, month)))
    .orderBy(desc(allowanceFormulas.effectiveFrom))
    .limit(1);
  return row;
}

/* findVerifiedIncome: the latest completed verification of the application that has an income figure */
export async function findVerifiedIncome(db: Database, applicationId: number) {
  const [row] = await db
    .select({ verificationId: verificationRequests.id, perCapitaMonthlyIncomeFen: verificationRequests.perCapitaMonthlyIncomeFen })
    .from(verificationRequests)
    .where(
      and(
        eq(verificationRequests.applicationId, applicationId),
        eq(verificationRequests.status, 'COMPLETED'),
        // Only a household found within the standards is paid the gap to them.
        eq(verificationRequests.outcome, 'WITHIN_STANDARD'),
        sql`${verificationRequests.perCapitaMonthlyIncomeFen} is not null`,
      ),
    )
    .orderBy(desc(verificationRequests.computedAt), desc(verificationRequests.id))
    .limit(1);
  return row ? { verificationId: row.verificationId, perCapitaMonthlyIncomeFen: row.perCapitaMonthlyIncomeFen! } : undefined;
}

/** The household's allowance of a type that is not ENDED (at most one: a unique index says so). */
export async function findLiveAllowanceOfHousehold(db: Database, householdId: number, type: AllowanceRow['type']): Promise<AllowanceRow | undefined> {
  const [row] = await db
    .select()
    .from(allowances)
    .where(and(eq(allowances.householdId, householdId), eq(allowances.type, type), ne(allowances.status, 'ENDED')));
  return row;
}

/* findMemberFacts */
export function findMemberFacts(db: Database, householdId: number) {
  return db.select({ attributes: persons.attributes, birthDate: persons.birthDate }).from(persons).where(eq(persons.householdId, householdId)).orderBy(asc(persons.id));
}

/* findAllowanceOfApplication */
export async function findAllowanceOfApplication(db: Database, applicationId: number): Promise<AllowanceRow | undefined> {
  const [row] = await db.select().from(allowances).where(eq(allowances.applicationId, applicationId));
  return row;
}

export async function insertAllowance(db: Database, values: NewAllowanceRow): Promise<AllowanceRow> {
  const [row] = await db.insert(allowances).values(values).returning();
  await db.insert(allowanceEvents).values({ allowanceId: row!.id, status: 'ACTIVE', effectiveMonth: row!.startMonth, reason: null, actor: values.grantedBy ?? null });
  return row!;
}

// ---- status changes ----

/** The allowance, locked against concurrent changes until the transaction ends. */
export async function lockAllowance(db: Database, id: number): Promise<AllowanceRow | undefined> {
  const [row] = await db.select().from(allowances).where(eq(allowances.id, id)).for('update');
  return row;
}

/* changeAllowanceStatus: the allowance row shows the latest change; the event keeps it in the history */
export async function changeAllowanceStatus(db: Database, id: number, change: { status: AllowanceStatusValue; month: string; reason: string | null; actor: string | null }): Promise<AllowanceRow> {
  await db.insert(allowanceEvents).values({ allowanceId: id, status: change.status, effectiveMonth: change.month, reason: change.reason, actor: change.actor });
  const [row] = await db
    .update(allowances)
    .set({ status: change.status, statusMonth: change.month, statusReason: change.reason, updatedBy: change.actor, updatedAt: new Date() })
    .where(eq(allowances.id, id))
    .returning();
  return row!;
}

/* withdrawPendingLines: a suspended or ended allowance leaves the draft batches of the months it no longer covers */
export async function withdrawPendingLines(db: Database, allowanceId: number, fromMonth: string): Promise<number> {
  const removed = await db
    .delete(disbursementLines)
    .where(and(eq(disbursementLines.allowanceId, allowanceId), gte(disbursementLines.month, fromMonth), eq(disbursementLines.status, 'PENDING')))
    .returning({ id: disbursementLines.id });
  return removed.length;
}

// ---- batches ----

export async function districtExists(db: Database, id: number): Promise<boolean> {
  const [row] = await db.select({ id: districts.id }).from(districts).where(eq(districts.id, id));
  return row !== undefined;
}

/**
 * The district's batch of the month, created when missing, locked until the transaction ends:
 * concurrent runs and approvals of one batch take turns here.
 */
export async function claimBatch(db: Database, districtId: number, month: string, actor: string | null): Promise<BatchRow> {
  await db.insert(disbursementBatches).values({ districtId, month, createdBy: actor, refreshedBy: actor }).onConflictDoNothing({ target: [disbursementBatches.districtId, disbursementBatches.month] });
  const [row] = await db
    .select()
    .from(disbursementBatches)
    .where(and(eq(disbursementBatches.districtId, districtId), eq(disbursementBatches.month, month)))
    .for('update');
  return row!;
}

export async function lockBatch(db: Database, id: number): Promise<BatchRow | undefined> {
  const [row] = await db.select().from(disbursementBatches).where(eq(disbursementBatches.id, id)).for('update');
  return row;
}

/* dropUndueLines: pending lines of a draft whose allowance is no longer payable that month */
export async function dropUndueLines(db: Database, batch: BatchRow): Promise<number> {
  const removed = await db
    .delete(disbursementLines)
    .where(
      and(
        eq(disbursementLines.batchId, batch.id),
        eq(disbursementLines.status, 'PENDING'),
        sql`not exists (select 1 from ${allowances} where ${allowances.id} = ${disbursementLines.allowanceId} and ${payableIn(batch.districtId, batch.month)})`,
      ),
    )
    .returning({ id: disbursementLines.id });
  return removed.length;
}

/**
 * Lists every payable allowance of the batch's district and month that has no line for that month
 * yet, in any batch. ON CONFLICT on UNIQUE (allowance, month) skips the ones a concurrent run or an
 * earlier batch already holds: the database, not this query, guarantees one payment per month.
 */
export async function addDueLines(db: Database, batch: BatchRow): Promise<number> {
  const result = await db.execute(sql`
    /* addDueLines */
    insert into ${disbursementLines} (batch_id, allowance_id, household_id, district_id, street_id, month, amount_fen)
    select ${batch.id}, ${allowances.id}, ${allowances.householdId}, ${allowances.districtId}, ${allowances.streetId}, ${batch.month}, ${allowances.monthlyAmountFen}
    from ${allowances}
    where ${payableIn(batch.districtId, batch.month)}
    order by ${allowances.id}
    on conflict (allowance_id, month) do nothing
    returning id`);
  return rowsOf(result).length;
}

export async function touchBatch(db: Database, id: number, actor: string | null): Promise<BatchRow> {
  const [row] = await db.update(disbursementBatches).set({ refreshedBy: actor, refreshedAt: new Date() }).where(eq(disbursementBatches.id, id)).returning();
  return row!;
}

/* approveBatchRow: its pending lines become paid, and the batch records what was approved */
export async function approveBatchRow(db: Database, id: number, actor: string | null): Promise<BatchRow> {
  const now = new Date();
  await db.update(disbursementLines).set({ status: 'PAID', paidAt: now }).where(and(eq(disbursementLines.batchId, id), eq(disbursementLines.status, 'PENDING')));
  const [totals] = await db.select({ lines: count(), total: sum(disbursementLines.amountFen) }).from(disbursementLines).where(eq(disbursementLines.batchId, id));
  const [row] = await db
    .update(disbursementBatches)
    .set({ status: 'APPROVED', approvedBy: actor, approvedAt: now, approvedLineCount: Number(totals?.lines ?? 0), approvedTotalFen: Number(totals?.total ?? 0) })
    .where(eq(disbursementBatches.id, id))
    .returning();
  return row!;
}

// ---- lines ----

export async function lockLine(db: Database, id: number): Promise<LineRow | undefined> {
  const [row] = await db.select().from(disbursementLines).where(eq(disbursementLines.id, id)).for('update');
  return row;
}

export async function markLineReturned(db: Database, id: number, values: { reason: string; returnedOn: string; actor: string | null }): Promise<LineRow> {
  const [row] = await db
    .update(disbursementLines)
    .set({ status: 'RETURNED', returnReason: values.reason, returnedOn: values.returnedOn, returnedBy: values.actor })
    .where(eq(disbursementLines.id, id))
    .returning();
  return row!;
}

// ---- reads ----

export interface AllowanceListFilter {
  readonly districtIds?: readonly number[];
  readonly streetIds?: readonly number[];
  readonly householdIds?: readonly number[];
  readonly statuses?: readonly AllowanceStatusValue[];
  readonly types?: readonly ApplicationTypeValue[];
}

export function listAllowances(db: Database, v: Visibility, filter: AllowanceListFilter, request: PageRequest, maxPageSize: number) {
  const where = and(
    allowanceScope(v),
    filter.districtIds?.length ? inArray(allowances.districtId, [...filter.districtIds]) : undefined,
    filter.streetIds?.length ? inArray(allowances.streetId, [...filter.streetIds]) : undefined,
    filter.householdIds?.length ? inArray(allowances.householdId, [...filter.householdIds]) : undefined,
    filter.statuses?.length ? inArray(allowances.status, [...filter.statuses]) : undefined,
    filter.types?.length ? inArray(allowances.type, [...filter.types]) : undefined,
  );
  return paginate<AllowanceRow>({ db, table: allowances, where, keys: [{ column: allowances.id }], keyOf: (r) => [r.id], request, maxPageSize });
}

export interface BatchListFilter {
  readonly districtIds?: readonly number[];
  readonly months?: readonly string[];
  readonly statuses?: readonly BatchRow['status'][];
}

/** Newest month first. */
export function listBatches(db: Database, v: Visibility, filter: BatchListFilter, request: PageRequest, maxPageSize: number) {
  const where = and(
    batchScope(v),
    filter.districtIds?.length ? inArray(disbursementBatches.districtId, [...filter.districtIds]) : undefined,
    filter.months?.length ? inArray(disbursementBatches.month, [...filter.months]) : undefined,
    filter.statuses?.length ? inArray(disbursementBatches.status, [...filter.statuses]) : undefined,
  );
  return paginate<BatchRow>({
    db,
    table: disbursementBatches,
    where,
    keys: [
      { column: disbursementBatches.month, descending: true },
      { column: disbursementBatches.id, descending: true },
    ],
    keyOf: (r) => [r.month, r.id],
    request,
    maxPageSize,
  });
}

export const findAllowancesByIds = (db: Database, v: Visibility, ids: readonly number[]) => rowsByKeys<AllowanceRow>(db, allowances, allowances.id, ids, (r) => r.id, allowanceScope(v));
export const findBatchesByIds = (db: Database, v: Visibility, ids: readonly number[]) => rowsByKeys<BatchRow>(db, disbursementBatches, disbursementBatches.id, ids, (r) => r.id, batchScope(v));
export const findLinesByIds = (db: Database, v: Visibility, ids: readonly number[]) => rowsByKeys<LineRow>(db, disbursementLines, disbursementLines.id, ids, (r) => r.id, lineScope(v));

/** History of each allowance, oldest change first (events are visible with their allowance). */
export const eventsOfAllowances = (db: Database, ids: readonly number[]) => rowGroupsByKeys<AllowanceEventRow>(db, allowanceEvents, allowanceEvents.allowanceId, allowanceEvents.id, ids, (r) => r.allowanceId);

export const linesOfBatchLoader = (db: Database, v: Visibility, maxPageSize: number) =>
  childPageLoader<LineRow>({ db, table: disbursementLines, parentColumn: disbursementLines.batchId, parentOf: (r) => r.batchId, where: lineScope(v), keys: [{ column: disbursementLines.id }], keyOf: (r) => [r.id], maxPageSize });

export interface BatchTotals {
  readonly lineCount: number;
  readonly totalFen: number;
}

/** Line count and total of each batch: one grouped statement for a page of batches. */
export function batchTotalsLoader(db: Database) {
  return new DataLoader<number, BatchTotals>(async (ids) => {
    const rows = await db
      .select({ batchId: disbursementLines.batchId, lines: count(), total: sum(disbursementLines.amountFen) })
      .from(disbursementLines)
      .where(inArray(disbursementLines.batchId, [...ids]))
      .groupBy(disbursementLines.batchId);
    const byBatch = new Map(rows.map((r) => [r.batchId, { lineCount: Number(r.lines), totalFen: Number(r.total ?? 0) }]));
    return ids.map((id) => byBatch.get(id) ?? { lineCount: 0, totalFen: 0 });
  });
}

export interface ReconciliationFigures {
  readonly approvedCount: number;
  readonly approvedFen: number;
  readonly paidCount: number;
  readonly paidFen: number;
  readonly returnedCount: number;
  readonly returnedFen: number;
  readonly pendingCount: number;
  readonly pendingFen: number;
  readonly notListedCount: number;
  readonly notListedFen: number;
}

/**
 * What was due (approved allowances in force that month), paid, returned, still pending and due
 * but in no batch, for one district and month: one statement.
 */
export async function reconciliationFigures(db: Database, districtId: number, month: string): Promise<ReconciliationFigures> {
  const result = await db.execute(sql`
    /* reconciliationFigures */
    with due as (
      select ${allowances.id} as id, ${allowances.monthlyAmountFen} as amount from ${allowances} where ${payableIn(districtId, month)}
    ), lines as (
      select allowance_id, amount_fen, status from ${disbursementLines} where district_id = ${districtId} and month = ${month}
    )
    select
      (select count(*) from due) as approved_count,
      (select coalesce(sum(amount), 0) from due) as approved_fen,
      (select count(*) from lines where status = 'PAID') as paid_count,
      (select coalesce(sum(amount_fen), 0) from lines where status = 'PAID') as paid_fen,
      (select count(*) from lines where status = 'RETURNED') as returned_count,
      (select coalesce(sum(amount_fen), 0) from lines where status = 'RETURNED') as returned_fen,
      (select count(*) from lines where status = 'PENDING') as pending_count,
      (select coalesce(sum(amount_fen), 0) from lines where status = 'PENDING') as pending_fen,
      (select count(*) from due where not exists (select 1 from lines where lines.allowance_id = due.id)) as not_listed_count,
      (select coalesce(sum(amount), 0) from due where not exists (select 1 from lines where lines.allowance_id = due.id)) as not_listed_fen`);
  const row = rowsOf<Record<string, string | number>>(result)[0]!;
  const n = (key: string) => Number(row[key]);
  return {
    approvedCount: n('approved_count'),
    approvedFen: n('approved_fen'),
    paidCount: n('paid_count'),
    paidFen: n('paid_fen'),
    returnedCount: n('returned_count'),
    returnedFen: n('returned_fen'),
    pendingCount: n('pending_count'),
    pendingFen: n('pending_fen'),
    notListedCount: n('not_listed_count'),
    notListedFen: n('not_listed_fen'),
  };
}

/* findBatchOf */
export async function findBatchOf(db: Database, v: Visibility, districtId: number, month: string): Promise<BatchRow | undefined> {
  const [row] = await db
    .select()
    .from(disbursementBatches)
    .where(and(batchScope(v), eq(disbursementBatches.districtId, districtId), eq(disbursementBatches.month, month)));
  return row;
}
