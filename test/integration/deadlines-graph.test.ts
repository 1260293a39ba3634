import { and, eq, inArray } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { PUBLIC_PRINCIPAL } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { todayInShanghai } from '../../src/common/dates';
import { applications, applicationStepLimits, applicationSteps, auditLog, organizations } from '../../src/db/schema';
import { loadWorkingCalendar } from '../../src/modules/calendar/calendar.service';
import { enterApplicationStep, escalateOverdueSteps, setApplicationStepLimit } from '../../src/modules/deadlines/deadlines.service';
import { TEST_DATABASE_URL } from '../support/database';
import { gid, makeHousehold, makePlace, makeProvider, type Place } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';

/** Time limits (限时办理) through the graph: steps on applications, the deadlines list, the summary, the limits. */

let hub: TestHub;
let p1: Place; // street S1 of district D1
let p2: Place; // street S2 of district D1
let p3: Place; // a street of district D2
let centreX: number; // in S1
let centreY: number; // in S2
let bureauD1: number;
let provider: number;

/** A Shanghai instant: 09:30 on that date. */
const at = (date: string) => new Date(`${date}T09:30:00+08:00`);
/** The fixed "today" of the reading tests: Tuesday 10 March 2026 (no holiday in March). */
const TODAY = at('2026-03-10');

const principal = (subject: string, role: Role, extra: Partial<Principal> = {}): Principal => ({ subject, organizationId: null, staffMemberId: null, roles: [role], districtIds: [], streetIds: [], ...extra });
let v: Record<'city' | 'streetS1' | 'streetS2' | 'centreX' | 'districtD1' | 'provider' | 'public', Principal>;

async function makeCentre(place: Place, name: string): Promise<number> {
  const [row] = await hub.db.insert(organizations).values({ kind: 'SERVICE_CENTER', nameZh: name, districtId: place.districtId, streetId: place.streetId }).returning();
  return row!.id;
}

/** An application of a household registered in `place`, received at `centre`, without steps yet. */
async function makeApplication(place: Place, centre: number, status: (typeof applications.$inferInsert)['status'] = 'RECEIVED'): Promise<number> {
  const household = await makeHousehold(hub.db, place);
  const [row] = await hub.db
    .insert(applications)
    .values({
      type: 'MEDICAL',
      status,
      decidedAt: status === 'WITHDRAWN' ? at('2026-03-04') : null,
      decisionReason: status === 'WITHDRAWN' ? '申请人撤回' : null,
      householdId: household,
      receivingOrganizationId: centre,
      receivingStreetId: p1.streetId,
      ownerOrganizationId: centre,
      competentStreetId: place.streetId,
      competentDistrictId: place.districtId,
    })
    .returning();
  return row!.id;
}

/** The steps of the reading tests, on fixed days; ids keyed by name. */
const apps: Record<'a1' | 'a2' | 'a3' | 'a4' | 'a5' | 'a6' | 'a7', number> = {} as never;

