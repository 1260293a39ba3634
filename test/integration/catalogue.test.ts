import { count, eq } from 'drizzle-orm';
import { serviceCategories } from '../../src/db/schema';
import { startTestHub, type TestHub } from '../support/hub';
import { categoryIds, gid } from '../support/factories';

/**
 * The service catalogue (项目目录, policy §3(2)): the ten seeded items, and how administrators
 * add, rename, retire and reinstate items. Mutations answer refusals as userErrors and write
 * nothing when they refuse.
 */

interface Category {
  id: string;
  code: string;
  group: 'ADMINISTRATIVE' | 'DIRECT_SERVICE';
  nameZh: string;
  nameEn: string;
  description: string | null;
  active: boolean;
  retiredAt: string | null;
}

interface UserError {
  field: string[];
  code: string;
  message: string;
}

interface Payload {
  serviceCategory: Category | null;
  userErrors: UserError[];
}

const FIELDS = 'id code group nameZh nameEn description active retiredAt';

const LIST = `query List($group: CatalogueGroup, $includeRetired: Boolean) {
  serviceCategories(group: $group, includeRetired: $includeRetired, first: 100) { totalCount nodes { ${FIELDS} } }
}`;

const CREATE = `mutation Create($input: CreateServiceCategoryInput!) {
  createServiceCategory(input: $input) { serviceCategory { ${FIELDS} } userErrors { field code message } }
}`;

const UPDATE = `mutation Update($input: UpdateServiceCategoryInput!) {
  updateServiceCategory(input: $input) { serviceCategory { ${FIELDS} } userErrors { field code message } }
}`;

const RETIRE = `mutation Retire($id: ID!) {
  retireServiceCategory(id: $id) { serviceCategory { ${FIELDS} } userErrors { field code message } }
}`;

const REINSTATE = `mutation Reinstate($id: ID!) {
  reinstateServiceCategory(id: $id) { serviceCategory { ${FIELDS} } userErrors { field code message } }
}`;

const SEEDED: readonly { code: string; group: Category['group']; nameZh: string; nameEn: string }[] = [
  { code: 'BENEFICIARY_SCREENING', group: 'ADMINISTRATIVE', nameZh: '对象排查', nameEn: 'Beneficiary screening' },
  { code: 'MEANS_INVESTIGATION', group: 'ADMINISTRATIVE', nameZh: '家计调查', nameEn: 'Household means investigation' },
  { code: 'STAFF_TRAINING', group: 'ADMINISTRATIVE', nameZh: '业务培训', nameEn: 'Staff training' },
  { code: 'POLICY_OUTREACH', group: 'ADMINISTRATIVE', nameZh: '政策宣传', nameEn: 'Policy outreach' },
  { code: 'PERFORMANCE_EVALUATION', group: 'ADMINISTRATIVE', nameZh: '绩效评价', nameEn: 'Performance evaluation' },
  { code: 'POLICY_RESEARCH', group: 'ADMINISTRATIVE', nameZh: '政策研究', nameEn: 'Policy research' },
  { code: 'CASE_ASSESSMENT', group: 'DIRECT_SERVICE', nameZh: '个案评估', nameEn: 'Case assessment' },
  { code: 'CARE_NURSING', group: 'DIRECT_SERVICE', nameZh: '照料护理', nameEn: 'Care and nursing' },
  { code: 'CAPABILITY_DEVELOPMENT', group: 'DIRECT_SERVICE', nameZh: '能力发展', nameEn: 'Capability development' },
  { code: 'PSYCHOLOGICAL_COUNSELLING', group: 'DIRECT_SERVICE', nameZh: '心理疏导', nameEn: 'Psychological counselling' },
];

