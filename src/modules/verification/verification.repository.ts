import { and, asc, desc, eq, getTableColumns, inArray, lte, ne, sql, type SQL } from 'drizzle-orm';
import type { Visibility } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { rowGroupsByKeys, rowsByKeys } from '../../db/batch';
import { paginate, type PageRequest } from '../../db/paginate';
import { scopeCondition, within } from '../../db/scope';
import { applications, persons, verificationFigures, verificationRequests, verificationResultLines, verificationReturns, verificationStandards } from '../../db/schema';

export type VerificationRequestRow = typeof verificationRequests.$inferSelect;
export type FigureRow = typeof verificationFigures.$inferSelect;
export type NewFigureRow = typeof verificationFigures.$inferInsert;
export type ReturnRow = typeof verificationReturns.$inferSelect;
export type StandardRow = typeof verificationStandards.$inferSelect;
export type NewStandardRow = typeof verificationStandards.$inferInsert;
export type ResultLineRow = typeof verificationResultLines.$inferSelect;
export type NewResultLineRow = typeof verificationResultLines.$inferInsert;
/** A figure with the application its verification serves: the purpose its amounts are read for. */
export type FigureWithApplication = FigureRow & { applicationId: number };

/**
 * Verification requests a visibility reaches: those of applications whose competent district or
 * street (户籍地) is the principal's, or those still waiting for figures.
 */
export function verificationScope(v: Visibility): SQL | undefined {
  const ofApplications = (condition: SQL) => sql`${verificationRequests.applicationId} in (select ${applications.id} from ${applications} where ${condition})`;
  return scopeCondition(v, {
    MY_DISTRICTS: ({ districtIds }) => ofApplications(within(applications.competentDistrictId, districtIds)),
    MY_STREETS: ({ streetIds }) => ofApplications(within(applications.competentStreetId, streetIds)),
    PENDING_VERIFICATION: () => eq(verificationRequests.status, 'PENDING'),
  });
}

export interface VerificationListFilter {
  readonly statuses?: readonly VerificationRequestRow['status'][];
  readonly districtIds?: readonly number[];
}

/* listVerificationRequests */
export function listVerificationRequests(db: Database, v: Visibility, filter: VerificationListFilter, request: PageRequest, maxPageSize: number) {
  const where = and(
    verificationScope(v),
    filter.statuses?.length ? inArray(verificationRequests.status, [...filter.statuses]) : undefined,
    filter.districtIds?.length
      ? sql`${verificationRequests.applicationId} in (select ${applications.id} from ${applications} where ${inArray(applications.competentDistrictId, [...filter.districtIds])})`
      : undefined,
  );
  return paginate<VerificationRequestRow>({ db, table: verificationRequests, where, keys: [{ column: verificationRequests.id }], keyOf: (r) => [r.id], request, maxPageSize });
}

export const findVerificationRequestsByIds = (db: Database, v: Visibility, ids: readonly number[]) =>
  rowsByKeys<VerificationRequestRow>(db, verificationRequests, verificationRequests.id, ids, (r) => r.id, verificationScope(v));

/** The live (not cancelled) verification of each application, in scope: one statement. */
export const findLiveVerificationsOfApplications = (db: Database, v: Visibility, applicationIds: readonly number[]) =>
  rowsByKeys<VerificationRequestRow>(db, verificationRequests, verificationRequests.applicationId, applicationIds, (r) => r.applicationId, and(ne(verificationRequests.status, 'CANCELLED'), verificationScope(v)));

const figureWithApplication = { ...getTableColumns(verificationFigures), applicationId: verificationRequests.applicationId };

/* findFiguresByIds: figures of verifications in scope */
export async function findFiguresByIds(db: Database, v: Visibility, ids: readonly number[]): Promise<(FigureWithApplication | undefined)[]> {
  const rows = await db
    .select(figureWithApplication)
    .from(verificationFigures)
    .innerJoin(verificationRequests, eq(verificationRequests.id, verificationFigures.requestId))
    .where(and(inArray(verificationFigures.id, [...ids]), verificationScope(v)));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id));
}

