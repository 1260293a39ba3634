import { asc, count, eq } from 'drizzle-orm';
import type { AuditRecord } from '../../src/auth/audit-trail';
import type { Principal } from '../../src/auth/principal';
import { fromGlobalId } from '../../src/common/global-id';
import { auditLog } from '../../src/db/schema';
import { verifyAuditChain } from '../../src/modules/audit/audit.service';
import { gid } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';
import {
  buildWorld,
  distinctiveAddress,
  distinctiveMobile,
  distinctiveName,
  distinctiveResidentId,
  HOUSEHOLD_KEYS,
  ids,
  principalsOf,
  VIEWER_KEYS,
  type CaseKey,
  type HouseholdKey,
  type ViewerKey,
  type World,
  type WorldPerson,
} from '../support/principals';

/**
 * Personal data (Person.name, idNumber, phone; Household.address): masked for everyone by
 * default; in clear only for a role allowed the field, when the request states as its purpose a
 * case the viewer may see, and only for that case's household; every clear read audited.
 */

type Viewer = ViewerKey | 'streetA2';
type PersonalField = 'name' | 'idNumber' | 'phone' | 'address';

// Masks as the schema documents them, written out independently of src/.
const chars = (value: string): string[] => Array.from(value);
function maskedName(name: string): string {
  const c = chars(name);
  return c.length <= 1 ? '*'.repeat(c.length) : c[0] + '*'.repeat(c.length - 1);
}
const maskedIdNumber = (id: string): string => `${id.slice(0, 3)}***********${id.slice(-4)}`;
function maskedPhone(phone: string): string {
  const fixed = /^(0\d{2,3})-(\d{7,8})$/.exec(phone);
  return fixed ? `${fixed[1]}-${'*'.repeat(fixed[2]!.length - 2)}${fixed[2]!.slice(-2)}` : `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
function maskedAddress(address: string): string {
  const c = chars(address);
  const keep = Math.min(6, Math.floor(c.length / 2));
  return c.slice(0, keep).join('') + '*'.repeat(c.length - keep);
}

/** Roles the policy allows each personal field in clear (with a purpose). */
const ALL_FOUR: readonly PersonalField[] = ['name', 'idNumber', 'phone', 'address'];
const CLEAR_FIELDS: Readonly<Record<Viewer, readonly PersonalField[]>> = {
  city: ALL_FOUR,
  district: ALL_FOUR,
  street: ALL_FOUR,
  streetA2: ALL_FOUR,
  service: ALL_FOUR,
  caseworker: ALL_FOUR,
  // Committees find and report households, but never see ID numbers.
  committee: ['name', 'phone', 'address'],
  finance: [],
  hr: [],
  verification: [],
  provider: [],
  community: [],
  auditor: [],
  public: [],
};

const VIEWERS: readonly Viewer[] = [...VIEWER_KEYS, 'streetA2'];

/** Every route to personal fields: lists, node(s), and nested through cases and needs. */
const PERSONAL = `query Personal($ids: [ID!]!) {
  households(first: 50) { nodes { __typename id address persons(first: 20) { nodes { __typename id name idNumber phone } } } }
  nodes(ids: $ids) {
    __typename id
    ... on Person { name idNumber phone household { __typename id address } }
    ... on Household { address }
  }
  cases(first: 50) { nodes { id household { __typename id address persons(first: 20) { nodes { __typename id name idNumber phone } } } } }
  needs(first: 50) { nodes { id household { __typename id address persons(first: 20) { nodes { __typename id name idNumber phone } } } } }
}`;

interface Found {
  readonly typename: string;
  readonly id: string;
  readonly fields: Partial<Record<PersonalField, string | null>>;
}

/** Every Person and Household in a response with the personal fields it carries. */
function personalObjects(value: unknown, found: Found[] = []): Found[] {
  if (Array.isArray(value)) for (const item of value) personalObjects(item, found);
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ((record.__typename === 'Person' || record.__typename === 'Household') && typeof record.id === 'string') {
      const fields: Found['fields'] = {};
      for (const field of ['name', 'idNumber', 'phone', 'address'] as const) if (field in record) fields[field] = record[field] as string | null;
      found.push({ typename: record.__typename, id: record.id, fields });
    }
    for (const child of Object.values(record)) personalObjects(child, found);
  }
  return found;
}

describe('personal data: masked by default, clear for a purpose, audited', () => {
  let hub: TestHub;
  let world: World;
  let viewers: Record<Viewer, Principal>;
  /** Every error message any request of this file received, checked for personal values at the end. */
  const errorMessages: string[] = [];
  /** Clear values the tests put into the hub besides the world's (registered households). */
  const extraClearValues: string[] = [];

  beforeAll(async () => {
    hub = await startTestHub();
    world = await buildWorld(hub.db);
    viewers = principalsOf(world);
  });

  afterAll(() => hub.close());

  const personById = (globalId: string): WorldPerson => world.persons.find((p) => gid('Person', p.id) === globalId)!;
  const householdById = (globalId: string): HouseholdKey => HOUSEHOLD_KEYS.find((k) => ids.household(world, k) === globalId)!;
  const allPersonIds = () => world.persons.map((p) => gid('Person', p.id));
  const allHouseholdIds = () => HOUSEHOLD_KEYS.map((k) => ids.household(world, k));

  /** Every clear personal value of the world (and of households registered by this file). */
  function clearValues(except: { household?: HouseholdKey; fields?: readonly PersonalField[] } = {}): string[] {
    const allowed = (household: HouseholdKey, field: PersonalField) => household === except.household && (except.fields ?? []).includes(field);
    const values: string[] = [...extraClearValues];
    for (const p of world.persons) {
      if (!allowed(p.household, 'name')) values.push(p.name);
      if (!allowed(p.household, 'idNumber')) values.push(p.idNumber);
      if (p.phone !== null && !allowed(p.household, 'phone')) values.push(p.phone, p.phone.replace('-', ''));
    }
    for (const k of HOUSEHOLD_KEYS) if (!allowed(k, 'address')) values.push(world.households[k].address);
    return values;
  }

  function expectNoneOf(values: readonly string[], text: string): void {
    const leaked = values.filter((value) => text.includes(value));
    expect(leaked).toEqual([]);
  }

  async function run<Data>(viewer: Viewer, query: string, variables: Record<string, unknown>, options: { purpose?: string; requestId?: string; audit?: AuditRecord[] } = {}) {
    const { audit, ...rest } = options;
    const result = await hub.run<Data>(query, variables, {
      viewer: viewers[viewer],
      ...rest,
      ...(audit ? { auditWriter: async (records: readonly AuditRecord[]) => void audit.push(...records) } : {}),
    });
    for (const error of result.errors ?? []) errorMessages.push(error.message);
    return result;
  }

  /**
   * Checks every personal field in the response: in clear exactly where `clear` allows (one
   * household, some fields), masked in the documented shape everywhere else.
   */
  function expectFields(data: unknown, clear: { household?: HouseholdKey; fields: readonly PersonalField[] }): void {
    const mismatches: unknown[] = [];
    for (const found of personalObjects(data)) {
      if (found.typename === 'Person') {
        const person = personById(found.id);
        const isClear = (field: PersonalField) => person.household === clear.household && clear.fields.includes(field);
        const want: Found['fields'] = {};
        if ('name' in found.fields) want.name = isClear('name') ? person.name : maskedName(person.name);
        if ('idNumber' in found.fields) want.idNumber = isClear('idNumber') ? person.idNumber : maskedIdNumber(person.idNumber);
        if ('phone' in found.fields) want.phone = person.phone === null ? null : isClear('phone') ? person.phone : maskedPhone(person.phone);
        if (JSON.stringify(want) !== JSON.stringify(found.fields)) mismatches.push({ person: found.id, household: person.household, got: found.fields, want });
      } else if ('address' in found.fields) {
        const key = householdById(found.id);
        const address = world.households[key].address;
        const want = key === clear.household && clear.fields.includes('address') ? address : maskedAddress(address);
        if (found.fields.address !== want) mismatches.push({ household: key, got: found.fields.address, want });
      }
    }
    expect(mismatches).toEqual([]);
  }

  const everyPersonalNode = () => ({ ids: [...allPersonIds(), ...allHouseholdIds()] });

  describe('without a purpose', () => {
    it.each(VIEWERS)('%s sees every personal field masked, and no clear value anywhere in the response', async (viewer) => {
      const audit: AuditRecord[] = [];
      const { data, errors } = await run(viewer, PERSONAL, everyPersonalNode(), { audit });
      expect(errors ?? []).toEqual([]);
      expectFields(data, { fields: [] });
      expectNoneOf(clearValues(), JSON.stringify({ data, errors }));
      expect(audit).toEqual([]);
    });

    it('the masks have the documented shapes', async () => {
      const { data } = await run<{ nodes: ({ name: string; idNumber: string; phone: string | null; household: { address: string } } | null)[] }>(
        'city',
        `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Person { name idNumber phone household { address } } } }`,
        { ids: allPersonIds() },
      );
      const shapes = data!.nodes.map((n) => n!);
      for (const person of shapes) {
        expect(person.name).toMatch(/^[^*]\*{2}$/u);
        expect(person.idNumber).toMatch(/^310\*{11}\d{3}[\dX]$/);
        if (person.phone !== null) expect(person.phone).toMatch(/^(1\d{2}\*{4}\d{4}|021-\*{6}\d{2})$/);
        expect(person.household.address).toMatch(/^上海市静谧区\*+$/);
      }
      expect(shapes.some((p) => p.phone?.startsWith('021-'))).toBe(true);
      expect(shapes.some((p) => p.phone === null)).toBe(true);
    });

    it('masked reads write nothing to the audit log', async () => {
      const [before] = await hub.db.select({ n: count() }).from(auditLog);
      for (const viewer of VIEWERS) await run(viewer, PERSONAL, everyPersonalNode());
      const [after] = await hub.db.select({ n: count() }).from(auditLog);
      expect(Number(after!.n)).toBe(Number(before!.n));
    });
  });

  describe("with a purpose: the ID of a case the viewer may see", () => {
    /** The purpose case of each viewer that may read personal data in clear, and its household. */
    const purposeOf: [Viewer, CaseKey, HouseholdKey][] = [
      ['city', 'B1', 'B1'],
      ['district', 'A1a', 'A1a'],
      ['street', 'A1a', 'A1a'],
      ['streetA2', 'X', 'X'],
      ['service', 'A1a', 'A1a'],
      ['caseworker', 'A1a', 'A1a'],
      ['committee', 'A1a', 'A1a'],
    ];

    it.each(purposeOf)("%s with purpose case %s reads its household's personal fields in clear, and only those", async (viewer, purposeCase, household) => {
      const audit: AuditRecord[] = [];
      const { data, errors } = await run(viewer, PERSONAL, everyPersonalNode(), { purpose: ids.case(world, purposeCase), audit });
      expect(errors ?? []).toEqual([]);
      // The page holds other households too: they stay masked.
      expect(personalObjects(data).some((o) => o.typename === 'Person' && personById(o.id).household !== household)).toBe(true);
      expectFields(data, { household, fields: CLEAR_FIELDS[viewer] });
      expectNoneOf(clearValues({ household, fields: CLEAR_FIELDS[viewer] }), JSON.stringify({ data, errors }));
      expect(audit.length).toBeGreaterThan(0);
    });

    it.each(['finance', 'hr', 'verification', 'provider', 'community', 'auditor', 'public'] as const)(
      '%s never reads personal data in clear, whatever purpose it states',
      async (viewer) => {
        for (const purposeCase of ['A1a', 'B1', 'X'] as const) {
          const audit: AuditRecord[] = [];
          const { data, errors } = await run(viewer, PERSONAL, everyPersonalNode(), { purpose: ids.case(world, purposeCase), audit });
          for (const error of errors ?? []) expect(error.extensions?.code).toBe('FORBIDDEN');
          expectFields(data, { fields: [] });
          expectNoneOf(clearValues(), JSON.stringify({ data, errors }));
          expect(audit).toEqual([]);
        }
      },
    );

    it('a visible case whose household the viewer may not see is refused as a purpose and reveals nothing in clear', async () => {
      // Case "Old" is owned by street A1 (in district A), and closed; its household has since moved to B2.
      const audit: AuditRecord[] = [];
      const { data, errors } = await run('district', PERSONAL, everyPersonalNode(), { purpose: ids.case(world, 'Old'), audit });
      expect(errors?.length).toBeGreaterThan(0);
      expect(new Set(errors!.map((e) => e.extensions?.code))).toEqual(new Set(['FORBIDDEN']));
      expectNoneOf(clearValues(), JSON.stringify({ data, errors }));
      expect(audit).toEqual([]);
    });

    it('a caseworker with its own case as purpose reads that household in clear, and its other households masked', async () => {
      const { data, errors } = await run(
        'caseworker',
        `query { households(first: 50) { nodes { __typename id address persons { nodes { __typename id name idNumber phone } } } } }`,
        {},
        { purpose: ids.case(world, 'A1b') },
      );
      expect(errors ?? []).toEqual([]);
      const seen = new Set(personalObjects(data).filter((o) => o.typename === 'Household').map((o) => householdById(o.id)));
      expect([...seen].sort()).toEqual(['A1a', 'A1b', 'B2']);
      expectFields(data, { household: 'A1b', fields: ALL_FOUR });
    });
  });

  describe('a purpose the viewer may not use', () => {
    const refused: [Viewer, string, () => string][] = [
      ['street', "another street's case", () => ids.case(world, 'A2')],
      ['street', "another district's case", () => ids.case(world, 'B1')],
      ['streetA2', "A1's case", () => ids.case(world, 'A1a')],
      ['district', "another district's case", () => ids.case(world, 'B1')],
      ['service', "another district's case", () => ids.case(world, 'B1')],
      ['caseworker', "another caseworker's case in the same street", () => ids.case(world, 'A1d')],
      ['caseworker', "another street's case", () => ids.case(world, 'X')],
      ['committee', "another street's case", () => ids.case(world, 'A2')],
      ['city', 'a household ID instead of a case ID', () => ids.household(world, 'A1a')],
      ['city', 'a person ID instead of a case ID', () => gid('Person', world.persons[0]!.id)],
      ['city', 'a case that does not exist', () => gid('Case', 999_999)],
      ['city', 'text that is no ID', () => 'low-income-application'],
    ];

    it.each(refused)('%s stating %s is refused with FORBIDDEN, and nothing comes back in clear', async (viewer, _what, purpose) => {
      const audit: AuditRecord[] = [];
      const { data, errors } = await run(viewer, PERSONAL, everyPersonalNode(), { purpose: purpose(), audit });
      expect(errors?.length).toBeGreaterThan(0);
      expect(new Set(errors!.map((e) => e.extensions?.code))).toEqual(new Set(['FORBIDDEN']));
      expectFields(data, { fields: [] });
      expectNoneOf(clearValues(), JSON.stringify({ data, errors }));
      expect(audit).toEqual([]);
    });
  });

  describe('audit of clear reads', () => {
    const A1A_QUERY = `query($id: ID!) { node(id: $id) { ... on Household { address persons { nodes { id name idNumber phone } } } } }`;

    /** The records a clear read of household A1a writes: one per object, with the fields read in clear (not a null phone). */
    function expectedRecords(viewer: Viewer, purpose: string, requestId: string, fields: readonly PersonalField[]) {
      const personFields = (p: WorldPerson) => (['idNumber', 'name', 'phone'] as const).filter((f) => fields.includes(f) && (f !== 'phone' || p.phone !== null));
      return [
        ...(fields.includes('address') ? [{ entityType: 'Household', entityId: world.households.A1a.id, fields: ['address'] }] : []),
        ...world.persons.filter((p) => p.household === 'A1a').map((p) => ({ entityType: 'Person', entityId: p.id, fields: [...personFields(p)].sort() })),
      ].map((r) => ({ ...r, principal: viewers[viewer], purpose, requestId }));
    }

    const byEntity = (records: readonly { entityType: string; entityId: number }[]) => [...records].sort((a, b) => `${a.entityType}:${a.entityId}`.localeCompare(`${b.entityType}:${b.entityId}`));

    it.each(['street', 'district', 'caseworker', 'committee'] as const)('%s: one record per object read in clear, with exactly the fields read, the viewer, the purpose and the request', async (viewer) => {
      const audit: AuditRecord[] = [];
      const purpose = ids.case(world, 'A1a');
      const requestId = `req-audit-${viewer}`;
      const { errors } = await run(viewer, A1A_QUERY, { id: ids.household(world, 'A1a') }, { purpose, requestId, audit });
      expect(errors ?? []).toEqual([]);
      expect(byEntity(audit)).toEqual(byEntity(expectedRecords(viewer, purpose, requestId, CLEAR_FIELDS[viewer])));
    });

    it('a read of some fields audits only those fields', async () => {
      const audit: AuditRecord[] = [];
      const purpose = ids.case(world, 'A1a');
      const { errors } = await run('street', `query($id: ID!) { node(id: $id) { ... on Household { persons { nodes { id name } } } } }`, { id: ids.household(world, 'A1a') }, { purpose, requestId: 'req-names-only', audit });
      expect(errors ?? []).toEqual([]);
      expect(byEntity(audit)).toEqual(byEntity(world.persons.filter((p) => p.household === 'A1a').map((p) => ({ principal: viewers.street, purpose, requestId: 'req-names-only', entityType: 'Person', entityId: p.id, fields: ['name'] }))));
    });

    it('a field reached twice in one request is audited once, and every field read is on record', async () => {
      const audit: AuditRecord[] = [];
      const purpose = ids.case(world, 'A1a');
      const head = world.persons.find((p) => p.household === 'A1a')!;
      const { errors } = await run(
        'street',
        `query($household: ID!, $person: ID!, $case: ID!) {
          node(id: $person) { ... on Person { name } }
          household: node(id: $household) { ... on Household { address persons { nodes { id idNumber } } } }
          case: node(id: $case) { ... on Case { household { address persons { nodes { id name phone } } } } }
        }`,
        { household: ids.household(world, 'A1a'), person: gid('Person', head.id), case: purpose },
        { purpose, requestId: 'req-twice', audit },
      );
      expect(errors ?? []).toEqual([]);
      // Reads in later batches of the request add records for the fields not yet on record only.
      const fieldKeys = audit.flatMap((r) => r.fields.map((f) => `${r.entityType}:${r.entityId}:${f}`));
      expect(fieldKeys.length).toBe(new Set(fieldKeys).size);
      const merged = new Map<string, AuditRecord>();
      for (const record of audit) {
        const key = `${record.entityType}:${record.entityId}`;
        const seen = merged.get(key);
        merged.set(key, seen ? { ...seen, fields: [...seen.fields, ...record.fields].sort() } : record);
      }
      expect(byEntity([...merged.values()])).toEqual(byEntity(expectedRecords('street', purpose, 'req-twice', ALL_FOUR)));
    });

    it('without an audit writer, clear reads land in the audit_log table', async () => {
      const purpose = ids.case(world, 'A1a');
      const requestId = 'req-audit-table';
      const { errors } = await run('street', A1A_QUERY, { id: ids.household(world, 'A1a') }, { purpose, requestId });
      expect(errors ?? []).toEqual([]);
      const rows = await hub.db.select().from(auditLog).where(eq(auditLog.requestId, requestId)).orderBy(asc(auditLog.id));
      const stored = rows.map((r) => ({
        action: r.action,
        actorSubject: r.actorSubject,
        actorOrganizationId: r.actorOrganizationId,
        actorRoles: r.actorRoles,
        purpose: r.purpose,
        requestId: r.requestId,
        entityType: r.entityType,
        entityId: r.entityId,
        fields: r.fields,
      }));
      const street = viewers.street;
      expect(byEntity(stored)).toEqual(
        byEntity(
          expectedRecords('street', purpose, requestId, ALL_FOUR).map((r) => ({
            action: 'READ_PERSONAL',
            actorSubject: street.subject,
            actorOrganizationId: street.organizationId,
            actorRoles: ['STREET_OFFICER'],
            purpose,
            requestId,
            entityType: r.entityType,
            entityId: r.entityId,
            fields: r.fields,
          })),
        ),
      );
    });

    it('when the audit cannot be written, no value is returned in clear', async () => {
      const failingWriter = async (): Promise<void> => {
        throw new Error('audit log unavailable');
      };
      const result = await hub.run(A1A_QUERY, { id: ids.household(world, 'A1a') }, { viewer: viewers.street, purpose: ids.case(world, 'A1a'), auditWriter: failingWriter });
      for (const error of result.errors ?? []) errorMessages.push(error.message);
      expect(result.errors?.length).toBeGreaterThan(0);
      expectNoneOf(clearValues(), JSON.stringify(result));
    });

    it('concurrent clear reads are each audited, and the audit chain stays intact', async () => {
      const purpose = ids.case(world, 'A1a');
      const viewersReading = (['city', 'district', 'street', 'service', 'caseworker', 'city', 'district', 'street'] as const).flatMap((v) => [v, v, v, v]);
      const results = await Promise.all(viewersReading.map((viewer, i) => run(viewer, A1A_QUERY, { id: ids.household(world, 'A1a') }, { purpose, requestId: `req-concurrent-${i}` })));
      expect(results.map((r) => (r.errors ?? []).map((e) => e.extensions?.code))).toEqual(viewersReading.map(() => []));
      for (const [i] of viewersReading.entries()) {
        const rows = await hub.db.select().from(auditLog).where(eq(auditLog.requestId, `req-concurrent-${i}`));
        expect({ request: i, entries: rows.length }).toEqual({ request: i, entries: 3 });
      }
      expect(await verifyAuditChain(hub.db)).toMatchObject({ ok: true });
    });

    it('a purpose alone, without personal fields in clear, writes nothing', async () => {
      const [before] = await hub.db.select({ n: count() }).from(auditLog);
      // Other households' persons, and fields that are not personal.
      const { errors } = await run('street', `query($id: ID!) { node(id: $id) { ... on Household { assistanceStatuses persons { nodes { id name relation age } } } } }`, { id: ids.household(world, 'A1c') }, { purpose: ids.case(world, 'A1a') });
      expect(errors ?? []).toEqual([]);
      const [after] = await hub.db.select({ n: count() }).from(auditLog);
      expect(Number(after!.n)).toBe(Number(before!.n));
    });
  });

  describe('personal values never leave through the audit log or errors', () => {
    const REGISTER = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id } userErrors { code field message } } }`;

    it('registration writes field names to the audit log, and its user errors never quote the input', async () => {
      const member = { name: distinctiveName(), idNumber: distinctiveResidentId(), phone: distinctiveMobile(), relation: 'HEAD' };
      const address = distinctiveAddress();
      extraClearValues.push(member.name, member.idNumber, member.phone, address);
      const committee = gid('Committee', world.places.A1.committeeId);
      const ok = await run<{ registerHousehold: { household: { id: string } | null; userErrors: unknown[] } }>('street', REGISTER, { input: { committee, address, members: [member] } });
      expect(ok.errors ?? []).toEqual([]);
      expect(ok.data!.registerHousehold.userErrors).toEqual([]);

      // The same ID number again, a bad phone, a second head: refused, and no message repeats a value.
      const badPhone = '1234567';
      const secondName = distinctiveName();
      extraClearValues.push(secondName);
      const refused = await run<{ registerHousehold: { household: null; userErrors: { message: string }[] } }>('street', REGISTER, {
        input: { committee, address, members: [member, { name: secondName, idNumber: member.idNumber, phone: badPhone, relation: 'HEAD' }] },
      });
      expect(refused.errors ?? []).toEqual([]);
      const messages = refused.data!.registerHousehold.userErrors.map((e) => e.message);
      expect(messages.length).toBeGreaterThan(0);
      expectNoneOf([...clearValues(), badPhone], JSON.stringify(messages));
    });

    it('a registration the database refuses leaves no personal value in the response or the server log', async () => {
      // A NUL character passes the input checks but not PostgreSQL's text type: the insert of the members fails.
      const member = { name: `${distinctiveName()}\u0000`, idNumber: distinctiveResidentId(), phone: distinctiveMobile(), relation: 'HEAD' };
      const address = distinctiveAddress();
      extraClearValues.push(member.name.slice(0, -1), member.idNumber, member.phone, address);
      const logged: string[] = [];
      // The JSON log goes to stdout; anything else a library prints, to stderr.
      const spies = [process.stdout, process.stderr].map((stream) =>
        jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
          logged.push(String(chunk));
          return true;
        }),
      );
      let result;
      try {
        result = await run<{ registerHousehold: { household: { id: string } | null } | null }>('street', REGISTER, { input: { committee: gid('Committee', world.places.A1.committeeId), address, members: [member] } });
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
      expect(result.data?.registerHousehold?.household ?? null).toBeNull();
      expectNoneOf(clearValues(), JSON.stringify(result));
      expectNoneOf(clearValues(), logged.join(''));
    });

    it('no clear name, ID number, phone or address appears in any audit_log row', async () => {
      // Clear reads by several viewers first, so the log holds reads as well as writes.
      for (const viewer of ['city', 'district', 'street', 'caseworker'] as const) {
        await run(viewer, PERSONAL, everyPersonalNode(), { purpose: ids.case(world, viewer === 'city' ? 'B1' : 'A1a') });
      }
      const rows = await hub.db.select().from(auditLog).orderBy(asc(auditLog.id));
      expect(rows.some((r) => r.action === 'READ_PERSONAL')).toBe(true);
      expect(rows.some((r) => r.action === 'CREATE')).toBe(true);
      expectNoneOf(clearValues(), JSON.stringify(rows));
      // Purposes are IDs, never text.
      for (const row of rows) if (row.purpose !== null) expect(fromGlobalId(row.purpose)).toBeDefined();
    });

    it('no error message of this file carried a personal value', () => {
      expect(errorMessages.length).toBeGreaterThan(0);
      expectNoneOf(clearValues(), JSON.stringify(errorMessages));
    });
  });
});
