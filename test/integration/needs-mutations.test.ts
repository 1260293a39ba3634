import { count, eq } from 'drizzle-orm';
import { cases, needs, serviceCategories } from '../../src/db/schema';
import { startTestHub, type TestHub } from '../support/hub';
import { categoryIds, gid, makeCaseworker, makeHousehold, makeNeed, makePlace, makeStreetOffice, type Place } from '../support/factories';

/**
 * Needs (需求): recording, changing and withdrawing them through the API, and listing them with
 * filters and orderings. A refused mutation answers userErrors with the exact field path and
 * code, and writes nothing.
 */

interface UserError {
  field: string[];
  code: string;
  message: string;
}

interface NeedNode {
  id: string;
  urgency: 'CRITICAL' | 'HIGH' | 'NORMAL' | 'LOW';
  units: number;
  earliestStart: string;
  deadline: string | null;
  status: 'OPEN' | 'MATCHED' | 'FULFILLED' | 'WITHDRAWN';
  notes: string | null;
  withdrawalReason: string | null;
  createdAt: string;
  updatedAt: string;
  household: { id: string };
  case: { id: string; status: string } | null;
  category: { id: string; code: string };
  committee: { id: string };
  street: { id: string };
  district: { id: string };
}

interface Payload {
  need: NeedNode | null;
  userErrors: UserError[];
}

const NEED_FIELDS = `
  id urgency units earliestStart deadline status notes withdrawalReason createdAt updatedAt
  household { id } case { id status } category { id code } committee { id } street { id } district { id }`;

const PAYLOAD = `need { ${NEED_FIELDS} } userErrors { field code message }`;

const CREATE = `mutation Create($input: CreateNeedInput!) { createNeed(input: $input) { ${PAYLOAD} } }`;
const UPDATE = `mutation Update($input: UpdateNeedInput!) { updateNeed(input: $input) { ${PAYLOAD} } }`;
const WITHDRAW = `mutation Withdraw($input: WithdrawNeedInput!) { withdrawNeed(input: $input) { ${PAYLOAD} } }`;
const LIST = `query List($filter: NeedFilter, $orderBy: NeedOrder, $first: Int, $after: String) {
  needs(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount nodes { id } pageInfo { hasNextPage endCursor }
  }
}`;

