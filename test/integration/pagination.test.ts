import { sql } from 'drizzle-orm';
import type { GraphQLFormattedError } from 'graphql';
import { encodeCursor } from '../../src/common/cursor';
import type { Database } from '../../src/db/client';
import { needs } from '../../src/db/schema';
import { categoryIds, gid, makeHousehold, makePlace, makeStreet, type Place } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * Relay cursor connections: keyset pages on a top-level list (`needs`) and on nested lists
 * (`district { streets }`, `household { needs }`), and the refusals of bad page arguments.
 */

type Urgency = 'CRITICAL' | 'HIGH' | 'NORMAL' | 'LOW';
const URGENCY_ORDER: readonly Urgency[] = ['CRITICAL', 'HIGH', 'NORMAL', 'LOW'];

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Page {
  totalCount: number;
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: PageInfo;
}
interface PageArgs {
  first?: number;
  after?: string | null;
  last?: number;
  before?: string | null;
}

/** A need created at an exact time, written with microseconds, as PostgreSQL's now() writes them. */
interface SeededNeed {
  readonly id: string;
  readonly at: string;
  readonly urgency: Urgency;
}

async function insertNeedAt(db: Database, householdId: number, place: Place, categoryId: number, at: string, urgency: Urgency): Promise<SeededNeed> {
  const [row] = await db
    .insert(needs)
    .values({ householdId, categoryId, urgency, units: 1, earliestStart: '2026-01-01', status: 'OPEN', ...place, createdAt: sql`${at}::timestamptz` })
    .returning({ id: needs.id });
  return { id: gid('Need', row!.id), at, urgency };
}

const byCreatedAt = (a: SeededNeed, b: SeededNeed): number => (a.at === b.at ? Number(fromNeedId(a.id)) - Number(fromNeedId(b.id)) : a.at < b.at ? -1 : 1);
const byUrgency = (a: SeededNeed, b: SeededNeed): number => URGENCY_ORDER.indexOf(a.urgency) - URGENCY_ORDER.indexOf(b.urgency) || byCreatedAt(a, b);
function fromNeedId(globalId: string): number {
  return Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);
}

