import { eq } from 'drizzle-orm';
import { applicationEscalations, applications, applicationSteps, organizations } from '../../src/db/schema';
import { enterApplicationStep, escalateOverdueSteps, recomputeOpenStepDeadlines } from '../../src/modules/deadlines/deadlines.service';
import { setWorkingCalendarYear } from '../../src/modules/calendar/calendar.service';
import { loadWorkingCalendar } from '../../src/modules/calendar/calendar.service';
import { CITY_VIEWER, startTestHub, type TestHub } from '../support/hub';
import { makeHousehold, makePlace, makeStreetOffice, type Place } from '../support/factories';

let hub: TestHub;
let place: Place;
let centre: number;
let bureau: number;

/** A Shanghai instant: 09:30 on that date. */
const at = (date: string) => new Date(`${date}T09:30:00+08:00`);

async function makeApplication(): Promise<number> {
  const household = await makeHousehold(hub.db, place);
  const [row] = await hub.db
    .insert(applications)
    .values({
      type: 'MINIMUM_LIVING_ALLOWANCE',
      householdId: household,
      receivingOrganizationId: centre,
      receivingStreetId: place.streetId,
      ownerOrganizationId: centre,
      competentStreetId: place.streetId,
      competentDistrictId: place.districtId,
    })
    .returning();
  return row!.id;
}

const stepsOf = (applicationId: number) => hub.db.select().from(applicationSteps).where(eq(applicationSteps.applicationId, applicationId)).orderBy(applicationSteps.id);

beforeAll(async () => {
  hub = await startTestHub();
  place = await makePlace(hub.db);
  centre = await makeStreetOffice(hub.db, place);
  const [row] = await hub.db
    .insert(organizations)
    .values({ kind: 'GOVERNMENT_DEPARTMENT', departmentFunction: 'CIVIL_AFFAIRS', level: 'DISTRICT', districtId: place.districtId, nameZh: '测试区民政局' })
    .returning();
  bureau = row!.id;
});

afterAll(() => hub.close());

