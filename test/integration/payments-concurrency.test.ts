import { and, count, countDistinct, eq, sum } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { allowances, applications, disbursementLines, households, persons, verificationRequests } from '../../src/db/schema';
import { grantAllowanceForApprovedApplication } from '../../src/modules/payments/payments.service';
import { TEST_DATABASE_URL } from '../support/database';
import { gid, makePlace, makeStreetOffice, uniqueResidentId, type Place } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * Runs and approvals of one month racing each other. Embedded PGlite runs one statement at a time,
 * so only a PostgreSQL server can interleave the transactions: UNIQUE (allowance, month) and the
 * batch row lock must keep every allowance to one line.
 */

const CONCURRENT = 8;
const HOUSEHOLDS = 12;
const pg = TEST_DATABASE_URL ? describe : describe.skip;

const RUN = `mutation($input: RunDisbursementBatchInput!) { runDisbursementBatch(input: $input) { batch { id } linesAdded userErrors { code } } }`;
const APPROVE = `mutation($input: ApproveDisbursementBatchInput!) { approveDisbursementBatch(input: $input) { batch { id status } userErrors { code } } }`;

pg('concurrent disbursement runs (needs a PostgreSQL server: set TEST_DATABASE_URL)', () => {
  let hub: TestHub;
  let place: Place;
  const officer = (i: number): Principal => ({ subject: `district-${i}`, organizationId: null, staffMemberId: null, roles: [Role.DISTRICT_CIVIL_AFFAIRS], districtIds: [place.districtId], streetIds: [] });
  const finance = (i: number): Principal => ({ subject: `finance-${i}`, organizationId: null, staffMemberId: null, roles: [Role.FINANCE_OFFICER], districtIds: [], streetIds: [] });

  beforeAll(async () => {
    hub = await startTestHub();
    expect(hub.database.handle.kind).toBe('postgres');
    place = await makePlace(hub.db);
    const office = await makeStreetOffice(hub.db, place);
    const actor = { viewer: officer(0), requestId: 'setup', purpose: undefined };
    for (let i = 0; i < HOUSEHOLDS; i += 1) {
      const [household] = await hub.db.insert(households).values({ ...place, registeredCommitteeId: place.committeeId, address: '并发路1号' }).returning();
      await hub.db.insert(persons).values({ householdId: household!.id, relation: 'HEAD', name: `户主${i}`, idNumber: uniqueResidentId(), sex: 'MALE', birthDate: '1985-01-01' });
      const [application] = await hub.db
        .insert(applications)
        .values({
          type: 'MINIMUM_LIVING_ALLOWANCE',
          householdId: household!.id,
          status: 'APPROVED',
          receivingOrganizationId: office,
          receivingStreetId: place.streetId,
          ownerOrganizationId: office,
          competentStreetId: place.streetId,
          competentDistrictId: place.districtId,
          decidedAt: new Date('2026-01-10T02:00:00Z'),
        })
        .returning();
      await hub.db.insert(verificationRequests).values({ applicationId: application!.id, householdId: household!.id, status: 'COMPLETED', outcome: 'WITHIN_STANDARD', perCapitaMonthlyIncomeFen: 1_000 * i, computedAt: new Date() });
      await hub.db.transaction((tx) => grantAllowanceForApprovedApplication(tx, actor, application!.id));
    }
    expect((await hub.db.select({ n: count() }).from(allowances).where(eq(allowances.districtId, place.districtId)))[0]!.n).toBe(HOUSEHOLDS);
  });
  afterAll(() => hub.close());

  async function linesOf(month: string) {
    const [row] = await hub.db
      .select({ lines: count(), allowances: countDistinct(disbursementLines.allowanceId), total: sum(disbursementLines.amountFen) })
      .from(disbursementLines)
      .where(and(eq(disbursementLines.districtId, place.districtId), eq(disbursementLines.month, month)));
    return { lines: Number(row!.lines), allowances: Number(row!.allowances), total: Number(row!.total) };
  }

  const expectedTotal = (): number => Array.from({ length: HOUSEHOLDS }, (_, i) => 151_000 - 1_000 * i).reduce((a, b) => a + b, 0);

  it(`${CONCURRENT} concurrent runs of one month list every allowance exactly once`, async () => {
    const results = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => hub.run<{ runDisbursementBatch: { batch: { id: string }; linesAdded: number; userErrors: unknown[] } }>(RUN, { input: { district: gid('District', place.districtId), month: '2026-02' } }, { viewer: officer(i) })));
    for (const result of results) expect(result.errors).toBeUndefined();
    const payloads = results.map((r) => r.data!.runDisbursementBatch);
    expect(new Set(payloads.map((p) => p.batch.id)).size).toBe(1);
    expect(payloads.reduce((n, p) => n + p.linesAdded, 0)).toBe(HOUSEHOLDS);
    expect(await linesOf('2026-02')).toEqual({ lines: HOUSEHOLDS, allowances: HOUSEHOLDS, total: expectedTotal() });
  });

  it('runs and approvals of one month racing each other pay every allowance once', async () => {
    const month = '2026-03';
    const first = await hub.run<{ runDisbursementBatch: { batch: { id: string } } }>(RUN, { input: { district: gid('District', place.districtId), month } }, { viewer: officer(0) });
    const batchId = first.data!.runDisbursementBatch.batch.id;
    const work = Array.from({ length: CONCURRENT }, (_, i) =>
      i % 2 === 0
        ? hub.run(RUN, { input: { district: gid('District', place.districtId), month } }, { viewer: officer(i + 1) })
        : hub.run(APPROVE, { input: { id: batchId } }, { viewer: finance(i) }),
    );
    for (const result of await Promise.all(work)) expect(result.errors).toBeUndefined();
    expect(await linesOf(month)).toEqual({ lines: HOUSEHOLDS, allowances: HOUSEHOLDS, total: expectedTotal() });
    const paid = await hub.db
      .select({ n: count() })
      .from(disbursementLines)
      .where(and(eq(disbursementLines.districtId, place.districtId), eq(disbursementLines.month, month), eq(disbursementLines.status, 'PAID')));
    expect(paid[0]!.n).toBe(HOUSEHOLDS);
  });
});
