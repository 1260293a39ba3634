import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import { SeededRandom } from '../../common/random';
import type { Database } from '../client';
import { householdReviewSchedules, householdReviews, organizations, serviceCategories, staffMembers, trainingAttendance, trainingSessions } from '../schema';

export interface CapacitySummary {
  readonly assistanceStaff: number;
  readonly graduateHires: number;
  readonly trainingSessions: number;
  readonly trainingAttendances: number;
  readonly householdReviews: number;
}

const DAY_MS = 86_400_000;
const COVERED_COMMITTEE_SHARE = 0.9;
const ASSISTANT_SHARE = 0.3;
const GRADUATE_SHARE = 0.08;
const TRAINED_THIS_YEAR = 0.7;
const TRAINED_LAST_YEAR = 0.85;
const REVIEWED_SHARE = 0.6;
const TITLES = ['社会救助政策解读', '最低生活保障审核确认业务培训', '困难群众主动发现与案例分析', '社会救助经办实务轮训'];
const OUTCOMES = ['CONTINUED', 'CONTINUED', 'CONTINUED', 'ADJUSTED'] as const;

const dayText = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * Gives the demo its grassroots capacity so the reports show something: most committees a
 * coordinator (协理员), some caseworkers an assistant's (助理员) work, a few graduate hires, a
 * session per district this year and last with most assistance staff attending, and recorded
 * reviews for most assisted households (the rest stay due or overdue from their registration).
 */
