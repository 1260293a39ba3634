import { and, eq, inArray } from 'drizzle-orm';
import { SeededRandom } from '../../common/random';
import { findHouseholdForIntake, findMemberFacts } from '../../modules/applications/applications.repository';
import { issueNotice } from '../../modules/applications/applications.service';
import { ApplicationStatus, ApplicationType, TYPES_NEEDING_VERIFICATION } from '../../modules/applications/applications.transitions';
import { loadWorkingCalendar } from '../../modules/calendar/calendar.service';
import { findStepLimits, insertSteps, type NewApplicationStepRow } from '../../modules/deadlines/deadlines.repository';
import { stepsOfHistory } from '../../modules/deadlines/deadlines.service';
import type { Database } from '../client';
import { applicationEvents, applicationMaterials, applications, households, organizations, staffMembers, verificationRequests } from '../schema';

const DEMO_APPLICATIONS = 60;
const DAY_MS = 86_400_000;
const STATEMENTS = ['家庭主要劳动力因病失去劳动能力', '家庭收入低于本市最低生活保障标准', '突发重大疾病，医疗支出负担沉重', '子女就学费用困难', '住房受损，需要临时安置', '失业后长期未能就业'];
/** How far each demo application has come; the allowance types stop before review, whose verification figures belong to the verification work. */
const STAGES: readonly ApplicationStatus[] = [ApplicationStatus.RECEIVED, ApplicationStatus.ACCEPTED, ApplicationStatus.UNDER_VERIFICATION, ApplicationStatus.REVIEW, ApplicationStatus.PUBLICITY];

/**
 * A few applications at every stage before a decision, received at centres across the city
 * (about a third for households registered in another district), with their one-time notices
 * issued by the hub's own finders and their history.
 */
export async function insertDemoApplications(db: Database, seed: number, today: string): Promise<number> {
  const rng = new SeededRandom(seed + 29);
  const centres = await db.select({ id: organizations.id, streetId: organizations.streetId, districtId: organizations.districtId }).from(organizations).where(eq(organizations.kind, 'SERVICE_CENTER')).orderBy(organizations.id);
  const officers = await db
    .select({ id: staffMembers.id, organizationId: staffMembers.organizationId })
    .from(staffMembers)
    .where(and(inArray(staffMembers.organizationId, centres.map((c) => c.id)), eq(staffMembers.active, true)));
  const householdIds = (await db.select({ id: households.id }).from(households).orderBy(households.id)).map((h) => h.id);
  if (centres.length === 0 || householdIds.length === 0) return 0;
  const types = Object.values(ApplicationType);
  const chosen = rng.shuffle([...householdIds]).slice(0, DEMO_APPLICATIONS);
  const [limits, calendar] = [await findStepLimits(db), await loadWorkingCalendar(db)];
  const steps: NewApplicationStepRow[] = [];
  for (const householdId of chosen) {
    const household = (await findHouseholdForIntake(db, householdId))!;
    const local = centres.filter((c) => c.streetId === household.competentStreetId);
    const centre = local.length > 0 && !rng.chance(0.35) ? rng.pick(local) : rng.pick(centres);
    const staff = officers.filter((o) => o.organizationId === centre.id);
    const officerId = staff.length > 0 ? rng.pick(staff).id : null;
    const type = rng.pick(types);
    const needsVerification = TYPES_NEEDING_VERIFICATION.includes(type);
    const stages = STAGES.filter((s) => s !== ApplicationStatus.UNDER_VERIFICATION || needsVerification).slice(0, needsVerification ? 3 : 4);
    const reached = stages.slice(0, rng.int(1, stages.length));
    const status = reached[reached.length - 1]!;
    // Steps two days apart; the current one began 1–14 days ago, so that some are overdue and some nearly due.
    const receivedAt = new Date(Date.parse(`${today}T09:00:00+08:00`) - rng.int(reached.length * 2 - 1, reached.length * 2 + 12) * DAY_MS);
    const stepAt = (i: number) => new Date(receivedAt.getTime() + i * 2 * DAY_MS);
    const publicityStart = new Date(stepAt(reached.length - 1)).toISOString().slice(0, 10);
    const [application] = await db
      .insert(applications)
      .values({
        type,
        householdId,
        status,
        receivingOrganizationId: centre.id,
        receivingStreetId: centre.streetId!,
        receivingOfficerId: officerId,
        ownerOrganizationId: centre.id,
        ownerOfficerId: officerId,
        competentStreetId: household.competentStreetId,
        competentDistrictId: household.competentDistrictId,
        statement: rng.pick(STATEMENTS),
        publicityPlace: status === ApplicationStatus.PUBLICITY ? '居委会公示栏' : null,
        publicityStart: status === ApplicationStatus.PUBLICITY ? publicityStart : null,
        publicityEnd: status === ApplicationStatus.PUBLICITY ? new Date(Date.parse(publicityStart) + 6 * DAY_MS).toISOString().slice(0, 10) : null,
        receivedAt,
        statusSince: stepAt(reached.length - 1),
        updatedAt: stepAt(reached.length - 1),
      })
      .returning({ id: applications.id });
    const id = application!.id;
    await issueNotice(db, id, type, { householdId, registeredCommitteeId: household.registeredCommitteeId, members: await findMemberFacts(db, householdId) });
    if (status !== ApplicationStatus.RECEIVED) {
      await db.update(applicationMaterials).set({ state: 'PROVIDED' }).where(and(eq(applicationMaterials.applicationId, id), eq(applicationMaterials.state, 'MISSING')));
    }
    if (status === ApplicationStatus.UNDER_VERIFICATION) await db.insert(verificationRequests).values({ applicationId: id, householdId, requestedBy: 'demo-street-officer', requestedAt: stepAt(reached.length - 1) });
    await db.insert(applicationEvents).values(
      reached.map((to, i) => ({ applicationId: id, fromStatus: i === 0 ? null : reached[i - 1]!, toStatus: to, actor: i === 0 ? 'demo-centre-officer' : 'demo-street-officer', at: stepAt(i) })),
    );
    // The same history as steps with deadlines: current steps that entered long ago are overdue.
    steps.push(...stepsOfHistory(id, reached.map((to, i) => ({ status: to, at: stepAt(i) })), limits, calendar));
  }
  await insertSteps(db, steps);
  return chosen.length;
}
