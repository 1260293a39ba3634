import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client';
import {
  applications,
  applicationSteps,
  needs,
  referralEvents,
  referrals,
  resources,
  staffMembers,
  trainingAttendance,
  trainingSessions,
} from '../../src/db/schema';
import { categoryIds, makeCommittee, makeHousehold, makePlace, makeProvider, makeResource, makeStreetOffice, type Place } from './factories';

/**
 * A small, hand-counted world for the districts' scorecards and the dashboard: two districts,
 * A and B, with every row dated in the scorecard year `year` (Shanghai calendar) or next to its
 * edges, and open needs dated back from `now`. The numbers each test expects are written out in
 * EXPECTED below, counted by hand from the rows made here, not read back from the hub.
 */
export interface DashboardWorld {
  readonly year: number;
  readonly placeA: Place;
  readonly placeB: Place;
  readonly categories: { readonly care: number; readonly counselling: number };
}

type Urgency = 'CRITICAL' | 'HIGH' | 'NORMAL' | 'LOW';
type NeedStatus = 'OPEN' | 'MATCHED' | 'FULFILLED' | 'WITHDRAWN';
type ReferralStatus = 'PROPOSED' | 'ACCEPTED' | 'IN_SERVICE' | 'COMPLETED' | 'DECLINED' | 'EXPIRED';

/** An instant of the Shanghai calendar (UTC+8). */
const shanghai = (day: string, time = '10:00'): Date => new Date(`${day}T${time}:00+08:00`);
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** What the world's rows add up to, by hand; year-relative, so any year works. */
export const EXPECTED = {
  A: {
    onTime: { numerator: 2, denominator: 5 },
    /** With `today` before the open step due on 09-10 (e.g. 09-01): that step is not judged yet. */
    onTimeMidYear: { numerator: 2, denominator: 4 },
    matching: { numerator: 3, denominator: 6 },
    wait: { answeredNeeds: 3, stillWaiting: 2, medianDays: 4.5 },
    satisfaction: { ratings: 3, mean: 4 },
    staffing: { numerator: 1, denominator: 3 },
    training: { numerator: 1, denominator: 3 },
    /** Open steps past their deadline (as of any day after the year). */
    overdueSteps: 2,
    referralsByState: { PROPOSED: 1, IN_SERVICE: 1, COMPLETED: 4, DECLINED: 1 } as Record<string, number>,
  },
  B: {
    onTime: { numerator: 1, denominator: 1 },
    matching: { numerator: 0, denominator: 1 },
    wait: { answeredNeeds: 0, stillWaiting: 1, medianDays: null },
    satisfaction: { ratings: 0, mean: null },
    staffing: { numerator: 0, denominator: 1 },
    training: { numerator: 0, denominator: 0 },
    overdueSteps: 0,
    referralsByState: { EXPIRED: 1 } as Record<string, number>,
  },
  /** Open needs of A and B together by urgency and waiting band, as of `now`. */
  openNeeds: {
    CRITICAL: { DAYS_0_7: 1, DAYS_OVER_90: 1 },
    HIGH: { DAYS_8_30: 2, DAYS_OVER_90: 1 },
    NORMAL: { DAYS_31_90: 1 },
    LOW: { DAYS_0_7: 1, DAYS_8_30: 1, DAYS_OVER_90: 1 },
  } as Record<Urgency, Record<string, number>>,
  /** Open units against free units of active supply, per district and catalogue item. */
  balance: {
    A: { care: { openUnits: 10, freeUnits: 6 }, counselling: { openUnits: 6, freeUnits: 8 } },
    B: { care: { openUnits: 5, freeUnits: 4 }, counselling: { openUnits: 0, freeUnits: 0 } },
  },
} as const;

