import { asc, eq } from 'drizzle-orm';
import type { GraphQLFormattedError } from 'graphql';
import { cases, committees, districts, organizations, persons, resources, staffMembers, streets } from '../../src/db/schema';
import { categoryIds, gid, makeCaseworker, makeHousehold, makeNeed, makePlace, makeProvider, makeResource, makeStreetOffice } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';

/** Global object identification: `node(id:)` and `nodes(ids:)` refetch any object by its ID. */

const NODE_TYPES = ['District', 'Street', 'Committee', 'Organization', 'StaffMember', 'ServiceCategory', 'Household', 'Person', 'Case', 'Need', 'Resource'] as const;
type NodeTypeName = (typeof NODE_TYPES)[number];

const NODE = `query($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on District { code }
    ... on Street { name }
    ... on Committee { name }
    ... on Organization { name }
    ... on StaffMember { name }
    ... on ServiceCategory { code }
    ... on Household { memberCount }
    ... on Person { relation }
    ... on Case { status }
    ... on Need { units }
    ... on Resource { title }
  }
}`;

function badInputField(errors: readonly GraphQLFormattedError[] | undefined): unknown {
  expect(errors).toHaveLength(1);
  expect(errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  return errors![0]!.extensions?.field;
}

describe('node and nodes', () => {
  let hub: TestHub;
  /** One row key of each type. */
  const keys = {} as Record<NodeTypeName, number>;
  /** A field of each object that tells it from others of its type. */
  const expected = {} as Record<NodeTypeName, Record<string, unknown>>;
  let needIds: number[];

  beforeAll(async () => {
    hub = await startTestHub();
    const categories = await categoryIds(hub.db);
    const [categoryCode, categoryId] = Object.entries(categories)[1]!;
    const place = await makePlace(hub.db);
    const office = await makeStreetOffice(hub.db, place);
    const caseworker = await makeCaseworker(hub.db, office);
    const provider = await makeProvider(hub.db);
    const household = await makeHousehold(hub.db, place, 2);
    const [head] = await hub.db.select().from(persons).where(eq(persons.householdId, household)).orderBy(asc(persons.id));
    const [caseRow] = await hub.db.insert(cases).values({ householdId: household, ownerStreetId: place.streetId, ownerOrganizationId: office, caseworkerId: caseworker, status: 'OPEN' }).returning();
    const need = await makeNeed(hub.db, household, place, categoryId!);
    const resource = await makeResource(hub.db, provider, categoryId!, [{ level: 'DISTRICT', districtId: place.districtId }]);
    Object.assign(keys, {
      District: place.districtId,
      Street: place.streetId,
      Committee: place.committeeId,
      Organization: provider,
      StaffMember: caseworker,
      ServiceCategory: categoryId,
      Household: household,
      Person: head!.id,
      Case: caseRow!.id,
      Need: need,
      Resource: resource,
    });
    const one = async <T>(rows: Promise<T[]>): Promise<T> => (await rows)[0]!;
    const district = await one(hub.db.select().from(districts).where(eq(districts.id, place.districtId)));
    const street = await one(hub.db.select().from(streets).where(eq(streets.id, place.streetId)));
    const committee = await one(hub.db.select().from(committees).where(eq(committees.id, place.committeeId)));
    const organization = await one(hub.db.select().from(organizations).where(eq(organizations.id, provider)));
    const staff = await one(hub.db.select().from(staffMembers).where(eq(staffMembers.id, caseworker)));
    const resourceRow = await one(hub.db.select().from(resources).where(eq(resources.id, resource)));
    Object.assign(expected, {
      District: { code: district.code },
      Street: { name: street.nameZh },
      Committee: { name: committee.nameZh },
      Organization: { name: organization.nameZh },
      StaffMember: { name: staff.name },
      ServiceCategory: { code: categoryCode },
      Household: { memberCount: 2 },
      Person: { relation: 'HEAD' },
      Case: { status: 'OPEN' },
      Need: { units: 2 },
      Resource: { title: resourceRow.title },
    });
    needIds = [need];
    for (let i = 0; i < 49; i += 1) needIds.push(await makeNeed(hub.db, household, place, categoryId!));
  });

  afterAll(() => hub.close());

  it.each(NODE_TYPES)('node(id:) refetches a %s with the right __typename and the same id', async (typeName) => {
    const id = gid(typeName, keys[typeName]);
    const result = await hub.run<{ node: Record<string, unknown> }>(NODE, { id });
    expect(result.errors).toBeUndefined();
    expect(result.data!.node).toEqual({ __typename: typeName, id, ...expected[typeName] });
  });

  it.each([
    ['an unknown key', () => gid('Need', 999_999)],
    ['the largest key', () => gid('District', 2_147_483_647)],
    ['an unknown type', () => gid('Unicorn', 1)],
    ['a type that is not a Node', () => gid('PageInfo', 1)],
    ['a lower-case type', () => gid('need', 1)],
    ['key zero', () => Buffer.from('Need:0').toString('base64url')],
    ['a negative key', () => Buffer.from('Need:-1').toString('base64url')],
    ['a key beyond int32', () => Buffer.from('Need:2147483648').toString('base64url')],
    ['a raw row key', () => '1'],
    ['garbage', () => 'not an id!'],
    ['the empty string', () => ''],
    ['a non-canonical spelling of a real ID', () => gid('Household', 1).slice(0, -1) + 'F'],
  ])('node(id:) gives null, not an error, for %s', async (_label, id) => {
    const result = await hub.run<{ node: unknown }>(NODE, { id: id() });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ node: null });
  });

  it('nodes(ids:) keeps the order of the IDs, with null where nothing has the ID', async () => {
    const ids = [gid('Need', keys.Need), gid('Need', 999_999), gid('District', keys.District), 'garbage', gid('Household', keys.Household), gid('Need', keys.Need), gid('Unicorn', 3), gid('Person', keys.Person)];
    const result = await hub.run<{ nodes: ({ __typename: string; id: string } | null)[] }>(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids });
    expect(result.errors).toBeUndefined();
    expect(result.data!.nodes).toEqual([
      { __typename: 'Need', id: ids[0] },
      null,
      { __typename: 'District', id: ids[2] },
      null,
      { __typename: 'Household', id: ids[4] },
      { __typename: 'Need', id: ids[5] },
      null,
      { __typename: 'Person', id: ids[7] },
    ]);
  });

  it('nodes(ids:) with no IDs gives an empty list', async () => {
    const result = await hub.run<{ nodes: unknown[] }>(`{ nodes(ids: []) { id } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.nodes).toEqual([]);
    expect(result.statements).toBe(0);
  });

  it('nodes(ids:) takes 100 IDs', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => gid('Need', needIds[i % needIds.length]!));
    const result = await hub.run<{ nodes: { id: string }[] }>(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(result.errors).toBeUndefined();
    expect(result.data!.nodes.map((n) => n.id)).toEqual(ids);
  });

  it('nodes(ids:) refuses more than 100 IDs with BAD_USER_INPUT on ["ids"], before any SQL', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => gid('Need', i + 1));
    const result = await hub.run(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(badInputField(result.errors)).toEqual(['ids']);
    expect(result.data).toBeNull();
    expect(result.statements).toBe(0);
  });

  it('nodes(ids:) for 50 needs costs one statement', async () => {
    const ids = needIds.map((id) => gid('Need', id));
    const result = await hub.run<{ nodes: { id: string; units: number }[] }>(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Need { units } } }`, { ids });
    expect(result.errors).toBeUndefined();
    expect(result.data!.nodes.map((n) => n.id)).toEqual(ids);
    expect(result.statements).toBe(1);
  });

  it('nodes(ids:) costs one statement per type and per level, not per ID', async () => {
    const ids = [...needIds.map((id) => gid('Need', id)), gid('District', keys.District), gid('Household', keys.Household), gid('Need', 999_999)];
    const result = await hub.run<{ nodes: ({ __typename: string; household?: { id: string } } | null)[] }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Need { household { id committee { name } } } } }`,
      { ids },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.nodes).toHaveLength(53);
    expect(result.data!.nodes.slice(0, 50).every((n) => n?.household?.id === gid('Household', keys.Household))).toBe(true);
    expect(result.data!.nodes.at(-1)).toBeNull();
    // needs, districts, households with their committees (the Household node and the needs' household share one batch)
    expect(result.statements).toBe(3);
  });

  it('node(id:) and nodes(ids:) answer the same for the same ID', async () => {
    const ids = NODE_TYPES.map((typeName) => gid(typeName, keys[typeName]));
    const many = await hub.run<{ nodes: { __typename: string; id: string }[] }>(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids });
    expect(many.errors).toBeUndefined();
    expect(many.data!.nodes).toEqual(NODE_TYPES.map((typeName, i) => ({ __typename: typeName, id: ids[i] })));
    // One statement per type.
    expect(many.statements).toBe(NODE_TYPES.length);
  });
});
