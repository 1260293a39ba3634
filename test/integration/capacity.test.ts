import { and, count, eq } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { todayInShanghai } from '../../src/common/dates';
import { auditLog, householdReviewSchedules, householdReviews, staffMembers, trainingAttendance, trainingSessions } from '../../src/db/schema';
import { startTestHub, type TestHub } from '../support/hub';
import { categoryIds, gid, makeCaseworker, makeHousehold, makePlace, makeProvider, makeStreetOffice, type Place } from '../support/factories';

/**
 * Grassroots capacity (§2(2),(3),(5)): who does assistance work in each committee, who was trained
 * this year, graduate hires per district, and the periodic review of assisted households (动态管理).
 */

interface UserError {
  field: string[];
  code: string;
}
interface Page<T> {
  totalCount?: number;
  nodes: T[];
  pageInfo?: { hasNextPage: boolean; endCursor: string | null };
}

const principal = (subject: string, role: Role, scope: Partial<Principal> = {}): Principal => ({
  subject,
  organizationId: null,
  staffMemberId: null,
  districtIds: [],
  streetIds: [],
  ...scope,
  roles: [role],
});

const COMMITTEES = `query($districts: [ID!], $streets: [ID!], $first: Int, $after: String) {
  committeesWithoutAssistanceStaff(districts: $districts, streets: $streets, first: $first, after: $after) {
    totalCount nodes { id name street { name district { name } } } pageInfo { hasNextPage endCursor }
  }
}`;
const UNTRAINED = `query($year: Int, $districts: [ID!], $streets: [ID!]) {
  untrainedAssistanceStaff(year: $year, districts: $districts, streets: $streets, first: 100) { totalCount nodes { id assistanceRole street { id } } }
}`;
const HIRES = `query($fromYear: Int, $toYear: Int, $districts: [ID!]) {
  graduateHiresByDistrict(fromYear: $fromYear, toYear: $toYear, districts: $districts) { district { id } year hires stillActive }
}`;
const OVERDUE = `query($districts: [ID!], $streets: [ID!], $first: Int, $after: String) {
  overdueHouseholdReviews(districts: $districts, streets: $streets, first: $first, after: $after) {
    totalCount nodes { nextReviewOn lastReviewedOn daysOverdue household { id } } pageInfo { hasNextPage endCursor }
  }
}`;
const CREATE_STAFF = `mutation($input: CreateStaffMemberInput!) {
  createStaffMember(input: $input) { staffMember { id assistanceRole graduateHire hiredOn committee { id } street { id } phone } userErrors { field code message } }
}`;
const UPDATE_STAFF = `mutation($input: UpdateStaffMemberInput!) {
  updateStaffMember(input: $input) { staffMember { id assistanceRole graduateHire hiredOn active committee { id } } userErrors { field code message } }
}`;
const CREATE_SESSION = `mutation($input: CreateTrainingSessionInput!) {
  createTrainingSession(input: $input) { trainingSession { id title hours heldOn district { id } street { id } category { code } } userErrors { field code message } }
}`;
const ATTEND = `mutation($input: RecordTrainingAttendanceInput!) {
  recordTrainingAttendance(input: $input) { newlyRecorded trainingSession { id attendance(first: 10) { totalCount nodes { staffMember { id } } } } userErrors { field code message } }
}`;
const REVIEW = `mutation($input: RecordHouseholdReviewInput!) {
  recordHouseholdReview(input: $input) { review { reviewedOn outcome nextReviewOn reviewer { id } } schedule { nextReviewOn lastReviewedOn } userErrors { field code message } }
}`;

/** A day `days` after today in Shanghai (negative: before). */
function dayFromToday(days: number): string {
  const today = Date.parse(todayInShanghai());
  return new Date(today + days * 86_400_000).toISOString().slice(0, 10);
}
const thisYear = Number(todayInShanghai().slice(0, 4));

