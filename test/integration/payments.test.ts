import { and, eq } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { allowances, applications, auditLog, disbursementLines, households, persons, verificationRequests } from '../../src/db/schema';
import { gid, makePlace, makeStreetOffice, uniqueResidentId, type Place } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * Paying approved assistance: allowances granted on approved applications, monthly batches per
 * district that never pay anyone twice, returns and the reconciliation, and who may do what.
 * Approved applications and completed verifications are inserted directly (their own modules
 * build them elsewhere).
 */

interface UserError {
  field: string[];
  code: string;
  message: string;
}

type ApplicationTypeValue = typeof applications.$inferInsert.type;

const principal = (subject: string, roles: Role[], extra: Partial<Principal> = {}): Principal => ({ subject, organizationId: null, staffMemberId: null, roles, districtIds: [], streetIds: [], ...extra });
const finance = principal('finance-1', [Role.FINANCE_OFFICER]);

const GRANT = `mutation($input: GrantAllowanceInput!) { grantAllowance(input: $input) {
  allowance { id type monthlyAmountFen startMonth status application householdId
    computation { method standardMonthlyFen members perCapitaIncomeFen householdIncomeFen basicFen monthlyAmountFen supplements { category members perMemberFen amountFen } }
    history { status effectiveMonth reason } }
  userErrors { field code message } } }`;
const CHANGE = (name: string) => `mutation($input: AllowanceStatusInput!) { ${name}(input: $input) { allowance { id status statusMonth statusReason } userErrors { field code message } } }`;
const RUN = `mutation($input: RunDisbursementBatchInput!) { runDisbursementBatch(input: $input) { batch { id month status lineCount totalAmountFen } linesAdded linesRemoved userErrors { field code message } } }`;
const APPROVE = `mutation($input: ApproveDisbursementBatchInput!) { approveDisbursementBatch(input: $input) { batch { id status approvedBy approvedLineCount approvedTotalFen } userErrors { field code message } } }`;
const RETURN = `mutation($input: RecordReturnedPaymentInput!) { recordReturnedPayment(input: $input) { line { id status returnReason returnedOn amountFen } userErrors { field code message } } }`;
const RECONCILE = `query($district: ID!, $month: String!) { disbursementReconciliation(district: $district, month: $month) {
  month approvedCount approvedAmountFen paidCount paidAmountFen returnedCount returnedAmountFen pendingCount pendingAmountFen notListedCount notListedAmountFen differenceFen batch { id status } } }`;
const LINES = `query($filter: DisbursementBatchFilter) { disbursementBatches(filter: $filter) { totalCount nodes { id month status
  lines(first: 100) { totalCount nodes { id householdId amountFen status household { id } allowance { id } } } } } }`;

