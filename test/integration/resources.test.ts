import { count, eq } from 'drizzle-orm';
import { todayInShanghai } from '../../src/common/dates';
import { committees, districts, resourceServiceAreas, resources, serviceCategories, streets } from '../../src/db/schema';
import { startTestHub, type TestHub } from '../support/hub';
import { categoryIds, gid, makePlace, makeProvider, makeResource, makeStreetOffice, type Place } from '../support/factories';

/**
 * Resources (救助资源): posting, changing and closing them through the API, and listing them with
 * filters. A refused mutation answers userErrors with the exact field path and code, and writes
 * nothing at all: no resource row and no service-area row.
 */

interface UserError {
  field: string[];
  code: string;
  message: string;
}

interface AreaEntry {
  level: 'DISTRICT' | 'STREET' | 'COMMITTEE';
  district: { id: string; name: string };
  street: { id: string; name: string } | null;
  committee: { id: string; name: string } | null;
}

interface ResourceNode {
  id: string;
  title: string;
  description: string | null;
  capacity: number;
  capacityPeriod: string;
  eligibleStatuses: string[];
  minAge: number | null;
  maxAge: number | null;
  availableFrom: string;
  availableUntil: string | null;
  status: 'ACTIVE' | 'PAUSED' | 'CLOSED';
  cost: string;
  contactName: string | null;
  contactPhone: string | null;
  isPublic: boolean;
  closedAt: string | null;
  closureReason: string | null;
  createdAt: string;
  updatedAt: string;
  provider: { id: string; name: string };
  category: { id: string; code: string };
  serviceArea: AreaEntry[];
}

interface Payload {
  resource: ResourceNode | null;
  userErrors: UserError[];
}

const RESOURCE_FIELDS = `
  id title description capacity capacityPeriod eligibleStatuses minAge maxAge availableFrom availableUntil
  status cost contactName contactPhone isPublic closedAt closureReason createdAt updatedAt
  provider { id name } category { id code }
  serviceArea { level district { id name } street { id name } committee { id name } }`;

const PAYLOAD = `resource { ${RESOURCE_FIELDS} } userErrors { field code message }`;

const CREATE = `mutation Create($input: CreateResourceInput!) { createResource(input: $input) { ${PAYLOAD} } }`;
const UPDATE = `mutation Update($input: UpdateResourceInput!) { updateResource(input: $input) { ${PAYLOAD} } }`;
const CLOSE = `mutation Close($input: CloseResourceInput!) { closeResource(input: $input) { ${PAYLOAD} } }`;
const LIST = `query List($filter: ResourceFilter) { resources(filter: $filter, first: 100) { totalCount nodes { id } } }`;

/** Today ± days on the Shanghai calendar, as the hub counts days. */
function shanghaiDay(offsetDays: number): string {
  return todayInShanghai(new Date(Date.now() + offsetDays * 86_400_000));
}