/* figuresOfRequests: the figures of each request, by department, kind and source */
export async function figuresOfRequests(db: Database, requestIds: readonly number[]): Promise<FigureWithApplication[][]> {
  const rows = await db
    .select(figureWithApplication)
    .from(verificationFigures)
    .innerJoin(verificationRequests, eq(verificationRequests.id, verificationFigures.requestId))
    .where(inArray(verificationFigures.requestId, [...requestIds]))
    .orderBy(asc(verificationFigures.department), asc(verificationFigures.kind), asc(verificationFigures.sourceReference), asc(verificationFigures.id));
  const groups = new Map<number, FigureWithApplication[]>(requestIds.map((id) => [id, []]));
  for (const row of rows) groups.get(row.requestId)?.push(row);
  return requestIds.map((id) => groups.get(id)!);
}

export const returnsOfRequests = (db: Database, requestIds: readonly number[]) =>
  rowGroupsByKeys<ReturnRow>(db, verificationReturns, verificationReturns.requestId, verificationReturns.department, requestIds, (r) => r.requestId);

export const resultLinesOfRequests = (db: Database, requestIds: readonly number[]) =>
  rowGroupsByKeys<ResultLineRow>(db, verificationResultLines, verificationResultLines.requestId, verificationResultLines.position, requestIds, (r) => r.requestId);

/* listStandards: newest year first */
export function listStandards(db: Database): Promise<StandardRow[]> {
  return db.select().from(verificationStandards).orderBy(desc(verificationStandards.year));
}

export const findStandardsByIds = (db: Database, ids: readonly number[]) =>
  rowsByKeys<StandardRow>(db, verificationStandards, verificationStandards.id, ids, (r) => r.id);

export const findStandardsByYears = (db: Database, years: readonly number[]) =>
  rowsByKeys<StandardRow>(db, verificationStandards, verificationStandards.year, years, (r) => r.year);

/* findStandardByYear */
export async function findStandardByYear(db: Database, year: number): Promise<StandardRow | undefined> {
  const [row] = await db.select().from(verificationStandards).where(eq(verificationStandards.year, year));
  return row;
}

/* findStandardInForce: the latest standard effective on or before the day */
export async function findStandardInForce(db: Database, day: string): Promise<StandardRow | undefined> {
  const [row] = await db.select().from(verificationStandards).where(lte(verificationStandards.effectiveFrom, day)).orderBy(desc(verificationStandards.effectiveFrom)).limit(1);
  return row;
}

/* upsertStandard: one row per year */
export async function upsertStandard(db: Database, values: NewStandardRow): Promise<StandardRow> {
  const [row] = await db
    .insert(verificationStandards)
    .values(values)
    .onConflictDoUpdate({ target: verificationStandards.year, set: { ...values, updatedAt: new Date() } })
    .returning();
  return row!;
}

/* lockVerificationRequest: submissions and the completion of one request queue behind each other */
export async function lockVerificationRequest(db: Database, id: number): Promise<VerificationRequestRow | undefined> {
  const [row] = await db.select().from(verificationRequests).where(eq(verificationRequests.id, id)).for('update');
  return row;
}

/* membersOfHousehold */
export async function membersOfHousehold(db: Database, householdId: number): Promise<number[]> {
  const rows = await db.select({ id: persons.id }).from(persons).where(eq(persons.householdId, householdId));
  return rows.map((r) => r.id);
}

/**
 * upsertFigures: one row per (request, department, source reference). A resubmission replaces the
 * figure, unless the copy stored is newer at its source than the one resubmitted.
 */
export async function upsertFigures(db: Database, values: readonly NewFigureRow[]): Promise<void> {
  if (values.length === 0) return;
  const excluded = (column: string) => sql.raw(`excluded."${column}"`);
  await db
    .insert(verificationFigures)
    .values([...values])
    .onConflictDoUpdate({
      target: [verificationFigures.requestId, verificationFigures.department, verificationFigures.sourceReference],
      set: {
        kind: sql`${excluded('kind')}`,
        personId: sql`${excluded('person_id')}`,
        amountFen: sql`${excluded('amount_fen')}`,
        quantity: sql`${excluded('quantity')}`,
        sourceTime: sql`${excluded('source_time')}`,
        submittedBy: sql`${excluded('submitted_by')}`,
        submittedAt: sql`now()`,
      },
      setWhere: sql`${verificationFigures.sourceTime} <= ${excluded('source_time')}`,
    });
}

