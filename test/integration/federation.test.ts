import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { parse } from 'graphql';
import { composeServices } from '@theguild/federation-composition';
import { issueDevelopmentToken } from '../../src/auth/tokens';
import { Role } from '../../src/auth/roles';
import { toGlobalId } from '../../src/common/global-id';
import { loadConfig } from '../../src/config';
import { persons } from '../../src/db/schema';
import { ENTITY_TYPES } from '../../src/server/federation';
import { startHttpServer, type RunningHub } from '../../src/server/http';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { HR_SDL, startHrSubgraph, type RunningSubgraph } from '../support/hr-subgraph';
import { makeReferralScene, type ReferralScene } from '../support/referral-scene';

/** The part of the Hive gateway runtime the test uses. */
interface Gateway {
  fetch(url: string, init: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}
interface GatewayConfig {
  supergraph: string;
  transports: Record<string, unknown>;
  propagateHeaders: { fromClientToSubgraphs(payload: { request: Request }): Record<string, string | null> };
  logging: boolean;
}
// Loaded untyped: the runtime's type declarations augment graphql's error extensions in a way
// that clashes with Apollo Server's, and would break the type check of the whole project.
const { createGatewayRuntime } = require('@graphql-hive/gateway-runtime') as { createGatewayRuntime(config: GatewayConfig): Gateway };
const httpTransport = require('@graphql-mesh/transport-http') as unknown;

type Result = { data?: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[] };

const masked = (name: string) => `${name[0]}${'*'.repeat(name.length - 1)}`;

/**
 * The hub served as an Apollo Federation v2 subgraph (HUB_FEDERATION=1, at /subgraph), composed
 * with a department's subgraph (HR adds `employment` to Person) by @theguild/federation-composition
 * and served by the Hive gateway runtime (MIT), in process.
 */
describe('the hub as a Federation v2 subgraph behind a gateway', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-fed-'));
  const config = { ...loadConfig({ HUB_DEV_SECRET_FILE: path.join(dataDir, 'secret'), HUB_FEDERATION: '1' }), host: '127.0.0.1', port: 0 };
  let database: TestDatabase;
  let hub: RunningHub;
  let hr: RunningSubgraph;
  let gateway: Gateway;
  let scene: ReferralScene;
  let elsewhere: ReferralScene;
  let members: { id: number; name: string }[];
  let outsider: { id: number; name: string };

  const subgraphUrl = () => hub.url.replace('localhost', '127.0.0.1').replace(/\/graphql$/, '/subgraph');
  const caseworkerOf = (s: ReferralScene) =>
    issueDevelopmentToken(config.auth, { roles: [Role.CASEWORKER], sub: `caseworker-${s.caseworker}`, staff: toGlobalId('StaffMember', s.caseworker), org: toGlobalId('Organization', s.office) }, '5m');

  async function post(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Result> {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as Result;
  }

  async function viaGateway(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Result> {
    const response = await gateway.fetch('http://gateway.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as Result;
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    const db = database.handle.db;
    hub = await startHttpServer(db, config);
    scene = await makeReferralScene(db, 2);
    elsewhere = await makeReferralScene(db, 1);
    members = await db.select({ id: persons.id, name: persons.name }).from(persons).where(eq(persons.householdId, scene.household)).orderBy(persons.id);
    [outsider] = (await db.select({ id: persons.id, name: persons.name }).from(persons).where(eq(persons.householdId, elsewhere.household))) as [{ id: number; name: string }];
    hr = await startHrSubgraph([
      { personId: toGlobalId('Person', members[0]!.id), employer: '上海浦江物业管理有限公司', since: '2024-03-01' },
      { personId: toGlobalId('Person', outsider.id), employer: '上海申城保洁服务有限公司', since: '2023-09-15' },
    ]);

    // What a gateway operator does: read each subgraph's SDL, compose, serve the supergraph.
    const service = await post(subgraphUrl(), '{ _service { sdl } }');
    const hubSdl = (service.data!._service as { sdl: string }).sdl;
    const composed = composeServices([
      { name: 'hub', typeDefs: parse(hubSdl), url: subgraphUrl() },
      { name: 'hr', typeDefs: parse(HR_SDL), url: hr.url },
    ]);
    if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));
    gateway = createGatewayRuntime({
      supergraph: composed.supergraphSdl,
      transports: { http: httpTransport },
      // The caller's token and purpose go to every subgraph: the hub applies its own permissions.
      propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization'), 'x-hub-purpose': request.headers.get('x-hub-purpose') }) },
      logging: false,
    });
    // Composing and loading the gateway takes seconds of CPU; on a busy machine more than the default minute.
  }, 180_000);

  afterAll(async () => {
    await gateway?.dispose();
    await hr?.stop();
    await hub?.stop();
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const HOUSEHOLD_WITH_EMPLOYMENT = `query($id: ID!) { node(id: $id) { ... on Household { id memberCount persons { nodes { id name employment { employer since } } } } } }`;

  it("answers a query that spans both subgraphs: the household's members from the hub, each with employment from HR", async () => {
    const authorization = `Bearer ${await caseworkerOf(scene)}`;
    const result = await viaGateway(HOUSEHOLD_WITH_EMPLOYMENT, { id: toGlobalId('Household', scene.household) }, { authorization });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      node: {
        id: toGlobalId('Household', scene.household),
        memberCount: 2,
        persons: {
          nodes: [
            { id: toGlobalId('Person', members[0]!.id), name: masked(members[0]!.name), employment: { employer: '上海浦江物业管理有限公司', since: '2024-03-01' } },
            { id: toGlobalId('Person', members[1]!.id), name: masked(members[1]!.name), employment: null },
          ],
        },
      },
    });
    expect(hr.authorizations.at(-1)).toBe(authorization);
  });

  it("forwards the caller's purpose: with the case as purpose the caseworker reads names in clear through the gateway", async () => {
    const result = await viaGateway(HOUSEHOLD_WITH_EMPLOYMENT, { id: toGlobalId('Household', scene.household) }, { authorization: `Bearer ${await caseworkerOf(scene)}`, 'x-hub-purpose': toGlobalId('Case', scene.caseId) });
    expect(result.errors).toBeUndefined();
    const nodes = (result.data!.node as { persons: { nodes: { name: string }[] } }).persons.nodes;
    expect(nodes.map((person) => person.name)).toEqual(members.map((member) => member.name));
  });

  it("resolves HR's references to persons through the hub's permissions: a person the viewer may not see is null, in clear nowhere", async () => {
    const query = '{ employmentRecords { employer person { id name employment { since } } } }';
    const own = await viaGateway(query, {}, { authorization: `Bearer ${await caseworkerOf(scene)}` });
    // The hub answers null for the person it hides; Person's non-null fields make that an error at that person alone.
    expect(own.errors?.map((error) => error.path)).toEqual([['employmentRecords', 1, 'person', 'name']]);
    expect(own.data).toEqual({
      employmentRecords: [
        { employer: '上海浦江物业管理有限公司', person: { id: toGlobalId('Person', members[0]!.id), name: masked(members[0]!.name), employment: { since: '2024-03-01' } } },
        { employer: '上海申城保洁服务有限公司', person: null },
      ],
    });

    const anonymous = await viaGateway(query);
    expect(anonymous.data).toEqual({
      employmentRecords: [
        { employer: '上海浦江物业管理有限公司', person: null },
        { employer: '上海申城保洁服务有限公司', person: null },
      ],
    });
    for (const text of [JSON.stringify(own), JSON.stringify(anonymous)]) {
      for (const name of [...members.map((member) => member.name), outsider.name]) expect(text).not.toContain(name);
    }
  });

  it('gives no personal data through _entities on /subgraph to a viewer without rights, and refuses a type that is not an entity', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id name } ... on Household { id memberCount } } }';
    const representations = [
      { __typename: 'Person', id: toGlobalId('Person', members[0]!.id) },
      { __typename: 'Household', id: toGlobalId('Household', scene.household) },
    ];
    const stranger = await post(subgraphUrl(), query, { r: representations }, { authorization: `Bearer ${await caseworkerOf(elsewhere)}` });
    expect(stranger).toEqual({ data: { _entities: [null, null] } });
    const anonymous = await post(subgraphUrl(), query, { r: representations });
    expect(anonymous).toEqual({ data: { _entities: [null, null] } });
    const allowed = await post(subgraphUrl(), query, { r: representations }, { authorization: `Bearer ${await caseworkerOf(scene)}` });
    expect(allowed).toEqual({ data: { _entities: [{ id: representations[0]!.id, name: masked(members[0]!.name) }, { id: representations[1]!.id, memberCount: 2 }] } });

    // An ID of another type under an entity's name names nothing.
    const mismatched = await post(subgraphUrl(), query, { r: [{ __typename: 'Person', id: toGlobalId('Household', scene.household) }] }, { authorization: `Bearer ${await caseworkerOf(scene)}` });
    expect(mismatched).toEqual({ data: { _entities: [null] } });
    const notEntity = await post(subgraphUrl(), query, { r: [{ __typename: 'Case', id: toGlobalId('Case', scene.caseId) }] }, { authorization: `Bearer ${await caseworkerOf(scene)}` });
    expect(notEntity.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('keys the five entity types in the subgraph SDL, while /graphql and schema/schema.graphql stay free of federation', async () => {
    const service = await post(subgraphUrl(), '{ _service { sdl } }');
    const sdl = (service.data!._service as { sdl: string }).sdl;
    expect(sdl).toMatch(/^extend schema @link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+", import: \["@key"\]\)/);
    const keyed = [...sdl.matchAll(/^type (\w+) .*@key\(fields: "id"\)/gm)].map((match) => match[1]);
    expect(keyed.sort()).toEqual([...ENTITY_TYPES].sort());
    expect(sdl).not.toContain('type Subscription');

    const plain = await post(hub.url.replace('localhost', '127.0.0.1'), '{ _service { sdl } }');
    expect(plain.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const committed = fs.readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8');
    expect(committed).not.toMatch(/@key|_entities|_Service|@link/);
  });

  it('serves no /subgraph unless HUB_FEDERATION is set', async () => {
    const plainHub = await startHttpServer(database.handle.db, { ...config, federation: false });
    try {
      const response = await fetch(plainHub.url.replace('localhost', '127.0.0.1').replace(/\/graphql$/, '/subgraph'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _service { sdl } }' }) });
      expect(response.status).toBe(404);
    } finally {
      await plainHub.stop();
    }
  });
});
