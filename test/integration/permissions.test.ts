import { count, eq, isNull } from 'drizzle-orm';
import type { GraphQLFormattedError } from 'graphql';
import { PUBLIC_PRINCIPAL, type Principal } from '../../src/auth/principal';
import { fromGlobalId } from '../../src/common/global-id';
import type { Database } from '../../src/db/client';
import { auditLog, cases, districts, households, needs, organizations, persons, resourceServiceAreas, resources, serviceCategories } from '../../src/db/schema';
import { gid, makeNeed, makeResource } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';
import {
  buildWorld,
  CASE_KEYS,
  distinctiveAddress,
  distinctiveMobile,
  distinctiveName,
  distinctiveResidentId,
  HOUSEHOLD_KEYS,
  ids,
  NEED_KEYS,
  ORG_KEYS,
  principalsOf,
  RESOURCE_KEYS,
  STAFF_KEYS,
  VIEWER_KEYS,
  type CaseKey,
  type HouseholdKey,
  type NeedKey,
  type ResourceKey,
  type StaffKey,
  type StreetKey,
  type ViewerKey,
  type World,
} from '../support/principals';

/**
 * The permission suite: the same queries as every role, asserting exactly which rows come back.
 * What each viewer sees is written out below from the meaning of the policy table
 * (src/auth/policy.ts, src/auth/roles.ts, README "Roles and rows"), not from the code's answers.
 */

type Viewer = ViewerKey | 'streetA2';

interface Sight {
  readonly households: readonly HouseholdKey[];
  readonly cases: readonly CaseKey[];
  readonly needs: readonly NeedKey[];
  readonly resources: readonly ResourceKey[];
  readonly staff: readonly StaffKey[];
}

const A1_HOUSEHOLDS: HouseholdKey[] = ['A1a', 'A1b', 'A1c', 'A1d', 'X'];
/** Needs located in street A1 (the cross household X lives there; "moved" was recorded there). */
const A1_NEEDS: NeedKey[] = ['A1a', 'A1a2', 'A1b', 'A1c', 'A1d', 'X', 'moved'];
const NOTHING_PERSONAL = { households: [], cases: [], needs: [] } as const;
/** Government roles read every resource, public or not. */
const ALL_RESOURCES = RESOURCE_KEYS;

const SEES: Readonly<Record<Viewer, Sight>> = {
  city: { households: HOUSEHOLD_KEYS, cases: CASE_KEYS, needs: NEED_KEYS, resources: ALL_RESOURCES, staff: STAFF_KEYS },
  // District A: households living or registered in A; cases owned by A's streets; needs located in A; staff of organizations in A.
  district: {
    households: ['A1a', 'A1b', 'A1c', 'A1d', 'X', 'A2'],
    cases: ['A1a', 'A1b', 'A1d', 'Old', 'X', 'A2'],
    needs: [...A1_NEEDS, 'A2'],
    resources: ALL_RESOURCES,
    staff: ['bureauA1', 'swA1', 'swA1b', 'officerA1', 'swA2'],
  },
  // Street A1: households living or registered in A1; cases owned by A1 or of those households; needs located in A1.
  street: { households: A1_HOUSEHOLDS, cases: ['A1a', 'A1b', 'A1d', 'Old', 'X'], needs: A1_NEEDS, resources: ALL_RESOURCES, staff: ['swA1', 'swA1b', 'officerA1'] },
  service: { households: A1_HOUSEHOLDS, cases: ['A1a', 'A1b', 'A1d', 'Old', 'X'], needs: A1_NEEDS, resources: ALL_RESOURCES, staff: ['swA1', 'swA1b', 'officerA1'] },
  // Committees: households and needs of their streets, no cases, no staff.
  committee: { households: A1_HOUSEHOLDS, cases: [], needs: A1_NEEDS, resources: ALL_RESOURCES, staff: [] },
  // The caseworker: the households of the cases it owns (open or closed), their needs, and those cases.
  caseworker: { households: ['A1a', 'A1b', 'B2'], cases: ['A1a', 'A1b', 'Old'], needs: ['A1a', 'A1a2', 'A1b', 'B2'], resources: ALL_RESOURCES, staff: [] },
  finance: { ...NOTHING_PERSONAL, resources: ALL_RESOURCES, staff: [] },
  hr: { ...NOTHING_PERSONAL, resources: ALL_RESOURCES, staff: [] },
  verification: { ...NOTHING_PERSONAL, resources: ALL_RESOURCES, staff: [] },
  auditor: { ...NOTHING_PERSONAL, resources: ALL_RESOURCES, staff: [] },
  // Providers and community organisations: their own resources and the public directory, their own staff.
  provider: { ...NOTHING_PERSONAL, resources: ['Ppublic', 'Pprivate', 'Qpublic'], staff: ['P1', 'P2'] },
  community: { ...NOTHING_PERSONAL, resources: ['Ppublic', 'Qpublic', 'Qprivate'], staff: ['Q1'] },
  public: { ...NOTHING_PERSONAL, resources: ['Ppublic', 'Qpublic'], staff: [] },
  // A2's street officer: the household living in A1 and registered in A2 is visible by design; its needs lie in A1.
  streetA2: { households: ['X', 'A2'], cases: ['X', 'A2'], needs: ['A2'], resources: ALL_RESOURCES, staff: ['swA2'] },
};

