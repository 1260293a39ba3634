import { and, count, eq, sql } from 'drizzle-orm';
import { makeResidentId, residentIdCheckChar } from '../../src/common/resident-id';
import type { Database } from '../../src/db/client';
import { cases, households, persons, staffMembers } from '../../src/db/schema';
import { categoryIds, gid, makeCaseworker, makeHousehold, makeNeed, makePlace, makeProvider, makeStreetOffice, type Place } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';

/** Households, their members and their cases: registration, case opening and the lists. */

interface UserError {
  field: string[];
  code: string;
  message: string;
}
interface PersonOut {
  name: string;
  idNumber: string;
  phone: string | null;
  sex: string;
  age: number;
  relation: string;
  attributes: string[];
}
interface HouseholdOut {
  id: string;
  address: string;
  assistanceStatuses: string[];
  memberCount: number;
  committee: { id: string };
  registeredCommittee: { id: string };
  street: { id: string };
  district: { id: string };
  persons: { totalCount: number; nodes: PersonOut[] };
}
interface MemberIn {
  name: string;
  idNumber: string;
  phone?: string | null;
  relation: string;
  attributes?: string[];
}

const REGISTER = `mutation Register($input: RegisterHouseholdInput!) {
  registerHousehold(input: $input) {
    household {
      id address assistanceStatuses memberCount
      committee { id } registeredCommittee { id } street { id } district { id }
      persons(first: 20) { totalCount nodes { name idNumber phone sex age relation attributes } }
    }
    userErrors { field code message }
  }
}`;

const OPEN_CASE = `mutation Open($input: OpenCaseInput!) {
  openCase(input: $input) {
    case { id status summary closedAt ownerStreet { id } ownerOrganization { id } caseworker { id } household { id } }
    userErrors { field code message }
  }
}`;

/** Valid resident IDs of Pudong (310115), unique in this file; the sequence's parity gives the sex. */
let idSequence = 0;
function residentId(birthDate: string, sex: 'MALE' | 'FEMALE' = 'MALE'): string {
  idSequence += 1;
  return makeResidentId({ areaCode: '310115', birthDate, sequence: (idSequence * 2 + (sex === 'MALE' ? 1 : 0)) % 1000 });
}
/** A valid resident ID whose check character is X. */
function residentIdEndingInX(birthDate: string): string {
  for (;;) {
    const id = residentId(birthDate);
    if (id.endsWith('X')) return id;
  }
}
/** The same number with a wrong check character. */
function withWrongCheckDigit(id: string): string {
  return id.slice(0, 17) + (id.endsWith('1') ? '2' : '1');
}

/** 17 digits and their correct check character: valid in form, whatever else is wrong. */
function withCheckChar(first17: string): string {
  return first17 + residentIdCheckChar(first17);
}

