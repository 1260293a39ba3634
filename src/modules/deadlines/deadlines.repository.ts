import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Visibility } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { rowsByKeys } from '../../db/batch';
import { childPages, paginate, type PageRequest } from '../../db/paginate';
import { rowsOf } from '../../db/rows';
import { applicationEscalations, applications, applicationStepLimits, applicationSteps } from '../../db/schema';
import { applicationScope } from '../applications/applications.repository';

export type ApplicationStepRow = typeof applicationSteps.$inferSelect;
export type NewApplicationStepRow = typeof applicationSteps.$inferInsert;
export type ApplicationEscalationRow = typeof applicationEscalations.$inferSelect;
export type ApplicationStatusValue = ApplicationStepRow['status'];
export type StepLimitRow = typeof applicationStepLimits.$inferSelect;

export async function findStepLimit(db: Database, status: ApplicationStatusValue): Promise<number | undefined> {
  const [row] = await db.select({ workingDays: applicationStepLimits.workingDays }).from(applicationStepLimits).where(eq(applicationStepLimits.status, status));
  return row?.workingDays;
}

/** Every limit, by status: for computing many steps at once (the demo seed). */
export async function findStepLimits(db: Database): Promise<Map<ApplicationStatusValue, number>> {
  return new Map((await listStepLimits(db)).map((row) => [row.status, row.workingDays]));
}

export const listStepLimits = (db: Database): Promise<StepLimitRow[]> => db.select().from(applicationStepLimits).orderBy(applicationStepLimits.status);

export async function upsertStepLimit(db: Database, status: ApplicationStatusValue, workingDays: number, updatedBy: string | null): Promise<StepLimitRow> {
  const [row] = await db
    .insert(applicationStepLimits)
    .values({ status, workingDays, updatedBy })
    .onConflictDoUpdate({ target: applicationStepLimits.status, set: { workingDays, updatedBy, updatedAt: sql`now()` } })
    .returning();
  return row!;
}

export async function deleteStepLimit(db: Database, status: ApplicationStatusValue): Promise<void> {
  await db.delete(applicationStepLimits).where(eq(applicationStepLimits.status, status));
}

/** Completes the application's open step, if any. */
export async function completeOpenStep(db: Database, applicationId: number, at: Date, on: string): Promise<void> {
  await db
    .update(applicationSteps)
    .set({ completedAt: at, completedOn: on })
    .where(and(eq(applicationSteps.applicationId, applicationId), isNull(applicationSteps.completedAt)));
}

export async function insertStep(db: Database, row: NewApplicationStepRow): Promise<ApplicationStepRow> {
  const [step] = await db.insert(applicationSteps).values(row).returning();
  return step!;
}

/** Open steps with a deadline, optionally only those whose deadline is provisional. */
export function findOpenTimedSteps(db: Database): Promise<Pick<ApplicationStepRow, 'id' | 'status' | 'enteredOn' | 'dueOn' | 'provisional'>[]> {
  return db
    .select({ id: applicationSteps.id, status: applicationSteps.status, enteredOn: applicationSteps.enteredOn, dueOn: applicationSteps.dueOn, provisional: applicationSteps.provisional })
    .from(applicationSteps)
    .where(and(isNull(applicationSteps.completedAt), sql`${applicationSteps.dueOn} is not null`));
}

export async function insertSteps(db: Database, rows: readonly NewApplicationStepRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(applicationSteps).values([...rows]);
}

/**
 * The lock of deadline computation, until the transaction ends: shared while a step is entered,
 * exclusive while open deadlines are recomputed. A recomputation then waits for the steps being
 * entered (and sees them), a step entered meanwhile waits for the new limit or calendar, and two
 * recomputations (a calendar change and a limit change) run one after the other.
 */
export async function lockStepDeadlines(db: Database, mode: 'shared' | 'exclusive'): Promise<void> {
  await db.execute(mode === 'shared' ? sql`select pg_advisory_xact_lock_shared(hashtext('application_step_deadlines'))` : sql`select pg_advisory_xact_lock(hashtext('application_step_deadlines'))`);
}

