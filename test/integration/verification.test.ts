import { and, asc, eq } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { applications, auditLog, persons, verificationFigures, verificationRequests, verificationStandards } from '../../src/db/schema';
import { isVerificationCompleted, verifiedPerCapitaMonthlyIncomeFen } from '../../src/modules/verification/verification.service';
import { TEST_DATABASE_URL } from '../support/database';
import { gid } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';
import { buildWorld, principalsOf, type HouseholdKey, type ViewerKey, type World } from '../support/principals';

/**
 * Household economic-status verification: departments submit figures (idempotent per source
 * reference), the hub computes the result against the year's standards with its explanation, and
 * the figures are personal data: clear only to the verification agency and the deciding civil
 * affairs officers, for the application as purpose, and audited.
 */

const ALL_DEPARTMENTS = ['HR_SOCIAL_SECURITY', 'HOUSING_FUND', 'REAL_ESTATE', 'VEHICLES', 'BANKS_SECURITIES', 'MARKET_REGULATION'] as const;
type Department = (typeof ALL_DEPARTMENTS)[number];

interface Verification {
  readonly applicationId: number;
  readonly requestId: number;
  readonly application: string;
  readonly request: string;
  readonly household: HouseholdKey;
}

const SUBMIT = `mutation Submit($input: SubmitVerificationFiguresInput!) {
  submitVerificationFigures(input: $input) {
    verificationRequest { id status missingDepartments }
    figures { id department kind amountFen quantity sourceReference sourceTime }
    userErrors { field code message }
  }
}`;

const COMPLETE = `mutation Complete($id: ID!) {
  completeVerification(input: { id: $id }) {
    verificationRequest { id status result { outcome perCapitaMonthlyIncomeFen perCapitaAssetsFen standardYear
      explanation { rule department kind sourceReference amountFen quantity threshold within } } }
    userErrors { field code message }
  }
}`;

const FIGURES = `query Figures($id: ID!) {
  node(id: $id) { ... on VerificationRequest { id status applicationId household { id }
    figures { id department kind nature amountFen quantity sourceReference person { id } }
    result { outcome perCapitaMonthlyIncomeFen perCapitaAssetsFen explanation { rule amountFen sourceReference quantity threshold within } } } }
}`;

const LIST = `query List($filter: VerificationRequestFilter) {
  verificationRequests(first: 100, filter: $filter) { totalCount nodes { id figures { id amountFen sourceReference } } }
}`;

