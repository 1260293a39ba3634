import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { Role } from '../../src/auth/roles';
import { issueDevelopmentToken } from '../../src/auth/tokens';
import { createLogger } from '../../src/common/logger';
import { loadConfig, type HubConfig } from '../../src/config';
import { rowsOf } from '../../src/db/rows';
import { startHttpServer, type RunningHub } from '../../src/server/http';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { makePlace } from '../support/factories';

/** One line of the captured log, parsed. */
type LogLine = Record<string, unknown> & { event: string; level: string };

/** The value of one sample in Prometheus text, 0 when the series is not there yet. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{([^}]*)\}/.exec(line)?.[1] ?? '';
    const found = Object.fromEntries([...labelText.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describe('logs, probes and metrics over HTTP', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-ops-'));
  const config: HubConfig = { ...loadConfig({ HUB_DEV_SECRET_FILE: path.join(root, 'dev-jwt-secret') }), host: '127.0.0.1', port: 0 };
  const written: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void written.push(line) });
  const lines = (): LogLine[] => written.map((line) => JSON.parse(line) as LogLine);
  let database: TestDatabase;
  let databaseClosed = false;
  let hub: RunningHub;
  let cityToken: string;
  const base = () => hub.url.replace('/graphql', '');

  async function post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: { data?: Record<string, unknown> | null; errors?: { extensions?: Record<string, unknown> }[] } }> {
    const response = await fetch(hub.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${cityToken}`, ...headers }, body: JSON.stringify(body) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as never };
  }

  const scrape = async (): Promise<string> => (await fetch(`${base()}/metrics`)).text();

  beforeAll(async () => {
    database = await openTestDatabase();
    await makePlace(database.handle.db);
    await makePlace(database.handle.db);
    hub = await startHttpServer(database.handle.db, config, { logger });
    cityToken = await issueDevelopmentToken(config.auth, { roles: [Role.CITY_CIVIL_AFFAIRS], sub: 'city-officer' }, '10m');
  });

  afterAll(async () => {
    await hub.stop();
    if (!databaseClosed) await database.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('writes one line per request with its id, operation and status, and never the variables', async () => {
    const personal = '11010519491231002X';
    const response = await post({ query: 'query DistrictOfCode($code: String!) { districtByCode(code: $code) { name } }', variables: { code: personal } }, { 'x-request-id': 'trace-42' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('trace-42');
    // GET carries the variables in the query string: the logged path leaves it out.
    const get = await fetch(`${hub.url}?query=${encodeURIComponent('query DistrictOfCode($code: String!) { districtByCode(code: $code) { name } }')}&variables=${encodeURIComponent(JSON.stringify({ code: personal }))}`, {
      headers: { 'apollo-require-preflight': 'true', 'x-request-id': 'trace-43' },
    });
    expect(get.status).toBe(200);

    const line = lines().find((entry) => entry.event === 'http.request' && entry.requestId === 'trace-42');
    expect(line).toMatchObject({ level: 'info', method: 'POST', path: '/graphql', status: 200, operation: 'DistrictOfCode' });
    expect(typeof line!.ms).toBe('number');
    expect(lines().find((entry) => entry.requestId === 'trace-43')).toMatchObject({ method: 'GET', path: '/graphql', status: 200 });
    expect(written.join('')).not.toContain(personal);
    expect(written.join('')).not.toContain(cityToken);
  });

  it('replaces a request id that is not short and plain by a fresh one, and echoes it', async () => {
    const response = await post({ query: '{ districts { totalCount } }' }, { 'x-request-id': 'has spaces and "quotes"' });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines().find((entry) => entry.event === 'http.request' && entry.requestId === id)).toMatchObject({ status: 200 });
  });

  it('counts requests by operation, errors by code, loader batches and matching runs at /metrics', async () => {
    const before = await scrape();
    await post({ query: 'query CommitteePlaces { committees(first: 10) { nodes { district { name } } } }' });
    await post({ query: '{ districts { totalCount } }' });
    const invalid = await post({ query: '{ noSuchField }' });
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const run = await post({ query: 'mutation RunCityMatching { runMatching(input: {}) { needsConsidered } }' });
    expect(run.body.data).toEqual({ runMatching: { needsConsidered: 0 } });
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved('hub_graphql_requests_total', { operation: 'CommitteePlaces' })).toBe(1);
    expect(moved('hub_graphql_request_duration_seconds_count', { operation: 'CommitteePlaces' })).toBe(1);
    expect(moved('hub_graphql_requests_total', { operation: 'anonymous' })).toBe(2);
    expect(moved('hub_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    // Two committees in two districts: their districts in one batch of (at least) two keys.
    expect(moved('hub_dataloader_batch_size_count', { loader: 'district' })).toBe(1);
    expect(moved('hub_dataloader_batch_size_sum', { loader: 'district' })).toBeGreaterThanOrEqual(2);
    expect(moved('hub_matching_run_duration_seconds_count', { kind: 'scope', outcome: 'ok' })).toBe(1);
    expect(after).toContain('process_cpu_user_seconds_total');
    expect(after).toContain('nodejs_eventloop_lag_seconds');
  });

  it('asks for the bearer token when HUB_METRICS_TOKEN is set, and keeps /metrics off in production without one', async () => {
    const token = 'scrape-token-0123456789';
    const guarded = await startHttpServer(database.handle.db, { ...config, operations: { ...config.operations, metricsToken: token } }, { logger });
    const production = await startHttpServer(database.handle.db, { ...config, production: true, operations: { ...config.operations, metricsToken: undefined } }, { logger });
    try {
      const guardedBase = guarded.url.replace('/graphql', '');
      expect((await fetch(`${guardedBase}/metrics`)).status).toBe(401);
      expect((await fetch(`${guardedBase}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      const allowed = await fetch(`${guardedBase}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('hub_graphql_requests_total');
      expect((await fetch(`${production.url.replace('/graphql', '')}/metrics`)).status).toBe(404);
    } finally {
      await guarded.stop();
      await production.stop();
    }
  });

  it('answers /readyz 503 while a migration of the journal is missing from the database, 200 once it is there', async () => {
    expect(await (await fetch(`${base()}/readyz`)).json()).toEqual({ status: 'ready' });
    const { db } = database.handle;
    const [first] = rowsOf<{ id: number; hash: string; created_at: string }>(await db.execute(sql`select id, hash, created_at::text from drizzle.__drizzle_migrations order by created_at limit 1`));
    await db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${first!.id}`);
    try {
      const missing = await fetch(`${base()}/readyz`);
      expect(missing.status).toBe(503);
      const body = (await missing.json()) as { status: string; reason: string };
      expect(body.status).toBe('unavailable');
      expect(body.reason).toMatch(/^migrations not applied: 1 of \d+ missing \(first: 0000_\w+\)$/);
    } finally {
      await db.execute(sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${first!.id}, ${first!.hash}, ${first!.created_at}::bigint)`);
    }
    const restored = await fetch(`${base()}/readyz`);
    expect(restored.status).toBe(200);
  });

  it('answers /readyz 503 once the database is gone, and logs an internal error with its request id and error id', async () => {
    await database.close();
    databaseClosed = true;
    const response = await fetch(`${base()}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', reason: 'database unreachable' });
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);

    const failed = await post({ query: 'query CountDistricts { districts { totalCount } }' }, { 'x-request-id': 'boom-1' });
    const errorId = failed.body.errors?.[0]?.extensions?.errorId;
    expect(failed.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines().find((entry) => entry.event === 'graphql.internal_error' && entry.errorId === errorId)).toMatchObject({ level: 'error', requestId: 'boom-1' });
    expect(lines().find((entry) => entry.event === 'http.request' && entry.requestId === 'boom-1')).toMatchObject({ operation: 'CountDistricts', errorCodes: ['INTERNAL_SERVER_ERROR'] });
  });
});
