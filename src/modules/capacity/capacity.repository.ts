import { and, eq, gte, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Visibility } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { rowsByKeys } from '../../db/batch';
import { childPageLoader, paginate, type PageRequest } from '../../db/paginate';
import { rowsOf } from '../../db/rows';
import { scopeCondition, within } from '../../db/scope';
import {
  committees,
  householdReviewSchedules,
  householdReviews,
  households,
  organizations,
  reviewIntervals,
  serviceCategories,
  staffMembers,
  streets,
  trainingAttendance,
  trainingSessions,
} from '../../db/schema';
import { householdScope } from '../households/households.repository';
import { staffScope } from '../organizations/organizations.repository';

export type StaffMemberRow = typeof staffMembers.$inferSelect;
export type NewStaffMemberRow = typeof staffMembers.$inferInsert;
export type CommitteeRow = typeof committees.$inferSelect;
export type TrainingSessionRow = typeof trainingSessions.$inferSelect;
export type NewTrainingSessionRow = typeof trainingSessions.$inferInsert;
export type TrainingAttendanceRow = typeof trainingAttendance.$inferSelect;
export type ReviewScheduleRow = typeof householdReviewSchedules.$inferSelect;
export type HouseholdReviewRow = typeof householdReviews.$inferSelect;
export type NewHouseholdReviewRow = typeof householdReviews.$inferInsert;

/** Districts and streets a report is narrowed to by its arguments (within the viewer's scope). */
export interface PlaceFilter {
  readonly districtIds?: readonly number[];
  readonly streetIds?: readonly number[];
}

function placeConditions(districtColumn: PgColumn, streetColumn: PgColumn, filter: PlaceFilter): SQL | undefined {
  return and(
    filter.districtIds?.length ? inArray(districtColumn, [...filter.districtIds]) : undefined,
    filter.streetIds?.length ? inArray(streetColumn, [...filter.streetIds]) : undefined,
  );
}

/** A staff member's place is its organization's: the committee of a member lies in it (checked on write). */
const staffOfOrganizationsWhere = (condition: SQL | undefined) =>
  condition === undefined ? undefined : sql`${staffMembers.organizationId} in (select ${organizations.id} from ${organizations} where ${condition})`;

// ----- reports ----------------------------------------------------------------------------------

/** Committees in scope where no active staff member is assigned assistance work (§2(3)). */
export function listCommitteesWithoutAssistanceStaff(db: Database, v: Visibility, filter: PlaceFilter, request: PageRequest, maxPageSize: number) {
  const where = and(
    scopeCondition(v, { MY_DISTRICTS: ({ districtIds }) => within(committees.districtId, districtIds), MY_STREETS: ({ streetIds }) => within(committees.streetId, streetIds) }),
    placeConditions(committees.districtId, committees.streetId, filter),
    sql`not exists (select 1 from ${staffMembers} where ${staffMembers.committeeId} = ${committees.id} and ${staffMembers.active} and ${staffMembers.assistanceRole} is not null)`,
  );
  return paginate<CommitteeRow>({ db, table: committees, where, keys: [{ column: committees.id }], keyOf: (r) => [r.id], request, maxPageSize });
}

/**
 * Active people doing assistance work (caseworkers, and anyone assigned 助理员 / 协理员 work) who
 * attended no training session held in [from, until) (§2(5)).
 */
export function listUntrainedAssistanceWorkers(db: Database, v: Visibility, filter: PlaceFilter, from: string, until: string, request: PageRequest, maxPageSize: number) {
  const where = and(
    staffScope(v),
    staffOfOrganizationsWhere(placeConditions(organizations.districtId, organizations.streetId, filter)),
    sql`${staffMembers.active} and (${staffMembers.position} = 'CASEWORKER' or ${staffMembers.assistanceRole} is not null)`,
    sql`not exists (select 1 from ${trainingAttendance} join ${trainingSessions} on ${trainingSessions.id} = ${trainingAttendance.sessionId}
      where ${trainingAttendance.staffMemberId} = ${staffMembers.id} and ${trainingSessions.heldOn} >= ${from} and ${trainingSessions.heldOn} < ${until})`,
  );
  return paginate<StaffMemberRow>({ db, table: staffMembers, where, keys: [{ column: staffMembers.id }], keyOf: (r) => [r.id], request, maxPageSize });
}

export interface GraduateHireRow {
  readonly districtId: number;
  readonly year: number;
  readonly hires: number;
  readonly stillActive: number;
}