interface FigureSpec {
  kind: string;
  amountFen: number;
  sourceReference: string;
  sourceTime?: string;
  quantity?: number;
  person?: string | null;
}

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('household economic-status verification', () => {
  let hub: TestHub;
  let world: World;
  let viewers: Record<ViewerKey | 'streetA2', Principal>;
  /** Another street officer in district B: sees none of A's verifications. */
  let streetB1: Principal;

  beforeAll(async () => {
    hub = await startTestHub();
    world = await buildWorld(hub.db);
    viewers = principalsOf(world);
    streetB1 = { ...viewers.street, subject: 'verif-street-B1', organizationId: world.orgs.officeB1, streetIds: [world.streets.B1] };
  });
  afterAll(() => hub.close());

  /** An application of the household under verification, handled by its competent (registered) street, and its PENDING verification. */
  async function makeVerification(household: HouseholdKey, requestedAt = new Date('2026-03-02T02:00:00Z')): Promise<Verification> {
    const h = world.households[household];
    const place = world.places[h.registered];
    const [application] = await hub.db
      .insert(applications)
      .values({
        type: 'TEMPORARY_ASSISTANCE',
        householdId: h.id,
        status: 'UNDER_VERIFICATION',
        receivingOrganizationId: world.orgs.centreA1,
        receivingStreetId: world.streets.A1,
        ownerOrganizationId: world.orgs.centreA1,
        competentStreetId: place.streetId,
        competentDistrictId: place.districtId,
      })
      .returning();
    // One live application of a type per household: older ones of this test file are closed first.
    const [request] = await hub.db.insert(verificationRequests).values({ applicationId: application!.id, householdId: h.id, requestedBy: 'test', requestedAt }).returning();
    return { applicationId: application!.id, requestId: request!.id, application: gid('Application', application!.id), request: gid('VerificationRequest', request!.id), household };
  }

  async function closeApplication(v: Verification): Promise<void> {
    await hub.db.update(applications).set({ status: 'WITHDRAWN', decisionReason: 'test done', decidedAt: new Date() }).where(eq(applications.id, v.applicationId));
  }

  function submit(v: Verification, department: Department, figures: FigureSpec[], viewer: Principal = viewers.verification) {
    const input = { request: v.request, department, figures: figures.map((f) => ({ sourceTime: '2026-02-20T08:00:00Z', ...f })) };
    return hub.run<Data>(SUBMIT, { input }, { viewer, purpose: v.application });
  }

  async function answerTheRest(v: Verification, answered: readonly Department[]): Promise<void> {
    for (const department of ALL_DEPARTMENTS.filter((d) => !answered.includes(d))) {
      const result = await submit(v, department, []);
      expect(result.data?.submitVerificationFigures.userErrors).toEqual([]);
    }
  }

  async function completeWithIncome(household: HouseholdKey, incomeFen: number, requestedAt?: Date): Promise<Data> {
    const v = await makeVerification(household, requestedAt);
    await submit(v, 'HR_SOCIAL_SECURITY', incomeFen > 0 ? [{ kind: 'WAGE_INCOME', amountFen: incomeFen, sourceReference: `W-${v.requestId}` }] : []);
    await answerTheRest(v, ['HR_SOCIAL_SECURITY']);
    const done = await hub.run<Data>(COMPLETE, { id: v.request }, { viewer: viewers.verification, purpose: v.application });
    await closeApplication(v);
    return done.data!.completeVerification;
  }

  const members = async (key: HouseholdKey) => (await hub.db.select({ id: persons.id }).from(persons).where(eq(persons.householdId, world.households[key].id))).length;

  describe('submission and result', () => {
    let v: Verification;
    beforeAll(async () => {
      v = await makeVerification('A1a');
    });
    afterAll(() => closeApplication(v));

    it('computes the result from three departments with an explanation of every figure and rule', async () => {
      expect(await members('A1a')).toBe(2);
      const head = world.persons.find((p) => p.household === 'A1a')!;
      expect((await submit(v, 'HR_SOCIAL_SECURITY', [{ kind: 'WAGE_INCOME', amountFen: 180_000, sourceReference: 'SI-2026-0001', person: gid('Person', head.id) }])).data?.submitVerificationFigures.userErrors).toEqual([]);
      expect((await submit(v, 'BANKS_SECURITIES', [{ kind: 'DEPOSITS', amountFen: 2_000_000, sourceReference: 'ICBC-7781' }, { kind: 'SECURITIES', amountFen: 500_001, sourceReference: 'SSE-1' }])).data?.submitVerificationFigures.userErrors).toEqual([]);
      const vehicles = await submit(v, 'VEHICLES', [{ kind: 'VEHICLE', amountFen: 3_000_000, sourceReference: '沪A12345' }]);
      expect(vehicles.data?.submitVerificationFigures).toMatchObject({ userErrors: [], verificationRequest: { status: 'PENDING' } });
      expect(vehicles.data?.submitVerificationFigures.verificationRequest.missingDepartments).toEqual(['HOUSING_FUND', 'REAL_ESTATE', 'MARKET_REGULATION']);
      await answerTheRest(v, ['HR_SOCIAL_SECURITY', 'BANKS_SECURITIES', 'VEHICLES']);

      const done = await hub.run<Data>(COMPLETE, { id: v.request }, { viewer: viewers.verification, purpose: v.application });
      expect(done.errors).toBeUndefined();
      const payload = done.data!.completeVerification;
      expect(payload.userErrors).toEqual([]);
      // 180,000 fen of wages over 2 members; 2,500,001 fen of assets over 2 rounds up to 1,250,001.
      expect(payload.verificationRequest).toMatchObject({
        status: 'COMPLETED',
        result: { outcome: 'WITHIN_STANDARD', perCapitaMonthlyIncomeFen: 90_000, perCapitaAssetsFen: 1_250_001, standardYear: 2026 },
      });
      expect(payload.verificationRequest.result.explanation).toEqual([
        { rule: 'INCOME', department: 'HR_SOCIAL_SECURITY', kind: 'WAGE_INCOME', sourceReference: 'SI-2026-0001', amountFen: 180_000, quantity: null, threshold: null, within: null },
        { rule: 'VEHICLE', department: 'VEHICLES', kind: 'VEHICLE', sourceReference: '沪A12345', amountFen: 3_000_000, quantity: 1, threshold: 5_000_000, within: true },
        { rule: 'ASSET', department: 'BANKS_SECURITIES', kind: 'DEPOSITS', sourceReference: 'ICBC-7781', amountFen: 2_000_000, quantity: null, threshold: null, within: null },
        { rule: 'ASSET', department: 'BANKS_SECURITIES', kind: 'SECURITIES', sourceReference: 'SSE-1', amountFen: 500_001, quantity: null, threshold: null, within: null },
        { rule: 'MEMBERS', department: null, kind: null, sourceReference: null, amountFen: null, quantity: 2, threshold: null, within: null },
        { rule: 'PER_CAPITA_INCOME', department: null, kind: null, sourceReference: null, amountFen: 90_000, quantity: null, threshold: 151_000, within: true },
        { rule: 'PER_CAPITA_ASSETS', department: null, kind: null, sourceReference: null, amountFen: 1_250_001, quantity: null, threshold: 15_000_000, within: true },
        { rule: 'DWELLING_COUNT', department: null, kind: null, sourceReference: null, amountFen: null, quantity: 0, threshold: 1, within: true },
      ]);
      expect(await isVerificationCompleted(hub.db, v.applicationId)).toBe(true);
      expect(await verifiedPerCapitaMonthlyIncomeFen(hub.db, v.applicationId)).toBe(90_000);
    });

    it('refuses figures and a second completion once the verification is completed, writing nothing', async () => {
      const before = await hub.db.select().from(verificationFigures).where(eq(verificationFigures.requestId, v.requestId));
      const late = await submit(v, 'BANKS_SECURITIES', [{ kind: 'DEPOSITS', amountFen: 1, sourceReference: 'LATE-1' }]);
      expect(late.data?.submitVerificationFigures).toMatchObject({ verificationRequest: null, userErrors: [{ field: ['input', 'request'], code: 'INVALID_STATE' }] });
      const again = await hub.run<Data>(COMPLETE, { id: v.request }, { viewer: viewers.verification });
      expect(again.data?.completeVerification.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'INVALID_STATE' })]);
      expect(await hub.db.select().from(verificationFigures).where(eq(verificationFigures.requestId, v.requestId))).toEqual(before);
    });
  });

  describe('idempotent submission', () => {
    let v: Verification;
    beforeAll(async () => {
      v = await makeVerification('A1b');
    });
    afterAll(() => closeApplication(v));

    const rows = () => hub.db.select().from(verificationFigures).where(eq(verificationFigures.requestId, v.requestId)).orderBy(asc(verificationFigures.id));

    it('keeps one row per source reference: resubmitting updates its amount', async () => {
      await submit(v, 'BANKS_SECURITIES', [{ kind: 'DEPOSITS', amountFen: 100_000, sourceReference: 'BOC-1', sourceTime: '2026-02-20T08:00:00Z' }]);
      const again = await submit(v, 'BANKS_SECURITIES', [{ kind: 'DEPOSITS', amountFen: 120_000, sourceReference: 'BOC-1', sourceTime: '2026-02-21T08:00:00Z' }]);
      expect(again.data?.submitVerificationFigures.figures).toEqual([expect.objectContaining({ sourceReference: 'BOC-1', amountFen: 120_000 })]);
      const stored = await rows();
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ sourceReference: 'BOC-1', amountFen: 120_000, sourceTime: new Date('2026-02-21T08:00:00Z') });
    });

    it('adds a second row for another source reference', async () => {
      await submit(v, 'BANKS_SECURITIES', [{ kind: 'DEPOSITS', amountFen: 50_000, sourceReference: 'BOC-2' }]);
      expect((await rows()).map((r) => [r.sourceReference, r.amountFen])).toEqual([
        ['BOC-1', 120_000],
        ['BOC-2', 50_000],
      ]);
    });

    it('never lets an older copy of a record overwrite a newer one', async () => {
      const stale = await submit(v, 'BANKS_SECURITIES', [{ kind: 'DEPOSITS', amountFen: 1, sourceReference: 'BOC-1', sourceTime: '2026-02-01T08:00:00Z' }]);
      expect(stale.data?.submitVerificationFigures.figures).toEqual([expect.objectContaining({ sourceReference: 'BOC-1', amountFen: 120_000 })]);
      expect((await rows()).find((r) => r.sourceReference === 'BOC-1')!.amountFen).toBe(120_000);
    });

    it('holds the rule in the database too: a second row with the same source reference is refused', async () => {
      await expect(
        hub.db.insert(verificationFigures).values({ requestId: v.requestId, department: 'BANKS_SECURITIES', kind: 'DEPOSITS', amountFen: 9, sourceReference: 'BOC-2', sourceTime: new Date() }),
      ).rejects.toThrow();
      expect(await rows()).toHaveLength(2);
    });

    it('keeps the same reference of two departments apart', async () => {
      await submit(v, 'HOUSING_FUND', [{ kind: 'HOUSING_FUND_BALANCE', amountFen: 7, sourceReference: 'BOC-2' }]);
      expect((await rows()).map((r) => [r.department, r.sourceReference])).toContainEqual(['HOUSING_FUND', 'BOC-2']);
    });
  });

  describe('validation', () => {
    let v: Verification;
    beforeAll(async () => {
      v = await makeVerification('A1c');
    });
    afterAll(() => closeApplication(v));

    const count = async () => (await hub.db.select().from(verificationFigures).where(eq(verificationFigures.requestId, v.requestId))).length;

    it('names each bad figure field and writes nothing', async () => {
      const other = world.persons.find((p) => p.household === 'B1')!;
      const result = await submit(v, 'BANKS_SECURITIES', [
        { kind: 'DEPOSITS', amountFen: -1, sourceReference: 'R-1' },
        { kind: 'WAGE_INCOME', amountFen: 10, sourceReference: 'R-2' },
        { kind: 'DEPOSITS', amountFen: 10, sourceReference: 'R-1' },
        { kind: 'SECURITIES', amountFen: 10, sourceReference: '  ' },
        { kind: 'SECURITIES', amountFen: 10, sourceReference: 'R-5', quantity: 2 },
        { kind: 'SECURITIES', amountFen: 10, sourceReference: 'R-6', sourceTime: '2999-01-01T00:00:00Z' },
        { kind: 'SECURITIES', amountFen: 10, sourceReference: 'R-7', person: gid('Person', other.id) },
      ]);
      const errors = result.data?.submitVerificationFigures.userErrors.map((e: Data) => [e.field.join('.'), e.code]);
      expect(errors).toEqual([
        ['input.figures.0.amountFen', 'OUT_OF_RANGE'],
        ['input.figures.1.kind', 'INVALID'],
        ['input.figures.2.sourceReference', 'CONFLICT'],
        ['input.figures.3.sourceReference', 'REQUIRED'],
        ['input.figures.4.quantity', 'OUT_OF_RANGE'],
        ['input.figures.5.sourceTime', 'OUT_OF_RANGE'],
        ['input.figures.6.person', 'NOT_FOUND'],
      ]);
      expect(await count()).toBe(0);
    });

    it('refuses an unknown department, naming the field', async () => {
      const result = await hub.run<Data>(SUBMIT, { input: { request: v.request, department: 'TAX_BUREAU', figures: [] } }, { viewer: viewers.verification });
      expect(result.errors?.[0]?.message).toMatch(/department/);
      expect(result.errors?.[0]?.message).toMatch(/TAX_BUREAU/);
    });

    it('refuses a request that does not exist, and a cancelled one', async () => {
      const missing = await hub.run<Data>(SUBMIT, { input: { request: gid('VerificationRequest', 999_999), department: 'VEHICLES', figures: [] } }, { viewer: viewers.verification });
      expect(missing.data?.submitVerificationFigures.userErrors).toEqual([expect.objectContaining({ field: ['input', 'request'], code: 'NOT_FOUND' })]);
      const wrongType = await hub.run<Data>(SUBMIT, { input: { request: gid('Household', 1), department: 'VEHICLES', figures: [] } }, { viewer: viewers.verification });
      expect(wrongType.data?.submitVerificationFigures.userErrors).toEqual([expect.objectContaining({ field: ['input', 'request'], code: 'NOT_FOUND' })]);
      const cancelled = await makeVerification('A1d');
      await hub.db.update(verificationRequests).set({ status: 'CANCELLED' }).where(eq(verificationRequests.id, cancelled.requestId));
      const refused = await submit(cancelled, 'VEHICLES', []);
      expect(refused.data?.submitVerificationFigures.userErrors).toEqual([expect.objectContaining({ field: ['input', 'request'], code: 'INVALID_STATE' })]);
      await closeApplication(cancelled);
    });

    it('lets HR submit as HR only, and nobody else submit or complete', async () => {
      const asHr = await submit(v, 'HR_SOCIAL_SECURITY', [{ kind: 'PENSION', amountFen: 300_000, sourceReference: 'PEN-1' }], viewers.hr);
      expect(asHr.data?.submitVerificationFigures.userErrors).toEqual([]);
      const asBank = await submit(v, 'BANKS_SECURITIES', [], viewers.hr);
      expect(asBank.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      for (const key of ['provider', 'committee', 'finance', 'street', 'city'] as const) {
        const result = await submit(v, 'BANKS_SECURITIES', [], viewers[key]);
        expect([key, result.errors?.[0]?.extensions?.code]).toEqual([key, 'FORBIDDEN']);
      }
      for (const key of ['provider', 'committee', 'hr', 'street'] as const) {
        const result = await hub.run<Data>(COMPLETE, { id: v.request }, { viewer: viewers[key] });
        expect([key, result.errors?.[0]?.extensions?.code]).toEqual([key, 'FORBIDDEN']);
      }
      const publicResult = await submit(v, 'BANKS_SECURITIES', [], viewers.public);
      expect(publicResult.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(await count()).toBe(1);
    });
  });

  describe('who sees the figures', () => {
    let v: Verification;
    let other: Verification;
    /** Every amount and reference submitted here: none may appear in a response not allowed to show it. */
    const SECRETS = ['WAGE-SECRET-77', 'DEP-SECRET-88', 987_654, 876_543];
    beforeAll(async () => {
      v = await makeVerification('X'); // lives in A1, registered (competent street) in A2
      other = await makeVerification('B1');
      await submit(v, 'HR_SOCIAL_SECURITY', [{ kind: 'WAGE_INCOME', amountFen: 987_654, sourceReference: 'WAGE-SECRET-77' }]);
      await submit(v, 'BANKS_SECURITIES', [{ kind: 'DEPOSITS', amountFen: 876_543, sourceReference: 'DEP-SECRET-88' }]);
      await answerTheRest(v, ['HR_SOCIAL_SECURITY', 'BANKS_SECURITIES']);
      expect((await hub.run<Data>(COMPLETE, { id: v.request }, { viewer: viewers.verification })).data?.completeVerification.userErrors).toEqual([]);
    });
    afterAll(async () => {
      await closeApplication(v);
      await closeApplication(other);
    });

    const leaks = (response: unknown) => SECRETS.filter((secret) => JSON.stringify(response).includes(String(secret)));
    const figureIds = async () => (await hub.db.select({ id: verificationFigures.id }).from(verificationFigures).where(eq(verificationFigures.requestId, v.requestId))).map((r) => gid('VerificationFigure', r.id));
    const readAudits = async (requestId: string) =>
      hub.db.select().from(auditLog).where(and(eq(auditLog.requestId, requestId), eq(auditLog.action, 'READ_PERSONAL'))).orderBy(asc(auditLog.id));

    it.each(['provider', 'committee', 'community', 'finance', 'auditor', 'caseworker', 'service', 'public'] as const)('%s cannot see the verification or its figures, even naming the application', async (key) => {
      const list = await hub.run<Data>(LIST, {}, { viewer: viewers[key], purpose: v.application });
      expect(list.data?.verificationRequests.totalCount).toBe(0);
      const node = await hub.run<Data>(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [v.request, ...(await figureIds())] }, { viewer: viewers[key], purpose: v.application });
      expect(node.data?.nodes.every((n: unknown) => n === null)).toBe(true);
      expect(leaks([list, node])).toEqual([]);
    });

    it('HR sees pending verifications to answer, but no figures, not even with a purpose', async () => {
      const list = await hub.run<Data>(LIST, { filter: { statuses: ['PENDING'] } }, { viewer: viewers.hr, purpose: other.application });
      expect(list.data?.verificationRequests.nodes.map((n: Data) => n.id)).toContain(other.request);
      const completed = await hub.run<Data>(FIGURES, { id: v.request }, { viewer: viewers.hr, purpose: v.application });
      expect(completed.data?.node).toBeNull();
      await submit(other, 'HR_SOCIAL_SECURITY', [{ kind: 'WAGE_INCOME', amountFen: 123_457, sourceReference: 'HR-OTHER-1' }]);
      const pending = await hub.run<Data>(FIGURES, { id: other.request }, { viewer: viewers.hr, purpose: other.application });
      expect(pending.data?.node.figures).toEqual([expect.objectContaining({ kind: 'WAGE_INCOME', amountFen: null, sourceReference: null, quantity: null })]);
      expect(JSON.stringify(pending)).not.toContain('123457');
    });

    it('the verification agency reads figures in clear for the application, and each clear read is audited', async () => {
      const result = await hub.run<Data>(FIGURES, { id: v.request }, { viewer: viewers.verification, purpose: v.application, requestId: 'verif-agency-clear' });
      expect(result.errors).toBeUndefined();
      const node = result.data!.node;
      expect(node.household).toBeNull(); // the agency reads figures, not the household record
      expect(node.figures.map((f: Data) => [f.kind, f.nature, f.amountFen, f.sourceReference])).toEqual([
        ['WAGE_INCOME', 'MONTHLY_INCOME', 987_654, 'WAGE-SECRET-77'],
        ['DEPOSITS', 'ASSET', 876_543, 'DEP-SECRET-88'],
      ]);
      expect(node.result).toMatchObject({ outcome: 'ABOVE_STANDARD', perCapitaMonthlyIncomeFen: 987_654, perCapitaAssetsFen: 876_543 });
      expect(node.result.explanation[0]).toMatchObject({ rule: 'INCOME', amountFen: 987_654, sourceReference: 'WAGE-SECRET-77' });
      const audits = await readAudits('verif-agency-clear');
      expect(audits.every((a) => a.purpose === v.application && a.actorSubject === 'perm-verification')).toBe(true);
      // Reads resolved in different ticks are separate entries: what was read of each entity is their union.
      const read = new Map<string, string[]>();
      for (const a of audits) read.set(`${a.entityType}:${a.entityId}`, [...(read.get(`${a.entityType}:${a.entityId}`) ?? []), ...a.fields].sort());
      const [wage, deposit] = (await hub.db.select().from(verificationFigures).where(eq(verificationFigures.requestId, v.requestId)).orderBy(asc(verificationFigures.department))).map((f) => f.id);
      expect(Object.fromEntries(read)).toEqual({
        [`VerificationFigure:${wage}`]: ['amountFen', 'quantity', 'sourceReference'],
        [`VerificationFigure:${deposit}`]: ['amountFen', 'quantity', 'sourceReference'],
        [`VerificationRequest:${v.requestId}`]: ['explanation.amountFen', 'explanation.quantity', 'explanation.sourceReference', 'perCapitaAssetsFen', 'perCapitaMonthlyIncomeFen'],
      });
      // Audit entries name fields, never the values.
      expect(leaks(audits)).toEqual([]);
    });

    it('accepts the verification request itself as the purpose', async () => {
      const result = await hub.run<Data>(FIGURES, { id: v.request }, { viewer: viewers.verification, purpose: v.request });
      expect(result.data?.node.figures[0].amountFen).toBe(987_654);
    });

    it('masks figures without a purpose, or for another application, and audits nothing', async () => {
      for (const [purpose, requestId] of [
        [undefined, 'verif-no-purpose'],
        [other.application, 'verif-other-purpose'],
      ] as const) {
        const result = await hub.run<Data>(FIGURES, { id: v.request }, { viewer: viewers.verification, purpose, requestId });
        expect(result.errors).toBeUndefined();
        expect(result.data?.node.figures).toHaveLength(2);
        expect(result.data?.node.figures.every((f: Data) => f.amountFen === null && f.sourceReference === null)).toBe(true);
        expect(result.data?.node.result).toMatchObject({ outcome: 'ABOVE_STANDARD', perCapitaMonthlyIncomeFen: null, perCapitaAssetsFen: null });
        expect(leaks(result)).toEqual([]);
        expect(await readAudits(requestId)).toEqual([]);
      }
    });

    it('the competent street and its district read in clear; another street sees nothing and may not use the purpose', async () => {
      for (const viewer of [viewers.streetA2, viewers.district, viewers.city]) {
        const result = await hub.run<Data>(FIGURES, { id: v.request }, { viewer, purpose: v.application });
        expect([viewer.subject, result.data?.node?.figures?.[0]?.amountFen]).toEqual([viewer.subject, 987_654]);
      }
      // The street where the household lives (A1) is not the competent one.
      const lives = await hub.run<Data>(LIST, {}, { viewer: viewers.street });
      expect(lives.data?.verificationRequests.nodes.map((n: Data) => n.id)).not.toContain(v.request);
      const elsewhere = await hub.run<Data>(FIGURES, { id: other.request }, { viewer: viewers.streetA2, purpose: other.application });
      expect(elsewhere.data?.node).toBeNull();
      // B1's officer sees its own verification, but A's application is no purpose it may state.
      await submit(other, 'BANKS_SECURITIES', [{ kind: 'DEPOSITS', amountFen: 234_567, sourceReference: 'B1-DEP' }]);
      const forbidden = await hub.run<Data>(FIGURES, { id: other.request }, { viewer: streetB1, purpose: v.application });
      expect(forbidden.data?.node.figures.length).toBeGreaterThan(0);
      expect(forbidden.errors?.length).toBe(3 * forbidden.data?.node.figures.length);
      expect(forbidden.errors?.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
      expect(JSON.stringify(forbidden)).not.toContain('234567');
    });

    it('filters the list by district and status within scope', async () => {
      const inB = await hub.run<Data>(LIST, { filter: { districts: [gid('District', world.districts.B)] } }, { viewer: viewers.city });
      expect(inB.data?.verificationRequests.nodes.map((n: Data) => n.id)).toContain(other.request);
      expect(inB.data?.verificationRequests.nodes.map((n: Data) => n.id)).not.toContain(v.request);
      const completedInA = await hub.run<Data>(LIST, { filter: { districts: [gid('District', world.districts.A)], statuses: ['COMPLETED'] } }, { viewer: viewers.district });
      expect(completedInA.data?.verificationRequests.nodes.map((n: Data) => n.id)).toContain(v.request);
      const bad = await hub.run<Data>(LIST, { filter: { districts: [v.request] } }, { viewer: viewers.city });
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['filter', 'districts', 0] });
    });
  });

  describe('standards', () => {
    it('is within at exactly the minimum living standard per member and above one fen over it', async () => {
      // A1d has two members: 2 × 151,000 fen is exactly the 2026 seed standard.
      expect((await completeWithIncome('A1d', 302_000)).verificationRequest.result).toMatchObject({ outcome: 'WITHIN_STANDARD', perCapitaMonthlyIncomeFen: 151_000 });
      expect((await completeWithIncome('A1d', 302_001)).verificationRequest.result).toMatchObject({ outcome: 'ABOVE_STANDARD', perCapitaMonthlyIncomeFen: 151_001 });
    });

    it("measures against the standards in force on the day of the request, and an administrator's change applies to later results only", async () => {
      const set = await hub.run<Data>(
        `mutation($input: SetVerificationStandardInput!) { setVerificationStandard(input: $input) { verificationStandard { year effectiveFrom minimumLivingStandardFen updatedBy } userErrors { field code } } }`,
        { input: { year: 2025, effectiveFrom: '2025-07-01', minimumLivingStandardFen: 140_000, assetLimitPerCapitaFen: 15_000_000, maxDwellings: 1, vehicleValueLimitFen: 5_000_000, note: 'test' } },
      );
      expect(set.data?.setVerificationStandard).toEqual({ verificationStandard: { year: 2025, effectiveFrom: '2025-07-01', minimumLivingStandardFen: 140_000, updatedBy: 'test-city-civil-affairs' }, userErrors: [] });
      const [audit] = await hub.db.select().from(auditLog).where(eq(auditLog.entityType, 'VerificationStandard')).orderBy(asc(auditLog.id));
      expect(audit).toMatchObject({ action: 'UPDATE', actorSubject: 'test-city-civil-affairs' });

      // 290,000 fen over 2 members: within 2026's 1,510 yuan, above the 1,400 yuan just set for 2025.
      const in2025 = await completeWithIncome('A1d', 290_000, new Date('2025-08-01T02:00:00Z'));
      expect(in2025.verificationRequest.result).toMatchObject({ outcome: 'ABOVE_STANDARD', standardYear: 2025 });
      expect(in2025.verificationRequest.result.explanation.find((l: Data) => l.rule === 'PER_CAPITA_INCOME')).toMatchObject({ threshold: 140_000, within: false });
      // Before 1 July 2025 no standard of 2025 is in force yet, and none of an earlier year exists.
      const tooEarly = await completeWithIncome('A1d', 290_000, new Date('2025-03-01T02:00:00Z'));
      expect(tooEarly.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'INVALID_STATE' })]);

      const later = await hub.run<Data>(`{ verificationStandards { year minimumLivingStandardFen } }`, {}, { viewer: viewers.public });
      expect(later.data?.verificationStandards).toEqual([
        { year: 2026, minimumLivingStandardFen: 151_000 },
        { year: 2025, minimumLivingStandardFen: 140_000 },
      ]);
      // The explanation keeps the threshold applied even when the standard changes afterwards.
      await hub.db.update(verificationStandards).set({ minimumLivingStandardFen: 151_000, effectiveFrom: '2025-01-01' }).where(eq(verificationStandards.year, 2025));
      const kept = await hub.run<Data>(FIGURES, { id: in2025.verificationRequest.id }, { viewer: viewers.verification });
      expect(kept.data?.node.result.explanation.find((l: Data) => l.rule === 'PER_CAPITA_INCOME')).toMatchObject({ threshold: 140_000, within: false });
    });

    it('refuses bad standards with the fields named, and anyone but an administrator', async () => {
      const bad = await hub.run<Data>(`mutation($input: SetVerificationStandardInput!) { setVerificationStandard(input: $input) { verificationStandard { year } userErrors { field code } } }`, {
        input: { year: 2027, effectiveFrom: '2026-12-31', minimumLivingStandardFen: 0, assetLimitPerCapitaFen: -1, maxDwellings: -1, vehicleValueLimitFen: -1 },
      });
      expect(bad.data?.setVerificationStandard.userErrors.map((e: Data) => e.field.join('.'))).toEqual([
        'input.effectiveFrom',
        'input.minimumLivingStandardFen',
        'input.assetLimitPerCapitaFen',
        'input.maxDwellings',
        'input.vehicleValueLimitFen',
      ]);
      const byAgency = await hub.run<Data>(`mutation { setVerificationStandard(input: { year: 2027, effectiveFrom: "2027-01-01", minimumLivingStandardFen: 1, assetLimitPerCapitaFen: 1, maxDwellings: 1, vehicleValueLimitFen: 1 }) { userErrors { code } } }`, {}, { viewer: viewers.verification });
      expect(byAgency.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await hub.db.select().from(verificationStandards).where(eq(verificationStandards.year, 2027))).toEqual([]);
    });
  });

  it('is incomplete while a department has not answered', async () => {
    const v = await makeVerification('A2');
    await submit(v, 'HR_SOCIAL_SECURITY', [{ kind: 'WAGE_INCOME', amountFen: 1000, sourceReference: 'W-A2' }]);
    const done = await hub.run<Data>(COMPLETE, { id: v.request }, { viewer: viewers.verification, purpose: v.application });
    const result = done.data!.completeVerification.verificationRequest.result;
    expect(result.outcome).toBe('INCOMPLETE');
    expect(result.explanation.filter((l: Data) => l.rule === 'MISSING_RETURN').map((l: Data) => l.department)).toEqual(ALL_DEPARTMENTS.filter((d) => d !== 'HR_SOCIAL_SECURITY'));
    await closeApplication(v);
  });

  (TEST_DATABASE_URL ? describe : describe.skip)('racing requests (needs a PostgreSQL server: set TEST_DATABASE_URL)', () => {
    it('keeps one row when the same source reference arrives twice at once', async () => {
      const v = await makeVerification('B1', new Date('2026-04-01T02:00:00Z'));
      const results = await Promise.all([1, 2, 3, 4].map((n) => submit(v, 'BANKS_SECURITIES', [{ kind: 'DEPOSITS', amountFen: n, sourceReference: 'RACE-1' }])));
      expect(results.map((r) => r.data?.submitVerificationFigures.userErrors)).toEqual([[], [], [], []]);
      expect(await hub.db.select().from(verificationFigures).where(eq(verificationFigures.requestId, v.requestId))).toHaveLength(1);
      await closeApplication(v);
    });

    it('either takes a figure before the completion or refuses it after: never a figure the result missed', async () => {
      const v = await makeVerification('B1', new Date('2026-04-01T02:00:00Z'));
      await answerTheRest(v, []);
      const [late, done] = await Promise.all([
        submit(v, 'BANKS_SECURITIES', [{ kind: 'DEPOSITS', amountFen: 99_999_999, sourceReference: 'RACE-2' }]),
        hub.run<Data>(COMPLETE, { id: v.request }, { viewer: viewers.verification, purpose: v.application }),
      ]);
      const accepted = late.data?.submitVerificationFigures.userErrors.length === 0;
      expect(done.data?.completeVerification.verificationRequest.result.outcome).toBe(accepted ? 'ABOVE_STANDARD' : 'WITHIN_STANDARD');
      await closeApplication(v);
    });
  });

  it('costs the same statements for a page of 2 or 6 verifications with figures and explanations', async () => {
    const query = `query($first: Int) { verificationRequests(first: $first, filter: { statuses: [COMPLETED] }) { nodes { id household { id } figures { id amountFen person { id } }
      departmentReturns { department } result { outcome standard { year } explanation { rule amountFen } } } } }`;
    const completed = async () => (await hub.db.select({ id: verificationRequests.id }).from(verificationRequests).where(eq(verificationRequests.status, 'COMPLETED'))).length;
    while ((await completed()) < 6) await completeWithIncome('B2', 1000);
    const small = await hub.run<Data>(query, { first: 2 }, { viewer: viewers.city });
    const large = await hub.run<Data>(query, { first: 6 }, { viewer: viewers.city });
    expect(large.data?.verificationRequests.nodes).toHaveLength(6);
    expect(large.statements).toBe(small.statements);
  });
});
