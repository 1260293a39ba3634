import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ApolloServer } from '@apollo/server';
import { getOperationAST, parse } from 'graphql';
import { Role } from '../../src/auth/roles';
import { issueDevelopmentToken } from '../../src/auth/tokens';
import type { HubConfig } from '../../src/config';
import { createContext, type HubContext } from '../../src/server/context';
import { createApolloServer, startHttpServer, type RunningHub } from '../../src/server/http';
import { measureOperation, type OperationMeasure } from '../../src/server/limits';
import { hubSchema } from '../../src/server/schema';
import { makePlace } from '../support/factories';
import { CITY_VIEWER, startTestHub, type TestHub } from '../support/hub';

/** A district's selection going streets → nodes → district …, `rounds` times: 3 × rounds + 1 levels deep. */
function streetsAndBack(rounds: number): string {
  let selection = 'name';
  for (let i = 0; i < rounds; i += 1) selection = `streets(first: 1) { nodes { district { ${selection} } } }`;
  return selection;
}

/** The round trip under districts → nodes: 2 + 3 × rounds + 1 levels deep. */
const streetsRoundTrip = (rounds: number): string => `{ districts(first: 1) { nodes { ${streetsAndBack(rounds)} } } }`;

/** Three nested lists of 100: a million committees, were it allowed to run. */
const HUNDRED_CUBED = '{ districts(first: 100) { nodes { streets(first: 100) { nodes { committees(first: 100) { nodes { id name } } } } } } }';

const codesOf = (errors: readonly { extensions?: Record<string, unknown> }[] | undefined): unknown[] => (errors ?? []).map((e) => e.extensions?.code);

