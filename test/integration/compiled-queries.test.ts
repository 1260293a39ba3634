import fs from 'node:fs';
import path from 'node:path';
import type { ApolloServer } from '@apollo/server';
import { Kind, parse, print } from 'graphql';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { todayInShanghai } from '../../src/common/dates';
import { needs, persons, referrals, resources } from '../../src/db/schema';
import { createContext, type HubContext } from '../../src/server/context';
import { createApolloServer } from '../../src/server/http';
import { majorityCutoff } from '../../src/server/compiled/getters';
import { answerAsText } from '../../src/server/compiled/text';
import { gid } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';
import { buildWorld, ids, principalsOf, VIEWER_KEYS, type World } from '../support/principals';

/**
 * Compiled queries (src/server/compiled) answer a read in one statement instead of resolving it
 * level by level. They must give exactly the resolvers' answer: every query here runs through
 * both paths, for every role's viewer, and the two answers must be the same JSON.
 */
describe('compiled queries', () => {
  let hub: TestHub;
  let resolved: ApolloServer<HubContext>;
  let compiledServer: ApolloServer<HubContext>;
  let world: World;
  let viewers: ReturnType<typeof principalsOf>;

  beforeAll(async () => {
    hub = await startTestHub();
    world = await buildWorld(hub.db);
    viewers = principalsOf(world);
    resolved = await createApolloServer([], { ...hub.config, compiledQueries: false });
    await resolved.start();
    compiledServer = await createApolloServer([], hub.config);
    await compiledServer.start();
    const { needs, resources, households, orgs } = world;
    // Live and finished referrals from needs in both districts to resources of both providers.
    const referral = (need: keyof World['needs'], resource: keyof World['resources'], status: 'PROPOSED' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED') => ({
      needId: needs[need].id,
      resourceId: resources[resource].id,
      providerId: orgs[resources[resource].provider],
      householdId: households[needs[need].household].id,
      units: 1,
      status,
      reason: '编译查询测试',
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    await hub.db
      .insert(referrals)
      .values([referral('A1a', 'Ppublic', 'PROPOSED'), referral('A1a', 'Qprivate', 'DECLINED'), referral('A1b', 'Pprivate', 'ACCEPTED'), referral('B1', 'Qpublic', 'PROPOSED'), referral('B2', 'Ppublic', 'EXPIRED'), referral('A2', 'Qpublic', 'DECLINED')]);
  });

  afterAll(async () => {
    await resolved.stop();
    await compiledServer.stop();
    await hub.close();
  });

  async function viaResolvers(query: string, variables: Record<string, unknown>, viewer: Principal) {
    const response = await resolved.executeOperation({ query, variables }, { contextValue: createContext(hub.db, hub.config, { viewer }) });
    if (response.body.kind !== 'single') throw new Error('single result expected');
    return response.body.singleResult;
  }

  /**
   * The answer as the lean HTTP path gives it: roots PostgreSQL wrote as text where it can,
   * spliced into the serialised response. `texts` is how many roots came as text.
   */
  async function viaText(query: string, variables: Record<string, unknown>, viewer: Principal, operationName?: string) {
    const contextValue = createContext(hub.db, hub.config, { viewer });
    const spliced = answerAsText(contextValue);
    const response = await compiledServer.executeOperation({ query, variables, operationName }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('single result expected');
    const { data, errors } = response.body.singleResult;
    return { text: spliced.splice(JSON.stringify({ data, errors })), texts: spliced.size };
  }

  /** An answer with its errors' ids blanked: each error has an id of its own. */
  const withoutErrorIds = (answer: string) => answer.replace(/"errorId":"[^"]+"/g, '"errorId":"…"');

  /** The answers of the three paths (resolvers, compiled, compiled as text), and how many statements the compiled one took. */
  async function both(query: string, variables: Record<string, unknown>, viewer: Principal) {
    const compiled = await hub.run(query, variables, { viewer });
    const plain = await viaResolvers(query, variables, viewer);
    const { text, texts } = await viaText(query, variables, viewer);
    return { compiled: JSON.stringify({ data: compiled.data, errors: compiled.errors }), text, texts, resolved: JSON.stringify({ data: plain.data, errors: plain.errors }), statements: compiled.statements };
  }

  const NEEDS_PAGE = `query($districts: [ID!], $first: Int) {
    needs(filter: { districts: $districts }, orderBy: { field: CREATED_AT, direction: DESC }, first: $first) {
      __typename
      nodes {
        __typename id urgency units status createdAt
        household { id assistanceStatuses address committee { id name street { id name district { id name } } } district { name } }
        committee { name } street { name } district { name }
        referrals(first: 5) { nodes { id status units resource { id title capacity heldUnits status provider { id name } } provider { name } need { id } } }
      }
    }
  }`;

  const NEED = `query($id: ID!) {
    node(id: $id) {
      __typename id
      ... on Need { status urgency units createdAt household { id assistanceStatuses persons(first: 10) { nodes { id relation sex age attributes name idNumber phone household { id } } } } }
      ... on Household { address registeredCommittee { name } }
    }
  }`;

  const PROVIDER = `query($id: ID!) {
    node(id: $id) {
      ... on Organization { id name resources(first: 20) { nodes { id title capacity heldUnits status referrals(first: 10) { nodes { id status units need { id urgency units status createdAt } } } } } }
    }
  }`;

  it.each(VIEWER_KEYS)('gives the resolvers’ answer to a page of needs with where they live and their referrals, in one statement (%s)', async (key) => {
    for (const variables of [{}, { districts: [gid('District', world.districts.A)], first: 3 }]) {
      const { compiled, text, resolved: expected, statements } = await both(NEEDS_PAGE, variables, viewers[key]);
      expect(compiled).toBe(expected);
      expect(text).toBe(expected);
      expect(statements).toBe(1);
    }
  });

  it.each(VIEWER_KEYS)('gives the resolvers’ answer to a need, a household or a person by ID with masked personal fields (%s)', async (key) => {
    const subjects = [ids.need(world, 'A1a'), ids.need(world, 'B2'), ids.household(world, 'A1b'), gid('Need', 999_999), 'not-an-id'];
    for (const id of subjects) {
      const { compiled, text, resolved: expected } = await both(NEED, { id }, viewers[key]);
      expect(compiled).toBe(expected);
      expect(text).toBe(expected);
    }
  });

  it.each(VIEWER_KEYS)('gives the resolvers’ answer to a provider with its resources and their referrals (%s)', async (key) => {
    for (const org of ['P', 'Q', 'city'] as const) {
      const { compiled, text, resolved: expected, statements } = await both(PROVIDER, { id: ids.org(world, org) }, viewers[key]);
      expect(compiled).toBe(expected);
      expect(text).toBe(expected);
      expect(statements).toBe(1);
    }
  });

  const LOAD_SHAPES = fs.readFileSync(path.resolve(__dirname, '../../schema/operations/load-shapes.graphql'), 'utf8');
  const LOAD_SHAPES_NEED = print(parse(LOAD_SHAPES).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === 'LoadNeed')!);

  it.each(VIEWER_KEYS)('writes the load benchmark’s needs page and provider dashboard as text, byte for byte the resolvers’ answer (%s)', async (key) => {
    const asked: [string, Record<string, unknown>][] = [
      ['LoadOpenNeedsPage', { districts: [gid('District', world.districts.A), gid('District', world.districts.B)] }],
      ['LoadOpenNeedsPage', {}],
      ['LoadProviderDashboard', { id: ids.org(world, 'P') }],
      ['LoadProviderDashboard', { id: ids.org(world, 'Q') }],
    ];
    for (const [operationName, variables] of asked) {
      const { text, texts } = await viaText(LOAD_SHAPES, variables, viewers[key], operationName);
      const plain = await resolved.executeOperation({ query: LOAD_SHAPES, operationName, variables }, { contextValue: createContext(hub.db, hub.config, { viewer: viewers[key] }) });
      if (plain.body.kind !== 'single') throw new Error('single result expected');
      expect(texts).toBe(1);
      expect(text).toBe(JSON.stringify({ data: plain.body.singleResult.data, errors: plain.body.singleResult.errors }));
    }
  });

  it.each(VIEWER_KEYS)('writes the load benchmark’s need by ID, its persons’ masked fields and ages included, as text wherever the need is visible (%s)', async (key) => {
    for (const need of ['A1a', 'B2'] as const) {
      const variables = { id: ids.need(world, need) };
      const { text, texts, resolved: expected } = await both(LOAD_SHAPES_NEED, variables, viewers[key]);
      expect(text).toBe(expected);
      expect(texts).toBe((JSON.parse(expected) as { data: { node: unknown } }).data.node === null ? 0 : 1);
    }
    if (key === 'city') expect((await viaText(LOAD_SHAPES_NEED, { id: ids.need(world, 'A1a') }, viewers.city)).texts).toBe(1);
  });

  it('writes names, ID numbers and phones masked and ages and MINOR as the getters do, on the day someone comes of age and the day before', async () => {
    const members = world.persons.filter((person) => person.household === world.needs.A1a.household);
    expect(members.length).toBeGreaterThanOrEqual(2);
    const [first, second] = members.map((member) => member.id);
    const saved = await hub.db.select().from(persons).where(inArray(persons.id, [first!, second!]));
    // The last birth date of someone 18 today, and the day after it (17), whatever today is.
    const of18 = majorityCutoff(todayInShanghai());
    const dayAfter = new Date(Date.parse(`${of18}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    try {
      // 18 today: MINOR drops away. 17: MINOR is added though not stored.
      await hub.db.update(persons).set({ name: ' 𠮷田\u3000', phone: '+86 13812345678', birthDate: of18, attributes: ['MINOR', 'DISABILITY'] }).where(eq(persons.id, first!));
      await hub.db.update(persons).set({ name: '王', phone: '021 1234567', birthDate: dayAfter, attributes: ['UNEMPLOYED'] }).where(eq(persons.id, second!));
      const { text, texts, resolved: expected } = await both(NEED, { id: ids.need(world, 'A1a') }, viewers.city);
      expect(texts).toBe(1);
      expect(text).toBe(expected);
      expect(text).toContain('"name":"𠮷*","idNumber"');
      expect(text).toContain('"phone":"138****5678"');
      expect(text).toContain('"age":17,"attributes":["UNEMPLOYED","MINOR"]');
      expect(text).toContain('"age":18,"attributes":["DISABILITY"]');
      // A phone the getter masks by its UTF-16 length, and a malformed ID number the twin leaves to the getter.
      await hub.db.update(persons).set({ phone: '😀 12' }).where(eq(persons.id, first!));
      const oddPhone = await both(NEED, { id: ids.need(world, 'A1a') }, viewers.city);
      expect(oddPhone.texts).toBe(1);
      expect(oddPhone.text).toBe(oddPhone.resolved);
      await hub.db.update(persons).set({ idNumber: 'ß-bad' }).where(eq(persons.id, first!));
      const oddId = await both(NEED, { id: ids.need(world, 'A1a') }, viewers.city);
      expect(oddId.texts).toBe(0);
      expect(oddId.text).toBe(oddId.resolved);
      // What the getters would report as an error, or read otherwise than as YYYY-MM-DD, is left to them.
      await hub.db.update(persons).set({ idNumber: saved.find((row) => row.id === first)!.idNumber }).where(eq(persons.id, first!));
      for (const odd of [sql`attributes = array['DISABILITY', null]::person_attribute[]`, sql`birth_date = '10000-01-01'`, sql`birth_date = 'infinity'`]) {
        await hub.db.execute(sql`update persons set ${odd} where id = ${first!}`);
        const answer = await both(NEED, { id: ids.need(world, 'A1a') }, viewers.city);
        expect(answer.texts).toBe(0);
        expect(withoutErrorIds(answer.text)).toBe(withoutErrorIds(answer.resolved));
        await hub.db.update(persons).set(saved.find((row) => row.id === first)!).where(eq(persons.id, first!));
      }
    } finally {
      for (const row of saved) await hub.db.update(persons).set(row).where(eq(persons.id, row.id));
    }
  });

  const BALANCE = `query($districts: [ID!], $categories: [ID!]) {
    supplyDemandBalance(districts: $districts, categories: $categories) { __typename district { id name } category { id code nameZh } openUnits freeUnits shortfall }
  }`;

  it.each(VIEWER_KEYS)('writes the supply–demand balance as text, byte for byte the resolvers’ answer, and leaves refusals to them (%s)', async (key) => {
    const asked: Record<string, unknown>[] = [
      {},
      { districts: [gid('District', world.districts.A), gid('District', world.districts.B)] },
      { districts: [gid('District', world.districts.B)], categories: [gid('ServiceCategory', world.categoryId)] },
      { districts: ['not-an-id'] },
    ];
    for (const variables of asked) {
      const { text, texts, resolved: expected } = await both(BALANCE, variables, viewers[key]);
      expect(text).toBe(expected);
      // Errors (a viewer not signed in, a malformed ID) are the resolvers' to word.
      expect(texts).toBe((JSON.parse(expected) as { errors?: unknown }).errors ? 0 : 1);
    }
    if (key === 'city') {
      const { text, texts } = await viaText(BALANCE, {}, viewers.city);
      expect(texts).toBe(1);
      expect((JSON.parse(text) as { data: { supplyDemandBalance: unknown[] } }).data.supplyDemandBalance.length).toBeGreaterThan(0);
    }
  });

  it('writes a balance with a shortfall, and leaves units beyond 32 bits to the resolvers’ error', async () => {
    const changed = [world.needs.A1a.id, world.needs.A1b.id];
    const before = await hub.db.select({ id: needs.id, units: needs.units, status: needs.status }).from(needs).where(inArray(needs.id, changed));
    const variables = { districts: [gid('District', world.districts.A)], categories: [gid('ServiceCategory', world.categoryId)] };
    try {
      await hub.db.update(needs).set({ status: 'OPEN', units: 1_000 }).where(eq(needs.id, changed[0]!));
      const short = await both(BALANCE, variables, viewers.city);
      expect(short.texts).toBe(1);
      expect(short.text).toBe(short.resolved);
      expect(short.text).toMatch(/"shortfall":[1-9][0-9]{2,}/);
      await hub.db.update(needs).set({ status: 'OPEN', units: 2_147_483_647 }).where(inArray(needs.id, changed));
      const huge = await both(BALANCE, variables, viewers.city);
      expect(huge.texts).toBe(0);
      expect(withoutErrorIds(huge.text)).toBe(withoutErrorIds(huge.resolved));
      expect(huge.text).toContain('"path":["supplyDemandBalance",0,"openUnits"]');
    } finally {
      for (const row of before) await hub.db.update(needs).set(row).where(eq(needs.id, row.id));
    }
  });

  it('writes a service catalogue item by ID', async () => {
    const { text, texts, resolved: expected } = await both(`query($id: ID!) { node(id: $id) { __typename id ... on ServiceCategory { code nameZh nameEn description } } }`, { id: gid('ServiceCategory', world.categoryId) }, viewers.public);
    expect(texts).toBe(1);
    expect(text).toBe(expected);
  });

  it('writes a connection of which only the type is asked, whether its parent has rows in it or none', async () => {
    const queries: [string, Record<string, unknown>][] = [
      ['{ needs(first: 3) { __typename t: __typename } }', {}],
      ['{ needs(first: 20) { nodes { id referrals(first: 2) { __typename } } } }', {}],
      ['query($id: ID!) { node(id: $id) { ... on Organization { id resources(first: 5) { __typename } } } }', { id: ids.org(world, 'P') }],
    ];
    for (const [query, variables] of queries) {
      const { text, texts, resolved: expected } = await both(query, variables, viewers.city);
      expect(texts).toBe(1);
      expect(text).toBe(expected);
    }
  });

  it('writes strings with quotes, backslashes, control characters and any script as JSON.stringify does, and leaves a date JavaScript writes otherwise to the resolvers', async () => {
    const title = 'He said "帮扶" \\ back\\slash\n\ttab \u0001\u001f\u007f \u2028 😀 <b>&amp;</b> \'quoted\'';
    const query = `query($id: ID!) { node(id: $id) { ... on Organization { id name resources(first: 20) { nodes { id title createdAt } } } } }`;
    const resource = world.resources.Ppublic;
    const [before] = await hub.db.select({ title: resources.title, createdAt: resources.createdAt }).from(resources).where(eq(resources.id, resource.id));
    try {
      await hub.db.update(resources).set({ title }).where(eq(resources.id, resource.id));
      const strings = await both(query, { id: ids.org(world, 'P') }, viewers.city);
      expect(strings.texts).toBe(1);
      expect(strings.text).toBe(strings.resolved);
      expect(strings.text).toContain(JSON.stringify(title));
      // The year 10000, which to_char and JavaScript write differently: the statement marks it, and the resolvers answer.
      await hub.db
        .update(resources)
        .set({ createdAt: sql`'10000-01-01 00:00:00+00'::timestamptz` })
        .where(eq(resources.id, resource.id));
      const farDate = await both(query, { id: ids.org(world, 'P') }, viewers.city);
      expect(farDate.texts).toBe(0);
      expect(farDate.text).toBe(farDate.resolved);
    } finally {
      await hub.db.update(resources).set(before!).where(eq(resources.id, resource.id));
    }
  });

  it('shows a viewer only what its loaders would: a district officer sees no need of another district and no household outside it', async () => {
    const result = await hub.run<{ needs: { nodes: { id: string; household: { id: string } | null }[] } }>(NEEDS_PAGE, {}, { viewer: viewers.district });
    const shown = result.data!.needs.nodes.map((need) => need.id);
    expect(shown).toContain(ids.need(world, 'A1a'));
    expect(shown).not.toContain(ids.need(world, 'B1'));
    expect(shown).not.toContain(ids.need(world, 'B2'));
  });

  it('keeps personal fields masked: no clear name or ID number leaves without a purpose', async () => {
    const result = await hub.run(NEED, { id: ids.need(world, 'A1a') }, { viewer: viewers.city });
    const text = JSON.stringify(result.data);
    for (const person of world.persons) {
      expect(text).not.toContain(person.name);
      expect(text).not.toContain(person.idNumber);
    }
    expect(text).toContain('**');
  });

  it('leaves to the resolvers what it cannot answer: totalCount, edges, cursors, other fields, directives, a stated purpose, errors', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['{ needs(first: 2) { totalCount nodes { id } } }', {}],
      ['{ needs(first: 2) { edges { cursor node { id } } pageInfo { hasNextPage } } }', {}],
      ['{ needs(first: 2) { nodes { id category { code } waitingDays } } }', {}],
      ['query($skip: Boolean!) { needs(first: 2) { nodes { id urgency @skip(if: $skip) } } }', { skip: true }],
      ['{ needs(first: 1000) { nodes { id } } }', {}],
      ['{ needs(filter: { districts: ["bad"] }) { nodes { id } } }', {}],
      ['{ needs(last: 2) { nodes { id } } }', {}],
    ];
    for (const [query, variables] of cases) {
      const { compiled, text, resolved: expected } = await both(query, variables, viewers.city);
      expect(compiled).toBe(expected);
      expect(text).toBe(expected);
    }
    // The last two are errors that the resolvers word, naming the argument at fault.
    const bad = await hub.run('{ needs(first: 1000) { nodes { id } } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // With a purpose, the personal-data guard decides and audits: the resolvers answer (several statements).
    const withPurpose = await hub.run(NEED, { id: ids.need(world, 'A1a') }, { viewer: viewers.caseworker, purpose: ids.case(world, 'A1a') });
    expect(withPurpose.statements).toBeGreaterThan(1);
  });

  it('follows the order and page size the variables ask for, request after request', async () => {
    const query = `query($order: NeedOrder, $first: Int) { needs(orderBy: $order, first: $first) { nodes { id urgency createdAt } } }`;
    const orders = [
      { field: 'CREATED_AT', direction: 'ASC' },
      { field: 'CREATED_AT', direction: 'DESC' },
      { field: 'URGENCY', direction: 'DESC' },
      { field: 'CREATED_AT', direction: 'ASC' },
    ];
    const seen = new Set<string>();
    for (const order of orders) {
      for (const first of [2, 5]) {
        const { compiled, text, resolved: expected, statements } = await both(query, { order, first }, viewers.city);
        expect(compiled).toBe(expected);
        expect(text).toBe(expected);
        expect(statements).toBe(1);
        seen.add(compiled);
      }
    }
    // Oldest and newest first, 2 and 5 of them, are four different pages at least: the statement
    // cache told them apart.
    expect(seen.size).toBeGreaterThanOrEqual(4);
  });

  it('answers aliases and fragments like the resolvers do', async () => {
    const query = `fragment Place on Committee { name street { name } }
      query($id: ID!) {
        first: node(id: $id) { ... on Need { u: units household { c: committee { ...Place } again: committee { id } } } }
        second: node(id: $id) { id __typename ... on Node { __proto__: id } ... on Need { constructor: units household { __proto__: district { name } } } }
        __typename
      }`;
    for (const key of ['city', 'street', 'provider'] as const) {
      const { compiled, text, resolved: expected } = await both(query, { id: ids.need(world, 'A1a') }, viewers[key]);
      expect(compiled).toBe(expected);
      expect(text).toBe(expected);
    }
  });
});