const VIEWERS: readonly Viewer[] = [...VIEWER_KEYS, 'streetA2'];

interface Conn {
  totalCount: number;
  nodes: { id: string }[];
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();
const idsOf = (conn: Conn): string[] => sorted(conn.nodes.map((n) => n.id));

/** Every global ID of the world's scoped rows, with the visibility each viewer should have. */
class Expectations {
  constructor(
    readonly world: World,
    readonly sight: Sight,
  ) {}

  households = (): string[] => sorted(this.sight.households.map((k) => ids.household(this.world, k)));
  persons = (): string[] => sorted(this.world.persons.filter((p) => this.sight.households.includes(p.household)).map((p) => gid('Person', p.id)));
  cases = (): string[] => sorted(this.sight.cases.map((k) => ids.case(this.world, k)));
  needs = (): string[] => sorted(this.sight.needs.map((k) => ids.need(this.world, k)));
  resources = (): string[] => sorted(this.sight.resources.map((k) => ids.resource(this.world, k)));
  staff = (): string[] => sorted(this.sight.staff.map((k) => ids.staff(this.world, k)));

  /** Whether a global ID of a scoped type is visible; unscoped types (geography, organizations, catalogue) always are. */
  visible(globalId: string): boolean {
    const decoded = fromGlobalId(globalId)!;
    switch (decoded.typeName) {
      case 'Household':
        return this.households().includes(globalId);
      case 'Person':
        return this.persons().includes(globalId);
      case 'Case':
        return this.cases().includes(globalId);
      case 'Need':
        return this.needs().includes(globalId);
      case 'Resource':
        return this.resources().includes(globalId);
      case 'StaffMember':
        return this.staff().includes(globalId);
      default:
        return true;
    }
  }
}

/** Every (typename, id) object anywhere in a response. */
function objectsIn(value: unknown, found: { typename: string; id: string }[] = []): { typename: string; id: string }[] {
  if (Array.isArray(value)) for (const item of value) objectsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.id === 'string' && fromGlobalId(record.id)) found.push({ typename: String(record.__typename ?? fromGlobalId(record.id)!.typeName), id: record.id });
    for (const child of Object.values(record)) objectsIn(child, found);
  }
  return found;
}

function noErrors(errors: readonly GraphQLFormattedError[] | undefined): void {
  expect(errors ?? []).toEqual([]);
}

const LISTS = `query Lists {
  needs(first: 100) { totalCount nodes { id } }
  households(first: 100) { totalCount nodes { id } }
  cases(first: 100) { totalCount nodes { id } }
  resources(first: 100) { totalCount nodes { id } }
  organizations(first: 100) { totalCount nodes { id } }
  districts(first: 100) { totalCount nodes { id } }
  serviceCategories(first: 100) { totalCount nodes { id } }
}`;

const NODE = `query Node($id: ID!) { node(id: $id) { __typename id } }`;
const NODES = `query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`;

const GRAPH = `query Graph {
  needs(first: 50) { totalCount nodes { __typename id household { __typename id } case { __typename id } } }
  households(first: 50) {
    nodes {
      __typename id memberCount
      persons(first: 20) { totalCount nodes { __typename id household { __typename id } } }
      needs(first: 20) { totalCount nodes { __typename id } }
      cases(first: 20) { totalCount nodes { __typename id } }
    }
  }
  cases(first: 50) {
    nodes { __typename id household { __typename id } caseworker { __typename id } needs(first: 20) { totalCount nodes { __typename id } } }
  }
  organizations(first: 50) {
    nodes { __typename id staff(first: 20) { totalCount nodes { __typename id } } resources(first: 20) { totalCount nodes { __typename id } } }
  }
  resources(first: 50) { nodes { __typename id provider { __typename id } } }
}`;

interface Ref {
  __typename: string;
  id: string;
}
interface GraphData {
  needs: { totalCount: number; nodes: (Ref & { household: Ref | null; case: Ref | null })[] };
  households: { nodes: (Ref & { memberCount: number; persons: Conn & { nodes: (Ref & { household: Ref | null })[] }; needs: Conn; cases: Conn })[] };
  cases: { nodes: (Ref & { household: Ref | null; caseworker: Ref | null; needs: Conn })[] };
  organizations: { nodes: (Ref & { staff: Conn; resources: Conn })[] };
  resources: { nodes: (Ref & { provider: Ref })[] };
}

