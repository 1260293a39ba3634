import { startTestHub, type TestHub } from '../support/hub';
import { categoryIds, gid, makeHousehold, makePlace } from '../support/factories';
import { needs } from '../../src/db/schema';
import { encodeCursor } from '../../src/common/cursor';

describe('probe', () => {
  let hub: TestHub;
  beforeAll(async () => { hub = await startTestHub(); });
  afterAll(() => hub.close());
  it('probe', async () => {
    const place = await makePlace(hub.db);
    const cat = Object.values(await categoryIds(hub.db))[0]!;
    const h = await makeHousehold(hub.db, place, 1);
    for (let i = 0; i < 5; i++) await hub.db.insert(needs).values({ householdId: h, categoryId: cat, urgency: 'NORMAL', units: 1, earliestStart: '2026-01-01', status: 'OPEN', ...place });
    const ids: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 7; i++) {
      const r: any = await hub.run(`query($after: String) { needs(first: 2, after: $after) { edges { cursor node { id createdAt } } pageInfo { hasNextPage endCursor } } }`, { after });
      console.log(JSON.stringify(r.errors ?? r.data.needs.edges.map((e: any) => e.node.id)));
      if (r.errors) break;
      ids.push(...r.data.needs.edges.map((e: any) => e.node.id));
      after = r.data.needs.pageInfo.endCursor;
      if (!r.data.needs.pageInfo.hasNextPage) break;
    }
    console.log(ids.length, new Set(ids).size);
    for (const c of [encodeCursor(['x', 1]), encodeCursor([1, 1]), encodeCursor(['2026-01-01T00:00:00.000Z', 'a']), encodeCursor([null, 1]), encodeCursor([true, 1])]) {
      const r: any = await hub.run(`query($after: String) { needs(first: 2, after: $after) { edges { cursor } } }`, { after: c });
      console.log(JSON.stringify(r.errors));
    }
    const r: any = await hub.run(`query($after: String) { needs(first: 2, after: $after, orderBy: {field: URGENCY}) { edges { cursor } } }`, { after: encodeCursor(['BOGUS', '2026-01-01T00:00:00.000Z', 1]) });
    console.log(JSON.stringify(r.errors));
    const r2: any = await hub.run(`query($id: ID!) { node(id: $id) { id __typename } }`, { id: gid('Household', h) + 'A' });
    console.log(gid('Household', h), JSON.stringify(r2));
  });
});
