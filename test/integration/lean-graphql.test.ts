import http from 'node:http';
import { Role } from '../../src/auth/roles';
import { issueDevelopmentToken } from '../../src/auth/tokens';
import { createLogger } from '../../src/common/logger';
import { loadConfig, type HubConfig } from '../../src/config';
import { startHttpServer, type RunningHub } from '../../src/server/http';
import { openTestDatabase, type TestDatabase } from '../support/database';

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

type LogLine = Record<string, unknown> & { event: string };

/**
 * `POST /graphql` with a plain JSON body is answered without Express (the lean path); a hub
 * started with `leanGraphql: false` sends it through Express's endpoint as before. Each case is
 * sent to both and must come back the same: status, headers (but the date and Express's
 * X-Powered-By, which only says which of the two answered), body, log line and metrics.
 */
describe('the lean POST /graphql path and the Express endpoint', () => {
  const written: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void written.push(line) });
  const lines = (): LogLine[] => written.map((line) => JSON.parse(line) as LogLine);
  let database: TestDatabase;
  let hub: RunningHub;
  let viaExpressHub: RunningHub;
  let config: HubConfig;
  let token: string;

  beforeAll(async () => {
    const defaults = loadConfig({});
    // A small body cap, and a rate limit one request of each pair (two per case) cannot reach before the last case.
    config = { ...defaults, host: '127.0.0.1', port: 0, limits: { ...defaults.limits, maxBodyBytes: 2048, ratePerMinute: 1, rateBurst: 40 } };
    database = await openTestDatabase();
    hub = await startHttpServer(database.handle.db, config, { logger });
    viaExpressHub = await startHttpServer(database.handle.db, config, { logger, leanGraphql: false });
    token = await issueDevelopmentToken(config.auth, { roles: [Role.CITY_CIVIL_AFFAIRS], sub: 'lean-officer' }, '10m');
  });

  afterAll(async () => {
    await hub.stop();
    await viaExpressHub.stop();
    await database.close();
  });

  /** One raw request: `body` as given, chunked when `chunked` (no Content-Length). */
  function send(to: RunningHub, path: string, body: string | Buffer, headers: Record<string, string>, chunked = false): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port: to.port, method: 'POST', path, headers: chunked ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      request.on('error', reject);
      if (chunked) {
        // Two chunks, so the body arrives as a stream would.
        const half = Math.floor(body.length / 2);
        request.write(body.slice(0, half));
        request.end(body.slice(half));
      } else request.end(body);
    });
  }

  function comparable(answer: Answer): Answer {
    const { date: _date, 'x-powered-by': _poweredBy, ...headers } = answer.headers;
    return { ...answer, headers };
  }

  let pair = 0;

  /** The same request to the lean path and to Express: they must agree; returns the lean answer. */
  async function bothWays(body: string | Buffer, headers: Record<string, string> = {}, chunked = false, path = '/graphql'): Promise<Answer> {
    pair += 1;
    const all = { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers };
    const lean = await send(hub, path, body, { ...all, 'x-request-id': `lean-${pair}` }, chunked);
    const viaExpress = await send(viaExpressHub, path, body, { ...all, 'x-request-id': `express-${pair}` }, chunked);
    expect(lean.headers['x-powered-by']).toBeUndefined();
    expect(viaExpress.headers['x-powered-by']).toBe('Express');
    expect(lean.headers['x-request-id']).toBe(`lean-${pair}`);
    expect(comparable({ ...lean, headers: { ...lean.headers, 'x-request-id': 'id' } })).toEqual(comparable({ ...viaExpress, headers: { ...viaExpress.headers, 'x-request-id': 'id' } }));
    // One log line each, the same but for the id and the time.
    const lineOf = (id: string) => {
      const { requestId: _id, ms: _ms, time: _time, ...line } = lines().find((entry) => entry.event === 'http.request' && entry.requestId === id) ?? ({} as LogLine);
      return line;
    };
    expect(lineOf(`lean-${pair}`)).toEqual(lineOf(`express-${pair}`));
    expect(lineOf(`lean-${pair}`)).toMatchObject({ method: 'POST', path: '/graphql', status: lean.status });
    return lean;
  }

  it('answers a query, its operation name in the log and the metrics', async () => {
    const lean = await bothWays(JSON.stringify({ query: 'query LeanTypename { __typename }' }));
    expect(lean.status).toBe(200);
    expect(lean.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(lean.body)).toEqual({ data: { __typename: 'Query' } });
    expect(lines().find((entry) => entry.requestId === `lean-${pair}`)).toMatchObject({ operation: 'LeanTypename' });
    const metrics = await (await fetch(hub.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toContain('hub_graphql_requests_total{operation="LeanTypename"} 2');
  });

  it('answers a compiled query with the text PostgreSQL wrote, as Express answers it from models', async () => {
    const lean = await bothWays(JSON.stringify({ query: '{ needs(first: 3) { __typename nodes { id createdAt } } missing: node(id: "TmVlZDo5OTk5OTk") { id } __typename }' }));
    expect(lean.status).toBe(200);
    expect(lean.body).toBe('{"data":{"needs":{"__typename":"NeedConnection","nodes":[]},"missing":null,"__typename":"Query"}}\n');
  });

  it('answers a streamed (chunked) body, a body with a byte-order mark, a charset and a query string alike', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    expect((await bothWays(body, {}, true)).status).toBe(200);
    expect((await bothWays(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]))).status).toBe(200);
    expect((await bothWays(body, { 'content-type': 'Application/JSON; charset="UTF-8"' })).status).toBe(200);
    expect((await bothWays(body, {}, false, '/graphql?operationName=x')).status).toBe(200);
  });

  it('refuses bodies that are not JSON, or not an object, alike', async () => {
    for (const body of ['{ "query": ', '"{ __typename }"', '   ', 'null']) {
      const lean = await bothWays(body);
      expect(lean.status).toBe(400);
      expect(JSON.parse(lean.body)).toEqual({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    }
    // An empty body is `{}` to express.json; Apollo then asks for a query.
    expect((await bothWays('')).status).toBe(400);
    // A batch (off in the hub) and a query of the wrong type: Apollo's own 400s.
    expect((await bothWays(JSON.stringify([{ query: '{ __typename }' }]))).status).toBe(400);
    expect((await bothWays(JSON.stringify({ query: 42 }))).status).toBe(400);
  });

  it('refuses a body over the cap with 413, whether it declares its length or streams', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(config.limits.maxBodyBytes) } });
    for (const chunked of [false, true]) {
      const lean = await bothWays(body, {}, chunked);
      expect(lean.status).toBe(413);
      expect(JSON.parse(lean.body)).toEqual({ errors: [{ message: `The request body is larger than the hub accepts (at most ${config.limits.maxBodyBytes} bytes).`, extensions: { code: 'QUERY_TOO_LARGE' } }] });
    }
    // Exactly at the cap is still read.
    const padding = config.limits.maxBodyBytes - JSON.stringify({ query: '{ __typename }', variables: { p: '' } }).length;
    expect((await bothWays(JSON.stringify({ query: '{ __typename }', variables: { p: 'x'.repeat(padding) } }))).status).toBe(200);
  });

  it('answers GraphQL errors, a bad token, content negotiation and CSRF prevention alike', async () => {
    const invalid = await bothWays(JSON.stringify({ query: '{ noSuchField }' }));
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const unauthenticated = await bothWays(JSON.stringify({ query: '{ __typename }' }), { authorization: 'Bearer not-a-jwt' });
    expect(unauthenticated.status).toBe(401);
    const graphqlResponse = await bothWays(JSON.stringify({ query: '{ __typename }' }), { accept: 'application/graphql-response+json' });
    expect(graphqlResponse.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
    expect((await bothWays(JSON.stringify({ query: '{ __typename }' }), { accept: 'text/html' })).status).toBe(406);
    // Apollo's CSRF prevention reads the headers: a JSON POST is never "simple", so it passes.
    expect((await bothWays(JSON.stringify({ query: '{ __typename }' }), { 'apollo-require-preflight': 'true' })).status).toBe(200);
  });

  it('leaves other bodies to Express: another type, another charset, a content encoding', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const others: Record<string, string>[] = [{ 'content-type': 'text/plain' }, { 'content-type': 'application/json; charset=utf-16' }, { 'content-type': 'application/json', 'content-encoding': 'gzip' }];
    for (const headers of others) {
      const answer = await send(hub, '/graphql', body, { authorization: `Bearer ${token}`, ...headers });
      expect(answer.headers['x-powered-by']).toBe('Express');
      expect(answer.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('counts lean requests against the rate limit, with Retry-After', async () => {
    let refused: Answer | undefined;
    for (let i = 0; i < 60 && !refused; i += 1) {
      const answer = await send(hub, '/graphql', JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'application/json', authorization: `Bearer ${token}` });
      if (answer.status === 429) refused = answer;
    }
    expect(refused?.headers['x-powered-by']).toBeUndefined();
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused!.body).errors[0].extensions.code).toBe('RATE_LIMITED');
  });
});