function ageToday(birthDate: string): number {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

async function rowCounts(db: Database): Promise<{ households: number; persons: number; cases: number }> {
  const [h] = await db.select({ n: count() }).from(households);
  const [p] = await db.select({ n: count() }).from(persons);
  const [c] = await db.select({ n: count() }).from(cases);
  return { households: Number(h!.n), persons: Number(p!.n), cases: Number(c!.n) };
}

async function makeStaff(db: Database, organizationId: number, position: 'CASEWORKER' | 'SOCIAL_WORKER' | 'OFFICER' | 'MANAGER', active = true): Promise<number> {
  const [row] = await db.insert(staffMembers).values({ organizationId, position, name: `职员${position}${organizationId}`, active }).returning();
  return row!.id;
}

describe('households and cases', () => {
  let hub: TestHub;
  /** Where households live (street A) and where they are registered (street B), in one district. */
  let livePlace: Place;
  let registeredPlace: Place;
  let officeA: number;
  let officeB: number;

  beforeAll(async () => {
    hub = await startTestHub();
    livePlace = await makePlace(hub.db);
    registeredPlace = await makePlace(hub.db, { districtId: livePlace.districtId });
    officeA = await makeStreetOffice(hub.db, livePlace);
    officeB = await makeStreetOffice(hub.db, registeredPlace);
  });

  afterAll(() => hub.close());

  async function register(input: Record<string, unknown>): Promise<{ household: HouseholdOut | null; userErrors: UserError[] }> {
    const result = await hub.run<{ registerHousehold: { household: HouseholdOut | null; userErrors: UserError[] } }>(REGISTER, { input });
    expect(result.errors).toBeUndefined();
    return result.data!.registerHousehold;
  }

  /** Registers a one-person household and returns its ID. */
  async function registerSimple(committeeId: number, registeredCommitteeId?: number, statuses: string[] = []): Promise<string> {
    const outcome = await register({
      committee: gid('Committee', committeeId),
      registeredCommittee: registeredCommitteeId === undefined ? null : gid('Committee', registeredCommitteeId),
      address: '浦东新区测试路8号',
      assistanceStatuses: statuses,
      members: [{ name: '王五', idNumber: residentId('1970-03-03'), relation: 'HEAD' }],
    });
    expect(outcome.userErrors).toEqual([]);
    return outcome.household!.id;
  }

  async function openCase(input: { household: string; caseworker: string; summary?: string }) {
    const result = await hub.run<{ openCase: { case: Record<string, unknown> | null; userErrors: UserError[] } }>(OPEN_CASE, { input });
    expect(result.errors).toBeUndefined();
    return result.data!.openCase;
  }

  const errorShape = (errors: UserError[]): { field: string[]; code: string }[] => errors.map(({ field, code }) => ({ field, code }));

  describe('registerHousehold', () => {
    /** Personal data that no error message may repeat. */
    const secrets: string[] = [];

    /** Runs a refused registration: checks nothing was written and no message repeats personal data. */
    async function refused(input: Record<string, unknown>): Promise<UserError[]> {
      const before = await rowCounts(hub.db);
      const outcome = await register(input);
      expect(outcome.household).toBeNull();
      expect(outcome.userErrors.length).toBeGreaterThan(0);
      expect(await rowCounts(hub.db)).toEqual(before);
      const members = (input.members ?? []) as MemberIn[];
      for (const error of outcome.userErrors) {
        for (const member of members) {
          expect(error.message).not.toContain(member.name);
          expect(error.message).not.toContain(member.idNumber.slice(0, 17));
          expect(error.message.toUpperCase()).not.toContain(member.idNumber.toUpperCase());
          const digits = (member.phone ?? '').replace(/\D/g, '');
          if (digits.length >= 4) expect(error.message).not.toContain(digits.slice(-8));
        }
        for (const secret of secrets) expect(error.message).not.toContain(secret);
      }
      return outcome.userErrors;
    }

    const validMembers = (): MemberIn[] => [
      { name: '张三丰', idNumber: residentId('1950-01-01', 'MALE'), phone: '13812345678', relation: 'HEAD' },
      { name: '李秀英', idNumber: residentId('1952-07-20', 'FEMALE'), phone: '021-12345678', relation: 'SPOUSE' },
    ];
    const baseInput = (members: MemberIn[]): Record<string, unknown> => ({ committee: gid('Committee', livePlace.committeeId), address: '上海市浦东新区张杨路100号', members });

    it('registers a household with its members, masking names, ID numbers and phones and deriving sex and age', async () => {
      const head = { name: '张三丰', idNumber: residentId('1950-01-01', 'MALE'), phone: '+86 13812345678', relation: 'HEAD', attributes: ['ELDERLY_LIVING_ALONE', 'MINOR'] };
      const spouse = { name: '李秀英', idNumber: residentId('1952-07-20', 'FEMALE'), phone: '021-12345678', relation: 'SPOUSE' };
      const childId = residentIdEndingInX('2015-06-15');
      const child = { name: '张小', idNumber: childId.toLowerCase(), phone: null, relation: 'CHILD', attributes: [] };
      secrets.push(head.idNumber, spouse.idNumber, childId);
      const before = await rowCounts(hub.db);
      const outcome = await register({
        committee: gid('Committee', livePlace.committeeId),
        registeredCommittee: gid('Committee', registeredPlace.committeeId),
        address: '上海市浦东新区张杨路100号',
        assistanceStatuses: ['LOW_INCOME', 'MINIMUM_LIVING_ALLOWANCE', 'LOW_INCOME'],
        members: [head, spouse, child],
      });
      expect(outcome.userErrors).toEqual([]);
      const household = outcome.household!;
      expect(household).toMatchObject({
        address: '上海市浦东新********',
        memberCount: 3,
        committee: { id: gid('Committee', livePlace.committeeId) },
        registeredCommittee: { id: gid('Committee', registeredPlace.committeeId) },
        street: { id: gid('Street', livePlace.streetId) },
        district: { id: gid('District', livePlace.districtId) },
      });
      expect([...household.assistanceStatuses].sort()).toEqual(['LOW_INCOME', 'MINIMUM_LIVING_ALLOWANCE']);
      expect(household.persons.totalCount).toBe(3);
      expect(household.persons.nodes).toEqual([
        { name: '张**', idNumber: `310***********${head.idNumber.slice(-4)}`, phone: '138****5678', sex: 'MALE', age: ageToday('1950-01-01'), relation: 'HEAD', attributes: ['ELDERLY_LIVING_ALONE'] },
        { name: '李**', idNumber: `310***********${spouse.idNumber.slice(-4)}`, phone: '021-******78', sex: 'FEMALE', age: ageToday('1952-07-20'), relation: 'SPOUSE', attributes: [] },
        { name: '张*', idNumber: `310***********${childId.slice(-4)}`, phone: null, sex: 'MALE', age: ageToday('2015-06-15'), relation: 'CHILD', attributes: ['MINOR'] },
      ]);
      expect(household.persons.nodes[2]!.idNumber).toMatch(/X$/);
      expect(await rowCounts(hub.db)).toEqual({ ...before, households: before.households + 1, persons: before.persons + 3 });
      // Stored in clear and normalised, for the access layer to come.
      const stored = await hub.db.select().from(persons).where(eq(persons.idNumber, childId));
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ name: '张小', idNumber: childId, birthDate: '2015-06-15', sex: 'MALE' });
      const [storedHead] = await hub.db.select().from(persons).where(eq(persons.idNumber, head.idNumber));
      expect(storedHead!.phone).toBe('13812345678');
    });

    it('defaults the registered committee to the committee of residence', async () => {
      const outcome = await register(baseInput([{ name: '赵六', idNumber: residentId('1980-02-02'), relation: 'HEAD' }]));
      expect(outcome.userErrors).toEqual([]);
      expect(outcome.household!.registeredCommittee.id).toBe(gid('Committee', livePlace.committeeId));
    });

    it('refuses a member whose ID number fails the GB 11643 check digit, on ["input","members","1","idNumber"]', async () => {
      const members = validMembers();
      members[1]!.idNumber = withWrongCheckDigit(members[1]!.idNumber);
      const errors = await refused(baseInput(members));
      expect(errorShape(errors)).toEqual([{ field: ['input', 'members', '1', 'idNumber'], code: 'INVALID' }]);
    });

    it.each([
      ['an impossible birth date', withCheckChar('31011519500230001')],
      ['a birth date in the future', withCheckChar('31011520991231001')],
      ['a birth date before 1900', withCheckChar('31011518991231001')],
      ['an unknown province', withCheckChar('99011519500101001')],
      ['17 characters', '31011519500101001'],
    ])('refuses an ID number with %s as INVALID', async (_label, badId) => {
      const members = validMembers();
      members[0]!.idNumber = badId;
      const errors = await refused(baseInput(members));
      expect(errorShape(errors)).toEqual([{ field: ['input', 'members', '0', 'idNumber'], code: 'INVALID' }]);
    });

    it.each(['12345', '1381234567', '23812345678', '+1 2025550123', '021-123', 'call me'])('refuses the phone %j on ["input","members","0","phone"]', async (phone) => {
      const members = validMembers();
      members[0]!.phone = phone;
      const errors = await refused(baseInput(members));
      expect(errorShape(errors)).toEqual([{ field: ['input', 'members', '0', 'phone'], code: 'INVALID' }]);
    });

    it('refuses members without a HEAD', async () => {
      const members = validMembers();
      members[0]!.relation = 'SPOUSE';
      members[1]!.relation = 'CHILD';
      const errors = await refused(baseInput(members));
      expect(errorShape(errors)).toEqual([{ field: ['input', 'members'], code: 'INVALID' }]);
    });

    it('refuses two HEADs', async () => {
      const members = validMembers();
      members[1]!.relation = 'HEAD';
      const errors = await refused(baseInput(members));
      expect(errorShape(errors)).toEqual([{ field: ['input', 'members'], code: 'INVALID' }]);
    });

    it('refuses an empty member list as REQUIRED', async () => {
      const errors = await refused(baseInput([]));
      expect(errorShape(errors)).toEqual([{ field: ['input', 'members'], code: 'REQUIRED' }]);
    });

    it('refuses the same ID number twice in one input as CONFLICT on the later member, also in lower case', async () => {
      const head = { name: '钱七', idNumber: residentIdEndingInX('1960-01-01'), relation: 'HEAD' };
      const members = [head, { name: '孙八', idNumber: residentId('1961-01-01'), relation: 'SPOUSE' }, { name: '钱七七', idNumber: head.idNumber.toLowerCase(), relation: 'CHILD' }];
      const errors = await refused(baseInput(members));
      expect(errorShape(errors)).toEqual([{ field: ['input', 'members', '2', 'idNumber'], code: 'CONFLICT' }]);
    });

    it('refuses an ID number already registered in the hub as CONFLICT', async () => {
      const existing = { name: '周九', idNumber: residentId('1975-05-05'), relation: 'HEAD' };
      expect((await register(baseInput([existing]))).userErrors).toEqual([]);
      secrets.push(existing.idNumber);
      const members = [{ name: '吴十', idNumber: residentId('1976-06-06'), relation: 'HEAD' }, { ...existing, name: '周九九', relation: 'SIBLING' }];
      const errors = await refused(baseInput(members));
      expect(errorShape(errors)).toEqual([{ field: ['input', 'members', '1', 'idNumber'], code: 'CONFLICT' }]);
      expect(await hub.db.select({ n: count() }).from(persons).where(eq(persons.idNumber, existing.idNumber))).toEqual([{ n: 1 }]);
    });

    it('lists every problem at once', async () => {
      const members = validMembers();
      members[0]!.phone = '555';
      members[1]!.idNumber = withWrongCheckDigit(members[1]!.idNumber);
      members[1]!.relation = 'HEAD';
      members.push({ name: '   ', idNumber: residentId('1990-09-09'), relation: 'CHILD' });
      const errors = await refused({ ...baseInput(members), committee: gid('Committee', 999_999), address: '  ' });
      expect(errorShape(errors)).toEqual(
        expect.arrayContaining([
          { field: ['input', 'committee'], code: 'NOT_FOUND' },
          { field: ['input', 'address'], code: 'REQUIRED' },
          { field: ['input', 'members'], code: 'INVALID' },
          { field: ['input', 'members', '0', 'phone'], code: 'INVALID' },
          { field: ['input', 'members', '1', 'idNumber'], code: 'INVALID' },
          { field: ['input', 'members', '2', 'name'], code: 'REQUIRED' },
        ]),
      );
      expect(errors).toHaveLength(6);
    });

    it.each([
      ['an unknown committee', () => gid('Committee', 999_999)],
      ['the ID of a District', () => gid('District', livePlace.districtId)],
      ['garbage', () => 'committee-1'],
    ])('refuses %s as committee with NOT_FOUND', async (_label, committee) => {
      const errors = await refused({ ...baseInput(validMembers()), committee: committee() });
      expect(errorShape(errors)).toEqual([{ field: ['input', 'committee'], code: 'NOT_FOUND' }]);
    });
  });

  describe('openCase', () => {
    let caseworkerA: number;
    let caseworkerB: number;
    let socialWorkerB: number;

    beforeAll(async () => {
      caseworkerA = await makeCaseworker(hub.db, officeA);
      caseworkerB = await makeCaseworker(hub.db, officeB);
      socialWorkerB = await makeStaff(hub.db, officeB, 'SOCIAL_WORKER');
    });

    /** Checks a refusal wrote no case. */
    async function refusedCase(input: { household: string; caseworker: string; summary?: string }): Promise<UserError[]> {
      const before = await rowCounts(hub.db);
      const outcome = await openCase(input);
      expect(outcome.case).toBeNull();
      expect(await rowCounts(hub.db)).toEqual(before);
      return outcome.userErrors;
    }

    it('opens a case owned by the street of the REGISTERED committee and its street office', async () => {
      const household = await registerSimple(livePlace.committeeId, registeredPlace.committeeId);
      const outcome = await openCase({ household, caseworker: gid('StaffMember', caseworkerB), summary: '  独居老人，需要助餐  ' });
      expect(outcome.userErrors).toEqual([]);
      expect(outcome.case).toEqual({
        id: expect.any(String),
        status: 'OPEN',
        summary: '独居老人，需要助餐',
        closedAt: null,
        ownerStreet: { id: gid('Street', registeredPlace.streetId) },
        ownerOrganization: { id: gid('Organization', officeB) },
        caseworker: { id: gid('StaffMember', caseworkerB) },
        household: { id: household },
      });
    });

    it('lets an active social worker of the competent street own a case', async () => {
      const household = await registerSimple(livePlace.committeeId, registeredPlace.committeeId);
      const outcome = await openCase({ household, caseworker: gid('StaffMember', socialWorkerB) });
      expect(outcome.userErrors).toEqual([]);
      expect(outcome.case).toMatchObject({ status: 'OPEN', summary: null, ownerStreet: { id: gid('Street', registeredPlace.streetId) } });
    });

    it('refuses a caseworker of the street where the household lives but is not registered, as OUT_OF_RANGE', async () => {
      const household = await registerSimple(livePlace.committeeId, registeredPlace.committeeId);
      const errors = await refusedCase({ household, caseworker: gid('StaffMember', caseworkerA) });
      expect(errorShape(errors)).toEqual([{ field: ['input', 'caseworker'], code: 'OUT_OF_RANGE' }]);
    });

    it('refuses a caseworker of an organization without a street (a provider) as OUT_OF_RANGE', async () => {
      const household = await registerSimple(registeredPlace.committeeId);
      const providerWorker = await makeStaff(hub.db, await makeProvider(hub.db), 'SOCIAL_WORKER');
      const errors = await refusedCase({ household, caseworker: gid('StaffMember', providerWorker) });
      expect(errorShape(errors)).toEqual([{ field: ['input', 'caseworker'], code: 'OUT_OF_RANGE' }]);
    });

    it('refuses an inactive caseworker on ["input","caseworker"]', async () => {
      const household = await registerSimple(registeredPlace.committeeId);
      const inactive = await makeCaseworker(hub.db, officeB, { active: false });
      const errors = await refusedCase({ household, caseworker: gid('StaffMember', inactive) });
      expect(errorShape(errors)).toEqual([{ field: ['input', 'caseworker'], code: 'INVALID' }]);
    });

    it.each(['OFFICER', 'MANAGER'] as const)('refuses staff in position %s on ["input","caseworker"]', async (position) => {
      const household = await registerSimple(registeredPlace.committeeId);
      const staff = await makeStaff(hub.db, officeB, position);
      const errors = await refusedCase({ household, caseworker: gid('StaffMember', staff) });
      expect(errorShape(errors)).toEqual([{ field: ['input', 'caseworker'], code: 'INVALID' }]);
    });

    it('refuses a second open case for the same household with CONFLICT on ["input","household"]', async () => {
      const household = await registerSimple(registeredPlace.committeeId);
      expect((await openCase({ household, caseworker: gid('StaffMember', caseworkerB) })).userErrors).toEqual([]);
      const errors = await refusedCase({ household, caseworker: gid('StaffMember', socialWorkerB) });
      expect(errorShape(errors)).toEqual([{ field: ['input', 'household'], code: 'CONFLICT' }]);
      const householdKey = Number(Buffer.from(household, 'base64url').toString().split(':')[1]);
      const open = await hub.db.select({ n: count() }).from(cases).where(and(eq(cases.householdId, householdKey), eq(cases.status, 'OPEN')));
      expect(open).toEqual([{ n: 1 }]);
    });

    it('opens a new case once the previous one is closed', async () => {
      const household = await registerSimple(registeredPlace.committeeId);
      const first = await openCase({ household, caseworker: gid('StaffMember', caseworkerB) });
      const firstKey = Number(Buffer.from(first.case!.id as string, 'base64url').toString().split(':')[1]);
      await hub.db.update(cases).set({ status: 'CLOSED', closedAt: new Date() }).where(eq(cases.id, firstKey));
      const second = await openCase({ household, caseworker: gid('StaffMember', caseworkerB) });
      expect(second.userErrors).toEqual([]);
      expect(second.case!.id).not.toBe(first.case!.id);
    });

    it.each([
      ['an unknown household', () => gid('Household', 999_999), () => gid('StaffMember', caseworkerB), ['input', 'household']],
      ['a Person ID as household', () => gid('Person', 1), () => gid('StaffMember', caseworkerB), ['input', 'household']],
      ['an unknown caseworker', null, () => gid('StaffMember', 999_999), ['input', 'caseworker']],
      ['an Organization ID as caseworker', null, () => gid('Organization', officeB), ['input', 'caseworker']],
    ] as const)('refuses %s with NOT_FOUND', async (_label, householdId, caseworker, field) => {
      const household = householdId ? householdId() : await registerSimple(registeredPlace.committeeId);
      const errors = await refusedCase({ household, caseworker: caseworker() });
      expect(errorShape(errors)).toEqual([{ field: [...field], code: 'NOT_FOUND' }]);
    });

    it('lists every problem of the caseworker at once', async () => {
      const household = await registerSimple(livePlace.committeeId, registeredPlace.committeeId);
      const retiredOfficerA = await makeStaff(hub.db, officeA, 'OFFICER', false);
      const errors = await refusedCase({ household, caseworker: gid('StaffMember', retiredOfficerA), summary: '长'.repeat(2001) });
      expect(errorShape(errors)).toEqual([
        { field: ['input', 'caseworker'], code: 'INVALID' },
        { field: ['input', 'caseworker'], code: 'INVALID' },
        { field: ['input', 'caseworker'], code: 'OUT_OF_RANGE' },
        { field: ['input', 'summary'], code: 'INVALID' },
      ]);
    });
  });

  describe('households and cases lists', () => {
    // A district of its own, so other tests' rows do not show up in its lists.
    let p1: Place; // street 1, committee 1
    let p2: Place; // street 1, committee 2
    let p3: Place; // street 2
    let h: Record<'a' | 'b' | 'c' | 'd', number>;
    let worker1: number;
    let worker3: number;
    const caseIds: Record<string, number> = {};
    let categoryId: number;

    beforeAll(async () => {
      p1 = await makePlace(hub.db);
      p2 = await makePlace(hub.db, { districtId: p1.districtId, streetId: p1.streetId });
      p3 = await makePlace(hub.db, { districtId: p1.districtId });
      h = {
        a: await makeHousehold(hub.db, p1, 2),
        b: await makeHousehold(hub.db, p2, 3),
        c: await makeHousehold(hub.db, p3, 1),
        d: await makeHousehold(hub.db, p3, 1),
      };
      await hub.db.update(households).set({ assistanceStatuses: ['LOW_INCOME'] }).where(eq(households.id, h.b));
      await hub.db.update(households).set({ assistanceStatuses: ['EXTREME_POVERTY_SUPPORT', 'LOW_INCOME'] }).where(eq(households.id, h.c));
      await hub.db.update(households).set({ assistanceStatuses: [] }).where(eq(households.id, h.d));
      worker1 = await makeCaseworker(hub.db, await makeStreetOffice(hub.db, p1));
      worker3 = await makeCaseworker(hub.db, await makeStreetOffice(hub.db, p3));
      const insertCase = async (name: string, householdId: number, streetId: number, caseworkerId: number, status: 'OPEN' | 'CLOSED') => {
        const [row] = await hub.db
          .insert(cases)
          .values({ householdId, ownerStreetId: streetId, caseworkerId, status, closedAt: status === 'CLOSED' ? new Date() : null })
          .returning();
        caseIds[name] = row!.id;
      };
      await insertCase('aClosed', h.a, p1.streetId, worker1, 'CLOSED');
      await insertCase('aOpen', h.a, p1.streetId, worker3, 'OPEN');
      await insertCase('bOpen', h.b, p1.streetId, worker1, 'OPEN');
      await insertCase('cOpen', h.c, p3.streetId, worker3, 'OPEN');
      categoryId = Object.values(await categoryIds(hub.db))[0]!;
      for (let i = 0; i < 3; i += 1) await makeNeed(hub.db, h.a, p1, categoryId);
      await makeNeed(hub.db, h.b, p2, categoryId);
    });

    async function householdIds(args: Record<string, unknown>): Promise<string[]> {
      const result = await hub.run<{ households: { totalCount: number; nodes: { id: string }[] } }>(
        `query($district: ID, $street: ID, $committee: ID, $assistanceStatus: AssistanceStatus) {
          households(district: $district, street: $street, committee: $committee, assistanceStatus: $assistanceStatus, first: 100) { totalCount nodes { id } }
        }`,
        args,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.households.totalCount).toBe(result.data!.households.nodes.length);
      return result.data!.households.nodes.map((n) => n.id);
    }
    const hh = (...keys: ('a' | 'b' | 'c' | 'd')[]): string[] => keys.map((k) => gid('Household', h[k]));

    it('filters households by district, street and committee, in registration order', async () => {
      expect(await householdIds({ district: gid('District', p1.districtId) })).toEqual(hh('a', 'b', 'c', 'd'));
      expect(await householdIds({ street: gid('Street', p1.streetId) })).toEqual(hh('a', 'b'));
      expect(await householdIds({ street: gid('Street', p3.streetId) })).toEqual(hh('c', 'd'));
      expect(await householdIds({ committee: gid('Committee', p2.committeeId) })).toEqual(hh('b'));
      expect(await householdIds({ district: gid('District', p1.districtId), committee: gid('Committee', p3.committeeId) })).toEqual(hh('c', 'd'));
      expect(await householdIds({ street: gid('Street', p3.streetId), committee: gid('Committee', p1.committeeId) })).toEqual([]);
    });

    it('filters households by assistance status', async () => {
      const inDistrict = { district: gid('District', p1.districtId) };
      expect(await householdIds({ ...inDistrict, assistanceStatus: 'LOW_INCOME' })).toEqual(hh('b', 'c'));
      expect(await householdIds({ ...inDistrict, assistanceStatus: 'MINIMUM_LIVING_ALLOWANCE' })).toEqual(hh('a'));
      expect(await householdIds({ ...inDistrict, assistanceStatus: 'EXTREME_POVERTY_SUPPORT' })).toEqual(hh('c'));
      expect(await householdIds({ ...inDistrict, assistanceStatus: 'EXPENDITURE_POVERTY' })).toEqual([]);
      const citywide = await householdIds({ assistanceStatus: 'LOW_INCOME' });
      expect(citywide).toEqual(expect.arrayContaining(hh('b', 'c')));
      expect(citywide).not.toContain(gid('Household', h.a));
      expect(citywide).not.toContain(gid('Household', h.d));
    });

    it.each([
      ['district', () => gid('Street', p1.streetId)],
      ['street', () => gid('District', p1.districtId)],
      ['committee', () => 'nonsense'],
    ])('refuses a wrong ID for the %s filter with BAD_USER_INPUT', async (name, id) => {
      const result = await hub.run(`query($id: ID) { households(${name}: $id) { totalCount } }`, { id: id() });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: [name] });
    });

    async function caseIdsOf(args: Record<string, unknown>): Promise<string[]> {
      const result = await hub.run<{ cases: { totalCount: number; nodes: { id: string }[] } }>(
        `query($status: CaseStatus, $ownerStreet: ID, $caseworker: ID, $household: ID) {
          cases(status: $status, ownerStreet: $ownerStreet, caseworker: $caseworker, household: $household, first: 100) { totalCount nodes { id } }
        }`,
        args,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.cases.totalCount).toBe(result.data!.cases.nodes.length);
      return result.data!.cases.nodes.map((n) => n.id);
    }
    const cc = (...names: string[]): string[] => names.map((name) => gid('Case', caseIds[name]!));

    it('filters cases by owner street, caseworker, household and status, oldest first', async () => {
      expect(await caseIdsOf({ ownerStreet: gid('Street', p1.streetId) })).toEqual(cc('aClosed', 'aOpen', 'bOpen'));
      expect(await caseIdsOf({ ownerStreet: gid('Street', p1.streetId), status: 'OPEN' })).toEqual(cc('aOpen', 'bOpen'));
      expect(await caseIdsOf({ ownerStreet: gid('Street', p1.streetId), status: 'CLOSED' })).toEqual(cc('aClosed'));
      expect(await caseIdsOf({ caseworker: gid('StaffMember', worker3) })).toEqual(cc('aOpen', 'cOpen'));
      expect(await caseIdsOf({ caseworker: gid('StaffMember', worker1), status: 'OPEN' })).toEqual(cc('bOpen'));
      expect(await caseIdsOf({ household: gid('Household', h.a) })).toEqual(cc('aClosed', 'aOpen'));
      expect(await caseIdsOf({ household: gid('Household', h.a), caseworker: gid('StaffMember', worker1) })).toEqual(cc('aClosed'));
      expect(await caseIdsOf({ household: gid('Household', h.d) })).toEqual([]);
      const closed = await caseIdsOf({ status: 'CLOSED' });
      expect(closed).toContain(cc('aClosed')[0]);
      expect(closed).not.toEqual(expect.arrayContaining(cc('aOpen')));
    });

    it('refuses a wrong ID for a cases filter with BAD_USER_INPUT naming the argument', async () => {
      const result = await hub.run(`query($id: ID) { cases(caseworker: $id) { totalCount } }`, { id: gid('Organization', 1) });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['caseworker'] });
    });

    const HOUSEHOLD_DETAIL = `query($district: ID, $first: Int) {
      households(district: $district, first: $first) {
        nodes { id memberCount persons { totalCount } needs { totalCount } cases { totalCount nodes { status caseworker { name } } } }
      }
    }`;

    it('gives a household its persons, needs and cases (with caseworkers) and memberCount', async () => {
      const result = await hub.run<{
        households: { nodes: { id: string; memberCount: number; persons: { totalCount: number }; needs: { totalCount: number }; cases: { totalCount: number; nodes: { status: string; caseworker: { name: string } }[] } }[] };
      }>(HOUSEHOLD_DETAIL, { district: gid('District', p1.districtId), first: 10 });
      expect(result.errors).toBeUndefined();
      const names = Object.fromEntries(
        (await hub.db.select({ id: staffMembers.id, name: staffMembers.name }).from(staffMembers).where(sql`${staffMembers.id} in (${worker1}, ${worker3})`)).map((r) => [r.id, r.name]),
      );
      expect(result.data!.households.nodes).toEqual([
        {
          id: gid('Household', h.a),
          memberCount: 2,
          persons: { totalCount: 2 },
          needs: { totalCount: 3 },
          cases: { totalCount: 2, nodes: [{ status: 'CLOSED', caseworker: { name: names[worker1] } }, { status: 'OPEN', caseworker: { name: names[worker3] } }] },
        },
        { id: gid('Household', h.b), memberCount: 3, persons: { totalCount: 3 }, needs: { totalCount: 1 }, cases: { totalCount: 1, nodes: [{ status: 'OPEN', caseworker: { name: names[worker1] } }] } },
        { id: gid('Household', h.c), memberCount: 1, persons: { totalCount: 1 }, needs: { totalCount: 0 }, cases: { totalCount: 1, nodes: [{ status: 'OPEN', caseworker: { name: names[worker3] } }] } },
        { id: gid('Household', h.d), memberCount: 1, persons: { totalCount: 1 }, needs: { totalCount: 0 }, cases: { totalCount: 0, nodes: [] } },
      ]);
    });

    it('costs the same number of statements for one household as for four', async () => {
      const one = await hub.run(HOUSEHOLD_DETAIL, { district: gid('District', p1.districtId), first: 1 });
      const four = await hub.run(HOUSEHOLD_DETAIL, { district: gid('District', p1.districtId), first: 4 });
      expect(one.errors).toBeUndefined();
      expect(four.errors).toBeUndefined();
      expect(four.statements).toBe(one.statements);
      expect(four.statements).toBeLessThanOrEqual(10);
    });
  });
});