describe('abusive queries', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub();
    const place = await makePlace(hub.db);
    await makePlace(hub.db, { districtId: place.districtId });
    // The first operation builds Apollo's caches; refusals below are timed warm.
    await hub.run('{ districts(first: 1) { totalCount } }');
  });

  afterAll(() => hub.close());

  /** Runs an operation that must be refused: with `code`, within 500 ms, before any SQL. */
  async function expectRefused(query: string, code: string, variables?: Record<string, unknown>): Promise<string> {
    const started = performance.now();
    const result = await hub.run(query, variables);
    const elapsed = performance.now() - started;
    expect(result.data).toBeUndefined();
    expect(codesOf(result.errors)).toEqual([code]);
    expect(result.statements).toBe(0);
    expect(elapsed).toBeLessThan(500);
    return result.errors![0]!.message;
  }

  it('answers an ordinary query, nested to the depth limit', async () => {
    const { data, errors } = await hub.run<{ districts: { totalCount: number; nodes: unknown[] } }>(
      `{ districts(first: 5) { totalCount nodes { ${streetsAndBack(3)} } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data!.districts.totalCount).toBeGreaterThanOrEqual(1);
    // Three times round from a district to its street and back, ending at the district's name.
    expect(JSON.stringify(data!.districts.nodes[0])).toMatch(/^(\{"streets":\{"nodes":\[\{"district":){3}\{"name":"测试区\d+"\}(\}\]\}\}){3}$/);
  });

  it('refuses a query nested deeper than the limit with QUERY_TOO_DEEP', async () => {
    expect((await hub.run(streetsRoundTrip(3))).errors).toBeUndefined();
    const message = await expectRefused(streetsRoundTrip(4), 'QUERY_TOO_DEEP');
    expect(message).toBe('The query nests fields 15 deep; the hub accepts at most 12.');
  });

  it('counts depth through fragments as through the fields they stand for', async () => {
    const query = `
      query { districts(first: 1) { nodes { ...A } } }
      fragment A on District { streets(first: 1) { nodes { district { ...B } } } }
      fragment B on District { streets(first: 1) { nodes { district { ...C } } } }
      fragment C on District { streets(first: 1) { nodes { district { ... on District { ...D } } } } }
      fragment D on District { streets(first: 1) { nodes { district { name } } } }`;
    await expectRefused(query, 'QUERY_TOO_DEEP');
  });

  it('refuses 50 aliases with TOO_MANY_ALIASES', async () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `d${i}: districts(first: 1) { totalCount }`).join('\n');
    const message = await expectRefused(`{ ${aliases} }`, 'TOO_MANY_ALIASES');
    expect(message).toBe('The query has 50 aliases; the hub accepts at most 30.');
    const fine = Array.from({ length: 30 }, (_, i) => `d${i}: districts(first: 1) { totalCount }`).join('\n');
    expect((await hub.run(`{ ${fine} }`)).errors).toBeUndefined();
  });

  it('refuses a query string over the byte cap with QUERY_TOO_LARGE', async () => {
    const padding = `# ${'填充'.repeat(10_000)}\n`;
    const message = await expectRefused(`${padding}{ districts(first: 1) { totalCount } }`, 'QUERY_TOO_LARGE');
    expect(message).toMatch(/^The query is 60\d{3} bytes long; the hub accepts at most 50000\.$/);
  });

  it('stops parsing a query of more than 5,000 tokens with QUERY_TOO_LARGE', async () => {
    const message = await expectRefused(`{ districts(first: 1) { ${'totalCount '.repeat(6000)}} }`, 'QUERY_TOO_LARGE');
    expect(message).toBe('The query has more than 5000 tokens; the hub accepts at most 5000.');
  });

  it('refuses three nested lists of 100 with QUERY_TOO_COMPLEX, also when the sizes come as variables', async () => {
    const message = await expectRefused(HUNDRED_CUBED, 'QUERY_TOO_COMPLEX');
    expect(message).toMatch(/^The query could resolve about 1020201 objects; the hub accepts at most 50000\./);
    const withVariables = 'query($n: Int) { districts(first: $n) { nodes { streets(first: $n) { nodes { committees(first: $n) { nodes { id } } } } } } }';
    await expectRefused(withVariables, 'QUERY_TOO_COMPLEX', { n: 100 });
    expect((await hub.run(withVariables, { n: 10 })).errors).toBeUndefined();
  });

  it('lets two nested lists of 100 through', async () => {
    const { errors } = await hub.run('{ districts(first: 100) { nodes { name streets(first: 100) { nodes { name } } } } }');
    expect(errors).toBeUndefined();
  });

  it('refuses more than 50 directives with QUERY_TOO_COMPLEX', async () => {
    const message = await expectRefused(`{ ${'__typename @include(if: true) '.repeat(51)}}`, 'QUERY_TOO_COMPLEX');
    expect(message).toBe('The query has 51 directives; the hub accepts at most 50.');
  });

  it('still answers others while refusing', async () => {
    const [refused, answered] = await Promise.all([hub.run(HUNDRED_CUBED), hub.run('{ districts(first: 2) { totalCount } }')]);
    expect(codesOf(refused.errors)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(answered.errors).toBeUndefined();
  });

  describe('the cost estimate', () => {
    async function measure(query: string, variables: Record<string, unknown> = {}): Promise<OperationMeasure> {
      const document = parse(query);
      return measureOperation(await hubSchema(), document, getOperationAST(document)!, variables, { defaultSize: 20, maxSize: 100 });
    }

    it('multiplies each nested selection by its page size, the default page without first or last', async () => {
      expect((await measure('{ districts(first: 100) { nodes { id } } }')).cost).toBe(1 + 100 * 1);
      expect((await measure('{ districts { nodes { id } } }')).cost).toBe(1 + 20 * 1);
      expect((await measure('{ districts(last: 7) { edges { node { id } } } }')).cost).toBe(1 + 7 * (1 + 1));
      expect((await measure('{ districts(first: 100) { nodes { streets(first: 100) { nodes { id } } } } }')).cost).toBe(1 + 100 * (1 + (1 + 100 * 1)));
    });

    it('reads page sizes from variables and their defaults, capped at the largest page', async () => {
      const query = 'query($n: Int = 5) { districts(first: $n) { nodes { id } } }';
      expect((await measure(query)).cost).toBe(1 + 5);
      expect((await measure(query, { n: 50 })).cost).toBe(1 + 50);
      expect((await measure(query, { n: 100_000 })).cost).toBe(1 + 100);
    });

    it('counts nodes(ids:) by the number of IDs asked for', async () => {
      expect((await measure('{ nodes(ids: ["a", "b", "c"]) { id ... on District { streets(first: 10) { nodes { id } } } } }')).cost).toBe(1 + 3 * (1 + 10));
      expect((await measure('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b'] })).cost).toBe(1);
    });

    it('counts a fragment at every place it is spread, aliases and directives included', async () => {
      const result = await measure(`
        { a: districts(first: 2) { nodes { ...F } } b: districts(first: 3) { nodes { ...F } } }
        fragment F on District { n: name @include(if: true) streets(first: 4) { totalCount } }`);
      expect(result).toEqual({ depth: 4, aliases: 4, directives: 2, cost: 1 + 2 * (1 + 1) + 1 + 3 * (1 + 1) });
    });

    it('ignores introspection for depth and cost', async () => {
      expect(await measure('{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }')).toEqual({ depth: 1, aliases: 0, directives: 0, cost: 0 });
    });
  });

  describe('in production', () => {
    let production: ApolloServer<HubContext>;

    beforeAll(async () => {
      production = await createApolloServer([], { ...hub.config, production: true });
    });

    afterAll(() => production.stop());

    async function runInProduction(query: string): Promise<{ message: string; code: unknown }[]> {
      const response = await production.executeOperation({ query }, { contextValue: createContext(hub.db, hub.config, { viewer: CITY_VIEWER }) });
      if (response.body.kind !== 'single') throw new Error('single result expected');
      return (response.body.singleResult.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code }));
    }

    it('refuses introspection', async () => {
      const [error] = await runInProduction('{ __schema { queryType { name } } }');
      expect(error).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
      expect(error!.message).toMatch(/introspection is not allowed/i);
    });

    it('gives no field suggestions, which development shows', async () => {
      const [error] = await runInProduction('{ district(first: 1) { totalCount } }');
      expect(error!.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(error!.message).not.toMatch(/Did you mean/);
      const development = await hub.run('{ district(first: 1) { totalCount } }');
      expect(development.errors![0]!.message).toMatch(/Did you mean "districts"/);
    });

    it('keeps the limits', async () => {
      expect(await runInProduction(streetsRoundTrip(4))).toEqual([{ message: expect.any(String), code: 'QUERY_TOO_DEEP' }]);
    });
  });

  describe('over HTTP', () => {
    const SECRET = 'abuse-test-secret-of-at-least-32-characters';
    let server: RunningHub;
    let config: HubConfig;

    beforeAll(async () => {
      config = {
        ...hub.config,
        host: '127.0.0.1',
        port: 0,
        auth: { ...hub.config.auth, secret: SECRET },
        limits: { ...hub.config.limits, ratePerMinute: 1, rateBurst: 3 },
      };
      server = await startHttpServer(hub.db, config);
    });

    afterAll(() => server.stop());

    const tokenFor = (subject: string): Promise<string> => issueDevelopmentToken(config.auth, { sub: subject, roles: [Role.CITY_CIVIL_AFFAIRS] }, '5m');

    async function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; retryAfter: string | null; body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
      const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as never };
    }

    /** POSTs from a chosen local address, which fetch cannot do. */
    function postFrom(localAddress: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: { errors?: { extensions?: Record<string, unknown> }[] } }> {
      return new Promise((resolve, reject) => {
        const request = http.request(server.url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as never }));
        });
        request.on('error', reject);
        request.end(body);
      });
    }

    const typename = JSON.stringify({ query: '{ __typename }' });

    it('limits each principal to its burst, then answers 429 RATE_LIMITED with Retry-After; others are unaffected', async () => {
      const alice = { authorization: `Bearer ${await tokenFor('alice')}` };
      const bob = { authorization: `Bearer ${await tokenFor('bob')}` };
      for (let i = 0; i < 3; i += 1) expect((await post(typename, alice)).status).toBe(200);
      const refused = await post(typename, alice);
      expect(refused.status).toBe(429);
      expect(refused.body.data).toBeUndefined();
      expect(codesOf(refused.body.errors)).toEqual(['RATE_LIMITED']);
      // One token a minute: the next one is up to a minute away.
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);

      expect((await post(typename, bob)).status).toBe(200);
      expect((await post(typename)).status).toBe(200);
    });

    it('counts the public by client address, whatever forwarding header it sends', async () => {
      // Its own loopback address (all of 127/8 is loopback), so no other test has spent from its bucket.
      const from = '127.0.0.3';
      expect((await postFrom(from, typename)).status).toBe(200);
      expect((await postFrom(from, typename, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(200);
      expect((await postFrom(from, typename, { 'x-real-ip': '203.0.113.8' })).status).toBe(200);
      const refused = await postFrom(from, typename, { 'x-forwarded-for': '203.0.113.9' });
      expect(refused.status).toBe(429);
      expect(codesOf(refused.body.errors)).toEqual(['RATE_LIMITED']);
      expect((await postFrom('127.0.0.4', typename)).status).toBe(200);
      expect((await postFrom(from, typename, { authorization: `Bearer ${await tokenFor('carol')}` })).status).toBe(200);
    });

    it('answers a query limit over HTTP with 400 and its code', async () => {
      const refused = await post(JSON.stringify({ query: streetsRoundTrip(4) }), { authorization: `Bearer ${await tokenFor('dave')}` });
      expect(refused.status).toBe(400);
      expect(codesOf(refused.body.errors)).toEqual(['QUERY_TOO_DEEP']);
    });

    it('refuses a body over the cap with 413 QUERY_TOO_LARGE in a GraphQL-shaped body', async () => {
      const body = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(config.limits.maxBodyBytes) } });
      const refused = await post(body, { authorization: `Bearer ${await tokenFor('erin')}` });
      expect(refused.status).toBe(413);
      expect(refused.body).toEqual({ errors: [{ message: `The request body is larger than the hub accepts (at most ${config.limits.maxBodyBytes} bytes).`, extensions: { code: 'QUERY_TOO_LARGE' } }] });
    });

    it('refuses a body that is not JSON with 400 in a GraphQL-shaped body', async () => {
      const refused = await post('{ "query": ', { authorization: `Bearer ${await tokenFor('frank')}` });
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    });
  });
});