describe('payments', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.close());

  /** A district with one street and its office: each test pays in its own district. */
  async function district(): Promise<{ place: Place; office: number; officer: Principal; streetOfficer: Principal }> {
    const place = await makePlace(hub.db);
    const office = await makeStreetOffice(hub.db, place);
    return {
      place,
      office,
      officer: principal(`district-${place.districtId}`, [Role.DISTRICT_CIVIL_AFFAIRS], { districtIds: [place.districtId] }),
      streetOfficer: principal(`street-${place.streetId}`, [Role.STREET_OFFICER], { streetIds: [place.streetId] }),
    };
  }

  /**
   * An APPROVED application of a household of `members` adults (born 1985: no supplement), decided
   * in `decidedMonth`, with a completed verification of `perCapitaIncomeFen` unless null.
   */
  async function approvedApplication(
    where: { place: Place; office: number },
    options: { members?: number; perCapitaIncomeFen?: number | null; decidedMonth?: string; type?: ApplicationTypeValue; status?: 'APPROVED' | 'REVIEW' } = {},
  ): Promise<{ applicationId: number; householdId: number }> {
    const { place, office } = where;
    const [household] = await hub.db.insert(households).values({ ...place, registeredCommitteeId: place.committeeId, address: '测试路9号' }).returning();
    for (let i = 0; i < (options.members ?? 1); i += 1) {
      await hub.db.insert(persons).values({ householdId: household!.id, relation: i === 0 ? 'HEAD' : 'CHILD', name: `户员${i}`, idNumber: uniqueResidentId(), sex: 'FEMALE', birthDate: '1985-06-01' });
    }
    const status = options.status ?? 'APPROVED';
    const [application] = await hub.db
      .insert(applications)
      .values({
        type: options.type ?? 'MINIMUM_LIVING_ALLOWANCE',
        householdId: household!.id,
        status,
        receivingOrganizationId: office,
        receivingStreetId: place.streetId,
        ownerOrganizationId: office,
        competentStreetId: place.streetId,
        competentDistrictId: place.districtId,
        decidedAt: status === 'APPROVED' ? new Date(`${options.decidedMonth ?? '2026-01'}-10T02:00:00Z`) : null,
      })
      .returning();
    if (options.perCapitaIncomeFen !== null) {
      await hub.db.insert(verificationRequests).values({
        applicationId: application!.id,
        householdId: household!.id,
        status: 'COMPLETED',
        outcome: 'WITHIN_STANDARD',
        perCapitaMonthlyIncomeFen: options.perCapitaIncomeFen ?? 50_000,
        computedAt: new Date('2026-01-05T00:00:00Z'),
      });
    }
    return { applicationId: application!.id, householdId: household!.id };
  }

  type AllowancePayload = { allowance: { id: string; monthlyAmountFen: number; status: string; [key: string]: unknown } | null; userErrors: UserError[] };

  async function grant(applicationId: number, viewer?: Principal) {
    const result = await hub.run<{ grantAllowance: AllowancePayload }>(GRANT, { input: { application: gid('Application', applicationId) } }, viewer ? { viewer } : {});
    expect(result.errors).toBeUndefined();
    return result.data!.grantAllowance;
  }

  async function granted(where: { place: Place; office: number }, options: Parameters<typeof approvedApplication>[1] = {}) {
    const { applicationId, householdId } = await approvedApplication(where, options);
    const payload = await grant(applicationId);
    expect(payload.userErrors).toEqual([]);
    return { id: payload.allowance!.id, amount: payload.allowance!.monthlyAmountFen, householdId };
  }

  async function change(name: 'suspendAllowance' | 'resumeAllowance' | 'endAllowance', id: string, effectiveMonth: string, reason: string | null = '收入超过标准', viewer?: Principal) {
    const result = await hub.run<Record<string, AllowancePayload>>(CHANGE(name), { input: { id, effectiveMonth, reason } }, viewer ? { viewer } : {});
    return result;
  }

  type BatchPayload = { batch: { id: string; status: string; lineCount: number; totalAmountFen: number } | null; linesAdded: number; linesRemoved: number; userErrors: UserError[] };

  async function run(districtId: number | string, month: string, viewer: Principal) {
    const result = await hub.run<{ runDisbursementBatch: BatchPayload }>(RUN, { input: { district: typeof districtId === 'string' ? districtId : gid('District', districtId), month } }, { viewer });
    return result;
  }

  async function approve(batchId: string, viewer: Principal = finance) {
    return hub.run<{ approveDisbursementBatch: BatchPayload & { batch: { approvedBy: string; approvedLineCount: number; approvedTotalFen: number } } }>(APPROVE, { input: { id: batchId } }, { viewer });
  }

  async function reconcile(districtId: number, month: string, viewer?: Principal) {
    return hub.run<{ disbursementReconciliation: Record<string, number | string | { id: string; status: string } | null> }>(RECONCILE, { district: gid('District', districtId), month }, viewer ? { viewer } : {});
  }

  async function linesOf(districtId: number, month: string) {
    return hub.db
      .select()
      .from(disbursementLines)
      .where(and(eq(disbursementLines.districtId, districtId), eq(disbursementLines.month, month)));
  }

  describe('granting', () => {
    it('pays a household one allowance of a type: a second approved application is refused while the first is live', async () => {
      const d = await district();
      const first = await granted(d);
      const [second] = await hub.db
        .insert(applications)
        .values({
          type: 'MINIMUM_LIVING_ALLOWANCE',
          householdId: first.householdId,
          status: 'APPROVED',
          receivingOrganizationId: d.office,
          receivingStreetId: d.place.streetId,
          ownerOrganizationId: d.office,
          competentStreetId: d.place.streetId,
          competentDistrictId: d.place.districtId,
          decidedAt: new Date('2026-02-10T02:00:00Z'),
        })
        .returning();
      await hub.db.insert(verificationRequests).values({ applicationId: second!.id, householdId: first.householdId, status: 'COMPLETED', outcome: 'WITHIN_STANDARD', perCapitaMonthlyIncomeFen: 10_000, computedAt: new Date() });
      const refused = await grant(second!.id);
      expect(refused).toMatchObject({ allowance: null, userErrors: [expect.objectContaining({ field: ['input', 'application'], code: 'CONFLICT' })] });
      await change('endAllowance', first.id, '2026-03');
      expect((await grant(second!.id)).userErrors).toEqual([]);
    });

    it('does not pay the gap to a household the verification found above the standards', async () => {
      const d = await district();
      const { applicationId } = await approvedApplication(d);
      await hub.db.update(verificationRequests).set({ outcome: 'ABOVE_STANDARD' }).where(eq(verificationRequests.applicationId, applicationId));
      expect((await grant(applicationId)).userErrors).toEqual([expect.objectContaining({ field: ['input', 'application'], code: 'INVALID_STATE' })]);
    });

    it('computes the gap to the standard × members from the verified income, and explains it', async () => {
      const d = await district();
      const { applicationId, householdId } = await approvedApplication(d, { members: 3, perCapitaIncomeFen: 80_000, decidedMonth: '2026-01' });
      const payload = await grant(applicationId, d.streetOfficer);
      expect(payload.userErrors).toEqual([]);
      // Seed standard 1,510 yuan: 3 × 151,000 − 3 × 80,000 = 213,000 fen.
      expect(payload.allowance).toMatchObject({
        type: 'MINIMUM_LIVING_ALLOWANCE',
        monthlyAmountFen: 213_000,
        startMonth: '2026-01',
        status: 'ACTIVE',
        application: gid('Application', applicationId),
        householdId: gid('Household', householdId),
        computation: { method: 'GAP_TO_STANDARD', standardMonthlyFen: 151_000, members: 3, perCapitaIncomeFen: 80_000, householdIncomeFen: 240_000, basicFen: 213_000, monthlyAmountFen: 213_000, supplements: [] },
        history: [{ status: 'ACTIVE', effectiveMonth: '2026-01', reason: null }],
      });
    });

    it('pays extreme-poverty support as a fixed multiple of the standard per member, without a verification', async () => {
      const d = await district();
      const { applicationId } = await approvedApplication(d, { members: 1, perCapitaIncomeFen: null, type: 'EXTREME_POVERTY_SUPPORT' });
      const payload = await grant(applicationId);
      expect(payload.userErrors).toEqual([]);
      expect(payload.allowance).toMatchObject({ type: 'EXTREME_POVERTY_SUPPORT', monthlyAmountFen: 196_300, computation: { method: 'FIXED_PER_MEMBER', householdIncomeFen: null } });
    });

    it('is idempotent per application: granting again returns the same allowance, created and audited once', async () => {
      const d = await district();
      const { applicationId } = await approvedApplication(d);
      const first = await grant(applicationId);
      const second = await grant(applicationId);
      expect(second.userErrors).toEqual([]);
      expect(second.allowance!.id).toBe(first.allowance!.id);
      expect(await hub.db.select().from(allowances).where(eq(allowances.applicationId, applicationId))).toHaveLength(1);
      const rowId = (await hub.db.select().from(allowances).where(eq(allowances.applicationId, applicationId)))[0]!.id;
      const audited = await hub.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'Allowance'), eq(auditLog.entityId, rowId)));
      expect(audited.map((entry) => entry.action)).toEqual(['CREATE']);
    });

    it('refuses an application that is not approved, of a type not paid here, without a verified income, or unknown, naming the field', async () => {
      const d = await district();
      const cases = [
        { options: { status: 'REVIEW' as const }, code: 'INVALID_STATE', message: /APPROVED/ },
        { options: { type: 'MEDICAL' as const }, code: 'INVALID', message: /not paid monthly/ },
        { options: { perCapitaIncomeFen: null }, code: 'INVALID_STATE', message: /verification/ },
      ];
      for (const { options, code, message } of cases) {
        const { applicationId } = await approvedApplication(d, options);
        const payload = await grant(applicationId);
        expect(payload.allowance).toBeNull();
        expect(payload.userErrors).toEqual([{ field: ['input', 'application'], code, message: expect.stringMatching(message) }]);
        expect(await hub.db.select().from(allowances).where(eq(allowances.applicationId, applicationId))).toHaveLength(0);
      }
      expect((await grant(2_000_000_000)).userErrors).toEqual([{ field: ['input', 'application'], code: 'NOT_FOUND', message: 'No such application' }]);
      expect((await hub.run<{ grantAllowance: AllowancePayload }>(GRANT, { input: { application: gid('Household', 1) } })).data!.grantAllowance.userErrors[0]).toMatchObject({ field: ['input', 'application'], code: 'NOT_FOUND' });
    });
  });

  describe('monthly batches', () => {
    it('the same month run and approved twice pays each household once; a household whose assistance ended is not paid', async () => {
      const d = await district();
      const a = await granted(d, { members: 2, perCapitaIncomeFen: 100_000 }); // 102,000
      const b = await granted(d, { members: 1, perCapitaIncomeFen: 0 }); // 151,000
      const ended = await granted(d, { members: 1, perCapitaIncomeFen: 10_000 });
      const ending = await change('endAllowance', ended.id, '2026-02', '户籍迁出本市');
      expect(ending.data!.endAllowance!.userErrors).toEqual([]);
      expect(ending.data!.endAllowance!.allowance).toMatchObject({ status: 'ENDED', statusMonth: '2026-02', statusReason: '户籍迁出本市' });

      const first = (await run(d.place.districtId, '2026-02', d.officer)).data!.runDisbursementBatch;
      expect(first.userErrors).toEqual([]);
      expect(first).toMatchObject({ linesAdded: 2, linesRemoved: 0, batch: { status: 'DRAFT', lineCount: 2, totalAmountFen: 253_000 } });
      const again = (await run(d.place.districtId, '2026-02', d.officer)).data!.runDisbursementBatch;
      expect(again).toMatchObject({ linesAdded: 0, linesRemoved: 0, batch: { id: first.batch!.id, lineCount: 2, totalAmountFen: 253_000 } });

      const approved = (await approve(first.batch!.id)).data!.approveDisbursementBatch;
      expect(approved.userErrors).toEqual([]);
      expect(approved.batch).toMatchObject({ status: 'APPROVED', approvedBy: finance.subject, approvedLineCount: 2, approvedTotalFen: 253_000 });
      const approvedAgain = (await approve(first.batch!.id)).data!.approveDisbursementBatch;
      expect(approvedAgain.userErrors).toEqual([]);
      expect(approvedAgain.batch).toMatchObject({ status: 'APPROVED', approvedLineCount: 2, approvedTotalFen: 253_000 });

      // A run after approval adds nothing: the month is closed for the district.
      const afterApproval = (await run(d.place.districtId, '2026-02', d.officer)).data!.runDisbursementBatch;
      expect(afterApproval).toMatchObject({ linesAdded: 0, batch: { id: first.batch!.id, status: 'APPROVED', lineCount: 2 } });

      const lines = await linesOf(d.place.districtId, '2026-02');
      expect(lines.map((l) => [l.householdId, l.amountFen, l.status]).sort()).toEqual(
        [
          [a.householdId, 102_000, 'PAID'],
          [b.householdId, 151_000, 'PAID'],
        ].sort(),
      );
      expect(lines.some((l) => l.householdId === ended.householdId)).toBe(false);
      // The database itself refuses a second line of an allowance for a month, whatever batch it names.
      const { id: _id, ...copy } = lines[0]!;
      await expect(hub.db.insert(disbursementLines).values({ ...copy, status: 'PENDING', paidAt: null })).rejects.toThrow();
      expect(await linesOf(d.place.districtId, '2026-02')).toHaveLength(2);
      // The ended allowance was paid in January, before its end.
      const january = (await run(d.place.districtId, '2026-01', d.officer)).data!.runDisbursementBatch;
      expect(january).toMatchObject({ linesAdded: 3, batch: { totalAmountFen: 253_000 + ended.amount } });
    });

    it('skips a suspended allowance, withdraws its pending line from a draft, and pays it again once resumed', async () => {
      const d = await district();
      const kept = await granted(d);
      const paused = await granted(d);
      const march = (await run(d.place.districtId, '2026-03', d.officer)).data!.runDisbursementBatch;
      expect(march.linesAdded).toBe(2);

      const suspended = await change('suspendAllowance', paused.id, '2026-03', '无故不参加公益劳动', d.streetOfficer);
      expect(suspended.data!.suspendAllowance!.userErrors).toEqual([]);
      expect((await linesOf(d.place.districtId, '2026-03')).map((l) => l.householdId)).toEqual([kept.householdId]);
      const rerun = (await run(d.place.districtId, '2026-03', d.officer)).data!.runDisbursementBatch;
      expect(rerun).toMatchObject({ linesAdded: 0, linesRemoved: 0, batch: { lineCount: 1 } });

      const resumed = await change('resumeAllowance', paused.id, '2026-05', null);
      expect(resumed.data!.resumeAllowance!.userErrors).toEqual([]);
      expect(resumed.data!.resumeAllowance!.allowance).toMatchObject({ status: 'ACTIVE', statusMonth: '2026-05' });
      expect((await run(d.place.districtId, '2026-04', d.officer)).data!.runDisbursementBatch.linesAdded).toBe(1);
      expect((await run(d.place.districtId, '2026-05', d.officer)).data!.runDisbursementBatch.linesAdded).toBe(2);
      expect((await linesOf(d.place.districtId, '2026-05')).map((l) => l.householdId).sort()).toEqual([kept.householdId, paused.householdId].sort());
      // March, already run before the resumption, still does not list it.
      expect((await run(d.place.districtId, '2026-03', d.officer)).data!.runDisbursementBatch.linesAdded).toBe(0);
    });

    it('refuses status changes out of order: a month before the latest change, resuming an active allowance, ending twice', async () => {
      const d = await district();
      const allowance = await granted(d, { decidedMonth: '2026-02' });
      const early = (await change('suspendAllowance', allowance.id, '2026-01')).data!.suspendAllowance!;
      expect(early.userErrors).toEqual([{ field: ['input', 'effectiveMonth'], code: 'OUT_OF_RANGE', message: expect.stringContaining('2026-02') }]);
      expect((await change('resumeAllowance', allowance.id, '2026-03', null)).data!.resumeAllowance!.userErrors).toMatchObject([{ field: ['input', 'id'], code: 'INVALID_STATE' }]);
      expect((await change('suspendAllowance', allowance.id, '2026-03', '  ')).data!.suspendAllowance!.userErrors).toMatchObject([{ field: ['input', 'reason'], code: 'REQUIRED' }]);
      expect((await change('endAllowance', allowance.id, '2026-3')).data!.endAllowance!.userErrors).toMatchObject([{ field: ['input', 'effectiveMonth'], code: 'INVALID' }]);
      expect((await change('endAllowance', allowance.id, '2026-04')).data!.endAllowance!.userErrors).toEqual([]);
      expect((await change('endAllowance', allowance.id, '2026-05')).data!.endAllowance!.userErrors).toMatchObject([{ field: ['input', 'id'], code: 'INVALID_STATE' }]);
    });

    it('names the field of a bad month, an unknown district and a month too far ahead', async () => {
      const d = await district();
      const badMonth = (await run(d.place.districtId, '2026-1', d.officer)).data!.runDisbursementBatch;
      expect(badMonth).toMatchObject({ batch: null, userErrors: [{ field: ['input', 'month'], code: 'INVALID' }] });
      const city = principal('city-1', [Role.CITY_CIVIL_AFFAIRS]);
      const unknown = (await run(gid('District', 2_000_000_000), '2026-01', city)).data!.runDisbursementBatch;
      expect(unknown.userErrors).toEqual([{ field: ['input', 'district'], code: 'NOT_FOUND', message: 'No such district' }]);
      const notDistrict = (await run(gid('Street', d.place.streetId), '2026-01', city)).data!.runDisbursementBatch;
      expect(notDistrict.userErrors).toMatchObject([{ field: ['input', 'district'], code: 'NOT_FOUND' }]);
      const ahead = (await run(d.place.districtId, '2099-01', d.officer)).data!.runDisbursementBatch;
      expect(ahead.userErrors).toMatchObject([{ field: ['input', 'month'], code: 'OUT_OF_RANGE' }]);
      const badQuery = await reconcile(d.place.districtId, '2026/01');
      expect(badQuery.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['month'] });
    });
  });

  describe('returns and reconciliation', () => {
    it('compares what was approved, paid and returned after a payment came back', async () => {
      const d = await district();
      const one = await granted(d, { perCapitaIncomeFen: 51_000 }); // 100,000
      const two = await granted(d, { perCapitaIncomeFen: 101_000 }); // 50,000
      const batch = (await run(d.place.districtId, '2026-06', d.officer)).data!.runDisbursementBatch.batch!;
      const pending = (await reconcile(d.place.districtId, '2026-06')).data!.disbursementReconciliation;
      expect(pending).toMatchObject({ approvedCount: 2, approvedAmountFen: 150_000, paidCount: 0, pendingCount: 2, pendingAmountFen: 150_000, differenceFen: 150_000 });
      await approve(batch.id);

      const line = (await linesOf(d.place.districtId, '2026-06')).find((l) => l.householdId === two.householdId)!;
      const pendingReturn = await hub.run<{ recordReturnedPayment: { line: unknown; userErrors: UserError[] } }>(RETURN, { input: { line: gid('DisbursementLine', line.id), reason: '' } }, { viewer: finance });
      expect(pendingReturn.data!.recordReturnedPayment.userErrors).toMatchObject([{ field: ['input', 'reason'], code: 'REQUIRED' }]);
      const returned = await hub.run<{ recordReturnedPayment: { line: Record<string, unknown>; userErrors: UserError[] } }>(
        RETURN,
        { input: { line: gid('DisbursementLine', line.id), reason: '银行账户已注销' } },
        { viewer: finance },
      );
      expect(returned.data!.recordReturnedPayment.userErrors).toEqual([]);
      expect(returned.data!.recordReturnedPayment.line).toMatchObject({ status: 'RETURNED', returnReason: '银行账户已注销', amountFen: 50_000 });
      const twice = await hub.run<{ recordReturnedPayment: { userErrors: UserError[] } }>(RETURN, { input: { line: gid('DisbursementLine', line.id), reason: '重复' } }, { viewer: finance });
      expect(twice.data!.recordReturnedPayment.userErrors).toMatchObject([{ field: ['input', 'line'], code: 'INVALID_STATE' }]);

      const report = await reconcile(d.place.districtId, '2026-06', finance);
      expect(report.errors).toBeUndefined();
      expect(report.data!.disbursementReconciliation).toEqual({
        month: '2026-06',
        approvedCount: 2,
        approvedAmountFen: 150_000,
        paidCount: 1,
        paidAmountFen: 100_000,
        returnedCount: 1,
        returnedAmountFen: 50_000,
        pendingCount: 0,
        pendingAmountFen: 0,
        notListedCount: 0,
        notListedAmountFen: 0,
        differenceFen: 50_000,
        batch: { id: batch.id, status: 'APPROVED' },
      });
      expect(one.amount).toBe(100_000);
    });

    it('shows allowances granted after the approval as due but not listed, and a retroactive end as paid but not due', async () => {
      const d = await district();
      const early = await granted(d, { perCapitaIncomeFen: 51_000 }); // 100,000
      const batch = (await run(d.place.districtId, '2026-07', d.officer)).data!.runDisbursementBatch.batch!;
      await approve(batch.id);
      await granted(d, { perCapitaIncomeFen: 101_000, decidedMonth: '2026-07' }); // 50,000, after the approval
      await change('endAllowance', early.id, '2026-07', '死亡');
      const report = (await reconcile(d.place.districtId, '2026-07')).data!.disbursementReconciliation;
      expect(report).toMatchObject({ approvedCount: 1, approvedAmountFen: 50_000, paidCount: 1, paidAmountFen: 100_000, notListedCount: 1, notListedAmountFen: 50_000, differenceFen: -50_000 });
    });
  });

  describe('who may do what', () => {
    it('finance approves and reads batches with household IDs only; civil affairs run them; neither side does the other’s part', async () => {
      const d = await district();
      const paid = await granted(d);
      const forbidden = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

      forbidden(await run(d.place.districtId, '2026-08', finance));
      const batch = (await run(d.place.districtId, '2026-08', d.officer)).data!.runDisbursementBatch.batch!;
      forbidden(await approve(batch.id, d.officer));
      forbidden(await approve(batch.id, principal('city-1', [Role.CITY_CIVIL_AFFAIRS])));
      // Whoever ran the batch may not approve it, even holding the finance role too.
      forbidden(await approve(batch.id, { ...d.officer, roles: [Role.DISTRICT_CIVIL_AFFAIRS, Role.FINANCE_OFFICER] }));
      expect((await approve(batch.id)).data!.approveDisbursementBatch.userErrors).toEqual([]);

      const seen = await hub.run<{ disbursementBatches: { totalCount: number; nodes: { lines: { nodes: { householdId: string; household: unknown; allowance: unknown }[] } }[] } }>(
        LINES,
        { filter: { districts: [gid('District', d.place.districtId)], months: ['2026-08'] } },
        { viewer: finance },
      );
      expect(seen.errors).toBeUndefined();
      expect(seen.data!.disbursementBatches.nodes[0]!.lines.nodes).toEqual([expect.objectContaining({ householdId: gid('Household', paid.householdId), household: null, allowance: null })]);
      const financeAllowances = await hub.run<{ allowances: { totalCount: number } }>(`{ allowances { totalCount } }`, {}, { viewer: finance });
      expect(financeAllowances.data!.allowances.totalCount).toBe(0);
      expect((await reconcile(d.place.districtId, '2026-08', finance)).errors).toBeUndefined();
    });

    it('keeps district and street officers to their own places, and committees and providers out', async () => {
      const d = await district();
      const other = await district();
      const allowance = await granted(d);
      const forbidden = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

      forbidden(await run(d.place.districtId, '2026-09', other.officer));
      forbidden(await change('suspendAllowance', allowance.id, '2026-09', '核查', other.streetOfficer));
      forbidden(await reconcile(d.place.districtId, '2026-09', other.officer));
      const streetInDistrict = principal('street-2', [Role.STREET_OFFICER], { streetIds: [(await makePlace(hub.db, { districtId: d.place.districtId })).streetId] });
      forbidden(await change('suspendAllowance', allowance.id, '2026-09', '核查', streetInDistrict));
      forbidden(await run(d.place.districtId, '2026-09', d.streetOfficer));
      const { applicationId } = await approvedApplication(d);
      forbidden(await hub.run(GRANT, { input: { application: gid('Application', applicationId) } }, { viewer: other.streetOfficer }));

      const committee = principal('committee-1', [Role.COMMITTEE_MEMBER], { streetIds: [d.place.streetId] });
      const provider = principal('provider-1', [Role.PROVIDER_STAFF], { organizationId: d.office });
      for (const viewer of [committee, provider]) {
        forbidden(await hub.run(GRANT, { input: { application: gid('Application', applicationId) } }, { viewer }));
        forbidden(await reconcile(d.place.districtId, '2026-09', viewer));
        const lists = await hub.run<{ allowances: { totalCount: number }; disbursementBatches: { totalCount: number } }>(`{ allowances { totalCount } disbursementBatches { totalCount } }`, {}, { viewer });
        expect(lists.data).toEqual({ allowances: { totalCount: 0 }, disbursementBatches: { totalCount: 0 } });
        const node = await hub.run<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: allowance.id }, { viewer });
        expect(node.data!.node).toBeNull();
      }

      // In scope: the street sees its allowance, the other district does not.
      const mine = await hub.run<{ allowances: { totalCount: number } }>(`{ allowances { totalCount } }`, {}, { viewer: d.streetOfficer });
      expect(mine.data!.allowances.totalCount).toBe(1);
      const theirs = await hub.run<{ allowances: { totalCount: number } }>(`{ allowances { totalCount } }`, {}, { viewer: other.officer });
      expect(theirs.data!.allowances.totalCount).toBe(0);
      expect((await change('suspendAllowance', allowance.id, '2026-09', '核查', d.streetOfficer)).data!.suspendAllowance!.userErrors).toEqual([]);
    });
  });
});
