import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { openDatabase, type DbHandle } from '../../src/db/client';
import { ensureDemoData } from '../../src/db/seed/seed';
import { startHttpServer, type RunningHub } from '../../src/server/http';
import { SignJWT } from 'jose';
import { developmentSecret, issueDevelopmentToken } from '../../src/auth/tokens';
import { Role } from '../../src/auth/roles';

/**
 * What a newcomer's `npm start` does, end to end over HTTP: embedded PGlite in a data folder,
 * migrated and seeded on first start, reused untouched on the next.
 */
describe('the hub on an embedded data folder', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-data-'));
  const config = { ...loadConfig({ HUB_DEV_SECRET_FILE: path.join(dataDir, 'dev-jwt-secret') }), dataDir, host: '127.0.0.1', port: 0 };
  let cityToken = '';
  let handle: DbHandle;
  let hub: RunningHub;

  async function boot(): Promise<Awaited<ReturnType<typeof ensureDemoData>>> {
    handle = await openDatabase({ dataDir });
    await handle.migrate();
    const outcome = await ensureDemoData(handle);
    hub = await startHttpServer(handle.db, config);
    cityToken = await issueDevelopmentToken(config.auth, { roles: [Role.CITY_CIVIL_AFFAIRS], sub: 'city-officer' }, '10m');
    return outcome;
  }

  async function shutdown(): Promise<void> {
    await hub.stop();
    await handle.close();
  }

  async function post<T>(query: string, variables?: Record<string, unknown>, token: string | null = cityToken): Promise<{ status: number; body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const response = await fetch(hub.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: response.status, body: (await response.json()) as never };
  }

  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('seeds Shanghai on first start and answers the README query over HTTP', async () => {
    const outcome = await boot();
    expect(outcome.seeded).toBe(true);
    expect(outcome.summary?.districts).toBe(16);
    const { status, body } = await post<{ needs: { totalCount: number; edges: { node: { id: string; category: { nameZh: string }; household: { committee: { street: { district: { name: string } } } } } }[] } }>(
      '{ needs(first: 5) { totalCount edges { node { id category { nameZh } household { committee { street { district { name } } } } } } } }',
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.needs.totalCount).toBeGreaterThan(1000);
    expect(body.data!.needs.edges).toHaveLength(5);
    for (const edge of body.data!.needs.edges) {
      expect(edge.node.household.committee.street.district.name).toMatch(/^(黄浦|徐汇|长宁|静安|普陀|虹口|杨浦|闵行|宝山|嘉定|浦东新|金山|松江|青浦|奉贤|崇明)区$/);
      expect(edge.node.category.nameZh.length).toBeGreaterThan(1);
    }
    // A cold seed of the whole demo set on the embedded database: slow on a busy machine.
  }, 180_000);

  it('lists the 16 districts with their real names and codes', async () => {
    const { body } = await post<{ districts: { totalCount: number; nodes: { code: string; name: string }[] } }>('{ districts(first: 20) { totalCount nodes { code name } } }');
    expect(body.data!.districts.totalCount).toBe(16);
    expect(body.data!.districts.nodes.find((d) => d.code === '310115')?.name).toBe('浦东新区');
    expect(body.data!.districts.nodes.find((d) => d.code === '310101')?.name).toBe('黄浦区');
  });

  it('shows the public reference data and no needs without a token', async () => {
    const { status, body } = await post<{ needs: { totalCount: number }; districts: { totalCount: number }; serviceCategories: { totalCount: number } }>(
      '{ needs(first: 5) { totalCount } districts { totalCount } serviceCategories { totalCount } }',
      undefined,
      null,
    );
    expect(status).toBe(200);
    expect(body.data).toEqual({ needs: { totalCount: 0 }, districts: { totalCount: 16 }, serviceCategories: { totalCount: 10 } });
  });

  it('refuses a bad or expired token with 401 UNAUTHENTICATED rather than treating it as the public', async () => {
    const forged = `${cityToken.slice(0, -4)}AAAA`;
    const expired = await new SignJWT({ roles: [Role.CITY_CIVIL_AFFAIRS] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('city-officer')
      .setIssuer(config.auth.issuer)
      .setAudience(config.auth.audience)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(developmentSecret(config.auth)));
    const noneAlgorithm = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${cityToken.split('.')[1]}.`;
    for (const token of [forged, 'not-a-jwt', expired, noneAlgorithm]) {
      const { status, body } = await post('{ districts { totalCount } }', undefined, token);
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(body.data).toBeUndefined();
    }
  });

  it('answers /healthz', async () => {
    const response = await fetch(hub.url.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('refuses a simple GET query without a preflight header (CSRF prevention stays on)', async () => {
    const response = await fetch(`${hub.url}?query=${encodeURIComponent('{ districts(first: 1) { totalCount } }')}`);
    expect(response.status).toBe(400);
    const allowed = await fetch(`${hub.url}?query=${encodeURIComponent('{ districts(first: 1) { totalCount } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
  });

  it('reuses the data folder on the next start: no re-seeding, edits kept', async () => {
    const { body: before } = await post<{ needs: { totalCount: number; nodes: { id: string }[] } }>('{ needs(first: 1, filter: { statuses: [OPEN] }) { totalCount nodes { id } } }');
    const needId = before.data!.needs.nodes[0]!.id;
    const withdrawn = await post<{ withdrawNeed: { userErrors: unknown[] } }>('mutation($id: ID!) { withdrawNeed(input: { id: $id, reason: "家庭已搬离本市" }) { userErrors { field } } }', { id: needId });
    expect(withdrawn.body.data!.withdrawNeed.userErrors).toEqual([]);
    await shutdown();

    const outcome = await boot();
    expect(outcome.seeded).toBe(false);
    const { body: after } = await post<{ node: { status: string; withdrawalReason: string }; needs: { totalCount: number } }>(
      'query($id: ID!) { node(id: $id) { ... on Need { status withdrawalReason } } needs(filter: { statuses: [OPEN] }) { totalCount } }',
      { id: needId },
    );
    expect(after.data!.node).toEqual({ status: 'WITHDRAWN', withdrawalReason: '家庭已搬离本市' });
    expect(after.data!.needs.totalCount).toBe(before.data!.needs.totalCount - 1);
    await shutdown();
  });
});