beforeAll(async () => {
  hub = await startTestHub();
  p1 = await makePlace(hub.db);
  p2 = await makePlace(hub.db, { districtId: p1.districtId });
  p3 = await makePlace(hub.db);
  centreX = await makeCentre(p1, '测试受理中心X');
  centreY = await makeCentre(p2, '测试受理中心Y');
  const [bureau] = await hub.db
    .insert(organizations)
    .values({ kind: 'GOVERNMENT_DEPARTMENT', departmentFunction: 'CIVIL_AFFAIRS', level: 'DISTRICT', districtId: p1.districtId, nameZh: '测试区民政局D1' })
    .returning();
  bureauD1 = bureau!.id;
  provider = await makeProvider(hub.db);
  v = {
    city: principal('dl-city', Role.CITY_CIVIL_AFFAIRS),
    streetS1: principal('dl-street-S1', Role.STREET_OFFICER, { streetIds: [p1.streetId] }),
    streetS2: principal('dl-street-S2', Role.STREET_OFFICER, { streetIds: [p2.streetId] }),
    centreX: principal('dl-centre-X', Role.SERVICE_CENTER_OFFICER, { organizationId: centreX, streetIds: [p1.streetId] }),
    districtD1: principal('dl-district-D1', Role.DISTRICT_CIVIL_AFFAIRS, { organizationId: bureauD1, districtIds: [p1.districtId] }),
    provider: principal('dl-provider', Role.PROVIDER_STAFF, { organizationId: provider }),
    public: PUBLIC_PRINCIPAL,
  };

  // March 2026 has no holiday: working days are Monday to Friday.
  apps.a1 = await makeApplication(p1, centreX); // RECEIVED Mon 2 Mar, due Tue 3: overdue on the 10th
  await enterApplicationStep(hub.db, apps.a1, 'RECEIVED', at('2026-03-02'));
  apps.a2 = await makeApplication(p1, centreX, 'ACCEPTED'); // ACCEPTED Fri 6, due Wed 11: nearly due
  await enterApplicationStep(hub.db, apps.a2, 'ACCEPTED', at('2026-03-06'));
  apps.a3 = await makeApplication(p2, centreY, 'REVIEW'); // REVIEW Mon 9, due Mon 16: on time
  await enterApplicationStep(hub.db, apps.a3, 'REVIEW', at('2026-03-09'));
  apps.a4 = await makeApplication(p2, centreX); // RECEIVED Mon 9, due Tue 10: due today
  await enterApplicationStep(hub.db, apps.a4, 'RECEIVED', at('2026-03-09'));
  apps.a5 = await makeApplication(p3, centreX); // RECEIVED Thu 5, due Fri 6: overdue, district D2
  await enterApplicationStep(hub.db, apps.a5, 'RECEIVED', at('2026-03-05'));
  apps.a6 = await makeApplication(p1, centreX, 'REVIEW'); // RECEIVED on time, ACCEPTED late, REVIEW due Mon 16
  await enterApplicationStep(hub.db, apps.a6, 'RECEIVED', at('2026-03-02'));
  await enterApplicationStep(hub.db, apps.a6, 'ACCEPTED', at('2026-03-03'));
  await enterApplicationStep(hub.db, apps.a6, 'REVIEW', at('2026-03-09'));
  apps.a7 = await makeApplication(p1, centreX, 'WITHDRAWN'); // RECEIVED Mon 2, withdrawn Wed 4: completed late
  await enterApplicationStep(hub.db, apps.a7, 'RECEIVED', at('2026-03-02'));
  await enterApplicationStep(hub.db, apps.a7, 'WITHDRAWN', at('2026-03-04'));
});

afterAll(() => hub.close());

interface Step {
  status: string;
  enteredOn: string;
  dueOn: string | null;
  completedOn: string | null;
  provisional: boolean;
  state: string;
  workingDaysLeft: number | null;
}
const STEP = 'status enteredOn dueOn completedOn provisional state workingDaysLeft';

const appId = (key: keyof typeof apps) => gid('Application', apps[key]);