export async function updateStepDeadline(db: Database, id: number, dueOn: string | null, provisional: boolean): Promise<void> {
  await db.update(applicationSteps).set({ dueOn, provisional }).where(eq(applicationSteps.id, id));
}

/**
 * Raises an escalation for every open step past its deadline on `today`, once per step: one
 * statement whose unique key makes a second run, on this instance or another, insert nothing.
 */
export async function insertEscalationsForOverdueSteps(db: Database, today: string): Promise<{ id: number }[]> {
  const result = await db.execute(sql`
    insert into application_escalations (step_id, application_id, district_id, to_organization_id, due_on, escalated_on)
    select s.id, s.application_id, a.competent_district_id,
      (select o.id from organizations o
        where o.kind = 'GOVERNMENT_DEPARTMENT' and o.department_function = 'CIVIL_AFFAIRS' and o.level = 'DISTRICT'
          and o.district_id = a.competent_district_id
        order by o.id limit 1),
      s.due_on, ${today}::date
    from application_steps s
    join applications a on a.id = s.application_id
    where s.completed_at is null and s.due_on < ${today}::date
    on conflict (step_id) do nothing
    returning id`);
  return rowsOf<{ id: number }>(result);
}

// Reads for the graph. Steps are read through their application: a viewer sees the steps of the
// applications it may read, by the Application scope of the policy.

/** Steps of applications the visibility reaches. */
function stepScope(v: Visibility): SQL | undefined {
  const scope = applicationScope(v);
  return scope === undefined ? undefined : sql`${applicationSteps.applicationId} in (select ${applications.id} from ${applications} where ${scope})`;
}

/** Most steps `Application.steps` lists: the newest ones (the lifecycle has five timed statuses). */
export const MAX_STEP_HISTORY = 20;

/* stepsOfApplications: the newest steps of each application, oldest first, one windowed statement */
export async function stepsOfApplications(db: Database, applicationIds: readonly number[]): Promise<ApplicationStepRow[][]> {
  const options = {
    db,
    table: applicationSteps,
    parentColumn: applicationSteps.applicationId,
    parentOf: (r: ApplicationStepRow) => r.applicationId,
    keys: [{ column: applicationSteps.id }],
    keyOf: (r: ApplicationStepRow) => [r.id],
    maxPageSize: MAX_STEP_HISTORY,
  };
  const pages = await childPages<ApplicationStepRow>(options, applicationIds, { last: MAX_STEP_HISTORY });
  return pages.map((page) => page.rows);
}

export const findStepsByIds = (db: Database, v: Visibility, ids: readonly number[]) =>
  rowsByKeys<ApplicationStepRow>(db, applicationSteps, applicationSteps.id, ids, (r) => r.id, stepScope(v));

/* escalationsOfSteps: a step has at most one escalation */
export const escalationsOfSteps = (db: Database, stepIds: readonly number[]) =>
  rowsByKeys<ApplicationEscalationRow>(db, applicationEscalations, applicationEscalations.stepId, stepIds, (r) => r.stepId);

/** Where the applications are: the competent district and street (户籍地), the centre that received them. */
export interface DeadlinePlaceFilter {
  readonly districtIds?: readonly number[];
  readonly streetIds?: readonly number[];
  readonly receivingOrganizationIds?: readonly number[];
}

/** The days that divide open steps: before `today` overdue, up to `dueSoonBy` due soon, after it on time. */
export interface DeadlineDays {
  readonly today: string;
  readonly dueSoonBy: string;
}

export type OpenStepStateValue = 'OVERDUE' | 'DUE_SOON' | 'ON_TIME';

const list = (column: Parameters<typeof inArray>[0], values: readonly number[] | undefined) => (values?.length ? inArray(column, [...values]) : undefined);

function applicationsIn(v: Visibility, filter: DeadlinePlaceFilter): SQL | undefined {
  return and(
    applicationScope(v),
    list(applications.competentDistrictId, filter.districtIds),
    list(applications.competentStreetId, filter.streetIds),
    list(applications.receivingOrganizationId, filter.receivingOrganizationIds),
  );
}