/** Graduate hires per district of the hiring organization and year of hire, in [fromYear, toYear]: one grouped statement. */
export async function countGraduateHires(db: Database, v: Visibility, filter: PlaceFilter, fromYear: number, toYear: number): Promise<GraduateHireRow[]> {
  const year = sql<number>`extract(year from ${staffMembers.hiredOn})::int`;
  const rows = await db
    .select({ districtId: organizations.districtId, year, hires: sql<number>`count(*)::int`, stillActive: sql<number>`(count(*) filter (where ${staffMembers.active}))::int` })
    .from(staffMembers)
    .innerJoin(organizations, eq(organizations.id, staffMembers.organizationId))
    .where(
      and(
        eq(staffMembers.graduateHire, true),
        gte(staffMembers.hiredOn, `${fromYear}-01-01`),
        lt(staffMembers.hiredOn, `${toYear + 1}-01-01`),
        isNotNull(organizations.districtId),
        scopeCondition(v, { MY_DISTRICTS: ({ districtIds }) => within(organizations.districtId, districtIds), MY_STREETS: ({ streetIds }) => within(organizations.streetId, streetIds) }),
        placeConditions(organizations.districtId, organizations.streetId, filter),
      ),
    )
    .groupBy(organizations.districtId, year)
    .orderBy(year, organizations.districtId);
  return rows.map((r) => ({ districtId: r.districtId!, year: Number(r.year), hires: Number(r.hires), stillActive: Number(r.stillActive) }));
}

/** Schedules of households in scope that hold a status and whose review day has passed: oldest due first. */
export function listOverdueReviews(db: Database, v: Visibility, filter: PlaceFilter, today: string, request: PageRequest, maxPageSize: number) {
  const householdsInScope = and(householdScope(v), sql`cardinality(${households.assistanceStatuses}) > 0`, placeConditions(households.districtId, households.streetId, filter));
  const where = and(
    lt(householdReviewSchedules.nextReviewOn, today),
    sql`${householdReviewSchedules.householdId} in (select ${households.id} from ${households} where ${householdsInScope})`,
  );
  return paginate<ReviewScheduleRow>({
    db,
    table: householdReviewSchedules,
    where,
    keys: [{ column: householdReviewSchedules.nextReviewOn }, { column: householdReviewSchedules.householdId }],
    keyOf: (r) => [r.nextReviewOn, r.householdId],
    request,
    maxPageSize,
  });
}

// ----- training sessions ------------------------------------------------------------------------

export interface TrainingSessionFilter extends PlaceFilter {
  readonly heldFrom?: string;
  readonly heldUntil?: string;
}

export function listTrainingSessions(db: Database, filter: TrainingSessionFilter, request: PageRequest, maxPageSize: number) {
  const where = and(
    placeConditions(trainingSessions.districtId, trainingSessions.streetId, filter),
    filter.heldFrom ? gte(trainingSessions.heldOn, filter.heldFrom) : undefined,
    filter.heldUntil ? sql`${trainingSessions.heldOn} <= ${filter.heldUntil}` : undefined,
  );
  return paginate<TrainingSessionRow>({
    db,
    table: trainingSessions,
    where,
    keys: [{ column: trainingSessions.heldOn }, { column: trainingSessions.id }],
    keyOf: (r) => [r.heldOn, r.id],
    request,
    maxPageSize,
  });
}

export const findTrainingSessionsByIds = (db: Database, ids: readonly number[]) => rowsByKeys<TrainingSessionRow>(db, trainingSessions, trainingSessions.id, ids, (r) => r.id);

/** Attendance of sessions, only of staff the viewer may see. */
export const attendanceOfSessionLoader = (db: Database, staff: Visibility, maxPageSize: number) => {
  const visibleStaff = staffScope(staff);
  return childPageLoader<TrainingAttendanceRow>({
    db,
    table: trainingAttendance,
    parentColumn: trainingAttendance.sessionId,
    parentOf: (r) => r.sessionId,
    where: visibleStaff === undefined ? undefined : sql`${trainingAttendance.staffMemberId} in (select ${staffMembers.id} from ${staffMembers} where ${visibleStaff})`,
    keys: [{ column: trainingAttendance.staffMemberId }],
    keyOf: (r) => [r.staffMemberId],
    maxPageSize,
  });
};

/** A staff member's sessions (the staff member itself is already visible to whoever reached it). */
export const attendanceOfStaffLoader = (db: Database, maxPageSize: number) =>
  childPageLoader<TrainingAttendanceRow>({
    db,
    table: trainingAttendance,
    parentColumn: trainingAttendance.staffMemberId,
    parentOf: (r) => r.staffMemberId,
    keys: [{ column: trainingAttendance.sessionId, descending: true }],
    keyOf: (r) => [r.sessionId],
    maxPageSize,
  });

export const findReviewSchedulesByHouseholdIds = (db: Database, ids: readonly number[]) =>
  rowsByKeys<ReviewScheduleRow>(db, householdReviewSchedules, householdReviewSchedules.householdId, ids, (r) => r.householdId);

// ----- writes -----------------------------------------------------------------------------------

export async function findOrganizationPlace(db: Database, id: number) {
  const [row] = await db.select({ id: organizations.id, districtId: organizations.districtId, streetId: organizations.streetId }).from(organizations).where(eq(organizations.id, id));
  return row;
}

export async function findCommitteePlace(db: Database, id: number) {
  const [row] = await db.select({ id: committees.id, districtId: committees.districtId, streetId: committees.streetId }).from(committees).where(eq(committees.id, id));
  return row;
}