describe('steps of an application', () => {
  const READ = `query($id: ID!) { node(id: $id) { ... on Application { status currentStep { ${STEP} } steps { ${STEP} } } } }`;
  type Read = { node: { status: string; currentStep: Step | null; steps: Step[] } | null };

  it('records a step at intake and at every transition of the real mutations, with deadlines in working days from the calendar', async () => {
    const household = await makeHousehold(hub.db, p1);
    const received = await hub.run<{ receiveApplication: { application: { id: string; missingMaterials: { materialKind: { id: string } }[] }; userErrors: unknown[] } }>(
      `mutation($input: ReceiveApplicationInput!) { receiveApplication(input: $input) { application { id missingMaterials { materialKind { id } } } userErrors { field code } } }`,
      { input: { type: 'MEDICAL', household: gid('Household', household) } },
      { viewer: v.centreX },
    );
    expect(received.data!.receiveApplication.userErrors).toEqual([]);
    const { id, missingMaterials } = received.data!.receiveApplication.application;
    const step = async (name: string, input: Record<string, unknown>, inputType = 'ApplicationStepInput', viewer = v.streetS1) => {
      const result = await hub.run<Record<string, { userErrors: unknown[] }>>(`mutation($input: ${inputType}!) { ${name}(input: $input) { userErrors { field code } } }`, { input }, { viewer });
      expect(result.errors).toBeUndefined();
      expect(result.data![name]!.userErrors).toEqual([]);
    };
    if (missingMaterials.length > 0) await step('provideApplicationMaterials', { id, materialKinds: missingMaterials.map((m) => m.materialKind.id) }, 'ProvideMaterialsInput', v.centreX);
    await step('acceptApplication', { id });
    await step('reviewApplication', { id });

    const today = todayInShanghai();
    const calendar = await loadWorkingCalendar(hub.db);
    const due = (limit: number) => calendar.addWorkingDays(today, limit);
    const read = await hub.run<Read>(READ, { id });
    const { steps, currentStep } = read.data!.node!;
    expect(steps.map((s) => [s.status, s.enteredOn, s.dueOn, s.provisional, s.completedOn])).toEqual([
      ['RECEIVED', today, due(1).date, due(1).provisional, today],
      ['ACCEPTED', today, due(3).date, due(3).provisional, today],
      ['REVIEW', today, due(5).date, due(5).provisional, null],
    ]);
    expect(steps.slice(0, 2).map((s) => [s.state, s.workingDaysLeft])).toEqual([
      ['COMPLETED_ON_TIME', null],
      ['COMPLETED_ON_TIME', null],
    ]);
    expect(currentStep).toEqual(steps[2]);
    expect(currentStep).toMatchObject({ state: 'ON_TIME', workingDaysLeft: 5 });

    // Read on the deadline itself, then on the next working day.
    const onTheDay = await hub.run<Read>(READ, { id }, { now: at(due(5).date) });
    expect(onTheDay.data!.node!.currentStep).toMatchObject({ state: 'DUE_SOON', workingDaysLeft: 0 });
    const dayAfter = await hub.run<Read>(READ, { id }, { now: at(calendar.addWorkingDays(due(5).date, 1).date) });
    expect(dayAfter.data!.node!.currentStep).toMatchObject({ state: 'OVERDUE', workingDaysLeft: -1 });

    await step('withdrawApplication', { id, reason: '申请人撤回' });
    const withdrawn = await hub.run<Read>(READ, { id });
    expect(withdrawn.data!.node!).toMatchObject({ status: 'WITHDRAWN', currentStep: null });
    expect(withdrawn.data!.node!.steps.map((s) => [s.status, s.completedOn, s.state])).toEqual([
      ['RECEIVED', today, 'COMPLETED_ON_TIME'],
      ['ACCEPTED', today, 'COMPLETED_ON_TIME'],
      ['REVIEW', today, 'COMPLETED_ON_TIME'],
    ]);
  });

  it('tells steps completed on time from steps completed late, on fixed days', async () => {
    const read = await hub.run<Read>(READ, { id: appId('a6') }, { now: TODAY });
    expect(read.data!.node!.steps.map((s) => [s.status, s.enteredOn, s.dueOn, s.completedOn, s.state, s.workingDaysLeft])).toEqual([
      ['RECEIVED', '2026-03-02', '2026-03-03', '2026-03-03', 'COMPLETED_ON_TIME', null],
      ['ACCEPTED', '2026-03-03', '2026-03-06', '2026-03-09', 'COMPLETED_LATE', null],
      ['REVIEW', '2026-03-09', '2026-03-16', null, 'ON_TIME', 4],
    ]);
  });
});