export async function insertDemoCapacity(db: Database, seed: number, today: string): Promise<CapacitySummary> {
  const rng = new SeededRandom(seed + 29);
  const todayDay = Math.floor(Date.parse(today) / DAY_MS);
  const year = Number(today.slice(0, 4));
  const staff = await db
    .select({ id: staffMembers.id, position: staffMembers.position, committeeId: staffMembers.committeeId, active: staffMembers.active, createdAt: staffMembers.createdAt, districtId: organizations.districtId, kind: organizations.kind })
    .from(staffMembers)
    .innerJoin(organizations, eq(organizations.id, staffMembers.organizationId))
    .orderBy(asc(staffMembers.id));

  const coordinators = staff.filter((s) => s.committeeId !== null && rng.chance(COVERED_COMMITTEE_SHARE)).map((s) => s.id);
  const assistants = staff.filter((s) => s.position === 'CASEWORKER' && rng.chance(ASSISTANT_SHARE)).map((s) => s.id);
  const graduates = new Map(staff.filter((s) => s.kind === 'STREET_OFFICE' && rng.chance(GRADUATE_SHARE)).map((s) => [s.id, s.createdAt.toISOString().slice(0, 10)]));
  const roles = new Map<number, 'COORDINATOR' | 'ASSISTANT'>([...coordinators.map((id) => [id, 'COORDINATOR'] as const), ...assistants.map((id) => [id, 'ASSISTANT'] as const)]);
  const changed = [...new Set([...roles.keys(), ...graduates.keys()])].sort((a, b) => a - b);
  if (changed.length > 0) {
    // One statement for every flag: the seed's time goes on rows, not round trips.
    const values = sql.join(
      changed.map((id) => sql`(${id}::int, ${roles.get(id) ?? null}::assistance_role, ${graduates.has(id)}::boolean, ${graduates.get(id) ?? null}::date)`),
      sql`, `,
    );
    await db.execute(sql`update ${staffMembers} set assistance_role = v.role, graduate_hire = v.graduate, hired_on = v.hired_on
      from (values ${values}) as v(id, role, graduate, hired_on) where ${staffMembers.id} = v.id`);
  }

  // One session per district bureau this year (held by today) and one last year.
  const bureaus = await db
    .select({ id: organizations.id, districtId: organizations.districtId })
    .from(organizations)
    .where(and(eq(organizations.kind, 'GOVERNMENT_DEPARTMENT'), eq(organizations.departmentFunction, 'CIVIL_AFFAIRS'), eq(organizations.level, 'DISTRICT'), isNotNull(organizations.districtId)))
    .orderBy(asc(organizations.id));
  const [category] = await db.select({ id: serviceCategories.id }).from(serviceCategories).where(eq(serviceCategories.code, 'STAFF_TRAINING'));
  const startOfYear = Math.floor(Date.parse(`${year}-01-01`) / DAY_MS);
  const sessionRows = bureaus.flatMap((b) => [
    { title: rng.pick(TITLES), categoryId: category?.id ?? null, organizerId: b.id, districtId: b.districtId, heldOn: dayText(rng.int(startOfYear, todayDay)), hours: rng.pick([2, 3, 3.5, 6]), createdBy: 'demo' },
    { title: rng.pick(TITLES), categoryId: null, organizerId: b.id, districtId: b.districtId, heldOn: dayText(startOfYear - rng.int(1, 300)), hours: rng.pick([2, 3, 6]), createdBy: 'demo' },
  ]);
  const sessions = sessionRows.length === 0 ? [] : await db.insert(trainingSessions).values(sessionRows).returning({ id: trainingSessions.id, districtId: trainingSessions.districtId, heldOn: trainingSessions.heldOn });
  const byDistrict = new Map<number, { thisYear?: number; lastYear?: number }>();
  for (const s of sessions) {
    const entry = byDistrict.get(s.districtId!) ?? {};
    if (s.heldOn >= `${year}-01-01`) entry.thisYear = s.id;
    else entry.lastYear = s.id;
    byDistrict.set(s.districtId!, entry);
  }
  const assistanceIds = new Set([...coordinators, ...assistants]);
  const attendance: (typeof trainingAttendance.$inferInsert)[] = [];
  for (const s of staff) {
    const sessionsOfDistrict = s.districtId === null ? undefined : byDistrict.get(s.districtId);
    if (!s.active || !sessionsOfDistrict || (s.position !== 'CASEWORKER' && !assistanceIds.has(s.id))) continue;
    const session = rng.chance(TRAINED_THIS_YEAR) ? sessionsOfDistrict.thisYear : rng.chance(TRAINED_LAST_YEAR) ? sessionsOfDistrict.lastYear : undefined;
    // Last year's attendance is kept only for those not trained this year: the report's interesting case.
    if (session !== undefined) attendance.push({ sessionId: session, staffMemberId: s.id, recordedBy: 'demo' });
  }
  for (let i = 0; i < attendance.length; i += 1000) await db.insert(trainingAttendance).values(attendance.slice(i, i + 1000));

  // Reviews of most assisted households within the last five months; the rest keep the date the
  // trigger gave them at registration, and many of those are overdue.
  const schedules = await db.select({ householdId: householdReviewSchedules.householdId }).from(householdReviewSchedules).orderBy(asc(householdReviewSchedules.householdId));
  const reviews = schedules.filter(() => rng.chance(REVIEWED_SHARE)).map((s) => ({ householdId: s.householdId, reviewedOn: dayText(todayDay - rng.int(1, 150)), outcome: rng.pick(OUTCOMES) }));
  if (reviews.length > 0) {
    const values = sql.join(reviews.map((r) => sql`(${r.householdId}::int, ${r.reviewedOn}::date, ${r.outcome}::review_outcome)`), sql`, `);
    // Next review: the review day plus the shortest interval of the household's statuses.
    await db.execute(sql`
      with v(household_id, reviewed_on, outcome) as (values ${values}),
      planned as (
        select v.household_id, v.reviewed_on, v.outcome, (v.reviewed_on + make_interval(months => min(i.months)::int))::date as next_review_on
        from v join households h on h.id = v.household_id join review_intervals i on i.assistance_status = any(h.assistance_statuses)
        group by v.household_id, v.reviewed_on, v.outcome
      ),
      written as (
        insert into ${householdReviews} (household_id, reviewed_on, outcome, next_review_on, recorded_by)
        select household_id, reviewed_on, outcome, next_review_on, 'demo' from planned
      )
      update ${householdReviewSchedules} s set last_reviewed_on = p.reviewed_on, next_review_on = p.next_review_on
      from planned p where s.household_id = p.household_id`);
  }
  return {
    assistanceStaff: coordinators.length + assistants.length,
    graduateHires: graduates.size,
    trainingSessions: sessions.length,
    trainingAttendances: attendance.length,
    householdReviews: reviews.length,
  };
}
