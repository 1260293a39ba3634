import { and, count, eq } from 'drizzle-orm';
import { makeResidentId } from '../../src/common/resident-id';
import { cases, households, persons } from '../../src/db/schema';
import { TEST_DATABASE_URL } from '../support/database';
import { gid, makeCaseworker, makeHousehold, makePlace, makeStreetOffice, type Place } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * Races between requests: the database's unique indexes decide, and the losers get a CONFLICT
 * user error instead of an internal error or a second row. Embedded PGlite runs one statement
 * at a time, so only a PostgreSQL server can interleave the transactions.
 */

interface UserError {
  field: string[];
  code: string;
  message: string;
}

const CONCURRENT = 8;

const OPEN_CASE = `mutation Open($input: OpenCaseInput!) {
  openCase(input: $input) { case { id status } userErrors { field code message } }
}`;

const REGISTER = `mutation Register($input: RegisterHouseholdInput!) {
  registerHousehold(input: $input) { household { id memberCount } userErrors { field code message } }
}`;

/** Resident IDs of Jing'an (310106), not used by the shared factories. */
let idSequence = 0;
function residentId(): string {
  idSequence += 1;
  return makeResidentId({ areaCode: '310106', birthDate: '1965-04-0' + (1 + (idSequence % 9)), sequence: idSequence });
}

const pg = TEST_DATABASE_URL ? describe : describe.skip;

pg('concurrent mutations (needs a PostgreSQL server: set TEST_DATABASE_URL)', () => {
  let hub: TestHub;
  let place: Place;
  let caseworkers: number[];

  beforeAll(async () => {
    hub = await startTestHub();
    expect(hub.database.handle.kind).toBe('postgres');
    place = await makePlace(hub.db);
    const office = await makeStreetOffice(hub.db, place);
    caseworkers = [];
    for (let i = 0; i < CONCURRENT; i += 1) caseworkers.push(await makeCaseworker(hub.db, office));
  });

  afterAll(() => hub.close());

  const openCase = (household: number, caseworker: number) =>
    hub.run<{ openCase: { case: { id: string; status: string } | null; userErrors: UserError[] } }>(OPEN_CASE, {
      input: { household: gid('Household', household), caseworker: gid('StaffMember', caseworker) },
    });

  it.each([1, 2, 3])(`${CONCURRENT} concurrent openCase for one household: exactly one succeeds, the others get CONFLICT (round %i)`, async () => {
    const household = await makeHousehold(hub.db, place, 2);
    const results = await Promise.all(caseworkers.map((caseworker) => openCase(household, caseworker)));
    for (const result of results) expect(result.errors).toBeUndefined();
    const payloads = results.map((result) => result.data!.openCase);
    const winners = payloads.filter((payload) => payload.case !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.case!.status).toBe('OPEN');
    expect(winners[0]!.userErrors).toEqual([]);
    const losers = payloads.filter((payload) => payload.case === null);
    expect(losers).toHaveLength(CONCURRENT - 1);
    for (const loser of losers) expect(loser.userErrors.map(({ field, code }) => ({ field, code }))).toEqual([{ field: ['input', 'household'], code: 'CONFLICT' }]);
    const rows = await hub.db.select().from(cases).where(eq(cases.householdId, household));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('OPEN');
    expect(gid('Case', rows[0]!.id)).toBe(winners[0]!.case!.id);
  });

  it(`${CONCURRENT} concurrent openCase for different households all succeed`, async () => {
    const households: number[] = [];
    for (let i = 0; i < CONCURRENT; i += 1) households.push(await makeHousehold(hub.db, place));
    const results = await Promise.all(households.map((household, i) => openCase(household, caseworkers[i]!)));
    expect(results.map((result) => result.errors ?? result.data!.openCase.userErrors)).toEqual(households.map(() => []));
    for (const household of households) {
      expect(await hub.db.select({ n: count() }).from(cases).where(and(eq(cases.householdId, household), eq(cases.status, 'OPEN')))).toEqual([{ n: 1 }]);
    }
  });

  const registerInput = (idNumber: string, name: string) => ({
    committee: gid('Committee', place.committeeId),
    address: '静安区测试路1号',
    members: [{ name, idNumber, relation: 'HEAD' }],
  });

  it.each([1, 2, 3])(`${CONCURRENT} concurrent registerHousehold with the same ID number write exactly one household (round %i)`, async () => {
    const idNumber = residentId();
    const [before] = await hub.db.select({ n: count() }).from(households);
    const results = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) =>
        hub.run<{ registerHousehold: { household: { id: string; memberCount: number } | null; userErrors: UserError[] } }>(REGISTER, { input: registerInput(idNumber, `并发${i}号`) }),
      ),
    );
    for (const result of results) expect(result.errors).toBeUndefined();
    const payloads = results.map((result) => result.data!.registerHousehold);
    const winners = payloads.filter((payload) => payload.household !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.household!.memberCount).toBe(1);
    const losers = payloads.filter((payload) => payload.household === null);
    expect(losers).toHaveLength(CONCURRENT - 1);
    for (const loser of losers) {
      expect(loser.userErrors.map(({ field, code }) => ({ field, code }))).toEqual([{ field: ['input', 'members', '0', 'idNumber'], code: 'CONFLICT' }]);
      expect(loser.userErrors[0]!.message).not.toContain(idNumber);
    }
    const [after] = await hub.db.select({ n: count() }).from(households);
    expect(Number(after!.n)).toBe(Number(before!.n) + 1);
    const people = await hub.db.select().from(persons).where(eq(persons.idNumber, idNumber));
    expect(people).toHaveLength(1);
    expect(gid('Household', people[0]!.householdId)).toBe(winners[0]!.household!.id);
  });

  it(`${CONCURRENT} concurrent registerHousehold with different ID numbers all succeed`, async () => {
    const [before] = await hub.db.select({ n: count() }).from(households);
    const results = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => hub.run<{ registerHousehold: { userErrors: UserError[] } }>(REGISTER, { input: registerInput(residentId(), `独立${i}号`) })));
    expect(results.map((result) => result.errors ?? result.data!.registerHousehold.userErrors)).toEqual(results.map(() => []));
    const [after] = await hub.db.select({ n: count() }).from(households);
    expect(Number(after!.n)).toBe(Number(before!.n) + CONCURRENT);
  });
});