describe('deadlines list', () => {
  const LIST = `query($filter: ApplicationDeadlineFilter, $first: Int, $after: String) {
    applicationDeadlines(filter: $filter, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { id dueOn state workingDaysLeft application { id } }
    }
  }`;
  type List = { applicationDeadlines: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { id: string; dueOn: string; state: string; workingDaysLeft: number; application: { id: string } }[] } };
  const both = () => ({ districts: [gid('District', p1.districtId), gid('District', p3.districtId)] });
  const list = async (filter: Record<string, unknown>, viewer = v.city, first = 20) => {
    const result = await hub.run<List>(LIST, { filter, first }, { viewer, now: TODAY });
    expect(result.errors).toBeUndefined();
    return result.data!.applicationDeadlines;
  };
  const appsOf = (page: List['applicationDeadlines']) => page.nodes.map((n) => n.application.id);

  it('lists overdue and nearly due steps by deadline, as of the given day', async () => {
    const page = await list(both());
    expect(page.nodes.map((n) => [n.application.id, n.dueOn, n.state, n.workingDaysLeft])).toEqual([
      [appId('a1'), '2026-03-03', 'OVERDUE', -5],
      [appId('a5'), '2026-03-06', 'OVERDUE', -2],
      [appId('a4'), '2026-03-10', 'DUE_SOON', 0],
      [appId('a2'), '2026-03-11', 'DUE_SOON', 1],
    ]);
    expect(page.totalCount).toBe(4);
  });

  it('filters by district, street, receiving centre, state and the nearly-due window', async () => {
    expect(appsOf(await list({ districts: [gid('District', p1.districtId)] }))).toEqual([appId('a1'), appId('a4'), appId('a2')]);
    expect(appsOf(await list({ streets: [gid('Street', p1.streetId)] }))).toEqual([appId('a1'), appId('a2')]);
    expect(appsOf(await list({ ...both(), receivingCenters: [gid('Organization', centreY)], states: ['ON_TIME'] }))).toEqual([appId('a3')]);
    expect(appsOf(await list({ ...both(), states: ['OVERDUE'] }))).toEqual([appId('a1'), appId('a5')]);
    expect(appsOf(await list({ ...both(), states: ['ON_TIME'] }))).toEqual([appId('a3'), appId('a6')]);
    expect(appsOf(await list({ ...both(), states: ['OVERDUE', 'ON_TIME'] }))).toEqual([appId('a1'), appId('a5'), appId('a3'), appId('a6')]);
    // Nearly due within 0 working days: only what is due today.
    const today = await list({ ...both(), dueSoonWithinWorkingDays: 0 });
    expect(today.nodes.map((n) => [n.application.id, n.state])).toEqual([
      [appId('a1'), 'OVERDUE'],
      [appId('a5'), 'OVERDUE'],
      [appId('a4'), 'DUE_SOON'],
    ]);
    // A wider window marks the Monday deadlines nearly due too.
    const wide = await list({ ...both(), dueSoonWithinWorkingDays: 4 });
    expect(wide.nodes.map((n) => n.state)).toEqual(['OVERDUE', 'OVERDUE', 'DUE_SOON', 'DUE_SOON', 'DUE_SOON', 'DUE_SOON']);
  });

  it('pages by deadline then id with cursors', async () => {
    const first = await list({ ...both(), states: ['OVERDUE', 'DUE_SOON', 'ON_TIME'] }, v.city, 4);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await hub.run<List>(LIST, { filter: { ...both(), states: ['OVERDUE', 'DUE_SOON', 'ON_TIME'] }, first: 4, after: first.pageInfo.endCursor }, { now: TODAY });
    expect([...appsOf(first), ...appsOf(rest.data!.applicationDeadlines)]).toEqual([appId('a1'), appId('a5'), appId('a4'), appId('a2'), appId('a3'), appId('a6')]);
    expect(rest.data!.applicationDeadlines.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a window outside 0–30 working days and a cursor of another list', async () => {
    const bad = await hub.run(LIST, { filter: { dueSoonWithinWorkingDays: 31 } }, { now: TODAY });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['filter', 'dueSoonWithinWorkingDays'] });
    const foreign = await hub.run<{ applications: { pageInfo: { endCursor: string } } }>(`{ applications(first: 1) { pageInfo { endCursor } } }`);
    const mismatched = await hub.run(LIST, { after: foreign.data!.applications.pageInfo.endCursor }, { now: TODAY });
    expect(mismatched.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // A forged cursor whose deadline is no date is refused before it reaches SQL.
    const forged = await hub.run(LIST, { after: Buffer.from(JSON.stringify(['not-a-date', 1])).toString('base64url') }, { now: TODAY });
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['after'] });
  });

  it('shows each viewer only the applications it may read: its street, its district, what its centre received', async () => {
    expect(appsOf(await list({}, v.streetS1))).toEqual([appId('a1'), appId('a2')]);
    expect(appsOf(await list({}, v.streetS2))).toEqual([appId('a4')]);
    expect(appsOf(await list({}, v.districtD1))).toEqual([appId('a1'), appId('a4'), appId('a2')]);
    // The receiving centre follows what it received, wherever the household is registered.
    expect(appsOf(await list({}, v.centreX))).toEqual([appId('a1'), appId('a5'), appId('a4'), appId('a2')]);
    // A filter never widens the scope.
    expect(appsOf(await list({ streets: [gid('Street', p1.streetId)] }, v.streetS2))).toEqual([]);
    for (const viewer of [v.provider, v.public]) {
      const refused = await hub.run(LIST, {}, { viewer, now: TODAY });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(refused.data).toBeNull();
    }
  });

  it('refetches a step by id only for viewers who may read its application', async () => {
    const [step] = (await list({ streets: [gid('Street', p1.streetId)] })).nodes;
    const NODE = `query($id: ID!) { node(id: $id) { __typename ... on ApplicationStep { dueOn application { id } } } }`;
    const seen = await hub.run<{ node: unknown }>(NODE, { id: step!.id }, { viewer: v.streetS1 });
    expect(seen.data!.node).toEqual({ __typename: 'ApplicationStep', dueOn: '2026-03-03', application: { id: appId('a1') } });
    for (const viewer of [v.streetS2, v.provider]) expect((await hub.run<{ node: unknown }>(NODE, { id: step!.id }, { viewer })).data!.node).toBeNull();
  });

  it('costs the same number of statements for a page of one step as for a page of five, with nested applications and escalations', async () => {
    const DEEP = `query($filter: ApplicationDeadlineFilter, $first: Int) { applicationDeadlines(filter: $filter, first: $first) {
      nodes { status dueOn state workingDaysLeft escalation { escalatedOn toOrganization { id } }
        application { id status competentStreet { id } currentStep { dueOn state } steps { status state } } } } }`;
    const filter = { ...both(), states: ['OVERDUE', 'DUE_SOON', 'ON_TIME'] };
    const one = await hub.run<{ applicationDeadlines: { nodes: unknown[] } }>(DEEP, { filter, first: 1 }, { now: TODAY });
    const five = await hub.run<{ applicationDeadlines: { nodes: unknown[] } }>(DEEP, { filter, first: 5 }, { now: TODAY });
    expect(one.errors).toBeUndefined();
    expect(five.data!.applicationDeadlines.nodes).toHaveLength(5);
    expect(five.statements).toBe(one.statements);
  });
});