function badInputField(errors: readonly GraphQLFormattedError[] | undefined): unknown {
  expect(errors).toHaveLength(1);
  expect(errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  return errors![0]!.extensions?.field;
}

const NEEDS_PAGE = `query Needs($filter: NeedFilter, $orderBy: NeedOrder, $first: Int, $after: String, $last: Int, $before: String) {
  needs(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

describe('cursor pagination', () => {
  let hub: TestHub;
  let categoryId: number;
  /** District whose 23 needs the walks visit. */
  let walkPlace: Place;
  let walkNeeds: SeededNeed[];

  beforeAll(async () => {
    hub = await startTestHub();
    categoryId = Object.values(await categoryIds(hub.db))[0]!;
    walkPlace = await makePlace(hub.db);
    const household = await makeHousehold(hub.db, walkPlace);
    // Inserted out of time order, several within one millisecond and two at the very same
    // microsecond (so the id breaks the tie), as a busy database clock writes them.
    const times = [
      '2026-02-01T09:00:00.000500Z',
      '2026-02-01T09:00:00.000100Z',
      '2026-02-01T09:00:00.000900Z',
      '2026-02-01T09:00:00.000100Z',
      '2026-01-15T12:30:00.250001Z',
      '2026-01-15T12:30:00.250999Z',
      '2026-01-15T12:30:00.250000Z',
      '2026-03-01T00:00:00.000000Z',
      '2025-12-31T23:59:59.999999Z',
      '2026-01-01T00:00:00.000001Z',
    ];
    for (let day = 10; times.length < 23; day += 1) times.push(`2026-01-${day}T08:00:00.${String(day * 7919).padStart(6, '0').slice(0, 6)}Z`);
    walkNeeds = [];
    for (let i = 0; i < times.length; i += 1) {
      walkNeeds.push(await insertNeedAt(hub.db, household, walkPlace, categoryId, times[i]!, URGENCY_ORDER[i % 4]!));
    }
  });

  afterAll(() => hub.close());

  const inWalkDistrict = (): { districts: string[] } => ({ districts: [gid('District', walkPlace.districtId)] });

  async function needsPage(args: PageArgs & { orderBy?: { field: string; direction?: string }; filter?: object }): Promise<Page> {
    const result = await hub.run<{ needs: Page }>(NEEDS_PAGE, { filter: inWalkDistrict(), ...args });
    expect(result.errors).toBeUndefined();
    return result.data!.needs;
  }

  /** Follows endCursor from the first page to the last, checking every page's pageInfo. */
  async function walkForward(pageSize: number, extra: { orderBy?: { field: string; direction?: string } } = {}): Promise<string[]> {
    const visited: string[] = [];
    let after: string | null = null;
    for (let pageNumber = 0; pageNumber < 50; pageNumber += 1) {
      const page = await needsPage({ first: pageSize, after, ...extra });
      const ids = page.edges.map((edge) => edge.node.id);
      visited.push(...ids);
      expect(page.totalCount).toBe(walkNeeds.length);
      expect(page.pageInfo.hasPreviousPage).toBe(pageNumber > 0);
      expect(page.pageInfo.hasNextPage).toBe(visited.length < walkNeeds.length);
      expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
      expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1]?.cursor ?? null);
      expect(ids.length).toBe(Math.min(pageSize, walkNeeds.length - (visited.length - ids.length)));
      if (!page.pageInfo.hasNextPage) return visited;
      after = page.pageInfo.endCursor;
    }
    throw new Error('The walk did not end');
  }

  /** Follows startCursor from the last page back to the first. */
  async function walkBackward(pageSize: number, extra: { orderBy?: { field: string; direction?: string } } = {}): Promise<string[][]> {
    const pages: string[][] = [];
    let before: string | null = null;
    for (let pageNumber = 0; pageNumber < 50; pageNumber += 1) {
      const page = await needsPage({ last: pageSize, before, ...extra });
      pages.push(page.edges.map((edge) => edge.node.id));
      const seen = pages.flat().length;
      expect(page.totalCount).toBe(walkNeeds.length);
      expect(page.pageInfo.hasNextPage).toBe(pageNumber > 0);
      expect(page.pageInfo.hasPreviousPage).toBe(seen < walkNeeds.length);
      expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
      expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1]?.cursor ?? null);
      if (!page.pageInfo.hasPreviousPage) return pages;
      before = page.pageInfo.startCursor;
    }
    throw new Error('The walk did not end');
  }

  describe('on needs (top-level list)', () => {
    it.each([1, 4, 5, 7, 23, 100])('walking forward with first: %i visits every need exactly once, oldest first', async (pageSize) => {
      const visited = await walkForward(pageSize);
      expect(visited).toEqual([...walkNeeds].sort(byCreatedAt).map((n) => n.id));
    });

    it('keeps needs created within the same millisecond apart (microsecond timestamps)', async () => {
      const visited = await walkForward(1);
      expect(new Set(visited).size).toBe(walkNeeds.length);
      const sameMillisecond = walkNeeds.filter((n) => n.at.startsWith('2026-02-01T09:00:00.000')).sort(byCreatedAt).map((n) => n.id);
      expect(sameMillisecond).toHaveLength(4);
      expect(visited.filter((id) => sameMillisecond.includes(id))).toEqual(sameMillisecond);
    });

    it.each([1, 5, 7])('walking backward with last: %i gives the same needs, each page in list order', async (pageSize) => {
      const pages = await walkBackward(pageSize);
      const expected = [...walkNeeds].sort(byCreatedAt).map((n) => n.id);
      // Pages come newest first, but every page keeps the list order inside it.
      expect([...pages].reverse().flat()).toEqual(expected);
      expect(pages[0]).toEqual(expected.slice(-pageSize));
    });

    it('walks forward and backward by urgency (most urgent first), ties by creation time', async () => {
      const expected = [...walkNeeds].sort(byUrgency).map((n) => n.id);
      expect(await walkForward(4, { orderBy: { field: 'URGENCY' } })).toEqual(expected);
      expect((await walkBackward(6, { orderBy: { field: 'URGENCY' } })).reverse().flat()).toEqual(expected);
    });

    it('walks newest first with direction DESC', async () => {
      const expected = [...walkNeeds].sort(byCreatedAt).reverse().map((n) => n.id);
      expect(await walkForward(6, { orderBy: { field: 'CREATED_AT', direction: 'DESC' } })).toEqual(expected);
      expect(await walkForward(5, { orderBy: { field: 'URGENCY', direction: 'DESC' } })).toEqual([...walkNeeds].sort(byUrgency).reverse().map((n) => n.id));
    });

    it('can go back from the middle: before the start of a page is the page before it', async () => {
      const all = [...walkNeeds].sort(byCreatedAt).map((n) => n.id);
      const second = await needsPage({ first: 5, after: (await needsPage({ first: 5 })).pageInfo.endCursor });
      const back = await needsPage({ last: 5, before: second.pageInfo.startCursor });
      expect(back.edges.map((e) => e.node.id)).toEqual(all.slice(0, 5));
      expect(back.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
      // after and before together bound a window.
      const window = await needsPage({ first: 10, after: back.edges[1]!.cursor, before: second.edges[3]!.cursor });
      expect(window.edges.map((e) => e.node.id)).toEqual(all.slice(2, 8));
    });

    it('counts the whole filtered list in totalCount, whatever the page', async () => {
      const pages = [
        await needsPage({ first: 1 }),
        await needsPage({ first: 100 }),
        await needsPage({ last: 3 }),
        await needsPage({ first: 2, after: (await needsPage({ first: 20 })).pageInfo.endCursor }),
        await needsPage({ first: 3, orderBy: { field: 'URGENCY', direction: 'DESC' } }),
      ];
      expect(pages.map((p) => p.totalCount)).toEqual([23, 23, 23, 23, 23]);
      expect(pages[3]!.edges).toHaveLength(2);
      const critical = await needsPage({ first: 1, filter: { ...inWalkDistrict(), urgencies: ['CRITICAL'] } });
      expect(critical.totalCount).toBe(walkNeeds.filter((n) => n.urgency === 'CRITICAL').length);
    });

    it('returns an empty page for first: 0 that still tells whether items exist', async () => {
      const result = await hub.run<{ needs: Page & { nodes: unknown[] } }>(
        `query($filter: NeedFilter) { needs(filter: $filter, first: 0) { totalCount nodes { id } edges { cursor } pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }`,
        { filter: inWalkDistrict() },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.needs).toEqual({ totalCount: 23, nodes: [], edges: [], pageInfo: { startCursor: null, endCursor: null, hasNextPage: true, hasPreviousPage: false } });
      // one row probed for hasNextPage, one count
      expect(result.statements).toBe(2);
    });

    it('pages 20 needs when neither first nor last is given', async () => {
      const page = await needsPage({});
      expect(page.edges).toHaveLength(20);
      expect(page.pageInfo.hasNextPage).toBe(true);
    });

    it.each([
      [{ first: 101 }, 'first'],
      [{ first: 1000 }, 'first'],
      [{ first: -1 }, 'first'],
      [{ last: 101 }, 'last'],
      [{ last: -5 }, 'last'],
    ])('refuses %j with BAD_USER_INPUT on ["%s"]', async (args, field) => {
      const result = await hub.run(NEEDS_PAGE, { filter: inWalkDistrict(), ...args });
      expect(badInputField(result.errors)).toEqual([field]);
      expect(result.errors![0]!.message).toContain('100');
      expect(result.data).toBeNull();
      expect(result.statements).toBe(0);
    });

    it('accepts first: 100, the largest page', async () => {
      const page = await needsPage({ first: 100 });
      expect(page.edges).toHaveLength(23);
    });

    it('refuses first and last together with BAD_USER_INPUT', async () => {
      const result = await hub.run(NEEDS_PAGE, { filter: inWalkDistrict(), first: 5, last: 5 });
      expect(badInputField(result.errors)).toEqual(['first']);
      expect(result.data).toBeNull();
    });

    it.each([
      ['not base64url', 'not a cursor!'],
      ['base64url of text', Buffer.from('hello').toString('base64url')],
      ['a JSON object', Buffer.from('{"createdAt":1}').toString('base64url')],
      ['a cursor of one key', encodeCursor([5])],
      ['the wrong kinds of keys', encodeCursor([5, '2026-01-01T00:00:00Z'])],
      ['an impossible date', encodeCursor(['2026-02-30T00:00:00.000000Z', 5])],
      ['a date without time', encodeCursor(['2026-02-01', 5])],
      ['an id beyond int32', encodeCursor(['2026-02-01T00:00:00.000Z', 2 ** 31])],
      ['a fractional id', encodeCursor(['2026-02-01T00:00:00.000Z', 1.5])],
      ['null keys', encodeCursor([null, null])],
    ])('refuses a garbage after cursor (%s) with BAD_USER_INPUT on ["after"]', async (_label, after) => {
      const result = await hub.run(NEEDS_PAGE, { filter: inWalkDistrict(), first: 5, after });
      expect(badInputField(result.errors)).toEqual(['after']);
      expect(result.statements).toBe(0);
    });

    it('refuses a garbage before cursor with BAD_USER_INPUT on ["before"]', async () => {
      const result = await hub.run(NEEDS_PAGE, { filter: inWalkDistrict(), last: 5, before: 'garbage' });
      expect(badInputField(result.errors)).toEqual(['before']);
    });

    it('refuses a cursor of the URGENCY ordering on the CREATED_AT ordering, and the other way round', async () => {
      const byUrgencyPage = await needsPage({ first: 3, orderBy: { field: 'URGENCY' } });
      const urgencyCursor = byUrgencyPage.pageInfo.endCursor;
      const onCreatedAt = await hub.run(NEEDS_PAGE, { filter: inWalkDistrict(), first: 3, after: urgencyCursor, orderBy: { field: 'CREATED_AT' } });
      expect(badInputField(onCreatedAt.errors)).toEqual(['after']);
      const onDefault = await hub.run(NEEDS_PAGE, { filter: inWalkDistrict(), first: 3, after: urgencyCursor });
      expect(badInputField(onDefault.errors)).toEqual(['after']);

      const createdAtCursor = (await needsPage({ first: 3 })).pageInfo.endCursor;
      const onUrgency = await hub.run(NEEDS_PAGE, { filter: inWalkDistrict(), first: 3, before: createdAtCursor, orderBy: { field: 'URGENCY' } });
      expect(badInputField(onUrgency.errors)).toEqual(['before']);
    });

    it('refuses a cursor of another list (districts) on needs', async () => {
      const districts = await hub.run<{ districts: Page }>(`{ districts(first: 1) { pageInfo { endCursor } } }`);
      const result = await hub.run(NEEDS_PAGE, { filter: inWalkDistrict(), first: 3, after: districts.data!.districts.pageInfo.endCursor });
      expect(badInputField(result.errors)).toEqual(['after']);
    });
  });

  describe('keyset stability (oldest first)', () => {
    let place: Place;
    let household: number;
    let initial: SeededNeed[];

    beforeAll(async () => {
      place = await makePlace(hub.db);
      household = await makeHousehold(hub.db, place);
      initial = [];
      for (let i = 0; i < 10; i += 1) initial.push(await insertNeedAt(hub.db, household, place, categoryId, `2026-04-0${Math.floor(i / 2) + 1}T10:00:00.${String(i).padStart(6, '0')}Z`, 'NORMAL'));
    });

    const pageOf = async (first: number, after: string | null): Promise<Page> => {
      const result = await hub.run<{ needs: Page }>(NEEDS_PAGE, { filter: { districts: [gid('District', place.districtId)] }, first, after });
      expect(result.errors).toBeUndefined();
      return result.data!.needs;
    };

    it('a need inserted before the cursor between page fetches neither repeats nor skips items on the next page', async () => {
      const first = await pageOf(4, null);
      expect(first.edges.map((e) => e.node.id)).toEqual(initial.slice(0, 4).map((n) => n.id));
      // Older than everything: with offsets it would push item 4 onto the next page again.
      const older = await insertNeedAt(hub.db, household, place, categoryId, '2026-03-31T23:59:59.999999Z', 'NORMAL');
      // Same creation time as the cursor item, but a higher id: it sorts after it, so it is new on the next page.
      const tie = await insertNeedAt(hub.db, household, place, categoryId, initial[3]!.at, 'NORMAL');
      const second = await pageOf(4, first.pageInfo.endCursor);
      expect(second.edges.map((e) => e.node.id)).toEqual([tie.id, ...initial.slice(4, 7).map((n) => n.id)]);
      expect(second.totalCount).toBe(12);
      const rest = await pageOf(100, second.pageInfo.endCursor);
      expect(rest.edges.map((e) => e.node.id)).toEqual(initial.slice(7).map((n) => n.id));
      expect(rest.pageInfo.hasNextPage).toBe(false);
      // A fresh walk sees the older need first.
      expect((await pageOf(1, null)).edges[0]!.node.id).toBe(older.id);
    });

    it('a cursor stays valid after its own item is deleted', async () => {
      const page = await pageOf(2, null);
      const cursorItem = fromNeedId(page.edges[1]!.node.id);
      const nextId = (await pageOf(1, page.pageInfo.endCursor)).edges[0]!.node.id;
      await hub.db.delete(needs).where(sql`${needs.id} = ${cursorItem}`);
      const after = await pageOf(1, page.pageInfo.endCursor);
      expect(after.edges.map((e) => e.node.id)).toEqual([nextId]);
    });
  });

  describe('on nested connections', () => {
    let districtId: number;
    let otherDistrictId: number;
    let streetIds: number[];
    let household: number;
    let householdNeeds: SeededNeed[];

    beforeAll(async () => {
      const place = await makePlace(hub.db);
      districtId = place.districtId;
      streetIds = [place.streetId];
      for (let i = 0; i < 6; i += 1) streetIds.push(await makeStreet(hub.db, districtId));
      otherDistrictId = (await makePlace(hub.db)).districtId;
      for (let i = 0; i < 2; i += 1) await makeStreet(hub.db, otherDistrictId);
      household = await makeHousehold(hub.db, place, 3);
      householdNeeds = [];
      for (const at of ['2026-05-01T10:00:00.000300Z', '2026-05-01T10:00:00.000100Z', '2026-05-01T10:00:00.000200Z', '2026-05-01T10:00:00.000200Z', '2026-04-30T10:00:00Z']) {
        householdNeeds.push(await insertNeedAt(hub.db, household, place, categoryId, at, 'HIGH'));
      }
    });

    const STREETS = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      node(id: $id) { ... on District { streets(first: $first, after: $after, last: $last, before: $before) {
        totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      } } }
    }`;

    const streetsPage = async (args: PageArgs): Promise<Page> => {
      const result = await hub.run<{ node: { streets: Page } }>(STREETS, { id: gid('District', districtId), ...args });
      expect(result.errors).toBeUndefined();
      return result.data!.node.streets;
    };

    it('walks district { streets } forward with first/after, each street once and pageInfo right', async () => {
      const visited: string[] = [];
      let after: string | null = null;
      const flags: [boolean, boolean][] = [];
      for (let i = 0; i < 10; i += 1) {
        const page = await streetsPage({ first: 3, after });
        expect(page.totalCount).toBe(7);
        expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
        visited.push(...page.edges.map((e) => e.node.id));
        flags.push([page.pageInfo.hasPreviousPage, page.pageInfo.hasNextPage]);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(visited).toEqual(streetIds.map((id) => gid('Street', id)));
      expect(flags).toEqual([
        [false, true],
        [true, true],
        [true, false],
      ]);
    });

    it('walks district { streets } backward with last/before to the same streets', async () => {
      const pages: string[][] = [];
      let before: string | null = null;
      const flags: [boolean, boolean][] = [];
      for (let i = 0; i < 10; i += 1) {
        const page = await streetsPage({ last: 3, before });
        pages.push(page.edges.map((e) => e.node.id));
        flags.push([page.pageInfo.hasPreviousPage, page.pageInfo.hasNextPage]);
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor;
      }
      expect(pages).toEqual([
        streetIds.slice(4).map((id) => gid('Street', id)),
        streetIds.slice(1, 4).map((id) => gid('Street', id)),
        streetIds.slice(0, 1).map((id) => gid('Street', id)),
      ]);
      expect(flags).toEqual([
        [true, false],
        [true, true],
        [false, true],
      ]);
    });

    it('gives every district of a batch its own page and count, in one statement for the pages', async () => {
      const result = await hub.run<{ nodes: { id: string; streets: Page }[] }>(
        `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on District { streets(first: 2) { totalCount edges { node { id } } pageInfo { hasNextPage } } } } }`,
        { ids: [gid('District', districtId), gid('District', otherDistrictId)] },
      );
      expect(result.errors).toBeUndefined();
      const [mine, other] = result.data!.nodes;
      expect(mine!.streets.edges.map((e) => e.node.id)).toEqual(streetIds.slice(0, 2).map((id) => gid('Street', id)));
      expect(mine!.streets).toMatchObject({ totalCount: 7, pageInfo: { hasNextPage: true } });
      // makePlace gave the other district one street, then two more were added.
      expect(other!.streets).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
      expect(other!.streets.edges).toHaveLength(2);
      // districts, streets pages (windowed), street counts (grouped)
      expect(result.statements).toBe(3);
    });

    it('walks household { needs } (timestamp keys) forward and backward', async () => {
      const query = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
        node(id: $id) { ... on Household { needs(first: $first, after: $after, last: $last, before: $before) {
          totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        } } }
      }`;
      const page = async (args: PageArgs): Promise<Page> => {
        const result = await hub.run<{ node: { needs: Page } }>(query, { id: gid('Household', household), ...args });
        expect(result.errors).toBeUndefined();
        return result.data!.node.needs;
      };
      const expected = [...householdNeeds].sort(byCreatedAt).map((n) => n.id);
      const forward: string[] = [];
      for (let p = await page({ first: 1 }); ; p = await page({ first: 1, after: p.pageInfo.endCursor })) {
        expect(p.totalCount).toBe(5);
        forward.push(...p.edges.map((e) => e.node.id));
        if (!p.pageInfo.hasNextPage) break;
        expect(forward.length).toBeLessThan(10);
      }
      expect(forward).toEqual(expected);
      const backward: string[][] = [];
      for (let p = await page({ last: 2 }); ; p = await page({ last: 2, before: p.pageInfo.startCursor })) {
        backward.push(p.edges.map((e) => e.node.id));
        if (!p.pageInfo.hasPreviousPage) break;
        expect(backward.length).toBeLessThan(10);
      }
      expect(backward.reverse().flat()).toEqual(expected);
    });

    it('pages household { persons } and reports the same count as memberCount', async () => {
      const result = await hub.run<{ node: { memberCount: number; persons: Page } }>(
        `query($id: ID!) { node(id: $id) { ... on Household { memberCount persons(first: 2) { totalCount edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } } } }`,
        { id: gid('Household', household) },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.node.memberCount).toBe(3);
      expect(result.data!.node.persons).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true, hasPreviousPage: false } });
      expect(result.data!.node.persons.edges).toHaveLength(2);
    });

    it.each([
      [{ first: 101 }, ['first']],
      [{ last: 101 }, ['last']],
      [{ first: 1, last: 1 }, ['first']],
      [{ first: 1, after: 'garbage' }, ['after']],
      [{ last: 1, before: encodeCursor(['STREET', 1]) }, ['before']],
    ])('refuses %j on a nested connection with BAD_USER_INPUT', async (args, field) => {
      const result = await hub.run(STREETS, { id: gid('District', districtId), ...args });
      expect(badInputField(result.errors)).toEqual(field);
      expect(result.errors![0]!.path).toEqual(['node', 'streets']);
    });

    it('returns an empty nested page for first: 0 with the count', async () => {
      const page = await streetsPage({ first: 0 });
      expect(page.edges).toEqual([]);
      expect(page.totalCount).toBe(7);
      expect(page.pageInfo).toMatchObject({ startCursor: null, endCursor: null, hasPreviousPage: false });
    });
  });
});