const FILTERS = `query Filters(
  $A: ID!, $B: ID!, $A1: ID!, $A2: ID!, $B1: ID!, $P: ID!, $Q: ID!,
  $swA1: ID!, $swA1b: ID!, $swA2: ID!, $hX: ID!, $hB1: ID!
) {
  needsA: needs(first: 100, filter: { districts: [$A] }) { totalCount nodes { id } }
  needsB: needs(first: 100, filter: { districts: [$B] }) { totalCount nodes { id } }
  needsAB: needs(first: 100, filter: { districts: [$A, $B] }) { totalCount nodes { id } }
  needsA1: needs(first: 100, filter: { streets: [$A1] }) { totalCount nodes { id } }
  needsA2: needs(first: 100, filter: { streets: [$A2] }) { totalCount nodes { id } }
  needsB1: needs(first: 100, filter: { streets: [$B1] }) { totalCount nodes { id } }
  householdsA: households(first: 100, district: $A) { totalCount nodes { id } }
  householdsB: households(first: 100, district: $B) { totalCount nodes { id } }
  householdsA1: households(first: 100, street: $A1) { totalCount nodes { id } }
  householdsA2: households(first: 100, street: $A2) { totalCount nodes { id } }
  casesA1: cases(first: 100, ownerStreet: $A1) { totalCount nodes { id } }
  casesA2: cases(first: 100, ownerStreet: $A2) { totalCount nodes { id } }
  casesB1: cases(first: 100, ownerStreet: $B1) { totalCount nodes { id } }
  casesSwA1: cases(first: 100, caseworker: $swA1) { totalCount nodes { id } }
  casesSwA1b: cases(first: 100, caseworker: $swA1b) { totalCount nodes { id } }
  casesSwA2: cases(first: 100, caseworker: $swA2) { totalCount nodes { id } }
  casesOfX: cases(first: 100, household: $hX) { totalCount nodes { id } }
  casesOfB1: cases(first: 100, household: $hB1) { totalCount nodes { id } }
  resourcesP: resources(first: 100, filter: { providers: [$P] }) { totalCount nodes { id } }
  resourcesQ: resources(first: 100, filter: { providers: [$Q] }) { totalCount nodes { id } }
  resourcesPrivate: resources(first: 100, filter: { isPublic: false }) { totalCount nodes { id } }
  resourcesPublic: resources(first: 100, filter: { isPublic: true }) { totalCount nodes { id } }
}`;

const districtOf = (street: StreetKey): 'A' | 'B' => (street.startsWith('A') ? 'A' : 'B');