describe('resources', () => {
  let hub: TestHub;
  let categories: Record<string, number>;
  let provider: number;
  /** Two streets of one district (the first with two committees) and a second district. */
  let placeA1: Place;
  let placeA1b: Place;
  let placeA2: Place;
  let placeB: Place;

  beforeAll(async () => {
    hub = await startTestHub();
    categories = await categoryIds(hub.db);
    provider = await makeProvider(hub.db);
    placeA1 = await makePlace(hub.db);
    placeA1b = await makePlace(hub.db, { districtId: placeA1.districtId, streetId: placeA1.streetId });
    placeA2 = await makePlace(hub.db, { districtId: placeA1.districtId });
    placeB = await makePlace(hub.db);
  });

  afterAll(() => hub.close());

  async function mutate(query: string, input: Record<string, unknown>, name: string): Promise<Payload> {
    const result = await hub.run<Record<string, Payload>>(query, { input });
    expect(result.errors).toBeUndefined();
    return result.data![name]!;
  }

  const create = (input: Record<string, unknown>) => mutate(CREATE, input, 'createResource');
  const update = (input: Record<string, unknown>) => mutate(UPDATE, input, 'updateResource');
  const close = (input: Record<string, unknown>) => mutate(CLOSE, input, 'closeResource');

  async function rowCounts(): Promise<{ resources: number; areas: number }> {
    const [r] = await hub.db.select({ n: count() }).from(resources);
    const [a] = await hub.db.select({ n: count() }).from(resourceServiceAreas);
    return { resources: Number(r!.n), areas: Number(a!.n) };
  }

  async function areaRows(resourceId: number) {
    return hub.db
      .select({ level: resourceServiceAreas.level, districtId: resourceServiceAreas.districtId, streetId: resourceServiceAreas.streetId, committeeId: resourceServiceAreas.committeeId })
      .from(resourceServiceAreas)
      .where(eq(resourceServiceAreas.resourceId, resourceId))
      .orderBy(resourceServiceAreas.id);
  }

  async function resourceRow(resourceId: number) {
    const [row] = await hub.db.select().from(resources).where(eq(resources.id, resourceId));
    return row!;
  }

  function validInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      provider: gid('Organization', provider),
      category: gid('ServiceCategory', categories.CARE_NURSING!),
      title: '助餐送餐服务',
      capacity: 40,
      capacityPeriod: 'WEEK',
      availableFrom: '2026-03-01',
      serviceArea: [{ area: gid('Committee', placeA1.committeeId) }],
      ...overrides,
    };
  }

  /** Runs a create that must be refused with exactly `expected`, and proves it wrote nothing. */
  async function expectRefusedCreate(input: Record<string, unknown>, expected: { field: string[]; code: string }[]): Promise<void> {
    const before = await rowCounts();
    const { resource, userErrors } = await create(input);
    expect(resource).toBeNull();
    expect(userErrors).toHaveLength(expected.length);
    expect(userErrors).toEqual(expect.arrayContaining(expected.map((e) => ({ ...e, message: expect.any(String) }))));
    expect(await rowCounts()).toEqual(before);
  }

  /** A CLOSED resource: made ACTIVE, then closed with its time and reason in one row change. */
  async function makeClosedResource(area: Parameters<typeof makeResource>[3], options: Parameters<typeof makeResource>[4] = {}): Promise<number> {
    const id = await makeResource(hub.db, provider, categories.CARE_NURSING!, area, { ...options, status: 'ACTIVE' });
    await hub.db.update(resources).set({ status: 'CLOSED', closedAt: new Date(), closureReason: '测试关闭' }).where(eq(resources.id, id));
    return id;
  }

  const decodeId = (globalId: string): number => Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);

  describe('createResource', () => {
    it('posts a resource with its provider, category and a service area resolved at all three levels', async () => {
      const before = await rowCounts();
      const { resource, userErrors } = await create(
        validInput({
          title: '  助餐送餐服务  ',
          description: '每日午餐送餐上门',
          eligibleStatuses: ['MINIMUM_LIVING_ALLOWANCE', 'LOW_INCOME', 'MINIMUM_LIVING_ALLOWANCE'],
          minAge: 60,
          maxAge: 120,
          availableUntil: '2026-12-31',
          cost: 'CONTRACT_FUNDED',
          contactName: '王老师',
          contactPhone: ' 02164181234 ',
          isPublic: true,
          serviceArea: [{ area: gid('District', placeB.districtId) }, { area: gid('Street', placeA2.streetId) }, { area: gid('Committee', placeA1.committeeId) }],
        }),
      );
      expect(userErrors).toEqual([]);
      expect(resource).toMatchObject({
        title: '助餐送餐服务',
        description: '每日午餐送餐上门',
        capacity: 40,
        capacityPeriod: 'WEEK',
        eligibleStatuses: ['MINIMUM_LIVING_ALLOWANCE', 'LOW_INCOME'],
        minAge: 60,
        maxAge: 120,
        availableFrom: '2026-03-01',
        availableUntil: '2026-12-31',
        status: 'ACTIVE',
        cost: 'CONTRACT_FUNDED',
        contactName: '王老师',
        contactPhone: '021-64181234',
        isPublic: true,
        closedAt: null,
        closureReason: null,
        provider: { id: gid('Organization', provider) },
        category: { id: gid('ServiceCategory', categories.CARE_NURSING!), code: 'CARE_NURSING' },
      });
      expect(resource!.provider.name).toMatch(/^测试社工服务社/);

      const names = async (place: Place) => {
        const [d] = await hub.db.select({ name: districts.nameZh }).from(districts).where(eq(districts.id, place.districtId));
        const [s] = await hub.db.select({ name: streets.nameZh }).from(streets).where(eq(streets.id, place.streetId));
        const [c] = await hub.db.select({ name: committees.nameZh }).from(committees).where(eq(committees.id, place.committeeId));
        return { district: d!.name, street: s!.name, committee: c!.name };
      };
      const [b, a2, a1] = [await names(placeB), await names(placeA2), await names(placeA1)];
      expect(resource!.serviceArea).toEqual([
        { level: 'DISTRICT', district: { id: gid('District', placeB.districtId), name: b.district }, street: null, committee: null },
        { level: 'STREET', district: { id: gid('District', placeA2.districtId), name: a2.district }, street: { id: gid('Street', placeA2.streetId), name: a2.street }, committee: null },
        {
          level: 'COMMITTEE',
          district: { id: gid('District', placeA1.districtId), name: a1.district },
          street: { id: gid('Street', placeA1.streetId), name: a1.street },
          committee: { id: gid('Committee', placeA1.committeeId), name: a1.committee },
        },
      ]);

      const id = decodeId(resource!.id);
      expect(resource!.id).toBe(gid('Resource', id));
      expect(await areaRows(id)).toEqual([
        { level: 'DISTRICT', districtId: placeB.districtId, streetId: null, committeeId: null },
        { level: 'STREET', districtId: placeA2.districtId, streetId: placeA2.streetId, committeeId: null },
        { level: 'COMMITTEE', districtId: placeA1.districtId, streetId: placeA1.streetId, committeeId: placeA1.committeeId },
      ]);
      expect(await rowCounts()).toEqual({ resources: before.resources + 1, areas: before.areas + 3 });
    });

    it('applies the defaults: FREE, not public, open to all, no contact', async () => {
      const { resource, userErrors } = await create(validInput());
      expect(userErrors).toEqual([]);
      expect(resource).toMatchObject({ cost: 'FREE', isPublic: false, eligibleStatuses: [], availableUntil: null, contactName: null, contactPhone: null, minAge: null, maxAge: null, description: null });
    });

    it('normalises a mobile number written with +86 to its 11 digits', async () => {
      const { resource, userErrors } = await create(validInput({ contactPhone: '+86 13800138000' }));
      expect(userErrors).toEqual([]);
      expect(resource!.contactPhone).toBe('13800138000');
      expect((await resourceRow(decodeId(resource!.id))).contactPhone).toBe('13800138000');
    });

    it('refuses a negative capacity as OUT_OF_RANGE at ["input","capacity"]', async () => {
      await expectRefusedCreate(validInput({ capacity: -1 }), [{ field: ['input', 'capacity'], code: 'OUT_OF_RANGE' }]);
    });

    it('refuses a capacity over 1,000,000 as OUT_OF_RANGE but accepts 0', async () => {
      await expectRefusedCreate(validInput({ capacity: 1_000_001 }), [{ field: ['input', 'capacity'], code: 'OUT_OF_RANGE' }]);
      const { resource, userErrors } = await create(validInput({ capacity: 0 }));
      expect(userErrors).toEqual([]);
      expect(resource!.capacity).toBe(0);
    });

    it('refuses availableUntil before availableFrom as OUT_OF_RANGE at ["input","availableUntil"]', async () => {
      await expectRefusedCreate(validInput({ availableFrom: '2026-03-01', availableUntil: '2026-02-28' }), [{ field: ['input', 'availableUntil'], code: 'OUT_OF_RANGE' }]);
    });

    it('accepts a one-day window (availableUntil equal to availableFrom)', async () => {
      const { resource, userErrors } = await create(validInput({ availableFrom: '2026-03-01', availableUntil: '2026-03-01' }));
      expect(userErrors).toEqual([]);
      expect(resource).toMatchObject({ availableFrom: '2026-03-01', availableUntil: '2026-03-01' });
    });

    it('refuses a retired category as INACTIVE at ["input","category"]', async () => {
      const [retired] = await hub.db
        .insert(serviceCategories)
        .values({ code: 'RETIRED_FOR_RESOURCES', group: 'DIRECT_SERVICE', nameZh: '已停用', nameEn: 'Retired', retiredAt: new Date() })
        .returning();
      await expectRefusedCreate(validInput({ category: gid('ServiceCategory', retired!.id) }), [{ field: ['input', 'category'], code: 'INACTIVE' }]);
    });

    it('refuses an unknown category, or an ID of another type, as NOT_FOUND at ["input","category"]', async () => {
      await expectRefusedCreate(validInput({ category: gid('ServiceCategory', 999_999) }), [{ field: ['input', 'category'], code: 'NOT_FOUND' }]);
      await expectRefusedCreate(validInput({ category: gid('District', placeA1.districtId) }), [{ field: ['input', 'category'], code: 'NOT_FOUND' }]);
    });

    it.each(['12345', '138001380001', '021-123', 'phone', '+1 4155550100'])('refuses the malformed phone %p as INVALID at ["input","contactPhone"]', async (contactPhone) => {
      await expectRefusedCreate(validInput({ contactPhone }), [{ field: ['input', 'contactPhone'], code: 'INVALID' }]);
    });

    it('refuses an empty title as REQUIRED at ["input","title"]', async () => {
      await expectRefusedCreate(validInput({ title: '   ' }), [{ field: ['input', 'title'], code: 'REQUIRED' }]);
    });

    it('refuses an empty service area as REQUIRED at ["input","serviceArea"]', async () => {
      await expectRefusedCreate(validInput({ serviceArea: [] }), [{ field: ['input', 'serviceArea'], code: 'REQUIRED' }]);
    });

    it('refuses a service-area ID of the wrong type as NOT_FOUND at ["input","serviceArea","1","area"]', async () => {
      const area = [{ area: gid('Committee', placeA1.committeeId) }, { area: gid('Organization', provider) }];
      await expectRefusedCreate(validInput({ serviceArea: area }), [{ field: ['input', 'serviceArea', '1', 'area'], code: 'NOT_FOUND' }]);
    });

    it('refuses a service-area ID that names no area as NOT_FOUND at its index', async () => {
      const area = [{ area: gid('District', placeB.districtId) }, { area: gid('Street', 999_999) }, { area: 'garbage' }];
      await expectRefusedCreate(validInput({ serviceArea: area }), [
        { field: ['input', 'serviceArea', '1', 'area'], code: 'NOT_FOUND' },
        { field: ['input', 'serviceArea', '2', 'area'], code: 'NOT_FOUND' },
      ]);
    });

    it('refuses an area listed twice as INVALID at ["input","serviceArea","1","area"]', async () => {
      const area = [{ area: gid('Street', placeA2.streetId) }, { area: gid('Street', placeA2.streetId) }];
      await expectRefusedCreate(validInput({ serviceArea: area }), [{ field: ['input', 'serviceArea', '1', 'area'], code: 'INVALID' }]);
    });

    it('refuses the same area under a second spelling of its global ID as a user error at its index, not a server error', async () => {
      // Base64url text whose last character carries unused low bits can be spelled more than one
      // way; Buffer decoding accepts every spelling. Whether the hub treats the alias as the same
      // area listed twice (INVALID) or as no valid ID at all (NOT_FOUND), it must refuse it as a
      // user error rather than reach the unique index and fail with INTERNAL_SERVER_ERROR.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const aliasOf = (canonical: string) =>
        alphabet
          .split('')
          .map((ch) => canonical.slice(0, -1) + ch)
          .find((v) => v !== canonical && Buffer.from(v, 'base64url').toString('utf8') === Buffer.from(canonical, 'base64url').toString('utf8'));
      const candidates = [
        gid('Street', placeA2.streetId),
        gid('Street', placeA1.streetId),
        gid('District', placeB.districtId),
        gid('District', placeA1.districtId),
        gid('Committee', placeA1.committeeId),
        gid('Committee', placeA1b.committeeId),
      ];
      const canonical = candidates.find((c) => aliasOf(c) !== undefined)!;
      expect(canonical).toBeDefined();
      const before = await rowCounts();
      const result = await hub.run<{ createResource: Payload }>(CREATE, { input: validInput({ serviceArea: [{ area: canonical }, { area: aliasOf(canonical) }] }) });
      expect(result.errors).toBeUndefined();
      const { resource, userErrors } = result.data!.createResource;
      expect(resource).toBeNull();
      expect(userErrors).toHaveLength(1);
      expect(userErrors[0]!.field).toEqual(['input', 'serviceArea', '1', 'area']);
      expect(['INVALID', 'NOT_FOUND']).toContain(userErrors[0]!.code);
      expect(await rowCounts()).toEqual(before);
    });

    it('accepts a street and one of its committees together (overlapping, not duplicate)', async () => {
      const { resource, userErrors } = await create(validInput({ serviceArea: [{ area: gid('Street', placeA1.streetId) }, { area: gid('Committee', placeA1.committeeId) }] }));
      expect(userErrors).toEqual([]);
      expect(resource!.serviceArea.map((e) => e.level)).toEqual(['STREET', 'COMMITTEE']);
    });

    it('refuses minAge above maxAge as OUT_OF_RANGE at ["input","maxAge"]', async () => {
      await expectRefusedCreate(validInput({ minAge: 70, maxAge: 60 }), [{ field: ['input', 'maxAge'], code: 'OUT_OF_RANGE' }]);
    });

    it('refuses an age outside 0–150 as OUT_OF_RANGE at its own field', async () => {
      await expectRefusedCreate(validInput({ minAge: -1 }), [{ field: ['input', 'minAge'], code: 'OUT_OF_RANGE' }]);
      await expectRefusedCreate(validInput({ maxAge: 151 }), [{ field: ['input', 'maxAge'], code: 'OUT_OF_RANGE' }]);
    });

    it('refuses a suspended provider as INACTIVE at ["input","provider"]', async () => {
      const suspended = await makeProvider(hub.db, { status: 'SUSPENDED' });
      await expectRefusedCreate(validInput({ provider: gid('Organization', suspended) }), [{ field: ['input', 'provider'], code: 'INACTIVE' }]);
    });

    it('refuses a banned provider (indefinitely, until a future day, or until today) as INACTIVE', async () => {
      for (const bannedUntil of [undefined, shanghaiDay(30), shanghaiDay(0)]) {
        const banned = await makeProvider(hub.db, { status: 'BANNED', bannedUntil });
        await expectRefusedCreate(validInput({ provider: gid('Organization', banned) }), [{ field: ['input', 'provider'], code: 'INACTIVE' }]);
      }
    });

    it('lets a provider whose ban ended yesterday post', async () => {
      const formerlyBanned = await makeProvider(hub.db, { status: 'BANNED', bannedUntil: shanghaiDay(-1) });
      const { resource, userErrors } = await create(validInput({ provider: gid('Organization', formerlyBanned) }));
      expect(userErrors).toEqual([]);
      expect(resource!.provider.id).toBe(gid('Organization', formerlyBanned));
    });

    it('refuses an organization that is not a provider as INVALID at ["input","provider"]', async () => {
      const office = await makeStreetOffice(hub.db, placeA1);
      await expectRefusedCreate(validInput({ provider: gid('Organization', office) }), [{ field: ['input', 'provider'], code: 'INVALID' }]);
    });

    it('refuses an unknown provider as NOT_FOUND at ["input","provider"]', async () => {
      await expectRefusedCreate(validInput({ provider: gid('Organization', 999_999) }), [{ field: ['input', 'provider'], code: 'NOT_FOUND' }]);
      await expectRefusedCreate(validInput({ provider: gid('Committee', placeA1.committeeId) }), [{ field: ['input', 'provider'], code: 'NOT_FOUND' }]);
    });

    it('reports several errors at once, each at its own field, and writes nothing', async () => {
      const suspended = await makeProvider(hub.db, { status: 'SUSPENDED' });
      await expectRefusedCreate(
        validInput({
          provider: gid('Organization', suspended),
          category: gid('ServiceCategory', 999_999),
          title: '',
          capacity: -5,
          minAge: 80,
          maxAge: 10,
          availableFrom: '2026-05-01',
          availableUntil: '2026-04-01',
          contactPhone: '999',
          serviceArea: [{ area: gid('District', placeB.districtId) }, { area: gid('District', placeB.districtId) }],
        }),
        [
          { field: ['input', 'provider'], code: 'INACTIVE' },
          { field: ['input', 'category'], code: 'NOT_FOUND' },
          { field: ['input', 'title'], code: 'REQUIRED' },
          { field: ['input', 'capacity'], code: 'OUT_OF_RANGE' },
          { field: ['input', 'maxAge'], code: 'OUT_OF_RANGE' },
          { field: ['input', 'availableUntil'], code: 'OUT_OF_RANGE' },
          { field: ['input', 'contactPhone'], code: 'INVALID' },
          { field: ['input', 'serviceArea', '1', 'area'], code: 'INVALID' },
        ],
      );
    });

    it('answers an impossible date such as 2026-02-30 with a GraphQL error naming the field, and writes nothing', async () => {
      const before = await rowCounts();
      const result = await hub.run(CREATE, { input: validInput({ availableFrom: '2026-02-30' }) });
      expect(result.data).toBeUndefined();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors![0]!.message).toContain('$input');
      expect(result.errors![0]!.message).toContain('availableFrom');
      expect(await rowCounts()).toEqual(before);
    });
  });

  describe('updateResource', () => {
    it('changes the given fields, leaves the others, and replaces the service area whole', async () => {
      const created = (
        await create(
          validInput({
            description: '原描述',
            contactName: '李老师',
            contactPhone: '13800138000',
            serviceArea: [{ area: gid('District', placeB.districtId) }, { area: gid('Committee', placeA1.committeeId) }],
          }),
        )
      ).resource!;
      const id = decodeId(created.id);
      const { resource, userErrors } = await update({
        id: created.id,
        title: '助浴服务',
        capacity: 12,
        capacityPeriod: 'MONTH',
        availableUntil: '2026-09-30',
        contactPhone: '021 64181234',
        isPublic: true,
        eligibleStatuses: ['LOW_INCOME'],
        category: gid('ServiceCategory', categories.CASE_ASSESSMENT!),
        serviceArea: [{ area: gid('Street', placeA2.streetId) }],
      });
      expect(userErrors).toEqual([]);
      expect(resource).toMatchObject({
        id: created.id,
        title: '助浴服务',
        capacity: 12,
        capacityPeriod: 'MONTH',
        availableFrom: '2026-03-01',
        availableUntil: '2026-09-30',
        contactName: '李老师',
        contactPhone: '021-64181234',
        description: '原描述',
        isPublic: true,
        eligibleStatuses: ['LOW_INCOME'],
        status: 'ACTIVE',
        category: { code: 'CASE_ASSESSMENT' },
      });
      expect(resource!.serviceArea).toEqual([
        expect.objectContaining({ level: 'STREET', district: expect.objectContaining({ id: gid('District', placeA2.districtId) }), street: expect.objectContaining({ id: gid('Street', placeA2.streetId) }), committee: null }),
      ]);
      expect(await areaRows(id)).toEqual([{ level: 'STREET', districtId: placeA2.districtId, streetId: placeA2.streetId, committeeId: null }]);
      expect(Date.parse(resource!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
    });

    it('keeps the service area when none is given, and clears contact fields given as null or blank', async () => {
      const created = (await create(validInput({ contactName: '张老师', contactPhone: '13800138000', description: '描述' }))).resource!;
      const id = decodeId(created.id);
      const areaBefore = await areaRows(id);
      const { resource, userErrors } = await update({ id: created.id, contactPhone: null, contactName: '', description: '' });
      expect(userErrors).toEqual([]);
      expect(resource).toMatchObject({ contactPhone: null, contactName: null, description: null, title: created.title });
      expect(await areaRows(id)).toEqual(areaBefore);
    });

    it('refuses a bad change with userErrors and keeps the row and its service area unchanged', async () => {
      const created = (await create(validInput({ serviceArea: [{ area: gid('Committee', placeA1b.committeeId) }] }))).resource!;
      const id = decodeId(created.id);
      const rowBefore = await resourceRow(id);
      const areaBefore = await areaRows(id);
      const { resource, userErrors } = await update({ id: created.id, title: '新标题', capacity: -1, serviceArea: [{ area: gid('District', placeB.districtId) }] });
      expect(resource).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'capacity'], code: 'OUT_OF_RANGE', message: expect.any(String) }]);
      expect(await resourceRow(id)).toEqual(rowBefore);
      expect(await areaRows(id)).toEqual(areaBefore);
    });

    it('checks the window against the stored dates: a new availableUntil before the stored availableFrom is OUT_OF_RANGE', async () => {
      const created = (await create(validInput({ availableFrom: '2026-03-01' }))).resource!;
      const { resource, userErrors } = await update({ id: created.id, availableUntil: '2026-02-01' });
      expect(resource).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'availableUntil'], code: 'OUT_OF_RANGE', message: expect.any(String) }]);
    });

    it('checks ages against the stored ones: a maxAge below the stored minAge is OUT_OF_RANGE', async () => {
      const created = (await create(validInput({ minAge: 60 }))).resource!;
      const { resource, userErrors } = await update({ id: created.id, maxAge: 50 });
      expect(resource).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'maxAge'], code: 'OUT_OF_RANGE', message: expect.any(String) }]);
    });

    it('refuses an empty new service area as REQUIRED and keeps the old one', async () => {
      const created = (await create(validInput())).resource!;
      const id = decodeId(created.id);
      const areaBefore = await areaRows(id);
      const { resource, userErrors } = await update({ id: created.id, serviceArea: [] });
      expect(resource).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'serviceArea'], code: 'REQUIRED', message: expect.any(String) }]);
      expect(await areaRows(id)).toEqual(areaBefore);
    });

    it('refuses to change a CLOSED resource as INVALID_STATE at ["input","id"]', async () => {
      const closed = await makeClosedResource([{ level: 'DISTRICT', districtId: placeB.districtId }]);
      const rowBefore = await resourceRow(closed);
      const { resource, userErrors } = await update({ id: gid('Resource', closed), title: '重新开放' });
      expect(resource).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID_STATE', message: expect.any(String) }]);
      expect(await resourceRow(closed)).toEqual(rowBefore);
    });

    it('refuses an unknown resource as NOT_FOUND at ["input","id"]', async () => {
      for (const id of [gid('Resource', 999_999), gid('Need', 1)]) {
        const { resource, userErrors } = await update({ id, title: '无' });
        expect(resource).toBeNull();
        expect(userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND', message: expect.any(String) }]);
      }
    });
  });

  describe('closeResource', () => {
    it('sets status CLOSED, closedAt and the trimmed closureReason', async () => {
      const created = (await create(validInput())).resource!;
      const { resource, userErrors } = await close({ id: created.id, reason: '  合同到期  ' });
      expect(userErrors).toEqual([]);
      expect(resource).toMatchObject({ id: created.id, status: 'CLOSED', closureReason: '合同到期' });
      expect(Math.abs(Date.parse(resource!.closedAt!) - Date.now())).toBeLessThan(60_000);
      const row = await resourceRow(decodeId(created.id));
      expect(row).toMatchObject({ status: 'CLOSED', closureReason: '合同到期' });
      expect(row.closedAt).toBeInstanceOf(Date);
    });

    it('closes a PAUSED resource too', async () => {
      const paused = await makeResource(hub.db, provider, categories.CARE_NURSING!, [{ level: 'DISTRICT', districtId: placeB.districtId }], { status: 'PAUSED' });
      const { resource, userErrors } = await close({ id: gid('Resource', paused), reason: '服务终止' });
      expect(userErrors).toEqual([]);
      expect(resource!.status).toBe('CLOSED');
    });

    it('refuses a second close as INVALID_STATE and keeps the first reason and time', async () => {
      const created = (await create(validInput())).resource!;
      const first = (await close({ id: created.id, reason: '第一次' })).resource!;
      const { resource, userErrors } = await close({ id: created.id, reason: '第二次' });
      expect(resource).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID_STATE', message: expect.any(String) }]);
      const row = await resourceRow(decodeId(created.id));
      expect(row.closureReason).toBe('第一次');
      expect(row.closedAt!.toISOString()).toBe(new Date(first.closedAt!).toISOString());
    });

    it('refuses an empty reason as REQUIRED at ["input","reason"] and leaves the resource ACTIVE', async () => {
      const created = (await create(validInput())).resource!;
      const { resource, userErrors } = await close({ id: created.id, reason: '   ' });
      expect(resource).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'reason'], code: 'REQUIRED', message: expect.any(String) }]);
      const row = await resourceRow(decodeId(created.id));
      expect(row).toMatchObject({ status: 'ACTIVE', closedAt: null, closureReason: null });
    });
  });

  describe('resources(filter:)', () => {
    /**
     * Own geography, providers and resources, so other tests' rows never match:
     * district D1 with street S1 (committees C1a, C1b) and street S2 (committee C2a); district D2.
     */
    let c1a: Place;
    let c1b: Place;
    let c2a: Place;
    let d2: Place;
    let p1: number;
    let p2: number;
    const r: Record<string, number> = {};

    const ids = (...names: string[]) => names.map((n) => gid('Resource', r[n]!)).sort();

    async function listIds(filter: Record<string, unknown>): Promise<string[]> {
      const result = await hub.run<{ resources: { totalCount: number; nodes: { id: string }[] } }>(LIST, { filter });
      expect(result.errors).toBeUndefined();
      const found = result.data!.resources.nodes.map((n) => n.id).sort();
      expect(result.data!.resources.totalCount).toBe(found.length);
      return found;
    }

    beforeAll(async () => {
      c1a = await makePlace(hub.db);
      c1b = await makePlace(hub.db, { districtId: c1a.districtId, streetId: c1a.streetId });
      c2a = await makePlace(hub.db, { districtId: c1a.districtId });
      d2 = await makePlace(hub.db);
      p1 = await makeProvider(hub.db);
      p2 = await makeProvider(hub.db);
      const care = categories.CARE_NURSING!;
      const counselling = categories.PSYCHOLOGICAL_COUNSELLING!;
      const assessment = categories.CASE_ASSESSMENT!;
      r.wholeD1 = await makeResource(hub.db, p1, care, [{ level: 'DISTRICT', districtId: c1a.districtId }]);
      r.streetS1 = await makeResource(hub.db, p1, counselling, [{ level: 'STREET', districtId: c1a.districtId, streetId: c1a.streetId }]);
      r.committeeC1a = await makeResource(hub.db, p2, assessment, [{ level: 'COMMITTEE', ...c1a }], { status: 'PAUSED', eligibleStatuses: ['MINIMUM_LIVING_ALLOWANCE'] });
      r.committeeC2a = await makeResource(hub.db, p2, care, [{ level: 'COMMITTEE', ...c2a }], { eligibleStatuses: ['LOW_INCOME'], availableUntil: '2026-03-31' });
      await hub.db.update(resources).set({ status: 'CLOSED', closedAt: new Date(), closureReason: '测试关闭' }).where(eq(resources.id, r.committeeC2a));
      r.wholeD2 = await makeResource(hub.db, p2, counselling, [{ level: 'DISTRICT', districtId: d2.districtId }, { level: 'COMMITTEE', ...c1b }], { availableUntil: '2026-04-15' });
      // Dates and eligibility the factory does not set.
      await hub.db.update(resources).set({ availableFrom: '2026-04-15' }).where(eq(resources.id, r.streetS1));
      await hub.db.update(resources).set({ availableFrom: '2026-05-01' }).where(eq(resources.id, r.committeeC1a));
      await hub.db.update(resources).set({ eligibleStatuses: ['LOW_INCOME', 'EXTREME_POVERTY_SUPPORT'], isPublic: true }).where(eq(resources.id, r.wholeD1));
    });

    const scoped = () => ({ providers: [gid('Organization', p1), gid('Organization', p2)] });

    it('servesArea with a District lists every resource with any part of its area in the district', async () => {
      expect(await listIds({ servesArea: gid('District', c1a.districtId) })).toEqual(ids('wholeD1', 'streetS1', 'committeeC1a', 'committeeC2a', 'wholeD2'));
      expect(await listIds({ servesArea: gid('District', d2.districtId) })).toEqual(ids('wholeD2'));
    });

    it('servesArea with a Street lists resources covering its district, the street itself, or one of its committees', async () => {
      expect(await listIds({ servesArea: gid('Street', c1a.streetId) })).toEqual(ids('wholeD1', 'streetS1', 'committeeC1a', 'wholeD2'));
    });

    it('lists a one-committee resource for its street and district but not for a sibling street', async () => {
      expect(await listIds({ servesArea: gid('Street', c2a.streetId) })).toEqual(ids('wholeD1', 'committeeC2a'));
      expect(await listIds({ servesArea: gid('Street', c2a.streetId) })).not.toContain(gid('Resource', r.committeeC1a!));
    });

    it('servesArea with a Committee lists resources covering its district, its street or the committee itself', async () => {
      expect(await listIds({ servesArea: gid('Committee', c1a.committeeId) })).toEqual(ids('wholeD1', 'streetS1', 'committeeC1a'));
      expect(await listIds({ servesArea: gid('Committee', c1b.committeeId) })).toEqual(ids('wholeD1', 'streetS1', 'wholeD2'));
      expect(await listIds({ servesArea: gid('Committee', c2a.committeeId) })).toEqual(ids('wholeD1', 'committeeC2a'));
      expect(await listIds({ servesArea: gid('Committee', d2.committeeId) })).toEqual(ids('wholeD2'));
    });

    it('a servesArea that is not the ID of an existing area is a BAD_USER_INPUT error at ["filter","servesArea"]', async () => {
      for (const servesArea of [gid('Organization', p1), gid('District', 999_999), gid('Committee', 999_999), 'not-an-id']) {
        const result = await hub.run(LIST, { filter: { servesArea } });
        expect(result.data).toBeNull();
        expect(result.errors).toHaveLength(1);
        expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['filter', 'servesArea'] });
        expect(result.errors![0]!.path).toEqual(['resources']);
      }
    });

    it('categories lists resources of any of the given catalogue items', async () => {
      const cat = (code: string) => gid('ServiceCategory', categories[code]!);
      expect(await listIds({ ...scoped(), categories: [cat('CARE_NURSING')] })).toEqual(ids('wholeD1', 'committeeC2a'));
      expect(await listIds({ ...scoped(), categories: [cat('PSYCHOLOGICAL_COUNSELLING'), cat('CASE_ASSESSMENT')] })).toEqual(ids('streetS1', 'committeeC1a', 'wholeD2'));
      expect(await listIds({ ...scoped(), categories: [cat('POLICY_RESEARCH')] })).toEqual([]);
    });

    it('statuses lists resources in any of the given statuses', async () => {
      expect(await listIds({ ...scoped(), statuses: ['ACTIVE'] })).toEqual(ids('wholeD1', 'streetS1', 'wholeD2'));
      expect(await listIds({ ...scoped(), statuses: ['PAUSED', 'CLOSED'] })).toEqual(ids('committeeC1a', 'committeeC2a'));
    });

    it('providers lists resources of any of the given providers', async () => {
      expect(await listIds({ providers: [gid('Organization', p1)] })).toEqual(ids('wholeD1', 'streetS1'));
      expect(await listIds({ providers: [gid('Organization', p2)] })).toEqual(ids('committeeC1a', 'committeeC2a', 'wholeD2'));
      expect(await listIds(scoped())).toEqual(ids('wholeD1', 'streetS1', 'committeeC1a', 'committeeC2a', 'wholeD2'));
    });

    it('availableOn lists resources whose window contains the day, both ends included', async () => {
      // wholeD1 from 2026-01-01 open-ended; streetS1 from 2026-04-15; committeeC1a from 2026-05-01;
      // committeeC2a until 2026-03-31; wholeD2 until 2026-04-15.
      expect(await listIds({ ...scoped(), availableOn: '2026-04-15' })).toEqual(ids('wholeD1', 'streetS1', 'wholeD2'));
      expect(await listIds({ ...scoped(), availableOn: '2026-04-16' })).toEqual(ids('wholeD1', 'streetS1'));
      expect(await listIds({ ...scoped(), availableOn: '2026-03-31' })).toEqual(ids('wholeD1', 'committeeC2a', 'wholeD2'));
      expect(await listIds({ ...scoped(), availableOn: '2025-12-31' })).toEqual([]);
    });

    it('eligibleFor lists resources for that status, including those open to all', async () => {
      expect(await listIds({ ...scoped(), eligibleFor: 'LOW_INCOME' })).toEqual(ids('wholeD1', 'streetS1', 'committeeC2a', 'wholeD2'));
      expect(await listIds({ ...scoped(), eligibleFor: 'MINIMUM_LIVING_ALLOWANCE' })).toEqual(ids('streetS1', 'committeeC1a', 'wholeD2'));
      expect(await listIds({ ...scoped(), eligibleFor: 'EXPENDITURE_POVERTY' })).toEqual(ids('streetS1', 'wholeD2'));
    });

    it('isPublic lists only public or only non-public resources', async () => {
      expect(await listIds({ ...scoped(), isPublic: true })).toEqual(ids('wholeD1'));
      expect(await listIds({ ...scoped(), isPublic: false })).toEqual(ids('streetS1', 'committeeC1a', 'committeeC2a', 'wholeD2'));
    });

    it('combines conditions: all must hold', async () => {
      expect(
        await listIds({ servesArea: gid('Committee', c1a.committeeId), statuses: ['ACTIVE'], eligibleFor: 'LOW_INCOME', availableOn: '2026-04-20' }),
      ).toEqual(ids('wholeD1', 'streetS1'));
    });

    it('rejects a category filter holding an ID of another type as BAD_USER_INPUT at its index', async () => {
      const result = await hub.run(LIST, { filter: { categories: [gid('ServiceCategory', categories.CARE_NURSING!), gid('District', c1a.districtId)] } });
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['filter', 'categories', 1] });
    });
  });
});
