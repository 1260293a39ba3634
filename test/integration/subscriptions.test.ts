import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../src/config';
import { openDatabase, type DbHandle } from '../../src/db/client';
import { cases, needs, resources } from '../../src/db/schema';
import { issueDevelopmentToken } from '../../src/auth/tokens';
import { Role } from '../../src/auth/roles';
import { toGlobalId } from '../../src/common/global-id';
import { startHttpServer, type RunningHub } from '../../src/server/http';
import { categoryIds, makeCaseworker, makeHousehold, makePlace, makeProvider, makeResource, makeStreetOffice } from '../support/factories';
import { collectEvents } from '../support/subscriptions';

/** Live events over graphql-ws on a real server: a provider's inbox and a need's status. */
describe('subscriptions over graphql-ws', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-ws-'));
  const config = { ...loadConfig({ HUB_DEV_SECRET_FILE: path.join(dataDir, 'secret') }), host: '127.0.0.1', port: 0 };
  let handle: DbHandle;
  let hub: RunningHub;
  let ids: { provider: number; otherProvider: number; need: number; resource: number; caseworker: number; office: number };

  beforeAll(async () => {
    handle = await openDatabase({});
    await handle.migrate();
    hub = await startHttpServer(handle.db, config);
    const db = handle.db;
    const place = await makePlace(db);
    const care = (await categoryIds(db)).CARE_NURSING!;
    const provider = await makeProvider(db);
    const otherProvider = await makeProvider(db);
    const resource = await makeResource(db, provider, care, [{ level: 'DISTRICT', districtId: place.districtId }]);
    await db.update(resources).set({ capacity: 5 }).where(eq(resources.id, resource));
    const office = await makeStreetOffice(db, place);
    const caseworker = await makeCaseworker(db, office);
    const household = await makeHousehold(db, place);
    await db.insert(cases).values({ householdId: household, ownerStreetId: place.streetId, caseworkerId: caseworker });
    const [need] = await db.insert(needs).values({ householdId: household, categoryId: care, urgency: 'HIGH', units: 2, earliestStart: '2026-01-01', ...place }).returning({ id: needs.id });
    ids = { provider, otherProvider, need: need!.id, resource, caseworker, office };
  });

  afterAll(async () => {
    await hub.stop();
    await handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const token = (roles: Role[], extra: Record<string, string> = {}) => issueDevelopmentToken(config.auth, { roles, sub: roles[0], ...extra }, '5m');

  const collect = (authorization: string, query: string, variables: Record<string, unknown>, count: number) => collectEvents(hub.url, authorization, query, variables, count, 4000);

  async function post(authorization: string, query: string, variables: Record<string, unknown>) {
    const response = await fetch(hub.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  }

  it("delivers a new referral to the provider's inbox and the need's new status, and nothing to another provider", async () => {
    const providerAuth = `Bearer ${await token([Role.PROVIDER_STAFF], { org: toGlobalId('Organization', ids.provider) })}`;
    const otherAuth = `Bearer ${await token([Role.PROVIDER_STAFF], { org: toGlobalId('Organization', ids.otherProvider) })}`;
    const caseworkerAuth = `Bearer ${await token([Role.CASEWORKER], { staff: toGlobalId('StaffMember', ids.caseworker), org: toGlobalId('Organization', ids.office) })}`;
    const inbox = collect(providerAuth, 'subscription($p: ID!) { referralProposed(provider: $p) { units status } }', { p: toGlobalId('Organization', ids.provider) }, 1);
    const spying = collect(otherAuth, 'subscription($p: ID!) { referralProposed(provider: $p) { units } }', { p: toGlobalId('Organization', ids.provider) }, 1);
    const status = collect(caseworkerAuth, 'subscription($n: ID!) { needStatusChanged(need: $n) { status } }', { n: toGlobalId('Need', ids.need) }, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const proposed = await post(caseworkerAuth, 'mutation($input: ProposeReferralInput!) { proposeReferral(input: $input) { referral { id } userErrors { code } } }', {
      input: { need: toGlobalId('Need', ids.need), resource: toGlobalId('Resource', ids.resource), reason: '就近服务' },
    });
    expect(proposed.errors).toBeUndefined();

    expect(await inbox.done).toEqual([{ data: { referralProposed: { units: 2, status: 'PROPOSED' } } }]);
    expect(await status.done).toEqual([{ data: { needStatusChanged: { status: 'MATCHED' } } }]);
    expect(await spying.done).toEqual([]);
    await Promise.all([inbox.close(), spying.close(), status.close()]);
  });

  it('refuses a socket with a bad token', async () => {
    const refused = collect('Bearer not-a-token', 'subscription($n: ID!) { needStatusChanged(need: $n) { status } }', { n: toGlobalId('Need', ids.need) }, 1);
    await expect(refused.done).rejects.toBeDefined();
    await refused.close();
  });
});