/** Open steps in the given states: the states lie along `due_on`, so most sets are one range of the index. */
function dueOnIn(states: ReadonlySet<OpenStepStateValue>, days: DeadlineDays): SQL | undefined {
  const overdue = lt(applicationSteps.dueOn, days.today);
  const onTime = gt(applicationSteps.dueOn, days.dueSoonBy);
  if (states.size === 3) return undefined;
  if (!states.has('DUE_SOON')) return states.has('OVERDUE') && states.has('ON_TIME') ? or(overdue, onTime) : states.has('OVERDUE') ? overdue : onTime;
  return and(states.has('OVERDUE') ? undefined : gte(applicationSteps.dueOn, days.today), states.has('ON_TIME') ? undefined : lte(applicationSteps.dueOn, days.dueSoonBy));
}

/* listOpenDeadlines: open timed steps by deadline then id, on the partial index of open steps */
export function listOpenDeadlines(db: Database, v: Visibility, filter: DeadlinePlaceFilter, states: ReadonlySet<OpenStepStateValue>, days: DeadlineDays, request: PageRequest, maxPageSize: number) {
  const place = applicationsIn(v, filter);
  const where = and(
    isNull(applicationSteps.completedAt),
    isNotNull(applicationSteps.dueOn),
    dueOnIn(states, days),
    place ? sql`${applicationSteps.applicationId} in (select ${applications.id} from ${applications} where ${place})` : undefined,
  );
  const keys = [{ column: applicationSteps.dueOn }, { column: applicationSteps.id }];
  return paginate<ApplicationStepRow>({ db, table: applicationSteps, where, keys, keyOf: (r) => [r.dueOn, r.id], request, maxPageSize });
}

export type DeadlineGroupByValue = 'DISTRICT' | 'STREET' | 'CENTER';

const GROUP_COLUMN = {
  DISTRICT: applications.competentDistrictId,
  STREET: applications.competentStreetId,
  CENTER: applications.receivingOrganizationId,
} as const;

export interface DeadlineSummaryRow {
  readonly groupId: number;
  readonly openSteps: number;
  readonly overdue: number;
  readonly dueSoon: number;
  readonly escalated: number;
  readonly completedSteps: number;
  readonly completedOnTime: number;
}

/** Completion days of a period, either end open. */
export interface CompletionPeriod {
  readonly from?: string;
  readonly to?: string;
}

/*
 * summarizeDeadlines: per group, open timed steps (overdue, due soon, escalated) and timed steps
 * completed in the period (on time or not), of applications in scope: one grouped statement.
 */
export async function summarizeDeadlines(db: Database, v: Visibility, groupBy: DeadlineGroupByValue, filter: DeadlinePlaceFilter, days: DeadlineDays, period: CompletionPeriod): Promise<DeadlineSummaryRow[]> {
  const group = GROUP_COLUMN[groupBy];
  const s = applicationSteps;
  const open = isNull(s.completedAt);
  const completedInPeriod = and(isNotNull(s.completedAt), period.from ? gte(s.completedOn, period.from) : undefined, period.to ? lte(s.completedOn, period.to) : undefined)!;
  const counted = (condition: SQL) => sql<number>`count(*) filter (where ${condition})`.mapWith(Number);
  return db
    .select({
      groupId: group,
      openSteps: counted(open),
      overdue: counted(and(open, lt(s.dueOn, days.today))!),
      dueSoon: counted(and(open, gte(s.dueOn, days.today), lte(s.dueOn, days.dueSoonBy))!),
      escalated: counted(and(open, isNotNull(applicationEscalations.id))!),
      completedSteps: counted(completedInPeriod),
      completedOnTime: counted(and(completedInPeriod, lte(s.completedOn, s.dueOn))!),
    })
    .from(s)
    .innerJoin(applications, eq(applications.id, s.applicationId))
    .leftJoin(applicationEscalations, eq(applicationEscalations.stepId, s.id))
    .where(and(isNotNull(s.dueOn), or(open, completedInPeriod), applicationsIn(v, filter)))
    .groupBy(group)
    .orderBy(asc(group));
}