describe('needs', () => {
  let hub: TestHub;
  let categories: Record<string, number>;
  let place: Place;
  let otherPlace: Place;
  /** Has an open case. */
  let householdWithCase: number;
  let openCase: number;
  /** Has no case. */
  let householdWithoutCase: number;
  /** Has only a closed case. */
  let householdWithClosedCase: number;
  let closedCase: number;

  async function insertCase(householdId: number, at: Place, status: 'OPEN' | 'CLOSED'): Promise<number> {
    const office = await makeStreetOffice(hub.db, at);
    const caseworker = await makeCaseworker(hub.db, office);
    const [row] = await hub.db
      .insert(cases)
      .values({ householdId, ownerStreetId: at.streetId, ownerOrganizationId: office, caseworkerId: caseworker, status, closedAt: status === 'CLOSED' ? new Date() : null })
      .returning();
    return row!.id;
  }

  beforeAll(async () => {
    hub = await startTestHub();
    categories = await categoryIds(hub.db);
    place = await makePlace(hub.db);
    otherPlace = await makePlace(hub.db);
    householdWithCase = await makeHousehold(hub.db, place, 2);
    openCase = await insertCase(householdWithCase, place, 'OPEN');
    householdWithoutCase = await makeHousehold(hub.db, otherPlace);
    householdWithClosedCase = await makeHousehold(hub.db, place);
    closedCase = await insertCase(householdWithClosedCase, place, 'CLOSED');
  });

  afterAll(() => hub.close());

  async function mutate(query: string, input: Record<string, unknown>, name: string): Promise<Payload> {
    const result = await hub.run<Record<string, Payload>>(query, { input });
    expect(result.errors).toBeUndefined();
    return result.data![name]!;
  }

  const create = (input: Record<string, unknown>) => mutate(CREATE, input, 'createNeed');
  const update = (input: Record<string, unknown>) => mutate(UPDATE, input, 'updateNeed');
  const withdraw = (input: Record<string, unknown>) => mutate(WITHDRAW, input, 'withdrawNeed');

  async function needCount(): Promise<number> {
    const [row] = await hub.db.select({ n: count() }).from(needs);
    return Number(row!.n);
  }

  async function needRow(id: number) {
    const [row] = await hub.db.select().from(needs).where(eq(needs.id, id));
    return row!;
  }

  const decodeId = (globalId: string): number => Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);

  function validInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      household: gid('Household', householdWithoutCase),
      category: gid('ServiceCategory', categories.CARE_NURSING!),
      urgency: 'NORMAL',
      units: 4,
      earliestStart: '2026-03-01',
      ...overrides,
    };
  }

  /** Runs a create that must be refused with exactly `expected`, and proves it wrote nothing. */
  async function expectRefusedCreate(input: Record<string, unknown>, expected: { field: string[]; code: string }[]): Promise<void> {
    const before = await needCount();
    const { need, userErrors } = await create(input);
    expect(need).toBeNull();
    expect(userErrors).toHaveLength(expected.length);
    expect(userErrors).toEqual(expect.arrayContaining(expected.map((e) => ({ ...e, message: expect.any(String) }))));
    expect(await needCount()).toBe(before);
  }

  /** An OPEN need made through the API. */
  async function openNeed(overrides: Record<string, unknown> = {}): Promise<NeedNode> {
    const { need, userErrors } = await create(validInput(overrides));
    expect(userErrors).toEqual([]);
    return need!;
  }

  describe('createNeed', () => {
    it("records a need filed under the household's open case, located where the household lives", async () => {
      const before = await needCount();
      const { need, userErrors } = await create(
        validInput({ household: gid('Household', householdWithCase), urgency: 'HIGH', units: 3, earliestStart: '2026-03-01', deadline: '2026-04-30', notes: '  需要每周上门两次  ' }),
      );
      expect(userErrors).toEqual([]);
      expect(need).toMatchObject({
        urgency: 'HIGH',
        units: 3,
        earliestStart: '2026-03-01',
        deadline: '2026-04-30',
        status: 'OPEN',
        notes: '需要每周上门两次',
        withdrawalReason: null,
        household: { id: gid('Household', householdWithCase) },
        case: { id: gid('Case', openCase), status: 'OPEN' },
        category: { id: gid('ServiceCategory', categories.CARE_NURSING!), code: 'CARE_NURSING' },
        committee: { id: gid('Committee', place.committeeId) },
        street: { id: gid('Street', place.streetId) },
        district: { id: gid('District', place.districtId) },
      });
      expect(await needCount()).toBe(before + 1);
      const row = await needRow(decodeId(need!.id));
      expect(row).toMatchObject({ householdId: householdWithCase, caseId: openCase, committeeId: place.committeeId, streetId: place.streetId, districtId: place.districtId, status: 'OPEN' });
    });

    it('leaves the case empty for a household with no open case', async () => {
      const withoutCase = await openNeed({ household: gid('Household', householdWithoutCase) });
      expect(withoutCase.case).toBeNull();
      expect(withoutCase).toMatchObject({ committee: { id: gid('Committee', otherPlace.committeeId) }, district: { id: gid('District', otherPlace.districtId) } });
      const withClosedCase = await openNeed({ household: gid('Household', householdWithClosedCase) });
      expect(withClosedCase.case).toBeNull();
      expect((await needRow(decodeId(withClosedCase.id))).caseId).toBeNull();
    });

    it('files the need under an explicitly given open case of the household', async () => {
      const need = await openNeed({ household: gid('Household', householdWithCase), case: gid('Case', openCase) });
      expect(need.case).toEqual({ id: gid('Case', openCase), status: 'OPEN' });
    });

    it('refuses a case of another household as INVALID and a closed case as INACTIVE at ["input","case"]', async () => {
      await expectRefusedCreate(validInput({ household: gid('Household', householdWithoutCase), case: gid('Case', openCase) }), [{ field: ['input', 'case'], code: 'INVALID' }]);
      await expectRefusedCreate(validInput({ household: gid('Household', householdWithClosedCase), case: gid('Case', closedCase) }), [{ field: ['input', 'case'], code: 'INACTIVE' }]);
      await expectRefusedCreate(validInput({ case: gid('Case', 999_999) }), [{ field: ['input', 'case'], code: 'NOT_FOUND' }]);
    });

    it.each([0, 10_001, -3])('refuses %p units as OUT_OF_RANGE at ["input","units"]', async (units) => {
      await expectRefusedCreate(validInput({ units }), [{ field: ['input', 'units'], code: 'OUT_OF_RANGE' }]);
    });

    it('accepts 1 and 10,000 units, the ends of the range', async () => {
      expect((await openNeed({ units: 1 })).units).toBe(1);
      expect((await openNeed({ units: 10_000 })).units).toBe(10_000);
    });

    it('refuses a deadline before earliestStart as OUT_OF_RANGE at ["input","deadline"], but accepts the same day', async () => {
      await expectRefusedCreate(validInput({ earliestStart: '2026-03-01', deadline: '2026-02-28' }), [{ field: ['input', 'deadline'], code: 'OUT_OF_RANGE' }]);
      expect(await openNeed({ earliestStart: '2026-03-01', deadline: '2026-03-01' })).toMatchObject({ earliestStart: '2026-03-01', deadline: '2026-03-01' });
    });

    it.each([
      ['earliestStart', '2026-02-30'],
      ['earliestStart', '2026-13-01'],
      ['deadline', '2026-02-30'],
      ['deadline', '30/04/2026'],
    ])('answers an invalid %s %p with a BAD_USER_INPUT error naming the variable and field, and writes nothing', async (field, value) => {
      const before = await needCount();
      const result = await hub.run(CREATE, { input: validInput({ [field]: value }) });
      expect(result.data).toBeUndefined();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors![0]!.message).toContain('$input');
      expect(result.errors![0]!.message).toContain(field);
      expect(await needCount()).toBe(before);
    });

    it('refuses an unknown household, or an ID of another type, as NOT_FOUND at ["input","household"]', async () => {
      await expectRefusedCreate(validInput({ household: gid('Household', 999_999) }), [{ field: ['input', 'household'], code: 'NOT_FOUND' }]);
      await expectRefusedCreate(validInput({ household: gid('Committee', place.committeeId) }), [{ field: ['input', 'household'], code: 'NOT_FOUND' }]);
    });

    it('refuses a retired category as INACTIVE and an unknown one as NOT_FOUND at ["input","category"]', async () => {
      const [retired] = await hub.db
        .insert(serviceCategories)
        .values({ code: 'RETIRED_FOR_NEEDS', group: 'DIRECT_SERVICE', nameZh: '已停用', nameEn: 'Retired', retiredAt: new Date() })
        .returning();
      await expectRefusedCreate(validInput({ category: gid('ServiceCategory', retired!.id) }), [{ field: ['input', 'category'], code: 'INACTIVE' }]);
      await expectRefusedCreate(validInput({ category: gid('ServiceCategory', 999_999) }), [{ field: ['input', 'category'], code: 'NOT_FOUND' }]);
    });

    it('refuses notes over 2,000 characters as OUT_OF_RANGE at ["input","notes"]', async () => {
      await expectRefusedCreate(validInput({ notes: '字'.repeat(2001) }), [{ field: ['input', 'notes'], code: 'OUT_OF_RANGE' }]);
    });

    it('reports several errors at once and writes nothing', async () => {
      await expectRefusedCreate(validInput({ household: gid('Household', 999_999), category: gid('ServiceCategory', 999_999), units: 0, earliestStart: '2026-05-01', deadline: '2026-04-01' }), [
        { field: ['input', 'household'], code: 'NOT_FOUND' },
        { field: ['input', 'category'], code: 'NOT_FOUND' },
        { field: ['input', 'units'], code: 'OUT_OF_RANGE' },
        { field: ['input', 'deadline'], code: 'OUT_OF_RANGE' },
      ]);
    });
  });

  describe('updateNeed', () => {
    it('changes urgency, units and deadline and leaves the rest', async () => {
      const created = await openNeed({ urgency: 'NORMAL', units: 4, earliestStart: '2026-03-01', notes: '原备注' });
      const { need, userErrors } = await update({ id: created.id, urgency: 'CRITICAL', units: 6, deadline: '2026-06-30' });
      expect(userErrors).toEqual([]);
      expect(need).toMatchObject({ id: created.id, urgency: 'CRITICAL', units: 6, deadline: '2026-06-30', earliestStart: '2026-03-01', notes: '原备注', status: 'OPEN', category: { code: 'CARE_NURSING' } });
      expect(await needRow(decodeId(created.id))).toMatchObject({ urgency: 'CRITICAL', units: 6, deadline: '2026-06-30', earliestStart: '2026-03-01' });
      expect(Date.parse(need!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
    });

    it('changes the category and clears notes with an empty string', async () => {
      const created = await openNeed({ notes: '备注' });
      const { need, userErrors } = await update({ id: created.id, category: gid('ServiceCategory', categories.PSYCHOLOGICAL_COUNSELLING!), notes: '' });
      expect(userErrors).toEqual([]);
      expect(need).toMatchObject({ category: { code: 'PSYCHOLOGICAL_COUNSELLING' }, notes: null });
    });

    it('clearDeadline removes the deadline', async () => {
      const created = await openNeed({ deadline: '2026-04-30' });
      const { need, userErrors } = await update({ id: created.id, clearDeadline: true });
      expect(userErrors).toEqual([]);
      expect(need!.deadline).toBeNull();
      expect((await needRow(decodeId(created.id))).deadline).toBeNull();
    });

    it('refuses a new deadline together with clearDeadline as INVALID at ["input","clearDeadline"]', async () => {
      const created = await openNeed({ deadline: '2026-04-30' });
      const { need, userErrors } = await update({ id: created.id, deadline: '2026-05-31', clearDeadline: true });
      expect(need).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'clearDeadline'], code: 'INVALID', message: expect.any(String) }]);
      expect((await needRow(decodeId(created.id))).deadline).toBe('2026-04-30');
    });

    it('checks the window against the stored dates, naming the field that was changed', async () => {
      const created = await openNeed({ earliestStart: '2026-03-01', deadline: '2026-04-30' });
      const early = await update({ id: created.id, deadline: '2026-02-01' });
      expect(early.need).toBeNull();
      expect(early.userErrors).toEqual([{ field: ['input', 'deadline'], code: 'OUT_OF_RANGE', message: expect.any(String) }]);
      const late = await update({ id: created.id, earliestStart: '2026-05-01' });
      expect(late.need).toBeNull();
      expect(late.userErrors).toEqual([{ field: ['input', 'earliestStart'], code: 'OUT_OF_RANGE', message: expect.any(String) }]);
      expect(await needRow(decodeId(created.id))).toMatchObject({ earliestStart: '2026-03-01', deadline: '2026-04-30' });
    });

    it('refuses 0 units as OUT_OF_RANGE and changes nothing, not even the fields that were valid', async () => {
      const created = await openNeed({ urgency: 'LOW', units: 4 });
      const rowBefore = await needRow(decodeId(created.id));
      const { need, userErrors } = await update({ id: created.id, urgency: 'CRITICAL', units: 0 });
      expect(need).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'units'], code: 'OUT_OF_RANGE', message: expect.any(String) }]);
      expect(await needRow(decodeId(created.id))).toEqual(rowBefore);
    });

    it('refuses to change a WITHDRAWN need as INVALID_STATE at ["input","id"]', async () => {
      const created = await openNeed();
      expect((await withdraw({ id: created.id, reason: '已自行解决' })).userErrors).toEqual([]);
      const rowBefore = await needRow(decodeId(created.id));
      const { need, userErrors } = await update({ id: created.id, urgency: 'CRITICAL' });
      expect(need).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID_STATE', message: expect.any(String) }]);
      expect(await needRow(decodeId(created.id))).toEqual(rowBefore);
    });

    it('refuses to change a MATCHED or FULFILLED need as INVALID_STATE', async () => {
      for (const status of ['MATCHED', 'FULFILLED'] as const) {
        const id = await makeNeed(hub.db, householdWithoutCase, otherPlace, categories.CARE_NURSING!, { status });
        const { need, userErrors } = await update({ id: gid('Need', id), units: 9 });
        expect(need).toBeNull();
        expect(userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID_STATE', message: expect.any(String) }]);
        expect((await needRow(id)).units).toBe(2);
      }
    });

    it('refuses an unknown need as NOT_FOUND at ["input","id"]', async () => {
      for (const id of [gid('Need', 999_999), gid('Resource', 1)]) {
        const { need, userErrors } = await update({ id, units: 2 });
        expect(need).toBeNull();
        expect(userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND', message: expect.any(String) }]);
      }
    });
  });

  describe('withdrawNeed', () => {
    it('requires a reason: a blank one is REQUIRED at ["input","reason"] and the need stays OPEN', async () => {
      const created = await openNeed();
      const { need, userErrors } = await withdraw({ id: created.id, reason: '   ' });
      expect(need).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'reason'], code: 'REQUIRED', message: expect.any(String) }]);
      expect(await needRow(decodeId(created.id))).toMatchObject({ status: 'OPEN', withdrawalReason: null });
    });

    it('sets status WITHDRAWN and the trimmed withdrawalReason', async () => {
      const created = await openNeed();
      const { need, userErrors } = await withdraw({ id: created.id, reason: '  家属已接回照料  ' });
      expect(userErrors).toEqual([]);
      expect(need).toMatchObject({ id: created.id, status: 'WITHDRAWN', withdrawalReason: '家属已接回照料' });
      expect(await needRow(decodeId(created.id))).toMatchObject({ status: 'WITHDRAWN', withdrawalReason: '家属已接回照料' });
    });

    it('refuses to withdraw a need a second time as INVALID_STATE, keeping the first reason', async () => {
      const created = await openNeed();
      await withdraw({ id: created.id, reason: '第一次' });
      const { need, userErrors } = await withdraw({ id: created.id, reason: '第二次' });
      expect(need).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID_STATE', message: expect.any(String) }]);
      expect((await needRow(decodeId(created.id))).withdrawalReason).toBe('第一次');
    });

    it('withdraws a MATCHED need but refuses a FULFILLED one', async () => {
      const matched = await makeNeed(hub.db, householdWithoutCase, otherPlace, categories.CARE_NURSING!, { status: 'MATCHED' });
      expect((await withdraw({ id: gid('Need', matched), reason: '不再需要' })).need).toMatchObject({ status: 'WITHDRAWN' });
      const fulfilled = await makeNeed(hub.db, householdWithoutCase, otherPlace, categories.CARE_NURSING!, { status: 'FULFILLED' });
      const { need, userErrors } = await withdraw({ id: gid('Need', fulfilled), reason: '不再需要' });
      expect(need).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID_STATE', message: expect.any(String) }]);
      expect((await needRow(fulfilled)).status).toBe('FULFILLED');
    });
  });

  describe('needs(filter:, orderBy:)', () => {
    /**
     * Own geography, so other tests' needs never match: district D1 with street S1 (committees
     * C1a, C1b) and street S2 (committee C2a); district D2 with committee C3a.
     */
    let c1a: Place;
    let c1b: Place;
    let c2a: Place;
    let c3a: Place;
    const n: Record<string, number> = {};
    const at = (iso: string) => new Date(iso);

    const ids = (...names: string[]) => names.map((name) => gid('Need', n[name]!));
    const sorted = (list: string[]) => [...list].sort();
    const scope = () => ({ districts: [gid('District', c1a.districtId), gid('District', c3a.districtId)] });

    async function listIds(filter: Record<string, unknown>, orderBy?: Record<string, unknown>): Promise<string[]> {
      const result = await hub.run<{ needs: { totalCount: number; nodes: { id: string }[] } }>(LIST, { filter, orderBy, first: 100 });
      expect(result.errors).toBeUndefined();
      expect(result.data!.needs.totalCount).toBe(result.data!.needs.nodes.length);
      return result.data!.needs.nodes.map((node) => node.id);
    }

    beforeAll(async () => {
      c1a = await makePlace(hub.db);
      c1b = await makePlace(hub.db, { districtId: c1a.districtId, streetId: c1a.streetId });
      c2a = await makePlace(hub.db, { districtId: c1a.districtId });
      c3a = await makePlace(hub.db);
      const households = new Map<Place, number>();
      for (const p of [c1a, c1b, c2a, c3a]) households.set(p, await makeHousehold(hub.db, p));
      const care = categories.CARE_NURSING!;
      const counselling = categories.PSYCHOLOGICAL_COUNSELLING!;
      const assessment = categories.CASE_ASSESSMENT!;
      const make = async (
        name: string,
        p: Place,
        categoryId: number,
        urgency: 'CRITICAL' | 'HIGH' | 'NORMAL' | 'LOW',
        status: 'OPEN' | 'MATCHED' | 'FULFILLED' | 'WITHDRAWN',
        createdAt: string,
        earliestStart: string,
        deadline: string | null,
      ) => {
        // Made OPEN, then moved: a WITHDRAWN need must carry its reason in the same row change.
        n[name] = await makeNeed(hub.db, households.get(p)!, p, categoryId, { urgency, createdAt: at(createdAt) });
        await hub.db
          .update(needs)
          .set({ earliestStart, deadline, status, withdrawalReason: status === 'WITHDRAWN' ? '测试撤回' : null })
          .where(eq(needs.id, n[name]!));
      };
      await make('n1', c1a, care, 'CRITICAL', 'OPEN', '2025-01-10T02:00:00.000Z', '2026-01-01', null);
      await make('n2', c1b, counselling, 'HIGH', 'MATCHED', '2025-02-10T02:00:00.000Z', '2026-02-01', '2026-02-28');
      await make('n3', c2a, care, 'NORMAL', 'WITHDRAWN', '2025-03-10T02:00:00.000Z', '2026-03-01', '2026-05-31');
      await make('n4', c3a, assessment, 'LOW', 'FULFILLED', '2025-04-10T02:00:00.000Z', '2026-01-15', '2026-01-31');
      await make('n5', c1a, assessment, 'CRITICAL', 'OPEN', '2025-05-10T02:00:00.000Z', '2026-04-01', null);
      // Recorded at the same instant as n1; the ID breaks the tie.
      await make('n6', c3a, care, 'HIGH', 'OPEN', '2025-01-10T02:00:00.000Z', '2026-02-15', '2026-03-15');
    });

    it('districts narrows to needs located in any of the given districts', async () => {
      expect(sorted(await listIds({ districts: [gid('District', c1a.districtId)] }))).toEqual(sorted(ids('n1', 'n2', 'n3', 'n5')));
      expect(sorted(await listIds({ districts: [gid('District', c3a.districtId)] }))).toEqual(sorted(ids('n4', 'n6')));
      expect(sorted(await listIds(scope()))).toEqual(sorted(ids('n1', 'n2', 'n3', 'n4', 'n5', 'n6')));
    });

    it('streets narrows to needs located in any of the given streets', async () => {
      expect(sorted(await listIds({ streets: [gid('Street', c1a.streetId)] }))).toEqual(sorted(ids('n1', 'n2', 'n5')));
      expect(sorted(await listIds({ streets: [gid('Street', c2a.streetId), gid('Street', c3a.streetId)] }))).toEqual(sorted(ids('n3', 'n4', 'n6')));
    });

    it('committees narrows to needs located in any of the given committees', async () => {
      expect(sorted(await listIds({ committees: [gid('Committee', c1a.committeeId)] }))).toEqual(sorted(ids('n1', 'n5')));
      expect(sorted(await listIds({ committees: [gid('Committee', c1b.committeeId), gid('Committee', c2a.committeeId)] }))).toEqual(sorted(ids('n2', 'n3')));
    });

    it('categories narrows to needs of any of the given catalogue items', async () => {
      const cat = (code: string) => gid('ServiceCategory', categories[code]!);
      expect(sorted(await listIds({ ...scope(), categories: [cat('CARE_NURSING')] }))).toEqual(sorted(ids('n1', 'n3', 'n6')));
      expect(sorted(await listIds({ ...scope(), categories: [cat('PSYCHOLOGICAL_COUNSELLING'), cat('CASE_ASSESSMENT')] }))).toEqual(sorted(ids('n2', 'n4', 'n5')));
    });

    it('urgencies narrows to needs of any of the given urgencies', async () => {
      expect(sorted(await listIds({ ...scope(), urgencies: ['CRITICAL'] }))).toEqual(sorted(ids('n1', 'n5')));
      expect(sorted(await listIds({ ...scope(), urgencies: ['HIGH', 'LOW'] }))).toEqual(sorted(ids('n2', 'n4', 'n6')));
    });

    it('statuses narrows to needs in any of the given statuses', async () => {
      expect(sorted(await listIds({ ...scope(), statuses: ['OPEN'] }))).toEqual(sorted(ids('n1', 'n5', 'n6')));
      expect(sorted(await listIds({ ...scope(), statuses: ['MATCHED', 'FULFILLED', 'WITHDRAWN'] }))).toEqual(sorted(ids('n2', 'n3', 'n4')));
    });

    it('createdFrom includes its instant; createdBefore excludes it', async () => {
      expect(sorted(await listIds({ ...scope(), createdFrom: '2025-03-10T02:00:00.000Z' }))).toEqual(sorted(ids('n3', 'n4', 'n5')));
      expect(sorted(await listIds({ ...scope(), createdBefore: '2025-03-10T02:00:00.000Z' }))).toEqual(sorted(ids('n1', 'n2', 'n6')));
      expect(sorted(await listIds({ ...scope(), createdFrom: '2025-02-10T02:00:00.000Z', createdBefore: '2025-04-10T02:00:00.000Z' }))).toEqual(sorted(ids('n2', 'n3')));
      // The same instant written in Shanghai time.
      expect(sorted(await listIds({ ...scope(), createdFrom: '2025-05-10T10:00:00+08:00' }))).toEqual(sorted(ids('n5')));
    });

    it('wantedFrom keeps needs whose deadline is open or on/after the day', async () => {
      expect(sorted(await listIds({ ...scope(), wantedFrom: '2026-03-01' }))).toEqual(sorted(ids('n1', 'n3', 'n5', 'n6')));
      expect(sorted(await listIds({ ...scope(), wantedFrom: '2026-02-28' }))).toEqual(sorted(ids('n1', 'n2', 'n3', 'n5', 'n6')));
    });

    it('wantedUntil keeps needs whose earliest start is on/before the day', async () => {
      expect(sorted(await listIds({ ...scope(), wantedUntil: '2026-02-01' }))).toEqual(sorted(ids('n1', 'n2', 'n4')));
      expect(sorted(await listIds({ ...scope(), wantedUntil: '2025-12-31' }))).toEqual([]);
    });

    it('wantedFrom and wantedUntil together keep needs whose window overlaps the period', async () => {
      expect(sorted(await listIds({ ...scope(), wantedFrom: '2026-02-20', wantedUntil: '2026-02-28' }))).toEqual(sorted(ids('n1', 'n2', 'n6')));
    });

    it('combines conditions: all must hold', async () => {
      expect(sorted(await listIds({ districts: [gid('District', c1a.districtId)], statuses: ['OPEN'], urgencies: ['CRITICAL'], wantedUntil: '2026-03-01' }))).toEqual(ids('n1'));
    });

    it('lists oldest first by default, the ID breaking ties', async () => {
      expect(await listIds(scope())).toEqual(ids('n1', 'n6', 'n2', 'n3', 'n4', 'n5'));
      expect(await listIds(scope(), { field: 'CREATED_AT' })).toEqual(ids('n1', 'n6', 'n2', 'n3', 'n4', 'n5'));
    });

    it('CREATED_AT DESC lists newest first', async () => {
      expect(await listIds(scope(), { field: 'CREATED_AT', direction: 'DESC' })).toEqual(ids('n5', 'n4', 'n3', 'n2', 'n6', 'n1'));
    });

    it('orderBy URGENCY puts CRITICAL first, then HIGH, NORMAL, LOW, the oldest first within each', async () => {
      expect(await listIds(scope(), { field: 'URGENCY' })).toEqual(ids('n1', 'n5', 'n6', 'n2', 'n3', 'n4'));
    });

    it('orderBy URGENCY DESC reverses the whole order', async () => {
      expect(await listIds(scope(), { field: 'URGENCY', direction: 'DESC' })).toEqual(ids('n4', 'n3', 'n2', 'n6', 'n5', 'n1'));
    });

    it('pages through the URGENCY ordering with cursors, two at a time, without gaps or repeats', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 5; i += 1) {
        const result: { data?: { needs: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null; errors?: unknown } = await hub.run(LIST, {
          filter: scope(),
          orderBy: { field: 'URGENCY' },
          first: 2,
          after,
        });
        expect(result.errors).toBeUndefined();
        seen.push(...result.data!.needs.nodes.map((node) => node.id));
        if (!result.data!.needs.pageInfo.hasNextPage) break;
        after = result.data!.needs.pageInfo.endCursor;
      }
      expect(seen).toEqual(ids('n1', 'n5', 'n6', 'n2', 'n3', 'n4'));
    });

    it('rejects a filter ID of the wrong type as BAD_USER_INPUT at its index', async () => {
      const result = await hub.run(LIST, { filter: { districts: [gid('District', c1a.districtId), gid('Street', c1a.streetId)] } });
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['filter', 'districts', 1] });
    });
  });
});