describe('deadline summary', () => {
  const SUMMARY = `query($groupBy: DeadlineGroupBy!, $filter: ApplicationDeadlineSummaryFilter, $from: LocalDate, $to: LocalDate) {
    applicationDeadlineSummary(groupBy: $groupBy, filter: $filter, completedFrom: $from, completedTo: $to) {
      district { id } street { id } receivingCenter { id } openSteps overdue dueSoon escalated completedSteps completedOnTime onTimeRate
    }
  }`;
  interface Group {
    district: { id: string } | null;
    street: { id: string } | null;
    receivingCenter: { id: string } | null;
    openSteps: number;
    overdue: number;
    dueSoon: number;
    escalated: number;
    completedSteps: number;
    completedOnTime: number;
    onTimeRate: number | null;
  }
  const both = () => ({ districts: [gid('District', p1.districtId), gid('District', p3.districtId)] });
  const march = { from: '2026-03-01', to: '2026-03-31' };
  const summary = async (groupBy: string, viewer = v.city, extra: Record<string, unknown> = {}) => {
    const result = await hub.run<{ applicationDeadlineSummary: Group[] }>(SUMMARY, { groupBy, filter: both(), ...march, ...extra }, { viewer, now: TODAY });
    expect(result.errors).toBeUndefined();
    return result.data!.applicationDeadlineSummary;
  };
  const counts = (g: Group) => [g.openSteps, g.overdue, g.dueSoon, g.escalated, g.completedSteps, g.completedOnTime, g.onTimeRate];

  it('counts open, overdue, nearly due and completed steps per district, street and centre in one statement', async () => {
    const byDistrict = await hub.run<{ applicationDeadlineSummary: Group[] }>(`query($filter: ApplicationDeadlineSummaryFilter) { applicationDeadlineSummary(groupBy: DISTRICT, filter: $filter, completedFrom: "2026-03-01", completedTo: "2026-03-31") { openSteps } }`, { filter: both() }, { now: TODAY });
    // The calendar and the grouped count: nothing per group.
    expect(byDistrict.statements).toBe(2);

    const districts = await summary('DISTRICT');
    expect(districts.map((g) => [g.district?.id, g.street, g.receivingCenter, ...counts(g)])).toEqual([
      // D1: a1, a2, a3, a4, a6 open; a6's two steps and a7's one completed in March, one on time.
      [gid('District', p1.districtId), null, null, 5, 1, 2, 0, 3, 1, 1 / 3],
      [gid('District', p3.districtId), null, null, 1, 1, 0, 0, 0, 0, null],
    ]);
    const streets = await summary('STREET');
    expect(streets.map((g) => [g.street?.id, ...counts(g)])).toEqual([
      [gid('Street', p1.streetId), 3, 1, 1, 0, 3, 1, 1 / 3],
      [gid('Street', p2.streetId), 2, 0, 1, 0, 0, 0, null],
      [gid('Street', p3.streetId), 1, 1, 0, 0, 0, 0, null],
    ]);
    const centres = await summary('CENTER');
    expect(centres.map((g) => [g.receivingCenter?.id, ...counts(g)])).toEqual([
      [gid('Organization', centreX), 5, 2, 2, 0, 3, 1, 1 / 3],
      [gid('Organization', centreY), 1, 0, 0, 0, 0, 0, null],
    ]);
  });

  it('counts completions within the period only', async () => {
    const [d1] = await summary('DISTRICT', v.city, { from: '2026-03-04', to: '2026-03-04' });
    // Only a7's step, completed late on the 4th.
    expect(counts(d1!).slice(4)).toEqual([1, 0, 0]);
    const refused = await hub.run(SUMMARY, { groupBy: 'DISTRICT', from: '2026-03-05', to: '2026-03-04' }, { now: TODAY });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['completedTo'] });
  });

  it('counts within the viewer’s scope, and refuses viewers who may read no application', async () => {
    const streets = await summary('STREET', v.streetS1);
    expect(streets.map((g) => [g.street?.id, ...counts(g)])).toEqual([[gid('Street', p1.streetId), 3, 1, 1, 0, 3, 1, 1 / 3]]);
    expect(await summary('STREET', v.streetS2)).toEqual([expect.objectContaining({ street: { id: gid('Street', p2.streetId) }, openSteps: 2, overdue: 0, dueSoon: 1 })]);
    for (const viewer of [v.provider, v.public]) {
      const refused = await hub.run(SUMMARY, { groupBy: 'DISTRICT' }, { viewer, now: TODAY });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('escalation', () => {
  it('shows the escalation of an overdue step once the job has run, to the district bureau, and counts it', async () => {
    const ESC = `query($filter: ApplicationDeadlineFilter) { applicationDeadlines(filter: $filter) { nodes { application { id } escalation { escalatedOn dueOn toOrganization { id } } } } }`;
    type Esc = { applicationDeadlines: { nodes: { application: { id: string }; escalation: { escalatedOn: string; dueOn: string; toOrganization: { id: string } | null } | null }[] } };
    const filter = { districts: [gid('District', p1.districtId), gid('District', p3.districtId)] };
    const before = await hub.run<Esc>(ESC, { filter }, { now: TODAY });
    expect(before.data!.applicationDeadlines.nodes.every((n) => n.escalation === null)).toBe(true);

    expect(await escalateOverdueSteps(hub.db, TODAY)).toBe(2);
    const after = await hub.run<Esc>(ESC, { filter }, { now: TODAY });
    expect(after.data!.applicationDeadlines.nodes.map((n) => [n.application.id, n.escalation])).toEqual([
      [appId('a1'), { escalatedOn: '2026-03-10', dueOn: '2026-03-03', toOrganization: { id: gid('Organization', bureauD1) } }],
      // District D2 has no civil affairs bureau in the hub.
      [appId('a5'), { escalatedOn: '2026-03-10', dueOn: '2026-03-06', toOrganization: null }],
      [appId('a4'), null],
      [appId('a2'), null],
    ]);
    const summary = await hub.run<{ applicationDeadlineSummary: { escalated: number }[] }>(`query($filter: ApplicationDeadlineSummaryFilter) { applicationDeadlineSummary(groupBy: DISTRICT, filter: $filter) { escalated } }`, { filter }, { now: TODAY });
    expect(summary.data!.applicationDeadlineSummary.map((g) => g.escalated)).toEqual([1, 1]);
  });
});

describe('step limits', () => {
  const SET = `mutation($input: SetApplicationStepLimitInput!) { setApplicationStepLimit(input: $input) { stepLimit { status workingDays } movedSteps userErrors { field code } } }`;
  type Set = { setApplicationStepLimit: { stepLimit: { status: string; workingDays: number } | null; movedSteps: number | null; userErrors: { field: string[]; code: string }[] } };
  const limits = async () => (await hub.run<{ applicationStepLimits: { status: string; workingDays: number }[] }>(`{ applicationStepLimits { status workingDays updatedAt } }`, {}, { viewer: v.public })).data!.applicationStepLimits;

  it('publishes the limits to anyone', async () => {
    expect(await limits()).toEqual([
      { status: 'RECEIVED', workingDays: 1 },
      { status: 'ACCEPTED', workingDays: 3 },
      { status: 'UNDER_VERIFICATION', workingDays: 10 },
      { status: 'REVIEW', workingDays: 5 },
      { status: 'PUBLICITY', workingDays: 10 },
    ].map((l) => expect.objectContaining(l)));
  });

  it('lets only city civil affairs set a limit', async () => {
    const street = await hub.run<Set>(SET, { input: { status: 'RECEIVED', workingDays: 2 } }, { viewer: v.districtD1 });
    expect(street.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await hub.run<Set>(SET, { input: { status: 'RECEIVED', workingDays: 2 } }, { viewer: v.public });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await limits())[0]).toMatchObject({ status: 'RECEIVED', workingDays: 1 });
  });

  it('refuses a final status and a limit outside 0–200, writing nothing', async () => {
    const final = await hub.run<Set>(SET, { input: { status: 'APPROVED', workingDays: 5 } }, { viewer: v.city });
    expect(final.data!.setApplicationStepLimit).toEqual({ stepLimit: null, movedSteps: null, userErrors: [{ field: ['input', 'status'], code: 'INVALID' }] });
    for (const workingDays of [-1, 201]) {
      const out = await hub.run<Set>(SET, { input: { status: 'REVIEW', workingDays } }, { viewer: v.city });
      expect(out.data!.setApplicationStepLimit.userErrors).toEqual([{ field: ['input', 'workingDays'], code: 'OUT_OF_RANGE' }]);
    }
    expect(await hub.db.select().from(applicationStepLimits).where(eq(applicationStepLimits.status, 'APPROVED'))).toEqual([]);
    expect((await limits()).find((l) => l.status === 'REVIEW')!.workingDays).toBe(5);
  });

  it('moves the deadlines of open steps in the same change, and audits it', async () => {
    const DUE = `query($id: ID!) { node(id: $id) { ... on Application { currentStep { dueOn } } } }`;
    const dueOf = async (key: keyof typeof apps) => (await hub.run<{ node: { currentStep: { dueOn: string } } }>(DUE, { id: appId(key) })).data!.node.currentStep.dueOn;
    const set = await hub.run<Set>(SET, { input: { status: 'RECEIVED', workingDays: 2 } }, { viewer: v.city });
    expect(set.data!.setApplicationStepLimit.userErrors).toEqual([]);
    expect(set.data!.setApplicationStepLimit.stepLimit).toEqual({ status: 'RECEIVED', workingDays: 2 });
    // a1, a4 and a5 are open in RECEIVED (and any open RECEIVED step of the other tests).
    expect(set.data!.setApplicationStepLimit.movedSteps).toBeGreaterThanOrEqual(3);
    expect([await dueOf('a1'), await dueOf('a4'), await dueOf('a5')]).toEqual(['2026-03-04', '2026-03-11', '2026-03-09']);
    // Steps in other statuses and completed steps keep theirs.
    expect(await dueOf('a2')).toBe('2026-03-11');
    const audited = await hub.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'ApplicationStepLimit'), eq(auditLog.actorSubject, 'dl-city')));
    expect(audited.map((a) => [a.action, a.entityId, a.fields])).toEqual([['UPDATE', 1, ['workingDays']]]);

    await hub.run<Set>(SET, { input: { status: 'RECEIVED', workingDays: 1 } }, { viewer: v.city });
    expect(await dueOf('a1')).toBe('2026-03-03');
  });
});

const pg = TEST_DATABASE_URL ? describe : describe.skip;

pg('a limit change while steps are entered (needs a PostgreSQL server: set TEST_DATABASE_URL)', () => {
  it('leaves no open step with a deadline from the old limit', async () => {
    const place = await makePlace(hub.db);
    const ids = await Promise.all(Array.from({ length: 8 }, () => makeApplication(place, centreX)));
    const change = setApplicationStepLimit(hub.db, { viewer: v.city, requestId: 'race', purpose: undefined }, { status: 'RECEIVED', workingDays: 3 });
    await Promise.all([...ids.map((id) => hub.db.transaction((tx) => enterApplicationStep(tx, id, 'RECEIVED', at('2026-03-02')))), change]);
    expect((await change).userErrors).toEqual([]);
    const steps = await hub.db.select().from(applicationSteps).where(inArray(applicationSteps.applicationId, ids));
    // Monday 2 March + 3 working days.
    expect(steps.map((s) => s.dueOn)).toEqual(ids.map(() => '2026-03-05'));
    await setApplicationStepLimit(hub.db, { viewer: v.city, requestId: 'race', purpose: undefined }, { status: 'RECEIVED', workingDays: 1 });
  });
});