/* recordReturn: the department has answered (again) */
export async function recordReturn(db: Database, requestId: number, department: ReturnRow['department'], submittedBy: string | null): Promise<void> {
  await db
    .insert(verificationReturns)
    .values({ requestId, department, submittedBy })
    .onConflictDoUpdate({ target: [verificationReturns.requestId, verificationReturns.department], set: { submittedBy, submittedAt: sql`now()` } });
}

/* figuresOfRequestBySource: what a department has on record for a request, after a submission */
export async function figuresOfRequestBySources(db: Database, requestId: number, department: FigureRow['department'], sourceReferences: readonly string[]): Promise<FigureRow[]> {
  if (sourceReferences.length === 0) return [];
  return db
    .select()
    .from(verificationFigures)
    .where(and(eq(verificationFigures.requestId, requestId), eq(verificationFigures.department, department), inArray(verificationFigures.sourceReference, [...sourceReferences])))
    .orderBy(asc(verificationFigures.id));
}

export async function figuresOfRequest(db: Database, requestId: number): Promise<FigureRow[]> {
  return db.select().from(verificationFigures).where(eq(verificationFigures.requestId, requestId));
}

export async function departmentsAnswered(db: Database, requestId: number): Promise<ReturnRow['department'][]> {
  const rows = await db.select({ department: verificationReturns.department }).from(verificationReturns).where(eq(verificationReturns.requestId, requestId));
  return rows.map((r) => r.department);
}

/* storeResult: the result on the request, its explanation beside it */
export async function storeResult(
  db: Database,
  id: number,
  result: Pick<VerificationRequestRow, 'outcome' | 'perCapitaMonthlyIncomeFen' | 'perCapitaAssetsFen' | 'standardYear'>,
  lines: readonly Omit<NewResultLineRow, 'requestId' | 'position'>[],
): Promise<VerificationRequestRow> {
  await db.delete(verificationResultLines).where(eq(verificationResultLines.requestId, id));
  if (lines.length > 0) await db.insert(verificationResultLines).values(lines.map((line, position) => ({ ...line, requestId: id, position })));
  const [row] = await db
    .update(verificationRequests)
    .set({ ...result, status: 'COMPLETED', computedAt: new Date() })
    .where(eq(verificationRequests.id, id))
    .returning();
  return row!;
}

/* findVerificationOfApplication: the live (not cancelled) verification of an application, without scope */
export async function findVerificationOfApplication(db: Database, applicationId: number): Promise<VerificationRequestRow | undefined> {
  const [row] = await db
    .select()
    .from(verificationRequests)
    .where(and(eq(verificationRequests.applicationId, applicationId), ne(verificationRequests.status, 'CANCELLED')))
    .limit(1);
  return row;
}

/**
 * findPurposeApplication: an application named as a request's purpose (by its own ID or its
 * verification request's), with whether the viewer sees a verification of it. Read without the
 * viewer's scope otherwise: the caller decides.
 */
export async function findPurposeApplication(
  db: Database,
  v: Visibility,
  typeName: 'Application' | 'VerificationRequest',
  id: number,
): Promise<{ id: number; householdId: number; verificationVisible: boolean } | undefined> {
  const target =
    typeName === 'Application' ? eq(applications.id, id) : sql`${applications.id} = (select ${verificationRequests.applicationId} from ${verificationRequests} where ${verificationRequests.id} = ${id})`;
  const [application] = await db.select({ id: applications.id, householdId: applications.householdId }).from(applications).where(target);
  if (!application) return undefined;
  const visible = await db
    .select({ id: verificationRequests.id })
    .from(verificationRequests)
    .where(and(eq(verificationRequests.applicationId, application.id), verificationScope(v)))
    .limit(1);
  return { ...application, verificationVisible: visible.length > 0 };
}

/* cancelPendingVerification */
export async function cancelPendingVerification(db: Database, applicationId: number): Promise<boolean> {
  const rows = await db
    .update(verificationRequests)
    .set({ status: 'CANCELLED' })
    .where(and(eq(verificationRequests.applicationId, applicationId), eq(verificationRequests.status, 'PENDING')))
    .returning({ id: verificationRequests.id });
  return rows.length > 0;
}