describe('service catalogue', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub();
  });

  afterAll(() => hub.close());

  async function list(variables: { group?: Category['group']; includeRetired?: boolean } = {}): Promise<{ totalCount: number; nodes: Category[] }> {
    const result = await hub.run<{ serviceCategories: { totalCount: number; nodes: Category[] } }>(LIST, variables);
    expect(result.errors).toBeUndefined();
    return result.data!.serviceCategories;
  }

  async function mutate(query: string, variables: Record<string, unknown>, name: string): Promise<Payload> {
    const result = await hub.run<Record<string, Payload>>(query, variables);
    expect(result.errors).toBeUndefined();
    return result.data![name]!;
  }

  const create = (input: Record<string, unknown>) => mutate(CREATE, { input }, 'createServiceCategory');
  const update = (input: Record<string, unknown>) => mutate(UPDATE, { input }, 'updateServiceCategory');
  const retire = (id: string) => mutate(RETIRE, { id }, 'retireServiceCategory');
  const reinstate = (id: string) => mutate(REINSTATE, { id }, 'reinstateServiceCategory');

  async function rowCount(): Promise<number> {
    const [row] = await hub.db.select({ n: count() }).from(serviceCategories);
    return Number(row!.n);
  }

  /** A fresh, valid input with a unique code. */
  let codeSequence = 0;
  function newInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    codeSequence += 1;
    return { code: `TEST_ITEM_${codeSequence}`, group: 'DIRECT_SERVICE', nameZh: `测试服务${codeSequence}`, nameEn: `Test service ${codeSequence}`, ...overrides };
  }

  describe('the ten policy items', () => {
    it('lists all ten seeded items, in catalogue order, with Chinese and English names', async () => {
      const { totalCount, nodes } = await list();
      expect(totalCount).toBe(10);
      expect(nodes.map(({ code, group, nameZh, nameEn }) => ({ code, group, nameZh, nameEn }))).toEqual(SEEDED);
      expect(nodes.every((n) => n.active && n.retiredAt === null && n.description !== null && n.description.length > 0)).toBe(true);
      const ids = await categoryIds(hub.db);
      expect(nodes.map((n) => n.id)).toEqual(SEEDED.map((s) => gid('ServiceCategory', ids[s.code]!)));
    });

    it('splits them into 6 ADMINISTRATIVE and 4 DIRECT_SERVICE items', async () => {
      const administrative = await list({ group: 'ADMINISTRATIVE' });
      const direct = await list({ group: 'DIRECT_SERVICE' });
      expect(administrative.totalCount).toBe(6);
      expect(direct.totalCount).toBe(4);
      expect(administrative.nodes.map((n) => n.code)).toEqual(SEEDED.filter((s) => s.group === 'ADMINISTRATIVE').map((s) => s.code));
      expect(direct.nodes.map((n) => n.code)).toEqual(SEEDED.filter((s) => s.group === 'DIRECT_SERVICE').map((s) => s.code));
      expect(administrative.nodes.every((n) => n.group === 'ADMINISTRATIVE')).toBe(true);
      expect(direct.nodes.every((n) => n.group === 'DIRECT_SERVICE')).toBe(true);
    });
  });

  describe('createServiceCategory', () => {
    it('adds an active item at the end of its group, with trimmed names', async () => {
      const input = newInput({ code: 'HOME_MEAL_DELIVERY', nameZh: '  助餐送餐  ', nameEn: ' Meal delivery ', description: 'Meals delivered to the home.' });
      const { serviceCategory, userErrors } = await create(input);
      expect(userErrors).toEqual([]);
      expect(serviceCategory).toMatchObject({ code: 'HOME_MEAL_DELIVERY', group: 'DIRECT_SERVICE', nameZh: '助餐送餐', nameEn: 'Meal delivery', description: 'Meals delivered to the home.', active: true, retiredAt: null });
      const [row] = await hub.db.select().from(serviceCategories).where(eq(serviceCategories.code, 'HOME_MEAL_DELIVERY'));
      expect(gid('ServiceCategory', row!.id)).toBe(serviceCategory!.id);
      const direct = await list({ group: 'DIRECT_SERVICE' });
      expect(direct.nodes.map((n) => n.code).at(-1)).toBe('HOME_MEAL_DELIVERY');
    });

    it.each([
      ['lower-case letters', 'care_home'],
      ['a leading digit', '1ST_AID'],
      ['fewer than 3 characters', 'AB'],
      ['more than 40 characters', `A${'B'.repeat(40)}`],
      ['a hyphen', 'HOME-CARE'],
      ['surrounding spaces', ' HOME_CARE '],
    ])('refuses a code with %s as INVALID at ["input","code"] and writes nothing', async (_label, code) => {
      const before = await rowCount();
      const { serviceCategory, userErrors } = await create(newInput({ code }));
      expect(serviceCategory).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'code'], code: 'INVALID', message: expect.any(String) }]);
      expect(await rowCount()).toBe(before);
    });

    it('refuses a code that exists as CONFLICT, leaving the existing item unchanged', async () => {
      const before = await rowCount();
      const { serviceCategory, userErrors } = await create(newInput({ code: 'CARE_NURSING', nameZh: '重复', nameEn: 'Duplicate' }));
      expect(serviceCategory).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'code'], code: 'CONFLICT', message: expect.any(String) }]);
      expect(await rowCount()).toBe(before);
      const [row] = await hub.db.select().from(serviceCategories).where(eq(serviceCategories.code, 'CARE_NURSING'));
      expect(row).toMatchObject({ nameZh: '照料护理', nameEn: 'Care and nursing' });
    });

    it('refuses blank names as REQUIRED and reports every problem at once', async () => {
      const before = await rowCount();
      const { serviceCategory, userErrors } = await create(newInput({ code: 'bad', nameZh: '   ', nameEn: '' }));
      expect(serviceCategory).toBeNull();
      expect(userErrors).toHaveLength(3);
      expect(userErrors).toEqual(
        expect.arrayContaining([
          { field: ['input', 'code'], code: 'INVALID', message: expect.any(String) },
          { field: ['input', 'nameZh'], code: 'REQUIRED', message: expect.any(String) },
          { field: ['input', 'nameEn'], code: 'REQUIRED', message: expect.any(String) },
        ]),
      );
      expect(await rowCount()).toBe(before);
    });

    it('refuses a Chinese name over 50 characters as OUT_OF_RANGE', async () => {
      const { serviceCategory, userErrors } = await create(newInput({ nameZh: '长'.repeat(51) }));
      expect(serviceCategory).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'nameZh'], code: 'OUT_OF_RANGE', message: expect.any(String) }]);
    });
  });

  describe('updateServiceCategory', () => {
    it('renames an item in both languages and keeps its code and group', async () => {
      const created = (await create(newInput({ group: 'ADMINISTRATIVE' }))).serviceCategory!;
      const { serviceCategory, userErrors } = await update({ id: created.id, nameZh: '社区走访', nameEn: 'Community visits' });
      expect(userErrors).toEqual([]);
      expect(serviceCategory).toMatchObject({ id: created.id, code: created.code, group: 'ADMINISTRATIVE', nameZh: '社区走访', nameEn: 'Community visits' });
      const [row] = await hub.db.select().from(serviceCategories).where(eq(serviceCategories.code, created.code));
      expect(row).toMatchObject({ nameZh: '社区走访', nameEn: 'Community visits' });
      expect(row!.updatedAt.getTime()).toBeGreaterThanOrEqual(row!.createdAt.getTime());
      const listed = (await list({ group: 'ADMINISTRATIVE' })).nodes.find((n) => n.id === created.id);
      expect(listed?.nameZh).toBe('社区走访');
    });

    it('leaves omitted fields as they are and clears the description with an empty string', async () => {
      const created = (await create(newInput({ nameZh: '原名', nameEn: 'Original', description: 'Something' }))).serviceCategory!;
      const renamed = await update({ id: created.id, nameEn: 'Renamed' });
      expect(renamed.serviceCategory).toMatchObject({ nameZh: '原名', nameEn: 'Renamed', description: 'Something' });
      const cleared = await update({ id: created.id, description: '' });
      expect(cleared.serviceCategory).toMatchObject({ nameZh: '原名', nameEn: 'Renamed', description: null });
    });

    it('refuses a blank name as REQUIRED and changes nothing', async () => {
      const created = (await create(newInput({ nameZh: '保留', nameEn: 'Kept' }))).serviceCategory!;
      const { serviceCategory, userErrors } = await update({ id: created.id, nameZh: '  ', nameEn: 'Changed' });
      expect(serviceCategory).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'nameZh'], code: 'REQUIRED', message: expect.any(String) }]);
      const [row] = await hub.db.select().from(serviceCategories).where(eq(serviceCategories.code, created.code));
      expect(row).toMatchObject({ nameZh: '保留', nameEn: 'Kept' });
    });

    it('refuses an unknown ID or an ID of another type as NOT_FOUND', async () => {
      for (const id of [gid('ServiceCategory', 999_999), gid('District', 1), 'not-an-id']) {
        const { serviceCategory, userErrors } = await update({ id, nameZh: '无' });
        expect(serviceCategory).toBeNull();
        expect(userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND', message: expect.any(String) }]);
      }
    });
  });

  describe('retireServiceCategory and reinstateServiceCategory', () => {
    it('hides a retired item from the default list; includeRetired shows it with active false', async () => {
      const created = (await create(newInput({ code: 'TO_BE_RETIRED' }))).serviceCategory!;
      expect((await list()).nodes.map((n) => n.id)).toContain(created.id);

      const { serviceCategory, userErrors } = await retire(created.id);
      expect(userErrors).toEqual([]);
      expect(serviceCategory).toMatchObject({ id: created.id, active: false });
      expect(serviceCategory!.retiredAt).not.toBeNull();
      expect(Math.abs(Date.parse(serviceCategory!.retiredAt!) - Date.now())).toBeLessThan(60_000);

      const active = await list();
      expect(active.nodes.map((n) => n.id)).not.toContain(created.id);
      expect(active.nodes.every((n) => n.active)).toBe(true);
      expect((await list({ group: 'DIRECT_SERVICE' })).nodes.map((n) => n.id)).not.toContain(created.id);

      const all = await list({ includeRetired: true });
      expect(all.totalCount).toBe(active.totalCount + all.nodes.filter((n) => !n.active).length);
      expect(all.nodes.find((n) => n.id === created.id)).toMatchObject({ code: 'TO_BE_RETIRED', active: false });

      const [row] = await hub.db.select().from(serviceCategories).where(eq(serviceCategories.code, 'TO_BE_RETIRED'));
      expect(row!.retiredAt).toBeInstanceOf(Date);
    });

    it('refuses to retire an item twice as INVALID_STATE at ["id"], keeping the first retirement time', async () => {
      const created = (await create(newInput())).serviceCategory!;
      const first = (await retire(created.id)).serviceCategory!;
      const { serviceCategory, userErrors } = await retire(created.id);
      expect(serviceCategory).toBeNull();
      expect(userErrors).toEqual([{ field: ['id'], code: 'INVALID_STATE', message: expect.any(String) }]);
      const [row] = await hub.db.select().from(serviceCategories).where(eq(serviceCategories.code, created.code));
      expect(row!.retiredAt?.toISOString()).toBe(new Date(first.retiredAt!).toISOString());
    });

    it('reinstates a retired item into the default list; reinstating an active item is INVALID_STATE', async () => {
      const created = (await create(newInput())).serviceCategory!;
      await retire(created.id);
      const { serviceCategory, userErrors } = await reinstate(created.id);
      expect(userErrors).toEqual([]);
      expect(serviceCategory).toMatchObject({ id: created.id, active: true, retiredAt: null });
      expect((await list()).nodes.find((n) => n.id === created.id)).toMatchObject({ active: true });

      const again = await reinstate(created.id);
      expect(again.serviceCategory).toBeNull();
      expect(again.userErrors).toEqual([{ field: ['id'], code: 'INVALID_STATE', message: expect.any(String) }]);
    });

    it('refuses to retire an unknown item as NOT_FOUND', async () => {
      for (const id of [gid('ServiceCategory', 999_999), gid('Organization', 1)]) {
        const { serviceCategory, userErrors } = await retire(id);
        expect(serviceCategory).toBeNull();
        expect(userErrors).toEqual([{ field: ['id'], code: 'NOT_FOUND', message: expect.any(String) }]);
      }
    });

    it('retiring a seeded item leaves the other nine policy items listed', async () => {
      const ids = await categoryIds(hub.db);
      const id = gid('ServiceCategory', ids.STAFF_TRAINING!);
      expect((await retire(id)).userErrors).toEqual([]);
      const administrative = await list({ group: 'ADMINISTRATIVE' });
      const codes = administrative.nodes.map((n) => n.code);
      expect(codes).not.toContain('STAFF_TRAINING');
      expect(codes).toEqual(expect.arrayContaining(SEEDED.filter((s) => s.group === 'ADMINISTRATIVE' && s.code !== 'STAFF_TRAINING').map((s) => s.code)));
      expect((await reinstate(id)).userErrors).toEqual([]);
      expect((await list({ group: 'ADMINISTRATIVE' })).nodes.map((n) => n.code)).toContain('STAFF_TRAINING');
    });
  });
});