export async function findStreetPlace(db: Database, id: number) {
  const [row] = await db.select({ id: streets.id, districtId: streets.districtId }).from(streets).where(eq(streets.id, id));
  return row;
}

export async function findCategoryState(db: Database, id: number) {
  const [row] = await db.select({ id: serviceCategories.id, retiredAt: serviceCategories.retiredAt }).from(serviceCategories).where(eq(serviceCategories.id, id));
  return row;
}

export async function lockStaffMember(db: Database, id: number): Promise<StaffMemberRow | undefined> {
  const [row] = await db.select().from(staffMembers).where(eq(staffMembers.id, id)).for('update');
  return row;
}

/** Staff with their organization's place: what attendance and reviewer checks need. */
export async function findStaffPlaces(db: Database, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: staffMembers.id, active: staffMembers.active, districtId: organizations.districtId, streetId: organizations.streetId })
    .from(staffMembers)
    .innerJoin(organizations, eq(organizations.id, staffMembers.organizationId))
    .where(inArray(staffMembers.id, [...ids]));
}

export async function insertStaffMember(db: Database, values: NewStaffMemberRow): Promise<StaffMemberRow> {
  const [row] = await db.insert(staffMembers).values(values).returning();
  return row!;
}

export async function updateStaffMemberRow(db: Database, id: number, values: Partial<NewStaffMemberRow>): Promise<StaffMemberRow> {
  const [row] = await db.update(staffMembers).set(values).where(eq(staffMembers.id, id)).returning();
  return row!;
}

export async function insertTrainingSession(db: Database, values: NewTrainingSessionRow): Promise<TrainingSessionRow> {
  const [row] = await db.insert(trainingSessions).values(values).returning();
  return row!;
}

export async function lockTrainingSession(db: Database, id: number): Promise<TrainingSessionRow | undefined> {
  const [row] = await db.select().from(trainingSessions).where(eq(trainingSessions.id, id)).for('update');
  return row;
}

/** Records attendance; pairs already recorded are left alone. Returns how many rows were new. */
export async function insertAttendance(db: Database, sessionId: number, staffMemberIds: readonly number[], recordedBy: string): Promise<number> {
  const inserted = await db
    .insert(trainingAttendance)
    .values(staffMemberIds.map((staffMemberId) => ({ sessionId, staffMemberId, recordedBy })))
    .onConflictDoNothing({ target: [trainingAttendance.staffMemberId, trainingAttendance.sessionId] })
    .returning({ id: trainingAttendance.id });
  return inserted.length;
}

/** The household's place (where it lives and where it is registered), statuses and open-case caseworkers. */
export async function findHouseholdForReview(db: Database, id: number) {
  const result = await db.execute(sql`
    select h.id, h.district_id as "districtId", h.street_id as "streetId", rc.district_id as "registeredDistrictId", rc.street_id as "registeredStreetId",
      cardinality(h.assistance_statuses) > 0 as "assisted",
      coalesce((select array_agg(c.caseworker_id) from cases c where c.household_id = h.id and c.status = 'OPEN'), '{}') as "caseworkerIds"
    from ${households} h join ${committees} rc on rc.id = h.registered_committee_id
    where h.id = ${id}`);
  return rowsOf<{ id: number; districtId: number; streetId: number; registeredDistrictId: number; registeredStreetId: number; assisted: boolean; caseworkerIds: number[] }>(result)[0];
}

export async function lockReviewSchedule(db: Database, householdId: number): Promise<ReviewScheduleRow | undefined> {
  const [row] = await db.select().from(householdReviewSchedules).where(eq(householdReviewSchedules.householdId, householdId)).for('update');
  return row;
}

/** The review day plus the shortest review interval of the household's statuses. */
export async function defaultNextReviewOn(db: Database, householdId: number, reviewedOn: string): Promise<string | null> {
  const result = await db.execute(sql`
    select (${reviewedOn}::date + make_interval(months => min(${reviewIntervals.months})::int))::text as "next"
    from ${reviewIntervals} join ${households} on ${reviewIntervals.assistanceStatus} = any(${households.assistanceStatuses})
    where ${households.id} = ${householdId}`);
  return rowsOf<{ next: string | null }>(result)[0]?.next ?? null;
}

export async function insertReview(db: Database, values: NewHouseholdReviewRow): Promise<HouseholdReviewRow> {
  const [row] = await db.insert(householdReviews).values(values).returning();
  return row!;
}

export async function upsertReviewSchedule(db: Database, householdId: number, lastReviewedOn: string, nextReviewOn: string | null): Promise<ReviewScheduleRow> {
  const [row] = await db
    .insert(householdReviewSchedules)
    .values({ householdId, lastReviewedOn, nextReviewOn })
    .onConflictDoUpdate({ target: householdReviewSchedules.householdId, set: { lastReviewedOn, nextReviewOn, updatedAt: new Date() } })
    .returning();
  return row!;
}