describe('grassroots capacity', () => {
  let hub: TestHub;
  /** District D with streets S1 (office1) and S2 (office2); district E with street T (officeT). */
  let s1: Place;
  let s2: Place;
  let t: Place;
  let office1: number;
  let office2: number;
  let officeT: number;
  let city: Principal;
  let district: Principal;
  let street1: Principal;
  let provider: Principal;
  let hr: Principal;

  async function staff(values: Partial<typeof staffMembers.$inferInsert> & { organizationId: number }): Promise<number> {
    const [row] = await hub.db
      .insert(staffMembers)
      .values({ position: 'CASEWORKER', name: '职员', ...values })
      .returning();
    return row!.id;
  }

  async function committeeIn(place: Place): Promise<Place> {
    return makePlace(hub.db, { districtId: place.districtId, streetId: place.streetId });
  }

  beforeAll(async () => {
    hub = await startTestHub();
    s1 = await makePlace(hub.db);
    s2 = await makePlace(hub.db, { districtId: s1.districtId });
    t = await makePlace(hub.db);
    office1 = await makeStreetOffice(hub.db, s1);
    office2 = await makeStreetOffice(hub.db, s2);
    officeT = await makeStreetOffice(hub.db, t);
    const providerId = await makeProvider(hub.db);
    city = principal('cap-city', Role.CITY_CIVIL_AFFAIRS);
    district = principal('cap-district', Role.DISTRICT_CIVIL_AFFAIRS, { districtIds: [s1.districtId] });
    street1 = principal('cap-street-1', Role.STREET_OFFICER, { organizationId: office1, streetIds: [s1.streetId] });
    provider = principal('cap-provider', Role.PROVIDER_STAFF, { organizationId: providerId });
    hr = principal('cap-hr', Role.HR_SOCIAL_SECURITY);
  });

  afterAll(() => hub.close());

  describe('committees with nobody doing assistance work', () => {
    let covered: Place;
    let uncovered: Place;
    let onlyInactive: Place;
    let onlyWithoutRole: Place;
    let inS2: Place;

    beforeAll(async () => {
      // s1's own committee is one more committee without assistance staff.
      covered = await committeeIn(s1);
      uncovered = await committeeIn(s1);
      onlyInactive = await committeeIn(s1);
      onlyWithoutRole = await committeeIn(s1);
      inS2 = await committeeIn(s2);
      await staff({ organizationId: office1, committeeId: covered.committeeId, position: 'COMMITTEE_MEMBER', assistanceRole: 'COORDINATOR' });
      await staff({ organizationId: office1, committeeId: onlyInactive.committeeId, position: 'COMMITTEE_MEMBER', assistanceRole: 'COORDINATOR', active: false });
      await staff({ organizationId: office1, committeeId: onlyWithoutRole.committeeId, position: 'COMMITTEE_MEMBER' });
      await staff({ organizationId: office2, committeeId: s2.committeeId, position: 'COMMITTEE_MEMBER', assistanceRole: 'ASSISTANT' });
    });

    it('lists the committees of a street without an active staff member assigned assistance work, by ID', async () => {
      const result = await hub.run<{ committeesWithoutAssistanceStaff: Page<{ id: string; street: { name: string } }> }>(COMMITTEES, { streets: [gid('Street', s1.streetId)] }, { viewer: city });
      expect(result.errors).toBeUndefined();
      const expected = [s1.committeeId, uncovered.committeeId, onlyInactive.committeeId, onlyWithoutRole.committeeId].map((id) => gid('Committee', id));
      expect(result.data!.committeesWithoutAssistanceStaff.nodes.map((n) => n.id)).toEqual(expected);
      expect(result.data!.committeesWithoutAssistanceStaff.totalCount).toBe(4);
    });

    it('counts a committee as covered once it has an active coordinator, and uncovered again when the coordinator leaves', async () => {
      const ids = async () =>
        (await hub.run<{ committeesWithoutAssistanceStaff: Page<{ id: string }> }>(COMMITTEES, { districts: [gid('District', s1.districtId)], first: 100 }, { viewer: city })).data!.committeesWithoutAssistanceStaff.nodes.map((n) => n.id);
      expect(await ids()).toContain(gid('Committee', inS2.committeeId));
      const created = await hub.run<{ createStaffMember: { staffMember: { id: string } } }>(
        CREATE_STAFF,
        { input: { organization: gid('Organization', office2), committee: gid('Committee', inS2.committeeId), position: 'COMMITTEE_MEMBER', name: '协理员甲', assistanceRole: 'COORDINATOR' } },
        { viewer: city },
      );
      const id = created.data!.createStaffMember.staffMember.id;
      expect(await ids()).not.toContain(gid('Committee', inS2.committeeId));
      await hub.run(UPDATE_STAFF, { input: { id, active: false } }, { viewer: city });
      expect(await ids()).toContain(gid('Committee', inS2.committeeId));
    });

    it('pages by cursor', async () => {
      const first = await hub.run<{ committeesWithoutAssistanceStaff: Page<{ id: string }> }>(COMMITTEES, { streets: [gid('Street', s1.streetId)], first: 3 }, { viewer: city });
      const page1 = first.data!.committeesWithoutAssistanceStaff;
      expect(page1.nodes).toHaveLength(3);
      expect(page1.pageInfo!.hasNextPage).toBe(true);
      const second = await hub.run<{ committeesWithoutAssistanceStaff: Page<{ id: string }> }>(COMMITTEES, { streets: [gid('Street', s1.streetId)], first: 3, after: page1.pageInfo!.endCursor }, { viewer: city });
      expect(second.data!.committeesWithoutAssistanceStaff.nodes.map((n) => n.id)).toEqual([gid('Committee', onlyWithoutRole.committeeId)]);
    });

    it('shows a street officer only its own streets, whatever it asks for', async () => {
      const asked = await hub.run<{ committeesWithoutAssistanceStaff: Page<{ id: string }> }>(COMMITTEES, { districts: [gid('District', s1.districtId)], first: 100 }, { viewer: street1 });
      const ids = asked.data!.committeesWithoutAssistanceStaff.nodes.map((n) => n.id);
      expect(ids).toContain(gid('Committee', uncovered.committeeId));
      expect(ids).not.toContain(gid('Committee', inS2.committeeId));
      const other = await hub.run<{ committeesWithoutAssistanceStaff: Page<{ id: string }> }>(COMMITTEES, { streets: [gid('Street', s2.streetId)] }, { viewer: street1 });
      expect(other.data!.committeesWithoutAssistanceStaff.nodes).toEqual([]);
    });

    it('shows a district bureau its districts only', async () => {
      const result = await hub.run<{ committeesWithoutAssistanceStaff: Page<{ id: string }> }>(COMMITTEES, { first: 100 }, { viewer: district });
      const ids = result.data!.committeesWithoutAssistanceStaff.nodes.map((n) => n.id);
      expect(ids).toContain(gid('Committee', uncovered.committeeId));
      expect(ids).not.toContain(gid('Committee', t.committeeId));
    });

    it('costs the same number of statements for a page of 2 as for a page of 5, with street and district', async () => {
      const small = await hub.run(COMMITTEES, { districts: [gid('District', s1.districtId)], first: 2 }, { viewer: city });
      const large = await hub.run<{ committeesWithoutAssistanceStaff: Page<{ id: string }> }>(COMMITTEES, { districts: [gid('District', s1.districtId)], first: 5 }, { viewer: city });
      expect(large.data!.committeesWithoutAssistanceStaff.nodes).toHaveLength(5);
      // page, count, street (with its district)
      expect(large.statements).toBe(3);
      expect(small.statements).toBe(3);
    });
  });

  describe('training', () => {
    let trainedLastYearOnly: number;
    let trainedThisYear: number;
    let assistantUntrained: number;
    let plainOfficer: number;
    let inactiveCaseworker: number;
    let otherDistrictCaseworker: number;

    beforeAll(async () => {
      trainedLastYearOnly = await makeCaseworker(hub.db, office1);
      trainedThisYear = await makeCaseworker(hub.db, office1);
      assistantUntrained = await staff({ organizationId: office1, position: 'OFFICER', assistanceRole: 'ASSISTANT' });
      plainOfficer = await makeCaseworker(hub.db, office1, { position: 'OFFICER' });
      inactiveCaseworker = await makeCaseworker(hub.db, office1, { active: false });
      otherDistrictCaseworker = await makeCaseworker(hub.db, officeT);
      const session = async (heldOn: string) => {
        const [row] = await hub.db.insert(trainingSessions).values({ title: '政策解读', organizerId: office1, heldOn, hours: 3, createdBy: 'test' }).returning();
        return row!.id;
      };
      const lastYear = await session(`${thisYear - 1}-12-31`);
      const thisYears = await session(`${thisYear}-01-01`);
      await hub.db.insert(trainingAttendance).values([
        { sessionId: lastYear, staffMemberId: trainedLastYearOnly, recordedBy: 'test' },
        { sessionId: lastYear, staffMemberId: trainedThisYear, recordedBy: 'test' },
        { sessionId: thisYears, staffMemberId: trainedThisYear, recordedBy: 'test' },
      ]);
    });

    const untrained = async (viewer: Principal, variables: Record<string, unknown>) => {
      const result = await hub.run<{ untrainedAssistanceStaff: Page<{ id: string }> }>(UNTRAINED, variables, { viewer });
      expect(result.errors).toBeUndefined();
      return result.data!.untrainedAssistanceStaff.nodes.map((n) => n.id);
    };

    it('lists a caseworker trained last year but not this one, and assistance staff never trained; this year by default', async () => {
      const ids = await untrained(city, { streets: [gid('Street', s1.streetId)] });
      expect(ids).toContain(gid('StaffMember', trainedLastYearOnly));
      expect(ids).toContain(gid('StaffMember', assistantUntrained));
      expect(ids).not.toContain(gid('StaffMember', trainedThisYear));
      expect(ids).not.toContain(gid('StaffMember', plainOfficer));
      expect(ids).not.toContain(gid('StaffMember', inactiveCaseworker));
      expect(ids).not.toContain(gid('StaffMember', otherDistrictCaseworker));
    });

    it('answers for a given year', async () => {
      const ids = await untrained(city, { year: thisYear - 1, streets: [gid('Street', s1.streetId)] });
      expect(ids).not.toContain(gid('StaffMember', trainedLastYearOnly));
      expect(ids).not.toContain(gid('StaffMember', trainedThisYear));
      expect(ids).toContain(gid('StaffMember', assistantUntrained));
    });

    it('shows a street officer only the staff of its streets', async () => {
      const ids = await untrained(street1, {});
      expect(ids).toContain(gid('StaffMember', trainedLastYearOnly));
      expect(ids).not.toContain(gid('StaffMember', otherDistrictCaseworker));
    });

    it('records attendance once per staff member and session, however often it is sent', async () => {
      const created = await hub.run<{ createTrainingSession: { trainingSession: { id: string; hours: number; district: { id: string } }; userErrors: UserError[] } }>(
        CREATE_SESSION,
        { input: { title: '社会救助业务培训', organizer: gid('Organization', office1), heldOn: todayInShanghai(), street: gid('Street', s1.streetId), hours: 2.5 } },
        { viewer: street1 },
      );
      expect(created.data!.createTrainingSession.userErrors).toEqual([]);
      const session = created.data!.createTrainingSession.trainingSession;
      expect(session.hours).toBe(2.5);
      expect(session.district.id).toBe(gid('District', s1.districtId));
      const input = { session: session.id, staffMembers: [gid('StaffMember', assistantUntrained), gid('StaffMember', plainOfficer), gid('StaffMember', assistantUntrained)] };
      const first = await hub.run<{ recordTrainingAttendance: { newlyRecorded: number; trainingSession: { attendance: { totalCount: number } }; userErrors: UserError[] } }>(ATTEND, { input }, { viewer: street1 });
      expect(first.data!.recordTrainingAttendance).toMatchObject({ newlyRecorded: 2, userErrors: [], trainingSession: { attendance: { totalCount: 2 } } });
      const again = await hub.run<{ recordTrainingAttendance: { newlyRecorded: number; trainingSession: { attendance: { totalCount: number } } } }>(ATTEND, { input }, { viewer: street1 });
      expect(again.data!.recordTrainingAttendance).toMatchObject({ newlyRecorded: 0, trainingSession: { attendance: { totalCount: 2 } } });
      const [rows] = await hub.db.select({ n: count() }).from(trainingAttendance).where(eq(trainingAttendance.staffMemberId, assistantUntrained));
      expect(Number(rows!.n)).toBe(1);
      expect(await untrained(city, { streets: [gid('Street', s1.streetId)] })).not.toContain(gid('StaffMember', assistantUntrained));
    });

    it('refuses attendance for staff outside the recorder’s streets, and writes nothing', async () => {
      const [row] = await hub.db.insert(trainingSessions).values({ title: '培训', organizerId: office1, heldOn: `${thisYear}-01-02`, hours: 1, createdBy: 'test' }).returning();
      const result = await hub.run(ATTEND, { input: { session: gid('TrainingSession', row!.id), staffMembers: [gid('StaffMember', trainedThisYear), gid('StaffMember', otherDistrictCaseworker)] } }, { viewer: street1 });
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const [n] = await hub.db.select({ n: count() }).from(trainingAttendance).where(eq(trainingAttendance.sessionId, row!.id));
      expect(Number(n!.n)).toBe(0);
    });

    it('names the fields at fault of a bad session or attendance', async () => {
      const bad = await hub.run<{ createTrainingSession: { trainingSession: null; userErrors: UserError[] } }>(
        CREATE_SESSION,
        { input: { title: ' ', organizer: gid('Organization', office1), heldOn: '2026-02-01', district: gid('District', t.districtId), street: gid('Street', s1.streetId), hours: 0 } },
        { viewer: city },
      );
      expect(bad.data!.createTrainingSession.trainingSession).toBeNull();
      expect(bad.data!.createTrainingSession.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual(
        expect.arrayContaining([
          ['input.street', 'INVALID'],
          ['input.title', 'REQUIRED'],
          ['input.hours', 'OUT_OF_RANGE'],
        ]),
      );
      const future = await hub.db.insert(trainingSessions).values({ title: '将来', organizerId: office1, heldOn: dayFromToday(30), hours: 1, createdBy: 'test' }).returning();
      const early = await hub.run<{ recordTrainingAttendance: { userErrors: UserError[] } }>(
        ATTEND,
        { input: { session: gid('TrainingSession', future[0]!.id), staffMembers: [gid('StaffMember', trainedThisYear), gid('Household', 1)] } },
        { viewer: city },
      );
      expect(early.data!.recordTrainingAttendance.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([
        ['input.session', 'INVALID_STATE'],
        ['input.staffMembers.1', 'NOT_FOUND'],
      ]);
    });
  });

  describe('staff records', () => {
    it('records assistance work and a graduate hire, with the street derived from the organization', async () => {
      const result = await hub.run<{ createStaffMember: { staffMember: Record<string, unknown>; userErrors: UserError[] } }>(
        CREATE_STAFF,
        { input: { organization: gid('Organization', office1), position: 'CASEWORKER', name: '李助理', phone: '13812345678', assistanceRole: 'ASSISTANT', graduateHire: true, hiredOn: `${thisYear}-03-01` } },
        { viewer: street1 },
      );
      expect(result.data!.createStaffMember).toMatchObject({
        userErrors: [],
        staffMember: { assistanceRole: 'ASSISTANT', graduateHire: true, hiredOn: `${thisYear}-03-01`, street: { id: gid('Street', s1.streetId) }, phone: '138****5678' },
      });
      const [entry] = await hub.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'StaffMember'), eq(auditLog.action, 'CREATE')));
      expect(entry).toBeDefined();
    });

    it('names every field at fault and writes nothing', async () => {
      const [before] = await hub.db.select({ n: count() }).from(staffMembers);
      const result = await hub.run<{ createStaffMember: { staffMember: null; userErrors: UserError[] } }>(
        CREATE_STAFF,
        { input: { organization: gid('Organization', office1), position: 'COMMITTEE_MEMBER', name: '', phone: '12345', assistanceRole: 'COORDINATOR', graduateHire: true, hiredOn: dayFromToday(10) } },
        { viewer: city },
      );
      expect(result.data!.createStaffMember.staffMember).toBeNull();
      expect(result.data!.createStaffMember.userErrors.map((e) => [e.field.join('.'), e.code]).sort()).toEqual(
        [
          ['input.committee', 'REQUIRED'],
          ['input.hiredOn', 'OUT_OF_RANGE'],
          ['input.name', 'REQUIRED'],
          ['input.phone', 'INVALID'],
        ].sort(),
      );
      const wrongPlace = await hub.run<{ createStaffMember: { userErrors: UserError[] } }>(
        CREATE_STAFF,
        { input: { organization: gid('Organization', office1), committee: gid('Committee', t.committeeId), position: 'COMMITTEE_MEMBER', name: '王', graduateHire: true } },
        { viewer: city },
      );
      expect(wrongPlace.data!.createStaffMember.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([
        ['input.committee', 'INVALID'],
        ['input.hiredOn', 'REQUIRED'],
      ]);
      const [after] = await hub.db.select({ n: count() }).from(staffMembers);
      expect(after!.n).toBe(before!.n);
    });

    it('lets a street officer record staff of its streets only, and refuses providers and the public', async () => {
      const input = { organization: gid('Organization', officeT), position: 'CASEWORKER', name: '赵' };
      expect((await hub.run(CREATE_STAFF, { input }, { viewer: street1 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await hub.run(CREATE_STAFF, { input }, { viewer: provider })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await hub.run(CREATE_STAFF, { input }, { viewer: hr })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await hub.run(CREATE_STAFF, { input }, { viewer: { ...city, subject: null, roles: [] } })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('graduate hires per district', () => {
    let d1: Place;
    let d2: Place;

    beforeAll(async () => {
      d1 = await makePlace(hub.db);
      d2 = await makePlace(hub.db);
      const o1 = await makeStreetOffice(hub.db, d1);
      const o2 = await makeStreetOffice(hub.db, d2);
      await staff({ organizationId: o1, graduateHire: true, hiredOn: '2024-07-01' });
      await staff({ organizationId: o1, graduateHire: true, hiredOn: '2024-12-31', active: false });
      await staff({ organizationId: o1, graduateHire: true, hiredOn: '2025-01-01' });
      await staff({ organizationId: o1, graduateHire: false, hiredOn: '2025-03-01' });
      await staff({ organizationId: o2, graduateHire: true, hiredOn: '2025-09-01' });
      await staff({ organizationId: o2, graduateHire: true, hiredOn: '2023-09-01' });
    });

    it('counts hires per district and year, and those still in post', async () => {
      const result = await hub.run<{ graduateHiresByDistrict: unknown[] }>(HIRES, { fromYear: 2024, toYear: 2025, districts: [gid('District', d1.districtId), gid('District', d2.districtId)] }, { viewer: hr });
      expect(result.errors).toBeUndefined();
      expect(result.data!.graduateHiresByDistrict).toEqual([
        { district: { id: gid('District', d1.districtId) }, year: 2024, hires: 2, stillActive: 1 },
        { district: { id: gid('District', d1.districtId) }, year: 2025, hires: 1, stillActive: 1 },
        { district: { id: gid('District', d2.districtId) }, year: 2025, hires: 1, stillActive: 1 },
      ]);
    });

    it('shows a district bureau only its own districts, and refuses a span of more than 10 years', async () => {
      const own = await hub.run<{ graduateHiresByDistrict: { district: { id: string } }[] }>(HIRES, { fromYear: 2020, toYear: 2025 }, { viewer: principal('cap-d1', Role.DISTRICT_CIVIL_AFFAIRS, { districtIds: [d1.districtId] }) });
      expect(new Set(own.data!.graduateHiresByDistrict.map((r) => r.district.id))).toEqual(new Set([gid('District', d1.districtId)]));
      const long = await hub.run(HIRES, { fromYear: 2010, toYear: 2025 }, { viewer: city });
      expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['fromYear'] });
    });
  });

  describe('report permissions', () => {
    it('refuses the reports to a provider rather than showing them empty', async () => {
      for (const query of [COMMITTEES, UNTRAINED, HIRES, OVERDUE]) {
        const result = await hub.run(query, {}, { viewer: provider });
        expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(result.data).toBeNull();
      }
    });

    it('lets HR and social security read graduate hire counts, but not staff lists or households', async () => {
      expect((await hub.run(HIRES, {}, { viewer: hr })).errors).toBeUndefined();
      for (const query of [COMMITTEES, UNTRAINED, OVERDUE]) expect((await hub.run(query, {}, { viewer: hr })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('periodic reviews of assisted households', () => {
    let h1: number;
    let h2: number;
    let notDue: number;
    let elsewhere: number;
    let reviewer: number;

    async function dueOn(householdId: number, day: string): Promise<void> {
      await hub.db.update(householdReviewSchedules).set({ nextReviewOn: day }).where(eq(householdReviewSchedules.householdId, householdId));
    }

    beforeAll(async () => {
      h1 = await makeHousehold(hub.db, s2);
      h2 = await makeHousehold(hub.db, s2);
      notDue = await makeHousehold(hub.db, s2);
      elsewhere = await makeHousehold(hub.db, t);
      reviewer = await makeCaseworker(hub.db, office2);
      await dueOn(h1, dayFromToday(-10));
      await dueOn(h2, dayFromToday(-40));
      await dueOn(elsewhere, dayFromToday(-100));
    });

    it('gives every household that gains an assistance status a first review date one interval on', async () => {
      const [schedule] = await hub.db.select().from(householdReviewSchedules).where(eq(householdReviewSchedules.householdId, notDue));
      // Minimum living allowance: six months (181 to 184 days).
      expect(schedule!.nextReviewOn! >= dayFromToday(180)).toBe(true);
      expect(schedule!.nextReviewOn! <= dayFromToday(184)).toBe(true);
    });

    it('lists overdue reviews oldest first, with household references only', async () => {
      const result = await hub.run<{ overdueHouseholdReviews: Page<{ household: { id: string }; daysOverdue: number; nextReviewOn: string }> }>(OVERDUE, { streets: [gid('Street', s2.streetId)] }, { viewer: city });
      expect(result.errors).toBeUndefined();
      expect(result.data!.overdueHouseholdReviews.nodes).toEqual([
        { household: { id: gid('Household', h2) }, daysOverdue: 40, nextReviewOn: dayFromToday(-40), lastReviewedOn: null },
        { household: { id: gid('Household', h1) }, daysOverdue: 10, nextReviewOn: dayFromToday(-10), lastReviewedOn: null },
      ]);
      const firstPage = await hub.run<{ overdueHouseholdReviews: Page<{ household: { id: string } }> }>(OVERDUE, { streets: [gid('Street', s2.streetId)], first: 1 }, { viewer: city });
      const next = await hub.run<{ overdueHouseholdReviews: Page<{ household: { id: string } }> }>(OVERDUE, { streets: [gid('Street', s2.streetId)], first: 1, after: firstPage.data!.overdueHouseholdReviews.pageInfo!.endCursor }, { viewer: city });
      expect(next.data!.overdueHouseholdReviews.nodes.map((n) => n.household.id)).toEqual([gid('Household', h1)]);
    });

    it('shows a street officer only the households of its streets', async () => {
      const street2 = principal('cap-street-2', Role.STREET_OFFICER, { streetIds: [s2.streetId] });
      const result = await hub.run<{ overdueHouseholdReviews: Page<{ household: { id: string } }> }>(OVERDUE, { first: 100 }, { viewer: street2 });
      const ids = result.data!.overdueHouseholdReviews.nodes.map((n) => n.household.id);
      expect(ids).toEqual([gid('Household', h2), gid('Household', h1)]);
      const mine = await hub.run<{ overdueHouseholdReviews: Page<unknown> }>(OVERDUE, { first: 100 }, { viewer: street1 });
      expect(mine.data!.overdueHouseholdReviews.nodes).toEqual([]);
    });

    it('records a review, sets the next date one interval on, and takes the household off the overdue list', async () => {
      const reviewedOn = dayFromToday(-1);
      const result = await hub.run<{ recordHouseholdReview: { review: Record<string, unknown>; schedule: Record<string, unknown>; userErrors: UserError[] } }>(
        REVIEW,
        { input: { household: gid('Household', h2), reviewedOn, outcome: 'CONTINUED', reviewer: gid('StaffMember', reviewer) } },
        { viewer: principal('cap-street-2', Role.STREET_OFFICER, { streetIds: [s2.streetId] }) },
      );
      expect(result.data!.recordHouseholdReview.userErrors).toEqual([]);
      const next = result.data!.recordHouseholdReview.review.nextReviewOn as string;
      expect(next > dayFromToday(170) && next <= dayFromToday(190)).toBe(true);
      expect(result.data!.recordHouseholdReview.schedule).toEqual({ nextReviewOn: next, lastReviewedOn: reviewedOn });
      const list = await hub.run<{ overdueHouseholdReviews: Page<{ household: { id: string } }> }>(OVERDUE, { streets: [gid('Street', s2.streetId)] }, { viewer: city });
      expect(list.data!.overdueHouseholdReviews.nodes.map((n) => n.household.id)).toEqual([gid('Household', h1)]);
    });

    it('leaves no review due after a TERMINATED review', async () => {
      const result = await hub.run<{ recordHouseholdReview: { review: { nextReviewOn: string | null }; schedule: { nextReviewOn: string | null } } }>(
        REVIEW,
        { input: { household: gid('Household', elsewhere), reviewedOn: todayInShanghai(), outcome: 'TERMINATED' } },
        { viewer: city },
      );
      expect(result.data!.recordHouseholdReview.review.nextReviewOn).toBeNull();
      expect(result.data!.recordHouseholdReview.schedule.nextReviewOn).toBeNull();
    });

    it('names the fields at fault of a bad review, writes nothing, and refuses other streets', async () => {
      const [before] = await hub.db.select({ n: count() }).from(householdReviews);
      const bad = await hub.run<{ recordHouseholdReview: { review: null; userErrors: UserError[] } }>(
        REVIEW,
        { input: { household: gid('Household', h1), reviewedOn: dayFromToday(1), outcome: 'CONTINUED', nextReviewOn: dayFromToday(-5), reviewer: gid('StaffMember', 999999) } },
        { viewer: city },
      );
      expect(bad.data!.recordHouseholdReview.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([
        ['input.reviewedOn', 'OUT_OF_RANGE'],
        ['input.reviewer', 'NOT_FOUND'],
        ['input.nextReviewOn', 'OUT_OF_RANGE'],
      ]);
      const [after] = await hub.db.select({ n: count() }).from(householdReviews);
      expect(after!.n).toBe(before!.n);
      const refused = await hub.run(REVIEW, { input: { household: gid('Household', h1), reviewedOn: todayInShanghai(), outcome: 'CONTINUED' } }, { viewer: street1 });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  it('lists training sessions for everyone, with the catalogue item they were bought under', async () => {
    const category = (await categoryIds(hub.db)).STAFF_TRAINING!;
    const created = await hub.run<{ createTrainingSession: { trainingSession: { id: string; category: { code: string } } } }>(
      CREATE_SESSION,
      { input: { title: '案例分析', organizer: gid('Organization', office1), heldOn: '2026-03-03', district: gid('District', t.districtId), hours: 4, category: gid('ServiceCategory', category) } },
      { viewer: city },
    );
    expect(created.data!.createTrainingSession.trainingSession.category.code).toBe('STAFF_TRAINING');
    const listed = await hub.run<{ trainingSessions: Page<{ id: string }> }>(`{ trainingSessions(districts: ["${gid('District', t.districtId)}"]) { nodes { id } } }`, {}, { viewer: { ...city, subject: null, roles: [] } });
    expect(listed.data!.trainingSessions.nodes.map((n) => n.id)).toEqual([created.data!.createTrainingSession.trainingSession.id]);
  });
});