describe('permissions: what each role reads', () => {
  let hub: TestHub;
  let world: World;
  let viewers: Record<Viewer, Principal>;
  const expectations = (viewer: Viewer) => new Expectations(world, SEES[viewer]);

  beforeAll(async () => {
    hub = await startTestHub();
    world = await buildWorld(hub.db);
    viewers = principalsOf(world);
  });

  afterAll(() => hub.close());

  it('builds one viewer per role of the policy table, and the public', () => {
    const roles = VIEWER_KEYS.filter((k) => k !== 'public').map((k) => viewers[k].roles[0]);
    expect(new Set(roles).size).toBe(12);
    expect(viewers.public).toBe(PUBLIC_PRINCIPAL);
  });

  describe.each(VIEWERS)('%s', (viewerKey) => {
    const run = <Data>(query: string, variables?: Record<string, unknown>) => hub.run<Data>(query, variables, { viewer: viewers[viewerKey] });

    it('lists exactly the rows of its scope, and totalCount counts only those', async () => {
      const expected = expectations(viewerKey);
      const { data, errors } = await run<Record<'needs' | 'households' | 'cases' | 'resources' | 'organizations' | 'districts' | 'serviceCategories', Conn>>(LISTS);
      noErrors(errors);
      const lists = data!;
      expect(idsOf(lists.needs)).toEqual(expected.needs());
      expect(idsOf(lists.households)).toEqual(expected.households());
      expect(idsOf(lists.cases)).toEqual(expected.cases());
      expect(idsOf(lists.resources)).toEqual(expected.resources());
      for (const list of ['needs', 'households', 'cases', 'resources'] as const) expect(lists[list].totalCount).toBe(lists[list].nodes.length);

      // Reference data is public to everyone.
      const allOrganizations = await hub.db.select({ id: organizations.id }).from(organizations);
      expect(idsOf(lists.organizations)).toEqual(sorted(allOrganizations.map((o) => gid('Organization', o.id))));
      expect(lists.organizations.totalCount).toBe(allOrganizations.length);
      const allDistricts = await hub.db.select({ id: districts.id }).from(districts);
      expect(idsOf(lists.districts)).toEqual(sorted(allDistricts.map((d) => gid('District', d.id))));
      expect(lists.districts.totalCount).toBe(2);
      const [{ n }] = (await hub.db.select({ n: count() }).from(serviceCategories).where(isNull(serviceCategories.retiredAt))) as [{ n: number }];
      expect(lists.serviceCategories.totalCount).toBe(Number(n));
      expect(lists.serviceCategories.nodes.length).toBe(Math.min(Number(n), 100));
    });

    it('paging with cursors, forward and backward, walks exactly the rows of its scope', async () => {
      const expected = expectations(viewerKey);
      const lists = { needs: expected.needs(), households: expected.households(), cases: expected.cases(), resources: expected.resources() };
      for (const [field, want] of Object.entries(lists)) {
        for (const direction of ['forward', 'backward'] as const) {
          const seen: string[] = [];
          let cursor: string | null = null;
          for (let page = 0; page < 20; page += 1) {
            const query =
              direction === 'forward'
                ? `query($after: String) { list: ${field}(first: 2, after: $after) { totalCount nodes { id } pageInfo { more: hasNextPage cursor: endCursor } } }`
                : `query($before: String) { list: ${field}(last: 2, before: $before) { totalCount nodes { id } pageInfo { more: hasPreviousPage cursor: startCursor } } }`;
            const { data, errors }: { data: { list: Conn & { pageInfo: { more: boolean; cursor: string | null } } } | null | undefined; errors?: readonly GraphQLFormattedError[] } = await run(query, direction === 'forward' ? { after: cursor } : { before: cursor });
            noErrors(errors);
            expect({ field, totalCount: data!.list.totalCount }).toEqual({ field, totalCount: want.length });
            seen.push(...data!.list.nodes.map((n) => n.id));
            if (!data!.list.pageInfo.more) break;
            cursor = data!.list.pageInfo.cursor;
          }
          expect({ field, direction, ids: sorted(seen) }).toEqual({ field, direction, ids: want });
          expect(seen.length).toBe(want.length);
        }
      }
    });

    it('node(id:) and nodes(ids:) return the rows of its scope and null for every hidden one', async () => {
      const expected = expectations(viewerKey);
      const everything = [
        ...HOUSEHOLD_KEYS.map((k) => ids.household(world, k)),
        ...world.persons.map((p) => gid('Person', p.id)),
        ...CASE_KEYS.map((k) => ids.case(world, k)),
        ...NEED_KEYS.map((k) => ids.need(world, k)),
        ...RESOURCE_KEYS.map((k) => ids.resource(world, k)),
        ...STAFF_KEYS.map((k) => ids.staff(world, k)),
      ];
      const batch = await run<{ nodes: (Ref | null)[] }>(NODES, { ids: everything });
      noErrors(batch.errors);
      expect(batch.data!.nodes.map((node) => node?.id ?? null)).toEqual(everything.map((id) => (expected.visible(id) ? id : null)));
      for (const id of everything) {
        const single = await run<{ node: Ref | null }>(NODE, { id });
        noErrors(single.errors);
        expect({ id, node: single.data!.node }).toEqual({ id, node: expected.visible(id) ? { __typename: fromGlobalId(id)!.typeName, id } : null });
      }
    });

    it('nested fields never reach a hidden row: references read null, connections list and count only visible rows', async () => {
      const expected = expectations(viewerKey);
      const { data, errors } = await run<GraphData>(GRAPH);
      noErrors(errors);
      const graph = data!;
      const ref = (typename: string, id: string): Ref | null => (expected.visible(id) ? { __typename: typename, id } : null);
      const conn = (conn: Conn, ids: string[]) => {
        expect(idsOf(conn)).toEqual(sorted(ids));
        expect(conn.totalCount).toBe(ids.length);
      };

      // Nothing hidden anywhere in the response, at any depth.
      const hidden = objectsIn(graph).filter((o) => !expected.visible(o.id));
      expect(hidden).toEqual([]);

      // need { household case }
      expect(sorted(graph.needs.nodes.map((n) => n.id))).toEqual(expected.needs());
      for (const need of graph.needs.nodes) {
        const key = NEED_KEYS.find((k) => ids.need(world, k) === need.id)!;
        const row = world.needs[key];
        expect({ need: key, household: need.household }).toEqual({ need: key, household: ref('Household', ids.household(world, row.household)) });
        expect({ need: key, case: need.case }).toEqual({ need: key, case: row.case ? ref('Case', ids.case(world, row.case)) : null });
      }

      // household { persons needs cases memberCount }
      expect(sorted(graph.households.nodes.map((h) => h.id))).toEqual(expected.households());
      for (const household of graph.households.nodes) {
        const key = HOUSEHOLD_KEYS.find((k) => ids.household(world, k) === household.id)!;
        const members = world.persons.filter((p) => p.household === key).map((p) => gid('Person', p.id));
        conn(household.persons, members);
        expect(household.memberCount).toBe(members.length);
        for (const person of household.persons.nodes) expect(person.household).toEqual({ __typename: 'Household', id: household.id });
        conn(household.needs, NEED_KEYS.filter((k) => world.needs[k].household === key).map((k) => ids.need(world, k)).filter((id) => expected.visible(id)));
        conn(household.cases, CASE_KEYS.filter((k) => world.cases[k].household === key).map((k) => ids.case(world, k)).filter((id) => expected.visible(id)));
      }

      // case { household caseworker needs }
      expect(sorted(graph.cases.nodes.map((c) => c.id))).toEqual(expected.cases());
      for (const found of graph.cases.nodes) {
        const key = CASE_KEYS.find((k) => ids.case(world, k) === found.id)!;
        const row = world.cases[key];
        expect({ case: key, household: found.household }).toEqual({ case: key, household: ref('Household', ids.household(world, row.household)) });
        expect({ case: key, caseworker: found.caseworker }).toEqual({ case: key, caseworker: ref('StaffMember', ids.staff(world, row.caseworker)) });
        conn(found.needs, NEED_KEYS.filter((k) => world.needs[k].case === key).map((k) => ids.need(world, k)).filter((id) => expected.visible(id)));
      }

      // organization { staff resources }: every organization is listed, its children filtered.
      for (const orgKey of ORG_KEYS) {
        const found = graph.organizations.nodes.find((o) => o.id === ids.org(world, orgKey));
        expect(found).toBeDefined();
        conn(found!.staff, STAFF_KEYS.filter((k) => world.staff[k].org === orgKey).map((k) => ids.staff(world, k)).filter((id) => expected.visible(id)));
        conn(found!.resources, RESOURCE_KEYS.filter((k) => world.resources[k].provider === orgKey).map((k) => ids.resource(world, k)).filter((id) => expected.visible(id)));
      }

      // resource { provider }: organizations are public.
      expect(sorted(graph.resources.nodes.map((r) => r.id))).toEqual(expected.resources());
      for (const resource of graph.resources.nodes) {
        const key = RESOURCE_KEYS.find((k) => ids.resource(world, k) === resource.id)!;
        expect(resource.provider).toEqual({ __typename: 'Organization', id: ids.org(world, world.resources[key].provider) });
      }
    });

    it('filters and aliases narrow its scope, never widen it', async () => {
      const expected = expectations(viewerKey);
      const w = world;
      const { data, errors } = await run<Record<string, Conn>>(FILTERS, {
        A: gid('District', w.districts.A),
        B: gid('District', w.districts.B),
        A1: gid('Street', w.streets.A1),
        A2: gid('Street', w.streets.A2),
        B1: gid('Street', w.streets.B1),
        P: ids.org(w, 'P'),
        Q: ids.org(w, 'Q'),
        swA1: ids.staff(w, 'swA1'),
        swA1b: ids.staff(w, 'swA1b'),
        swA2: ids.staff(w, 'swA2'),
        hX: ids.household(w, 'X'),
        hB1: ids.household(w, 'B1'),
      });
      noErrors(errors);
      const visibleNeeds = (match: (k: NeedKey) => boolean) => NEED_KEYS.filter(match).map((k) => ids.need(w, k)).filter((id) => expected.visible(id));
      const visibleHouseholds = (match: (k: HouseholdKey) => boolean) => HOUSEHOLD_KEYS.filter(match).map((k) => ids.household(w, k)).filter((id) => expected.visible(id));
      const visibleCases = (match: (k: CaseKey) => boolean) => CASE_KEYS.filter(match).map((k) => ids.case(w, k)).filter((id) => expected.visible(id));
      const visibleResources = (match: (k: ResourceKey) => boolean) => RESOURCE_KEYS.filter(match).map((k) => ids.resource(w, k)).filter((id) => expected.visible(id));
      const want: Record<string, string[]> = {
        needsA: visibleNeeds((k) => districtOf(w.needs[k].street) === 'A'),
        needsB: visibleNeeds((k) => districtOf(w.needs[k].street) === 'B'),
        needsAB: visibleNeeds(() => true),
        needsA1: visibleNeeds((k) => w.needs[k].street === 'A1'),
        needsA2: visibleNeeds((k) => w.needs[k].street === 'A2'),
        needsB1: visibleNeeds((k) => w.needs[k].street === 'B1'),
        householdsA: visibleHouseholds((k) => districtOf(w.households[k].lives) === 'A'),
        householdsB: visibleHouseholds((k) => districtOf(w.households[k].lives) === 'B'),
        householdsA1: visibleHouseholds((k) => w.households[k].lives === 'A1'),
        householdsA2: visibleHouseholds((k) => w.households[k].lives === 'A2'),
        casesA1: visibleCases((k) => w.cases[k].ownerStreet === 'A1'),
        casesA2: visibleCases((k) => w.cases[k].ownerStreet === 'A2'),
        casesB1: visibleCases((k) => w.cases[k].ownerStreet === 'B1'),
        casesSwA1: visibleCases((k) => w.cases[k].caseworker === 'swA1'),
        casesSwA1b: visibleCases((k) => w.cases[k].caseworker === 'swA1b'),
        casesSwA2: visibleCases((k) => w.cases[k].caseworker === 'swA2'),
        casesOfX: visibleCases((k) => w.cases[k].household === 'X'),
        casesOfB1: visibleCases((k) => w.cases[k].household === 'B1'),
        resourcesP: visibleResources((k) => w.resources[k].provider === 'P'),
        resourcesQ: visibleResources((k) => w.resources[k].provider === 'Q'),
        resourcesPrivate: visibleResources((k) => !w.resources[k].isPublic),
        resourcesPublic: visibleResources((k) => w.resources[k].isPublic),
      };
      const got = Object.fromEntries(Object.entries(data!).map(([alias, conn]) => [alias, { ids: idsOf(conn), totalCount: conn.totalCount }]));
      expect(got).toEqual(Object.fromEntries(Object.entries(want).map(([alias, list]) => [alias, { ids: sorted(list), totalCount: list.length }])));
    });
  });

  it("a district officer asking for another district's needs, households or cases gets an empty list", async () => {
    const B = gid('District', world.districts.B);
    const { data, errors } = await hub.run<Record<string, Conn>>(
      `query($B: ID!, $B1: ID!) {
        needs(filter: { districts: [$B] }) { totalCount nodes { id } }
        households(district: $B) { totalCount nodes { id } }
        cases(ownerStreet: $B1) { totalCount nodes { id } }
      }`,
      { B, B1: gid('Street', world.streets.B1) },
      { viewer: viewers.district },
    );
    noErrors(errors);
    expect(data).toEqual({ needs: { totalCount: 0, nodes: [] }, households: { totalCount: 0, nodes: [] }, cases: { totalCount: 0, nodes: [] } });
  });

  it('the same field twice under different aliases and arguments is scoped each time', async () => {
    const { data, errors } = await hub.run<Record<string, Conn & { nodes: { id: string; household: { id: string } | null }[] }>>(
      `query($A: ID!, $B: ID!) {
        a: needs(first: 100, filter: { districts: [$A] }) { totalCount nodes { id household { id } } }
        b: needs(first: 100, filter: { districts: [$B] }) { totalCount nodes { id household { id } } }
        c: needs(first: 100) { totalCount nodes { id household { id } } }
      }`,
      { A: gid('District', world.districts.A), B: gid('District', world.districts.B) },
      { viewer: viewers.district },
    );
    noErrors(errors);
    const expected = expectations('district');
    expect(idsOf(data!.a)).toEqual(expected.needs());
    expect(data!.b).toEqual({ totalCount: 0, nodes: [] });
    expect(idsOf(data!.c)).toEqual(expected.needs());
    // The old need of a household that moved to B lies in A: listed, but its household stays hidden.
    const moved = data!.a.nodes.find((n) => n.id === ids.need(world, 'moved'));
    expect(moved).toEqual({ id: ids.need(world, 'moved'), household: null });
  });

  it('the household living in A1 and registered in A2 is visible to both street officers, with its persons and case', async () => {
    for (const viewer of [viewers.street, viewers.streetA2]) {
      const { data, errors } = await hub.run<{ node: { id: string; persons: Conn; cases: Conn } | null }>(
        `query($id: ID!) { node(id: $id) { id ... on Household { persons { totalCount nodes { id } } cases { totalCount nodes { id } } } } }`,
        { id: ids.household(world, 'X') },
        { viewer },
      );
      noErrors(errors);
      expect(data!.node?.id).toBe(ids.household(world, 'X'));
      expect(idsOf(data!.node!.persons)).toEqual(sorted(world.persons.filter((p) => p.household === 'X').map((p) => gid('Person', p.id))));
      expect(idsOf(data!.node!.cases)).toEqual([ids.case(world, 'X')]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Writes

const CREATE_NEED = `mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id units status } userErrors { code field message } } }`;
const UPDATE_NEED = `mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { id units status } userErrors { code field message } } }`;
const WITHDRAW_NEED = `mutation($input: WithdrawNeedInput!) { withdrawNeed(input: $input) { need { id units status } userErrors { code field message } } }`;
const REGISTER = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id } userErrors { code field message } } }`;
const OPEN_CASE = `mutation($input: OpenCaseInput!) { openCase(input: $input) { case { id status } userErrors { code field message } } }`;
const CREATE_RESOURCE = `mutation($input: CreateResourceInput!) { createResource(input: $input) { resource { id capacity status } userErrors { code field message } } }`;
const UPDATE_RESOURCE = `mutation($input: UpdateResourceInput!) { updateResource(input: $input) { resource { id capacity status } userErrors { code field message } } }`;
const CLOSE_RESOURCE = `mutation($input: CloseResourceInput!) { closeResource(input: $input) { resource { id capacity status } userErrors { code field message } } }`;
const CREATE_CATEGORY = `mutation($input: CreateServiceCategoryInput!) { createServiceCategory(input: $input) { serviceCategory { id code } userErrors { code field message } } }`;

const UPDATE_CATEGORY = `mutation($input: UpdateServiceCategoryInput!) { updateServiceCategory(input: $input) { serviceCategory { id } userErrors { code field message } } }`;
const RETIRE_CATEGORY = `mutation($input: ID!) { retireServiceCategory(id: $input) { serviceCategory { id active } userErrors { code field message } } }`;
const REINSTATE_CATEGORY = `mutation($input: ID!) { reinstateServiceCategory(id: $input) { serviceCategory { id active } userErrors { code field message } } }`;

type Outcome = 'allowed' | 'refused';
const NO_WRITE_ROLES: readonly ViewerKey[] = ['finance', 'hr', 'verification', 'auditor'];

async function rowCounts(db: Database): Promise<Record<string, number>> {
  const tables = { needs, households, persons, cases, resources, resourceServiceAreas, serviceCategories, auditLog };
  const result: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) {
    const [row] = await db.select({ n: count() }).from(table);
    result[name] = Number(row!.n);
  }
  return result;
}

describe('permissions: what each role may change', () => {
  let hub: TestHub;
  let world: World;
  let viewers: Record<Viewer, Principal>;
  let categoryCounter = 0;

  beforeAll(async () => {
    hub = await startTestHub();
    world = await buildWorld(hub.db);
    viewers = principalsOf(world);
  });

  afterAll(() => hub.close());

  /**
   * Runs a mutation as the viewer. A refusal is an error with code FORBIDDEN (UNAUTHENTICATED for
   * the public), no payload, and no row written anywhere, the audit log included. An allowed
   * write has no error and no user error, and is audited.
   */
  async function attempt<Payload extends { userErrors: unknown[] }>(viewer: Viewer, outcome: Outcome, mutation: string, input: unknown): Promise<Payload | undefined> {
    const principal = viewers[viewer];
    const before = await rowCounts(hub.db);
    const { data, errors } = await hub.run<Record<string, Payload>>(mutation, { input }, { viewer: principal });
    const after = await rowCounts(hub.db);
    if (outcome === 'refused') {
      expect({ viewer, codes: (errors ?? []).map((e) => e.extensions?.code) }).toEqual({ viewer, codes: [viewer === 'public' ? 'UNAUTHENTICATED' : 'FORBIDDEN'] });
      expect(data ?? null).toBeNull();
      expect({ viewer, after }).toEqual({ viewer, after: before });
      return undefined;
    }
    noErrors(errors);
    const payload = Object.values(data!)[0]!;
    expect({ viewer, userErrors: payload.userErrors }).toEqual({ viewer, userErrors: [] });
    expect(after.auditLog).toBeGreaterThan(before.auditLog);
    return payload;
  }

  const placeOf = (key: HouseholdKey) => world.places[world.households[key].lives];
  const category = () => gid('ServiceCategory', world.categoryId);
  const freshNeed = (key: HouseholdKey) => makeNeed(hub.db, world.households[key].id, placeOf(key), world.categoryId);
  const freshResource = (provider: 'P' | 'Q') => makeResource(hub.db, world.orgs[provider], world.categoryId, [{ level: 'DISTRICT', districtId: world.districts.A }]);
  async function freshHousehold(street: StreetKey): Promise<number> {
    const [row] = await hub.db
      .insert(households)
      .values({ ...world.places[street], registeredCommitteeId: world.places[street].committeeId, address: distinctiveAddress() })
      .returning();
    const idNumber = distinctiveResidentId();
    await hub.db.insert(persons).values({ householdId: row!.id, relation: 'HEAD', name: distinctiveName(), idNumber, sex: 'MALE', birthDate: '1950-01-01' });
    return row!.id;
  }
  const caseworkerOf: Record<StreetKey, StaffKey> = { A1: 'swA1', A2: 'swA2', B1: 'swB1', B2: 'swB2' };

  const othersRefused = (target: string): [Viewer, string, Outcome][] => [...NO_WRITE_ROLES, 'provider', 'community', 'public'].map((v) => [v as Viewer, target, 'refused']);

  describe('createNeed', () => {
    const table: [Viewer, HouseholdKey, Outcome][] = [
      ['city', 'B2', 'allowed'],
      ['district', 'A2', 'allowed'],
      ['district', 'B1', 'refused'],
      ['street', 'A1c', 'allowed'],
      ['street', 'X', 'allowed'],
      ['street', 'A2', 'refused'],
      ['street', 'B1', 'refused'],
      ['service', 'A1c', 'allowed'],
      ['service', 'A2', 'refused'],
      ['committee', 'A1c', 'allowed'],
      ['committee', 'A2', 'refused'],
      ['caseworker', 'A1a', 'allowed'],
      ['caseworker', 'A1d', 'refused'],
      ['caseworker', 'A1c', 'refused'],
      ...(othersRefused('A1c') as [Viewer, HouseholdKey, Outcome][]),
    ];
    it.each(table)('%s for household %s: %s', async (viewer, household, outcome) => {
      const payload = await attempt<{ need: { id: string } | null; userErrors: unknown[] }>(viewer, outcome, CREATE_NEED, {
        household: ids.household(world, household),
        category: category(),
        urgency: 'HIGH',
        units: 3,
        earliestStart: '2026-03-01',
      });
      if (outcome === 'allowed') {
        const [row] = await hub.db.select().from(needs).where(eq(needs.id, fromGlobalId(payload!.need!.id)!.id));
        expect(row!.householdId).toBe(world.households[household].id);
      }
    });
  });

  describe.each([
    ['updateNeed', UPDATE_NEED, (id: string) => ({ id, units: 7 }), (row: typeof needs.$inferSelect) => row.units === 7],
    ['withdrawNeed', WITHDRAW_NEED, (id: string) => ({ id, reason: '家庭情况好转' }), (row: typeof needs.$inferSelect) => row.status === 'WITHDRAWN'],
  ] as const)('%s', (_name, mutation, input, changed) => {
    const table: [Viewer, HouseholdKey, Outcome][] = [
      ['city', 'B1', 'allowed'],
      ['district', 'A2', 'allowed'],
      ['district', 'B1', 'refused'],
      ['street', 'A1c', 'allowed'],
      ['street', 'A2', 'refused'],
      // The service centre and the committee may file new needs, not change them.
      ['service', 'A1c', 'refused'],
      ['committee', 'A1c', 'refused'],
      ['caseworker', 'A1a', 'allowed'],
      ['caseworker', 'A1d', 'refused'],
      ['caseworker', 'A1c', 'refused'],
      ...(othersRefused('A1c') as [Viewer, HouseholdKey, Outcome][]),
    ];
    it.each(table)('%s on a need of household %s: %s', async (viewer, household, outcome) => {
      const needId = await freshNeed(household);
      await attempt(viewer, outcome, mutation, input(gid('Need', needId)));
      const [row] = await hub.db.select().from(needs).where(eq(needs.id, needId));
      expect(changed(row!)).toBe(outcome === 'allowed');
    });
  });

  describe('registerHousehold', () => {
    const table: [Viewer, StreetKey, Outcome][] = [
      ['city', 'B2', 'allowed'],
      ['district', 'A2', 'allowed'],
      ['district', 'B1', 'refused'],
      ['street', 'A1', 'allowed'],
      ['street', 'A2', 'refused'],
      ['service', 'A1', 'allowed'],
      ['service', 'B1', 'refused'],
      ['committee', 'A1', 'refused'],
      ['caseworker', 'A1', 'refused'],
      ...(othersRefused('A1') as [Viewer, StreetKey, Outcome][]),
    ];
    it.each(table)('%s in street %s: %s', async (viewer, street, outcome) => {
      await attempt(viewer, outcome, REGISTER, {
        committee: gid('Committee', world.places[street].committeeId),
        address: distinctiveAddress(),
        members: [{ name: distinctiveName(), idNumber: distinctiveResidentId(), phone: distinctiveMobile(), relation: 'HEAD' }],
      });
    });
  });

  describe('openCase', () => {
    const table: [Viewer, StreetKey, Outcome][] = [
      ['city', 'B1', 'allowed'],
      ['district', 'A2', 'allowed'],
      ['district', 'B1', 'refused'],
      ['street', 'A1', 'allowed'],
      ['street', 'A2', 'refused'],
      ['service', 'A1', 'allowed'],
      ['service', 'B2', 'refused'],
      ['committee', 'A1', 'refused'],
      ['caseworker', 'A1', 'refused'],
      ...(othersRefused('A1') as [Viewer, StreetKey, Outcome][]),
    ];
    it.each(table)('%s for a household of street %s: %s', async (viewer, street, outcome) => {
      const household = await freshHousehold(street);
      await attempt(viewer, outcome, OPEN_CASE, { household: gid('Household', household), caseworker: ids.staff(world, caseworkerOf[street]) });
      const opened = await hub.db.select().from(cases).where(eq(cases.householdId, household));
      expect(opened.length).toBe(outcome === 'allowed' ? 1 : 0);
    });
  });

  describe('createResource', () => {
    const table: [Viewer, 'P' | 'Q', Outcome][] = [
      ['city', 'P', 'allowed'],
      ['provider', 'P', 'allowed'],
      ['provider', 'Q', 'refused'],
      ['community', 'Q', 'allowed'],
      ['community', 'P', 'refused'],
      ...(['district', 'street', 'service', 'committee', 'caseworker', ...NO_WRITE_ROLES, 'public'] as Viewer[]).map((v): [Viewer, 'P' | 'Q', Outcome] => [v, 'P', 'refused']),
    ];
    it.each(table)('%s for provider %s: %s', async (viewer, provider, outcome) => {
      await attempt(viewer, outcome, CREATE_RESOURCE, {
        provider: ids.org(world, provider),
        category: category(),
        title: '权限测试助餐',
        capacity: 5,
        capacityPeriod: 'WEEK',
        availableFrom: '2026-01-01',
        isPublic: false,
        serviceArea: [{ area: gid('District', world.districts.A) }],
      });
    });
  });

  describe.each([
    [
      'updateResource',
      UPDATE_RESOURCE,
      (id: string) => ({ id, capacity: 77 }),
      (row: typeof resources.$inferSelect) => row.capacity === 77,
      // District civil affairs may close resources, not edit them.
      [['city', 'Q', 'allowed'], ['district', 'P', 'refused']] as [Viewer, 'P' | 'Q', Outcome][],
    ],
    [
      'closeResource',
      CLOSE_RESOURCE,
      (id: string) => ({ id, reason: '服务项目结束' }),
      (row: typeof resources.$inferSelect) => row.status === 'CLOSED',
      [['city', 'Q', 'allowed'], ['district', 'P', 'allowed']] as [Viewer, 'P' | 'Q', Outcome][],
    ],
  ] as const)('%s', (_name, mutation, input, changed, government) => {
    const table: [Viewer, 'P' | 'Q', Outcome][] = [
      ...government,
      ['provider', 'P', 'allowed'],
      ['provider', 'Q', 'refused'],
      ['community', 'Q', 'allowed'],
      ['community', 'P', 'refused'],
      ...(['street', 'service', 'committee', 'caseworker', ...NO_WRITE_ROLES, 'public'] as Viewer[]).map((v): [Viewer, 'P' | 'Q', Outcome] => [v, 'Q', 'refused']),
    ];
    it.each(table)('%s on a resource of %s: %s', async (viewer, provider, outcome) => {
      const resourceId = await freshResource(provider);
      await attempt(viewer, outcome, mutation, input(gid('Resource', resourceId)));
      const [row] = await hub.db.select().from(resources).where(eq(resources.id, resourceId));
      expect(changed(row!)).toBe(outcome === 'allowed');
    });
  });

  describe('createServiceCategory', () => {
    const table: [Viewer, Outcome][] = [['city', 'allowed'], ...VIEWERS.filter((v) => v !== 'city').map((v): [Viewer, Outcome] => [v, 'refused'])];
    it.each(table)('%s: %s', async (viewer, outcome) => {
      categoryCounter += 1;
      await attempt(viewer, outcome, CREATE_CATEGORY, { code: `PERMISSION_TEST_${categoryCounter}`, group: 'DIRECT_SERVICE', nameZh: `权限测试项目${categoryCounter}`, nameEn: `Permission test ${categoryCounter}` });
    });

    it.each(table)('%s updating or retiring a catalogue item: %s', async (viewer, outcome) => {
      const id = category();
      const before = await hub.db.select().from(serviceCategories).where(eq(serviceCategories.id, world.categoryId));
      await attempt(viewer, outcome, UPDATE_CATEGORY, { id, description: `权限测试说明 ${viewer}` });
      await attempt(viewer, outcome, RETIRE_CATEGORY, id);
      if (outcome === 'allowed') await attempt(viewer, outcome, REINSTATE_CATEGORY, id);
      else expect(await hub.db.select().from(serviceCategories).where(eq(serviceCategories.id, world.categoryId))).toEqual(before);
    });
  });
});