export async function buildDashboardWorld(db: Database, year: number, now: Date): Promise<DashboardWorld> {
  const Y = String(year);
  const prior = String(year - 1);
  const next = String(year + 1);
  const codes = await categoryIds(db);
  const care = codes.CARE_NURSING!;
  const counselling = codes.PSYCHOLOGICAL_COUNSELLING!;

  const placeA = await makePlace(db);
  const placeB = await makePlace(db);
  const officeA = await makeStreetOffice(db, placeA);
  const officeB = await makeStreetOffice(db, placeB);
  const householdA = await makeHousehold(db, placeA);
  const householdB = await makeHousehold(db, placeB);
  const provider = await makeProvider(db);

  // Supply: free units are capacity less held units of ACTIVE resources; the referrals below go
  // to a PAUSED resource, so they change no supply.
  const withCapacity = async (resourceId: number, capacity: number) => {
    await db.update(resources).set({ capacity }).where(eq(resources.id, resourceId));
    return resourceId;
  };
  await withCapacity(await makeResource(db, provider, care, [{ level: 'DISTRICT', districtId: placeA.districtId }]), 6);
  await withCapacity(await makeResource(db, provider, counselling, [{ level: 'DISTRICT', districtId: placeA.districtId }]), 8);
  await withCapacity(await makeResource(db, provider, care, [{ level: 'DISTRICT', districtId: placeB.districtId }]), 4);
  const pastResource = await makeResource(db, provider, care, [{ level: 'DISTRICT', districtId: placeA.districtId }], { status: 'PAUSED' });

  const need = async (place: Place, householdId: number, categoryId: number, units: number, createdAt: Date, status: NeedStatus = 'OPEN', urgency: Urgency = 'NORMAL') => {
    const [row] = await db
      .insert(needs)
      .values({ householdId, categoryId, urgency, units, earliestStart: `${prior}-01-01`, status, ...place, createdAt, withdrawalReason: status === 'WITHDRAWN' ? '家庭自行解决' : null })
      .returning({ id: needs.id });
    return row!.id;
  };

  // Needs raised in the year (and one just before it), for match rate and waiting time.
  const n1 = await need(placeA, householdA, care, 2, shanghai(`${Y}-02-01`), 'FULFILLED');
  const n2 = await need(placeA, householdA, care, 2, shanghai(`${Y}-03-01`), 'MATCHED');
  const n3 = await need(placeA, householdA, counselling, 3, shanghai(`${Y}-04-01`), 'OPEN', 'HIGH');
  await need(placeA, householdA, care, 1, shanghai(`${Y}-05-01`), 'WITHDRAWN');
  const n5 = await need(placeA, householdA, counselling, 1, shanghai(`${Y}-06-01`), 'FULFILLED');
  // 00:30 on 1 January in Shanghai is still the 31st in UTC: in the year.
  await need(placeA, householdA, care, 2, shanghai(`${Y}-01-01`, '00:30'), 'OPEN', 'CRITICAL');
  // 23:30 on 31 December of the year before: not in it.
  const n7 = await need(placeA, householdA, care, 1, shanghai(`${prior}-12-31`, '23:30'), 'MATCHED');
  const nB1 = await need(placeB, householdB, care, 5, shanghai(`${Y}-07-01`), 'OPEN', 'LOW');

  // Open needs dated back from now, for the waiting bands.
  const ago = (ms: number) => new Date(now.getTime() - ms);
  await need(placeA, householdA, care, 4, ago(3 * DAY_MS), 'OPEN', 'CRITICAL');
  await need(placeA, householdA, counselling, 2, ago(10 * DAY_MS), 'OPEN', 'HIGH');
  await need(placeA, householdA, counselling, 1, ago(10 * DAY_MS), 'OPEN', 'HIGH');
  await need(placeA, householdA, care, 2, ago(45 * DAY_MS), 'OPEN', 'NORMAL');
  await need(placeA, householdA, care, 1, ago(8 * DAY_MS - HOUR_MS), 'OPEN', 'LOW'); // 7 whole days
  await need(placeA, householdA, care, 1, ago(8 * DAY_MS + HOUR_MS), 'OPEN', 'LOW'); // 8 whole days

  const referral = async (needId: number, householdId: number, createdAt: Date, status: ReferralStatus, events: [ReferralStatus, Date][], satisfaction: number | null = null) => {
    const [row] = await db
      .insert(referrals)
      .values({
        needId,
        resourceId: pastResource,
        providerId: provider,
        householdId,
        units: 1,
        status,
        reason: '测试转介',
        expiresAt: new Date(createdAt.getTime() + 3 * DAY_MS),
        createdAt,
        declineReason: status === 'DECLINED' ? '名额已满' : null,
        outcome: status === 'COMPLETED' ? '服务完成' : null,
        satisfaction,
      })
      .returning({ id: referrals.id });
    const id = row!.id;
    let from: ReferralStatus | null = null;
    for (const [to, at] of [['PROPOSED', createdAt] as [ReferralStatus, Date], ...events]) {
      await db.insert(referralEvents).values({ referralId: id, fromStatus: from, toStatus: to, actor: 'test', at });
      from = to;
    }
    return id;
  };
  // n1: first accepted 2.0 days after it was raised (a second referral accepted later does not count).
  await referral(n1, householdA, shanghai(`${Y}-02-02`, '09:00'), 'COMPLETED', [['ACCEPTED', shanghai(`${Y}-02-03`)], ['IN_SERVICE', shanghai(`${Y}-02-04`)], ['COMPLETED', shanghai(`${Y}-03-01`)]], 5);
  await referral(n1, householdA, shanghai(`${Y}-02-02`, '09:30'), 'COMPLETED', [['ACCEPTED', shanghai(`${Y}-02-05`)], ['IN_SERVICE', shanghai(`${Y}-02-06`)], ['COMPLETED', shanghai(`${Y}-03-02`)]]);
  // n2: declined first, then accepted 4.5 days after it was raised.
  await referral(n2, householdA, shanghai(`${Y}-03-01`, '12:00'), 'DECLINED', [['DECLINED', shanghai(`${Y}-03-02`)]]);
  await referral(n2, householdA, shanghai(`${Y}-03-03`, '12:00'), 'IN_SERVICE', [['ACCEPTED', shanghai(`${Y}-03-05`, '22:00')], ['IN_SERVICE', shanghai(`${Y}-03-06`)]]);
  // n3: proposed, never answered: still waiting.
  await referral(n3, householdA, shanghai(`${Y}-04-02`), 'PROPOSED', []);
  // n5: accepted 10.0 days after it was raised; a later referral completed next year, its rating not in the year.
  await referral(n5, householdA, shanghai(`${Y}-06-02`), 'COMPLETED', [['ACCEPTED', shanghai(`${Y}-06-11`)], ['IN_SERVICE', shanghai(`${Y}-06-12`)], ['COMPLETED', shanghai(`${Y}-07-01`)]], 4);
  await referral(n5, householdA, shanghai(`${Y}-12-20`), 'COMPLETED', [['ACCEPTED', shanghai(`${Y}-12-21`)], ['IN_SERVICE', shanghai(`${Y}-12-22`)], ['COMPLETED', shanghai(`${next}-01-05`)]], 1);
  // n7 (raised the year before): proposed the year before, completed in the year: its rating counts.
  await referral(n7, householdA, shanghai(`${prior}-12-31`, '23:45'), 'COMPLETED', [['ACCEPTED', shanghai(`${prior}-12-31`, '23:50')], ['IN_SERVICE', shanghai(`${Y}-01-02`)], ['COMPLETED', shanghai(`${Y}-01-10`)]], 3);
  await referral(nB1, householdB, shanghai(`${Y}-07-02`), 'EXPIRED', [['EXPIRED', shanghai(`${Y}-07-05`)]]);

  // Application steps with time limits: one application per step (one open step each).
  // A household of its own per application: a household has one application of a type in progress.
  const step = async (place: Place, office: number, dueOn: string | null, completedOn: string | null) => {
    const householdId = await makeHousehold(db, place);
    const [application] = await db
      .insert(applications)
      .values({ type: 'TEMPORARY_ASSISTANCE', householdId, receivingOrganizationId: office, receivingStreetId: place.streetId, ownerOrganizationId: office, competentStreetId: place.streetId, competentDistrictId: place.districtId })
      .returning({ id: applications.id });
    const enteredOn = `${prior}-12-01`;
    await db.insert(applicationSteps).values({
      applicationId: application!.id,
      status: 'RECEIVED',
      enteredAt: shanghai(enteredOn),
      enteredOn,
      dueOn,
      completedAt: completedOn === null ? null : shanghai(completedOn, '16:00'),
      completedOn,
    });
  };
  await step(placeA, officeA, `${Y}-03-10`, `${Y}-03-09`); // on time
  await step(placeA, officeA, `${Y}-04-10`, `${Y}-04-10`); // on time, on the day
  await step(placeA, officeA, `${Y}-05-10`, `${Y}-05-12`); // late
  await step(placeA, officeA, `${Y}-06-10`, null); // open and overdue
  await step(placeA, officeA, `${Y}-09-10`, null); // open: overdue once 09-10 has passed
  await step(placeA, officeA, `${prior}-12-31`, `${Y}-01-02`); // due the year before
  await step(placeA, officeA, `${next}-01-05`, `${Y}-12-30`); // due the year after
  await step(placeA, officeA, null, `${Y}-05-01`); // no time limit
  await step(placeB, officeB, `${Y}-08-10`, `${Y}-08-08`); // on time

  // Staffing: three committees in A, one with an active coordinator; B's one committee has none.
  const c2 = await makeCommittee(db, placeA.streetId, placeA.districtId);
  await makeCommittee(db, placeA.streetId, placeA.districtId);
  const staff = async (values: { position: 'CASEWORKER' | 'OFFICER'; active?: boolean; assistanceRole?: 'ASSISTANT' | 'COORDINATOR'; committeeId?: number }) => {
    const [row] = await db
      .insert(staffMembers)
      .values({ organizationId: officeA, name: '测试员工', active: values.active ?? true, position: values.position, assistanceRole: values.assistanceRole ?? null, committeeId: values.committeeId ?? null })
      .returning({ id: staffMembers.id });
    return row!.id;
  };
  await staff({ position: 'OFFICER', assistanceRole: 'COORDINATOR', committeeId: placeA.committeeId });
  await staff({ position: 'OFFICER', assistanceRole: 'ASSISTANT', committeeId: c2, active: false });
  // Training: of the three active assistance workers of A (two caseworkers and the coordinator), one trained in the year.
  const trainedThisYear = await staff({ position: 'CASEWORKER' });
  const trainedYearBefore = await staff({ position: 'CASEWORKER' });
  const leftButTrained = await staff({ position: 'CASEWORKER', active: false });
  await staff({ position: 'OFFICER' });
  const session = async (heldOn: string) => {
    const [row] = await db.insert(trainingSessions).values({ title: '业务培训', organizerId: officeA, heldOn, districtId: placeA.districtId, hours: 2, createdBy: 'test' }).returning({ id: trainingSessions.id });
    return row!.id;
  };
  const thisYear = await session(`${Y}-05-05`);
  const yearBefore = await session(`${prior}-11-11`);
  await db.insert(trainingAttendance).values([
    { sessionId: thisYear, staffMemberId: trainedThisYear, recordedBy: 'test' },
    { sessionId: yearBefore, staffMemberId: trainedYearBefore, recordedBy: 'test' },
    { sessionId: thisYear, staffMemberId: leftButTrained, recordedBy: 'test' },
  ]);

  return { year, placeA, placeB, categories: { care, counselling } };
}
