import { loadConfig, type HubConfig } from '../../src/config';
import { issueDevelopmentToken } from '../../src/auth/tokens';
import { Role } from '../../src/auth/roles';
import { startHttpServer, type RunningHub } from '../../src/server/http';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { categoryIds, gid, makeHousehold, makeNeed, makePlace, type Place } from '../support/factories';

/**
 * Reporting queries read the reporting replica (HUB_REPORTING_DATABASE_URL), casework reads the
 * primary. The "replica" here is a second database holding the same places but, like a replica
 * that has not caught up yet, one need fewer: each answer shows which database it came from.
 */
describe('reporting replica', () => {
  let primary: TestDatabase;
  let replica: TestDatabase;
  let withReplica: RunningHub;
  let withoutReplica: RunningHub;
  let token: string;
  let place: Place;
  let category: number;

  beforeAll(async () => {
    primary = await openTestDatabase();
    replica = await openTestDatabase();
    for (const [index, db] of [primary.handle.db, replica.handle.db].entries()) {
      // The same rows in the same order: the same ids in both, as on a real replica.
      const here = await makePlace(db);
      place ??= here;
      expect(here).toEqual(place);
      const household = await makeHousehold(db, here);
      category = (await categoryIds(db)).MEAL_ASSISTANCE ?? Object.values(await categoryIds(db))[0]!;
      await makeNeed(db, household, here, category);
      if (index === 0) await makeNeed(db, household, here, category);
    }
    const defaults = loadConfig({ HUB_JWT_SECRET: 'reporting-replica-test-secret'.padEnd(40, 'x') });
    const config: HubConfig = { ...defaults, host: '127.0.0.1', port: 0, limits: { ...defaults.limits, ratePerMinute: 0 } };
    withReplica = await startHttpServer(primary.handle.db, config, { reportingDb: replica.handle.db });
    withoutReplica = await startHttpServer(primary.handle.db, config);
    token = await issueDevelopmentToken(config.auth, { roles: [Role.CITY_CIVIL_AFFAIRS], sub: 'city-officer' }, '10m');
  });

  afterAll(async () => {
    await withReplica?.stop();
    await withoutReplica?.stop();
    await primary?.close();
    await replica?.close();
  });

  async function ask<T>(hub: RunningHub, query: string): Promise<T> {
    const response = await fetch(hub.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables: { districts: [gid('District', place.districtId)] } }) });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data!;
  }

  const balance = `query ($districts: [ID!]) { supplyDemandBalance(districts: $districts) { category { id } openUnits } }`;
  const counts = `query ($districts: [ID!]) { openNeedCounts(districts: $districts) { needs units } }`;
  const casework = `query ($districts: [ID!]) { needs(filter: { statuses: [OPEN], districts: $districts }) { totalCount } }`;
  type Balance = { supplyDemandBalance: { category: { id: string }; openUnits: number }[] };
  const openUnits = (data: Balance) => data.supplyDemandBalance.find((cell) => cell.category.id === gid('ServiceCategory', category))?.openUnits;

  it('answers the supply–demand balance and the dashboard counts from the replica', async () => {
    expect(openUnits(await ask<Balance>(withReplica, balance))).toBe(2);
    const { openNeedCounts } = await ask<{ openNeedCounts: { needs: number; units: number }[] }>(withReplica, counts);
    expect(openNeedCounts.reduce((sum, group) => sum + group.needs, 0)).toBe(1);
  });

  it('answers casework from the primary, replica or not', async () => {
    expect((await ask<{ needs: { totalCount: number } }>(withReplica, casework)).needs.totalCount).toBe(2);
    expect((await ask<{ needs: { totalCount: number } }>(withoutReplica, casework)).needs.totalCount).toBe(2);
  });

  it('answers reports from the primary when no replica is configured', async () => {
    expect(openUnits(await ask<Balance>(withoutReplica, balance))).toBe(4);
    const { openNeedCounts } = await ask<{ openNeedCounts: { needs: number; units: number }[] }>(withoutReplica, counts);
    expect(openNeedCounts.reduce((sum, group) => sum + group.needs, 0)).toBe(2);
  });
});
