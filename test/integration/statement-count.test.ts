import { referrals } from '../../src/db/schema';
import { startTestHub, type TestHub } from '../support/hub';
import { categoryIds, makeHousehold, makeNeed, makePlace, makeProvider, makeResource, type Place } from '../support/factories';

/**
 * The hub's performance promise: a page of items costs one SQL statement per level of the
 * selection, however many items the page holds (DataLoader batching), not one per item.
 */
describe('statements per request', () => {
  let hub: TestHub;

  const needs: { id: number; household: number }[] = [];
  const resourceIds: number[] = [];

  beforeAll(async () => {
    // The resolvers' batching, for every read that compiled queries do not answer in one statement
    // (compiled-queries.test.ts covers those).
    hub = await startTestHub({ compiledQueries: false });
    const categories = Object.values(await categoryIds(hub.db));
    // 4 districts × 3 streets × 3 committees, so every level has several distinct parents.
    const places: Place[] = [];
    for (let d = 0; d < 4; d += 1) {
      const district = await makePlace(hub.db);
      places.push(district);
      for (let s = 0; s < 3; s += 1) {
        const street = s === 0 ? district : await makePlace(hub.db, { districtId: district.districtId });
        if (s > 0) places.push(street);
        for (let c = 1; c < 3; c += 1) places.push(await makePlace(hub.db, { districtId: street.districtId, streetId: street.streetId }));
      }
    }
    for (let i = 0; i < 120; i += 1) {
      const place = places[i % places.length]!;
      const household = await makeHousehold(hub.db, place, 1 + (i % 3));
      needs.push({ id: await makeNeed(hub.db, household, place, categories[i % categories.length]!, { createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)) }), household });
    }
    const providers = [await makeProvider(hub.db), await makeProvider(hub.db), await makeProvider(hub.db)];
    for (let i = 0; i < 110; i += 1) {
      const place = places[i % places.length]!;
      resourceIds.push(await makeResource(hub.db, providers[i % 3]!, categories[i % categories.length]!, [
        { level: 'COMMITTEE', ...place },
        { level: 'DISTRICT', districtId: place.districtId },
      ]));
    }
    // The 30 oldest needs each get two referrals, to resources of all three providers.
    for (const [i, need] of needs.slice(0, 30).entries()) {
      for (const k of [0, 1]) {
        const resourceId = resourceIds[(2 * i + k) % resourceIds.length]!;
        await hub.db.insert(referrals).values({ needId: need.id, resourceId, providerId: providers[((2 * i + k) % resourceIds.length) % 3]!, householdId: need.household, units: 1, reason: '测试转介', expiresAt: new Date(Date.now() + 86_400_000) });
      }
    }
  });

  afterAll(() => hub.close());

  const needsPage = `query Needs($first: Int!) {
    needs(first: $first) {
      totalCount
      edges { node { id urgency category { nameZh } household { id committee { name street { name district { name } } } } } }
    }
  }`;

  it('costs one statement per level for a page of 100 needs with household → committee → street → district, the household bringing where it lives', async () => {
    const result = await hub.run<{ needs: { totalCount: number; edges: { node: { household: { committee: { street: { district: { name: string } } } } } }[] } }>(needsPage, { first: 100 });
    expect(result.errors).toBeUndefined();
    expect(result.data?.needs.edges).toHaveLength(100);
    expect(result.data?.needs.totalCount).toBe(120);
    expect(result.data?.needs.edges.every((e) => e.node.household.committee.street.district.name.startsWith('测试区'))).toBe(true);
    // page, count, category, household with its committee, street and district
    expect(result.statements).toBe(4);
  });

  it('costs one statement for the referrals of a page of needs and one for their resources with providers', async () => {
    const result = await hub.run<{ needs: { nodes: { referrals: { nodes: { resource: { title: string; provider: { name: string } } }[] } }[] } }>(`{
      needs(first: 30, orderBy: { field: CREATED_AT, direction: ASC }) { nodes { referrals(first: 5) { nodes { units resource { title provider { name } } } } } }
    }`);
    expect(result.errors).toBeUndefined();
    const shown = result.data!.needs.nodes.flatMap((need) => need.referrals.nodes);
    expect(shown).toHaveLength(60);
    expect(new Set(shown.map((referral) => referral.resource.provider.name)).size).toBe(3);
    // needs page, referral pages (windowed), resources with their providers
    expect(result.statements).toBe(3);
  });

  it('costs the same for 10 items as for 100', async () => {
    const small = await hub.run(needsPage, { first: 10 });
    const large = await hub.run(needsPage, { first: 100 });
    expect(small.errors).toBeUndefined();
    expect(small.statements).toBe(large.statements);
  });

  it('costs one statement per level for a page of 100 resources with provider and service area', async () => {
    const result = await hub.run<{ resources: { edges: { node: { provider: { name: string }; serviceArea: { district: { name: string } }[] } }[] } }>(`{
      resources(first: 100) {
        edges { node { title provider { name providerStatus } category { code } serviceArea { level district { name } street { name } committee { name } } } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data?.resources.edges).toHaveLength(100);
    expect(result.data?.resources.edges.every((e) => e.node.serviceArea.length === 2)).toBe(true);
    // page, provider, category, service areas, district, street, committee
    expect(result.statements).toBe(7);
  });

  it('batches nested connections: providers with their resources page in one statement', async () => {
    const result = await hub.run<{ organizations: { nodes: { resources: { totalCount: number; nodes: { title: string }[] } }[] } }>(`{
      organizations(isProvider: true, first: 10) { nodes { name resources(first: 5) { totalCount nodes { title category { nameEn } } } } }
    }`);
    expect(result.errors).toBeUndefined();
    const pages = result.data!.organizations.nodes;
    expect(pages).toHaveLength(3);
    expect(pages.every((p) => p.resources.nodes.length === 5)).toBe(true);
    expect(pages.map((p) => p.resources.totalCount).reduce((a, b) => a + b, 0)).toBe(110);
    // organizations page, resources pages (windowed), resource counts (grouped), categories
    expect(result.statements).toBe(4);
  });

  it('costs one statement for the supply–demand balance with every cell’s district and catalogue item', async () => {
    const result = await hub.run<{ supplyDemandBalance: { district: { name: string }; category: { code: string }; openUnits: number }[] }>(
      '{ supplyDemandBalance { district { name } category { code } openUnits } }',
    );
    expect(result.errors).toBeUndefined();
    const cells = result.data!.supplyDemandBalance;
    expect(new Set(cells.map((cell) => cell.district.name)).size).toBeGreaterThanOrEqual(4);
    expect(cells.every((cell) => cell.category.code.length > 0)).toBe(true);
    expect(cells.reduce((sum, cell) => sum + cell.openUnits, 0)).toBeGreaterThan(0);
    expect(result.statements).toBe(1);
  });
});