describe('step deadlines in working days', () => {
  it('counts over the Spring Festival 2026 and its make-up Saturdays', async () => {
    const id = await makeApplication();
    // Received Friday 13 February 2026 (limit 1): Saturday 14 February is a make-up working day.
    const received = await enterApplicationStep(hub.db, id, 'RECEIVED', at('2026-02-13'));
    expect(received).toMatchObject({ enteredOn: '2026-02-13', dueOn: '2026-02-14', provisional: false });
    // Accepted on the make-up Saturday (limit 3): 15–23 February are holidays, so 24, 25, 26.
    const accepted = await enterApplicationStep(hub.db, id, 'ACCEPTED', at('2026-02-14'));
    expect(accepted).toMatchObject({ dueOn: '2026-02-26' });
    // Under verification from Thursday 26 February (limit 10): Saturday 28 February works.
    const verifying = await enterApplicationStep(hub.db, id, 'UNDER_VERIFICATION', at('2026-02-26'));
    expect(verifying).toMatchObject({ dueOn: '2026-03-11' });
    const steps = await stepsOf(id);
    expect(steps.map((s) => [s.status, s.completedOn])).toEqual([
      ['RECEIVED', '2026-02-14'],
      ['ACCEPTED', '2026-02-26'],
      ['UNDER_VERIFICATION', null],
    ]);
  });

  it('counts over National Day 2025 with its make-up days', async () => {
    const id = await makeApplication();
    // Sunday 28 September 2025 is a working day; 1–8 October are holidays; Saturday 11 October works.
    // Friday 26 September (limit 5): 28, 29, 30 September, then 9 and 10 October.
    const review = await enterApplicationStep(hub.db, id, 'REVIEW', at('2025-09-26'));
    expect(review).toMatchObject({ dueOn: '2025-10-10' });
    // Thursday 9 October (limit 5): 10, the make-up Saturday 11, then 13, 14, 15 October.
    const publicity = await enterApplicationStep(hub.db, id, 'REVIEW', at('2025-10-09'));
    expect(publicity).toMatchObject({ dueOn: '2025-10-15' });
  });

  it('takes the Shanghai date of the instant, not the server’s', async () => {
    const id = await makeApplication();
    // 23:30 UTC on 1 March is 07:30 on 2 March in Shanghai.
    const step = await enterApplicationStep(hub.db, id, 'RECEIVED', new Date('2026-03-01T23:30:00Z'));
    expect(step).toMatchObject({ enteredOn: '2026-03-02', dueOn: '2026-03-03' });
  });

  it('ends the clock on a final status', async () => {
    const id = await makeApplication();
    await enterApplicationStep(hub.db, id, 'RECEIVED', at('2026-03-02'));
    expect(await enterApplicationStep(hub.db, id, 'WITHDRAWN', at('2026-03-03'))).toBeUndefined();
    const steps = await stepsOf(id);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ status: 'RECEIVED', completedOn: '2026-03-03' });
  });

  it('marks a deadline in a year without a loaded calendar provisional, and firms it when the year is loaded', async () => {
    const id = await makeApplication();
    // Thursday 30 December 2027 + 3: 2028 has no notice loaded, so weekends only.
    const step = await enterApplicationStep(hub.db, id, 'ACCEPTED', at('2026-12-30'));
    expect(step).toMatchObject({ dueOn: '2027-01-04', provisional: true });
    const result = await setWorkingCalendarYear(hub.db, { viewer: CITY_VIEWER, requestId: 'test', purpose: undefined }, {
      year: 2027,
      notice: '测试用：2027 年元旦放假安排（非官方）',
      holidays: [{ date: '2027-01-01', nameZh: '元旦', nameEn: "New Year's Day" }],
      makeUpWorkdays: [],
    });
    expect(result.userErrors).toEqual([]);
    const [after] = await hub.db.select().from(applicationSteps).where(eq(applicationSteps.id, step!.id));
    // 31 December, then 1 January is a holiday and 2–3 January a weekend: 4 and 5 January.
    expect(after).toMatchObject({ dueOn: '2027-01-05', provisional: false });
    expect(await recomputeOpenStepDeadlines(hub.db)).toBe(0);
  });

  it('keeps the arithmetic in the calendar, not here', async () => {
    const calendar = await loadWorkingCalendar(hub.db);
    expect(calendar.addWorkingDays('2026-02-13', 1).date).toBe('2026-02-14');
  });
});

describe('escalation of overdue steps', () => {
  it('raises one escalation per overdue step, to the district bureau, however often the job runs', async () => {
    const overdue = await makeApplication();
    const onTime = await makeApplication();
    await enterApplicationStep(hub.db, overdue, 'RECEIVED', at('2026-03-02'));
    await enterApplicationStep(hub.db, onTime, 'RECEIVED', at('2026-03-04'));
    const now = at('2026-03-04');
    const countFor = async (id: number) => (await hub.db.select().from(applicationEscalations).where(eq(applicationEscalations.applicationId, id))).length;
    const [first, second] = await Promise.all([escalateOverdueSteps(hub.db, now), escalateOverdueSteps(hub.db, now)]);
    expect(await countFor(overdue)).toBe(1);
    expect(await countFor(onTime)).toBe(0);
    expect(first + second).toBeGreaterThanOrEqual(1);
    expect(await escalateOverdueSteps(hub.db, now)).toBe(0);
    const [escalation] = await hub.db.select().from(applicationEscalations).where(eq(applicationEscalations.applicationId, overdue));
    expect(escalation).toMatchObject({ districtId: place.districtId, toOrganizationId: bureau, dueOn: '2026-03-03', escalatedOn: '2026-03-04' });
  });

  it('does not escalate a step completed in time', async () => {
    const id = await makeApplication();
    await enterApplicationStep(hub.db, id, 'RECEIVED', at('2026-03-09'));
    await enterApplicationStep(hub.db, id, 'ACCEPTED', at('2026-03-10'));
    await escalateOverdueSteps(hub.db, at('2026-03-12'));
    const rows = await hub.db.select().from(applicationEscalations).where(eq(applicationEscalations.applicationId, id));
    expect(rows).toEqual([]);
  });
});
