import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, validate } from 'graphql';
import { loadConfig, type HubConfig } from '../../src/config';
import { GRAPHIQL_ASSETS_PATH, OPERATIONS_FOLDER, type GraphiQLPageConfig } from '../../src/server/graphiql';
import { startHttpServer, type RunningHub } from '../../src/server/http';
import { hubSchema } from '../../src/server/schema';
import { openTestDatabase, type TestDatabase } from '../support/database';

/**
 * The self-hosted GraphiQL over real HTTP: the page a browser gets at /graphql and every file it
 * loads come from the hub itself, and nothing points at another host.
 */

let database: TestDatabase;
let hub: RunningHub;
let base: string;
const developmentConfig: HubConfig = { ...loadConfig({}), host: '127.0.0.1', port: 0 };

async function getPage(url: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(url, { headers: { accept: 'text/html' } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

function pageConfig(html: string): GraphiQLPageConfig {
  const match = /<script type="application\/json" id="hub-graphiql-config">([^<]*)<\/script>/.exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!) as GraphiQLPageConfig;
}

/** Every URL a file names: src/href attributes, CSS url(…) and source-map comments. */
function referencesIn(text: string): string[] {
  const found = [
    ...[...text.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!),
    ...[...text.matchAll(/url\(\s*["']?([^"')]*)["']?\s*\)/g)].map((m) => m[1]!),
    ...[...text.matchAll(/[#@] sourceMappingURL=(\S+)/g)].map((m) => m[1]!),
  ];
  return [...new Set(found)];
}

beforeAll(async () => {
  database = await openTestDatabase();
  hub = await startHttpServer(database.handle.db, developmentConfig);
  base = `http://127.0.0.1:${hub.port}`;
});

afterAll(async () => {
  await hub.stop();
  await database.close();
});

describe('GraphiQL at /graphql', () => {
  it('answers a browser with the GraphiQL page and a client with GraphQL on the same path', async () => {
    const page = await getPage(`${base}/graphql`);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.body).toContain('<div id="graphiql">');
    const answer = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(await answer.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves the page and every file it references, recursively, from the hub with 200, and names no other host', async () => {
    const page = await getPage(`${base}/graphql`);
    expect(page.body).not.toMatch(/https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    const seen = new Set<string>();
    const queue = referencesIn(page.body).map((reference) => new URL(reference, `${base}/graphql`).toString());
    const loaded: string[] = [];
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      if (url.startsWith('data:')) continue;
      expect(new URL(url).origin).toBe(base);
      const response = await fetch(url);
      expect({ url, status: response.status }).toEqual({ url, status: 200 });
      const body = await response.text();
      expect(body.length).toBeGreaterThan(0);
      loaded.push(new URL(url).pathname);
      if (/\.(js|css)$/.test(url)) queue.push(...referencesIn(body).map((reference) => new URL(reference, url).toString()));
    }
    // React, ReactDOM, graphql-ws, GraphiQL and the hub's start-up script; GraphiQL's styles; its source map.
    expect(loaded.sort()).toEqual(
      ['graphiql.min.css', 'graphiql.min.js', 'graphql-ws.min.js', 'hub-graphiql.js', 'index.umd.js.map', 'react-dom.production.min.js', 'react.production.min.js'].map((name) => `${GRAPHIQL_ASSETS_PATH}/${name}`).sort(),
    );
  });

  it('lets the page load nothing but the hub own files (Content-Security-Policy)', async () => {
    const page = await getPage(`${base}/graphql`);
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page.body)?.[1];
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
  });

  it('may not be framed by another site: headers say so, which browsers obey where a <meta> policy cannot', async () => {
    const response = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
  });

  it('serves nothing under the assets path but the listed files', async () => {
    for (const name of ['package.json', '..%2F..%2Fpackage.json', 'graphiql.js']) {
      expect((await fetch(`${base}${GRAPHIQL_ASSETS_PATH}/${name}`)).status).toBe(404);
    }
  });

  it('preloads the front-end tabs and every example operation, each valid against the schema on its own', async () => {
    const schema = await hubSchema();
    const config = pageConfig((await getPage(`${base}/graphql`)).body);
    const titles = config.tabs.map((tab) => tab.title);
    expect(titles).toEqual(['Welcome', 'Needs inbox', 'Resource posting', 'Provider inbox', 'Referral actions', 'Dashboard']);
    for (const tab of config.tabs) {
      expect({ tab: tab.title, errors: validate(schema, parse(tab.query)).map((e) => e.message) }).toEqual({ tab: tab.title, errors: [] });
      expect(() => JSON.parse(tab.variables) as unknown).not.toThrow();
    }
    const referralActions = config.tabs.find((tab) => tab.title === 'Referral actions')!;
    for (const action of ['AcceptReferral', 'DeclineReferral', 'StartReferralService', 'CompleteReferral', 'CancelReferral']) expect(referralActions.query).toContain(`mutation ${action}(`);
    const named = fs
      .readdirSync(OPERATIONS_FOLDER)
      .filter((file) => file.endsWith('.graphql'))
      .flatMap((file) => parse(fs.readFileSync(path.join(OPERATIONS_FOLDER, file), 'utf8')).definitions)
      .flatMap((definition) => (definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : []));
    expect(config.examples.map((example) => example.name).sort()).toEqual([...named].sort());
    for (const example of config.examples) {
      expect({ example: example.name, errors: validate(schema, parse(example.text)).map((e) => e.message) }).toEqual({ example: example.name, errors: [] });
    }
    expect(config.examples.find((example) => example.name === 'ReferralProposed')).toMatchObject({ kind: 'subscription', variables: '{\n  "provider": null\n}' });
  });

  it('shows in the headers editor how to send the token and the purpose', async () => {
    const config = pageConfig((await getPage(`${base}/graphql`)).body);
    const headers = JSON.parse(config.headers) as Record<string, string>;
    expect(headers.Authorization).toMatch(/^Bearer </);
    expect(headers['X-Hub-Purpose']).toMatch(/^</);
  });
});

describe('GraphiQL in production', () => {
  let production: RunningHub;

  beforeAll(async () => {
    const config: HubConfig = { ...loadConfig({ NODE_ENV: 'production', HUB_JWT_SECRET: 'a-production-secret-of-at-least-32-chars' }), host: '127.0.0.1', port: 0 };
    production = await startHttpServer(database.handle.db, config);
  });

  afterAll(() => production.stop());

  it('is not served: no page at /graphql and no assets, as introspection is off there', async () => {
    const page = await getPage(`http://127.0.0.1:${production.port}/graphql`);
    expect(page.body).not.toContain('graphiql');
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect((await fetch(`http://127.0.0.1:${production.port}${GRAPHIQL_ASSETS_PATH}/graphiql.min.js`)).status).toBe(404);
  });
});
