import { and, eq } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { todayInShanghai } from '../../src/common/dates';
import { allowances, applicationStepLimits, applicationSteps, auditLog, households, persons } from '../../src/db/schema';
import { loadWorkingCalendar } from '../../src/modules/calendar/calendar.service';
import { gid, uniqueResidentId } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';
import { buildWorld, type World } from '../support/principals';

/**
 * The walk-through, end to end through the graph: a household living in district A but
 * registered in district B applies at a centre in A (全市通办); the one-time notice names what is
 * missing and what the hub already holds; the centre hands it on to the competent street in B;
 * three departments report figures for the verification; publicity draws an objection that is
 * answered; the street approves; every step ran on a deadline from the official calendar.
 */
describe('one window, handled together', () => {
  let hub: TestHub;
  let world: World;
  let household: number;
  let head: number;

  const principal = (subject: string, role: Role, extra: Partial<Principal> = {}): Principal => ({ subject, organizationId: null, staffMemberId: null, roles: [role], districtIds: [], streetIds: [], ...extra });
  let centreA1: Principal;
  let streetB1: Principal;
  let committeeB1: Principal;
  let agency: Principal;
  let hr: Principal;
  let provider: Principal;

  beforeAll(async () => {
    hub = await startTestHub();
    world = await buildWorld(hub.db);
    centreA1 = principal('centre-A1', Role.SERVICE_CENTER_OFFICER, { organizationId: world.orgs.centreA1, staffMemberId: world.staff.officerA1.id, streetIds: [world.streets.A1] });
    streetB1 = principal('street-B1', Role.STREET_OFFICER, { organizationId: world.orgs.officeB1, streetIds: [world.streets.B1] });
    committeeB1 = principal('committee-B1', Role.COMMITTEE_MEMBER, { streetIds: [world.streets.B1] });
    agency = principal('verification-centre', Role.VERIFICATION_AGENCY);
    hr = principal('hr-bureau', Role.HR_SOCIAL_SECURITY);
    provider = principal('provider-P', Role.PROVIDER_STAFF, { organizationId: world.orgs.P });

    // Lives in street A1 (district A), registered (户籍) in street B1 (district B): two members.
    const [row] = await hub.db
      .insert(households)
      .values({ ...world.places.A1, registeredCommitteeId: world.places.B1.committeeId, address: '浦东测试路8号302室' })
      .returning();
    household = row!.id;
    const [member] = await hub.db.insert(persons).values({ householdId: household, relation: 'HEAD', name: '申请人甲', idNumber: uniqueResidentId(), sex: 'FEMALE', birthDate: '1978-05-01' }).returning();
    head = member!.id;
    await hub.db.insert(persons).values({ householdId: household, relation: 'CHILD', name: '子女乙', idNumber: uniqueResidentId(), sex: 'MALE', birthDate: '2015-09-01' });
  });
  afterAll(() => hub.close());

  interface Material {
    state: string;
    inFirstNotice: boolean;
    foundIn: { department: string } | null;
    materialKind: { id: string; code: string };
  }
  interface App {
    id: string;
    status: string;
    competentStreet: { id: string };
    competentDistrict: { id: string };
    receivingCenter: { id: string };
    ownerOrganization: { id: string };
    materials: Material[];
    handoffs: { nodes: { fromOrganization: { id: string }; toOrganization: { id: string } }[] };
    events: { nodes: { toStatus: string; actor: string }[] };
    verification: { id: string; status: string } | null;
    case: { id: string; ownerStreet: { id: string } } | null;
  }
  const APP = `id status competentStreet { id } competentDistrict { id } receivingCenter { id } ownerOrganization { id }
    materials { state inFirstNotice foundIn { department } materialKind { id code } }
    handoffs { nodes { fromOrganization { id } toOrganization { id } } }
    events { nodes { toStatus actor } }
    verification { id status }
    case { id ownerStreet { id } }`;

  async function act(name: string, inputType: string, input: Record<string, unknown>, viewer: Principal, now?: Date): Promise<App> {
    const result = await hub.run<Record<string, { application: App | null; userErrors: unknown[] }>>(
      `mutation($input: ${inputType}!) { ${name}(input: $input) { application { ${APP} } userErrors { field code message } } }`,
      { input },
      { viewer, now },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data![name]!.userErrors).toEqual([]);
    return result.data![name]!.application!;
  }

  async function refusal(name: string, inputType: string, input: Record<string, unknown>, viewer: Principal, now?: Date): Promise<unknown[]> {
    const result = await hub.run<Record<string, { userErrors: unknown[] }>>(`mutation($input: ${inputType}!) { ${name}(input: $input) { userErrors { field code message } } }`, { input }, { viewer, now });
    expect(result.errors).toBeUndefined();
    return result.data![name]!.userErrors;
  }

  const dbId = (globalId: string) => Number(Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]);
  const shiftDays = (days: number) => new Date(Date.parse(`${todayInShanghai()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

  it('walks an application from intake in one district to approval in another, on the calendar', async () => {
    // Intake at the centre in district A.
    let app = await act('receiveApplication', 'ReceiveApplicationInput', { type: 'MINIMUM_LIVING_ALLOWANCE', household: gid('Household', household), applicant: gid('Person', head) }, centreA1);
    expect(app).toMatchObject({
      status: 'RECEIVED',
      competentStreet: { id: gid('Street', world.streets.B1) },
      competentDistrict: { id: gid('District', world.districts.B) },
      receivingCenter: { id: gid('Organization', world.orgs.centreA1) },
      ownerOrganization: { id: gid('Organization', world.orgs.centreA1) },
    });

    // The one-time notice: the hub's own data stands in for residence, identity and composition.
    const state = (code: string) => app.materials.find((m) => m.materialKind.code === code);
    for (const code of ['RESIDENCE_PROOF', 'IDENTITY_PROOF', 'HOUSEHOLD_COMPOSITION']) {
      expect(state(code)).toMatchObject({ state: 'FOUND_IN_HUB', inFirstNotice: true, foundIn: { department: expect.any(String) } });
    }
    const missing = app.materials.filter((m) => m.state === 'MISSING');
    expect(missing.map((m) => m.materialKind.code).sort()).toEqual(['ASSET_DECLARATION', 'INCOME_PROOF', 'VERIFICATION_AUTHORIZATION']);
    expect(missing.every((m) => m.inFirstNotice)).toBe(true);

    // Asking later for something the notice did not list is refused without a recorded reason.
    const kinds = await hub.run<{ materialKinds: { id: string; code: string }[] }>(`{ materialKinds { id code } }`);
    const disability = kinds.data!.materialKinds.find((k) => k.code === 'DISABILITY_CERTIFICATE')!;
    expect(await refusal('requestApplicationMaterial', 'RequestMaterialInput', { id: app.id, materialKind: disability.id }, centreA1)).toEqual([
      expect.objectContaining({ field: ['input', 'materialKind'], code: 'NOT_IN_NOTICE' }),
    ]);

    // The applicant brings what was missing; the centre hands the file on to the competent street.
    await act('provideApplicationMaterials', 'ProvideMaterialsInput', { id: app.id, materialKinds: missing.map((m) => m.materialKind.id) }, centreA1);
    app = await act('handOnApplication', 'HandOnApplicationInput', { id: app.id, toOrganization: gid('Organization', world.orgs.officeB1), note: '户籍地街道办理' }, centreA1);
    expect(app.ownerOrganization.id).toBe(gid('Organization', world.orgs.officeB1));
    expect(app.handoffs.nodes).toEqual([{ fromOrganization: { id: gid('Organization', world.orgs.centreA1) }, toOrganization: { id: gid('Organization', world.orgs.officeB1) } }]);

    await act('acceptApplication', 'ApplicationStepInput', { id: app.id }, streetB1);
    app = await act('startApplicationVerification', 'ApplicationStepInput', { id: app.id }, streetB1);
    expect(app.verification).toMatchObject({ status: 'PENDING' });
    const request = app.verification!.id;

    // Three departments report figures; the other three answer that they hold nothing.
    const SUBMIT = `mutation($input: SubmitVerificationFiguresInput!) { submitVerificationFigures(input: $input) { userErrors { field code } } }`;
    const submit = async (viewer: Principal, department: string, figures: Record<string, unknown>[]) => {
      const result = await hub.run<{ submitVerificationFigures: { userErrors: unknown[] } }>(SUBMIT, { input: { request, department, figures } }, { viewer });
      expect(result.errors).toBeUndefined();
      expect(result.data!.submitVerificationFigures.userErrors).toEqual([]);
    };
    const at = new Date(Date.now() - 86_400_000).toISOString();
    await submit(hr, 'HR_SOCIAL_SECURITY', [{ kind: 'WAGE_INCOME', amountFen: 120_000, person: gid('Person', head), sourceReference: 'HR-2026-0001', sourceTime: at }]);
    await submit(agency, 'BANKS_SECURITIES', [{ kind: 'DEPOSITS', amountFen: 2_000_000, sourceReference: 'BANK-ICBC-77', sourceTime: at }]);
    await submit(agency, 'HOUSING_FUND', [{ kind: 'HOUSING_FUND_BALANCE', amountFen: 500_000, person: gid('Person', head), sourceReference: 'GJJ-5521', sourceTime: at }]);
    for (const department of ['REAL_ESTATE', 'VEHICLES', 'MARKET_REGULATION']) await submit(agency, department, []);
    const COMPLETE = `mutation($input: CompleteVerificationInput!) { completeVerification(input: $input) {
      verificationRequest { status result { outcome perCapitaMonthlyIncomeFen explanation { department sourceReference within } } } userErrors { field code } } }`;
    const completed = await hub.run<{ completeVerification: { verificationRequest: { status: string; result: { outcome: string; perCapitaMonthlyIncomeFen: number; explanation: { department: string | null; within: boolean | null }[] } } } }>(
      COMPLETE,
      { input: { id: request } },
      { viewer: agency, purpose: app.id },
    );
    expect(completed.errors).toBeUndefined();
    const result = completed.data!.completeVerification.verificationRequest.result;
    expect(result).toMatchObject({ outcome: 'WITHIN_STANDARD', perCapitaMonthlyIncomeFen: 60_000 });
    const departments = new Set(result.explanation.map((line) => line.department).filter(Boolean));
    expect(departments).toEqual(new Set(['HR_SOCIAL_SECURITY', 'BANKS_SECURITIES', 'HOUSING_FUND']));

    // The figures are the household's: a provider and a committee member see none of them.
    const FIGURES = `query($id: ID!) { node(id: $id) { ... on VerificationRequest { figures { amountFen } } } }`;
    const agencySees = await hub.run<{ node: { figures: { amountFen: number | null }[] } }>(FIGURES, { id: request }, { viewer: agency, purpose: app.id });
    expect(agencySees.data!.node.figures.map((f) => f.amountFen).sort((a, b) => a! - b!)).toEqual([120_000, 500_000, 2_000_000]);
    for (const viewer of [provider, committeeB1]) {
      const seen = await hub.run<{ node: { figures: { amountFen: number | null }[] } | null }>(FIGURES, { id: request }, { viewer, purpose: app.id });
      expect(seen.data?.node?.figures.some((f) => f.amountFen !== null) ?? false).toBe(false);
    }

    // Review, then seven days of publicity from today; an objection comes in.
    await act('reviewApplication', 'ApplicationStepInput', { id: app.id }, streetB1);
    app = await act('startApplicationPublicity', 'StartPublicityInput', { id: app.id, place: '居委会公示栏' }, streetB1);
    expect(app.status).toBe('PUBLICITY');
    const objected = await hub.run<{ recordPublicityObjection: { objection: { id: string } | null; userErrors: unknown[] } }>(
      `mutation($input: RecordObjectionInput!) { recordPublicityObjection(input: $input) { objection { id } userErrors { field code } } }`,
      { input: { application: app.id, content: '该户另有经营收入' } },
      { viewer: committeeB1 },
    );
    expect(objected.data!.recordPublicityObjection.userErrors).toEqual([]);
    const APPROVE = { id: app.id, caseworker: gid('StaffMember', world.staff.swB1.id) };
    // Not while the period runs; after it, not while the objection is unanswered.
    expect(await refusal('approveApplication', 'ApproveApplicationInput', APPROVE, streetB1)).toEqual([expect.objectContaining({ code: 'INVALID_STATE' }), expect.objectContaining({ code: 'INVALID_STATE' })]);
    const afterPublicity = new Date(Date.parse(`${shiftDays(8)}T10:00:00+08:00`));
    expect(await refusal('approveApplication', 'ApproveApplicationInput', APPROVE, streetB1, afterPublicity)).toEqual([
      expect.objectContaining({ code: 'INVALID_STATE', message: expect.stringContaining('unanswered') }),
    ]);
    const answered = await hub.run<{ answerPublicityObjection: { userErrors: unknown[] } }>(
      `mutation($input: AnswerObjectionInput!) { answerPublicityObjection(input: $input) { userErrors { field code } } }`,
      { input: { id: objected.data!.recordPublicityObjection.objection!.id, answer: '经市场监管部门核对，无经营登记' } },
      { viewer: streetB1 },
    );
    expect(answered.data!.answerPublicityObjection.userErrors).toEqual([]);

    // Approval: the household's status, its case in the competent street, its allowance.
    app = await act('approveApplication', 'ApproveApplicationInput', APPROVE, streetB1, afterPublicity);
    expect(app.status).toBe('APPROVED');
    expect(app.events.nodes.map((e) => e.toStatus)).toEqual(['RECEIVED', 'ACCEPTED', 'UNDER_VERIFICATION', 'REVIEW', 'PUBLICITY', 'APPROVED']);
    expect(app.case).toMatchObject({ ownerStreet: { id: gid('Street', world.streets.B1) } });
    const [after] = await hub.db.select({ statuses: households.assistanceStatuses }).from(households).where(eq(households.id, household));
    expect(after!.statuses).toContain('MINIMUM_LIVING_ALLOWANCE');
    const [allowance] = await hub.db.select().from(allowances).where(eq(allowances.applicationId, dbId(app.id)));
    expect(allowance).toMatchObject({ status: 'ACTIVE', householdId: household });
    expect(allowance!.monthlyAmountFen).toBeGreaterThan(0);

    // Every step ran on its limit in working days from the official calendar, and the clock stopped.
    const calendar = await loadWorkingCalendar(hub.db);
    const limits = new Map((await hub.db.select().from(applicationStepLimits)).map((l) => [l.status, l.workingDays]));
    const steps = await hub.db.select().from(applicationSteps).where(eq(applicationSteps.applicationId, dbId(app.id))).orderBy(applicationSteps.id);
    expect(steps.map((s) => s.status)).toEqual(['RECEIVED', 'ACCEPTED', 'UNDER_VERIFICATION', 'REVIEW', 'PUBLICITY']);
    for (const step of steps) {
      expect(step.dueOn).toBe(calendar.addWorkingDays(step.enteredOn, limits.get(step.status)!).date);
      expect(step.completedOn).not.toBeNull();
    }

    // Every change is in the audit log, under the people who made it.
    const audited = await hub.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'Application'), eq(auditLog.entityId, dbId(app.id))));
    expect(new Set(audited.map((entry) => entry.actorSubject))).toEqual(new Set(['centre-A1', 'street-B1']));
  });

  it('takes proof of income from the records HR contributed, at the next application (数据多跑路)', async () => {
    const app = await act('receiveApplication', 'ReceiveApplicationInput', { type: 'TEMPORARY_ASSISTANCE', household: gid('Household', household) }, centreA1);
    expect(app.materials.find((m) => m.materialKind.code === 'INCOME_PROOF')).toMatchObject({ state: 'FOUND_IN_HUB', foundIn: { department: expect.stringContaining('人社') } });
    expect(app.materials.filter((m) => m.state === 'MISSING').map((m) => m.materialKind.code)).toEqual(['EMERGENCY_STATEMENT']);
  });
});
