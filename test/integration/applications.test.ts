import { and, eq } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { todayInShanghai } from '../../src/common/dates';
import { auditLog, households, organizations, persons, verificationRequests } from '../../src/db/schema';
import { categoryIds, gid, makeHousehold } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';
import { buildWorld, principalsOf, type World } from '../support/principals';

/** One window (一门受理): intake anywhere in the city, the one-time notice, the lifecycle and who may do what. */
describe('applications', () => {
  let hub: TestHub;
  let world: World;
  let centreB1: number;
  let v: ReturnType<typeof principalsOf> & Record<'centreA1' | 'centreB1' | 'streetB1' | 'streetB2' | 'committeeB1' | 'committeeB2', Principal>;

  const principal = (subject: string, role: Role, extra: Partial<Principal> = {}): Principal => ({ subject, organizationId: null, staffMemberId: null, roles: [role], districtIds: [], streetIds: [], ...extra });

  beforeAll(async () => {
    hub = await startTestHub();
    world = await buildWorld(hub.db);
    const [centre] = await hub.db.insert(organizations).values({ kind: 'SERVICE_CENTER', nameZh: `受理服务中心B1-${world.districts.B}`, districtId: world.districts.B, streetId: world.streets.B1 }).returning();
    centreB1 = centre!.id;
    v = {
      ...principalsOf(world),
      centreA1: principal('centre-A1', Role.SERVICE_CENTER_OFFICER, { organizationId: world.orgs.centreA1, staffMemberId: world.staff.officerA1.id, streetIds: [world.streets.A1] }),
      centreB1: principal('centre-B1', Role.SERVICE_CENTER_OFFICER, { organizationId: centreB1, streetIds: [world.streets.B1] }),
      streetB1: principal('street-B1', Role.STREET_OFFICER, { organizationId: world.orgs.officeB1, streetIds: [world.streets.B1] }),
      streetB2: principal('street-B2', Role.STREET_OFFICER, { organizationId: world.orgs.officeB2, streetIds: [world.streets.B2] }),
      committeeB1: principal('committee-B1', Role.COMMITTEE_MEMBER, { streetIds: [world.streets.B1] }),
      committeeB2: principal('committee-B2', Role.COMMITTEE_MEMBER, { streetIds: [world.streets.B2] }),
    };
  });
  afterAll(() => hub.close());

  interface Material {
    state: string;
    noticeState: string | null;
    inFirstNotice: boolean;
    exceptionReason: string | null;
    foundIn: { source: string; data: string; department: string } | null;
    materialKind: { id: string; code: string };
  }
  interface App {
    id: string;
    type: string;
    status: string;
    statusSince: string;
    decisionReason: string | null;
    publicityStart: string | null;
    publicityEnd: string | null;
    competentStreet: { id: string };
    competentDistrict: { id: string };
    receivingCenter: { id: string };
    ownerOrganization: { id: string };
    ownerOfficer: { id: string } | null;
    household: { id: string } | null;
    case: { id: string; caseworker: { id: string } | null; ownerStreet: { id: string } } | null;
    materials: Material[];
    missingMaterials: { materialKind: { code: string } }[];
    events: { nodes: { fromStatus: string | null; toStatus: string; actor: string; reason: string | null }[] };
    handoffs: { nodes: { note: string | null; actor: string }[] };
    objections: { id: string; content: string; objector: string | null; answer: string | null }[];
    discoveryReport: { id: string; status: string } | null;
  }
  interface Payload {
    application: App | null;
    userErrors: { field: string[]; code: string; message: string }[];
  }

  const APP_FIELDS = `id type status statusSince decisionReason publicityStart publicityEnd
    competentStreet { id } competentDistrict { id } receivingCenter { id } ownerOrganization { id } ownerOfficer { id } household { id }
    case { id caseworker { id } ownerStreet { id } }
    materials { state noticeState inFirstNotice exceptionReason foundIn { source data department } materialKind { id code } }
    missingMaterials { materialKind { code } }
    events { nodes { fromStatus toStatus actor reason } }
    handoffs { nodes { note actor } }
    objections { id content objector answer }
    discoveryReport { id status }`;

  async function mutate(name: string, inputType: string, input: Record<string, unknown>, viewer: Principal, now?: Date) {
    const result = await hub.run<Record<string, Payload>>(`mutation($input: ${inputType}!) { ${name}(input: $input) { application { ${APP_FIELDS} } userErrors { field code message } } }`, { input }, { viewer, now });
    return { payload: result.data?.[name] ?? null, errors: result.errors };
  }

  async function receive(household: number, input: Record<string, unknown> = {}, viewer = v.centreA1): Promise<App> {
    const { payload, errors } = await mutate('receiveApplication', 'ReceiveApplicationInput', { type: 'MINIMUM_LIVING_ALLOWANCE', household: gid('Household', household), ...input }, viewer);
    expect(errors).toBeUndefined();
    expect(payload!.userErrors).toEqual([]);
    return payload!.application!;
  }

  async function step(name: string, input: Record<string, unknown>, viewer = v.streetB1, inputType = 'ApplicationStepInput', now?: Date) {
    return mutate(name, inputType, input, viewer, now);
  }

  async function ok(name: string, input: Record<string, unknown>, viewer = v.streetB1, inputType = 'ApplicationStepInput', now?: Date): Promise<App> {
    const { payload, errors } = await step(name, input, viewer, inputType, now);
    expect(errors).toBeUndefined();
    expect(payload!.userErrors).toEqual([]);
    return payload!.application!;
  }

  const missingKinds = (app: App) => app.materials.filter((m) => m.state === 'MISSING').map((m) => m.materialKind.id);
  const householdIn = (street: 'B1' | 'B2') => makeHousehold(hub.db, world.places[street]);
  const daysFromToday = (days: number) => new Date(Date.parse(`${todayInShanghai()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

  /** Intake and everything up to publicity, with a completed verification. */
  /** Approvals are given as if on this day: after any publicity posted today has run its course. */
  const AFTER_PUBLICITY = new Date(Date.now() + 30 * 86_400_000);

  async function toPublicity(household: number, type = 'MINIMUM_LIVING_ALLOWANCE', publicity: Record<string, unknown> = {}): Promise<App> {
    const app = await receive(household, { type });
    await ok('provideApplicationMaterials', { id: app.id, materialKinds: missingKinds(app) }, v.centreA1, 'ProvideMaterialsInput');
    await ok('acceptApplication', { id: app.id });
    if (type === 'MINIMUM_LIVING_ALLOWANCE' || type === 'EXTREME_POVERTY_SUPPORT') {
      await ok('startApplicationVerification', { id: app.id });
      await hub.db.update(verificationRequests).set({ status: 'COMPLETED', outcome: 'WITHIN_STANDARD', computedAt: new Date() }).where(eq(verificationRequests.applicationId, Number(fromGid(app.id))));
    }
    await ok('reviewApplication', { id: app.id });
    return ok('startApplicationPublicity', { id: app.id, place: '居委会公示栏', ...publicity }, v.streetB1, 'StartPublicityInput');
  }

  const fromGid = (id: string) => Buffer.from(id, 'base64url').toString().split(':')[1];

  it('receives at a centre in one district for a household registered in another, routed to the competent street, with the centre and officer as owner', async () => {
    const app = await receive(world.households.B1.id, { statement: '家庭收入不足以维持基本生活' });
    expect(app).toMatchObject({
      type: 'MINIMUM_LIVING_ALLOWANCE',
      status: 'RECEIVED',
      competentStreet: { id: gid('Street', world.streets.B1) },
      competentDistrict: { id: gid('District', world.districts.B) },
      receivingCenter: { id: gid('Organization', world.orgs.centreA1) },
      ownerOrganization: { id: gid('Organization', world.orgs.centreA1) },
      ownerOfficer: { id: gid('StaffMember', world.staff.officerA1.id) },
    });
    expect(app.events.nodes).toEqual([{ fromStatus: null, toStatus: 'RECEIVED', actor: 'centre-A1', reason: null }]);
    // The household registered in A2 but living in A1 goes to A2, its registered residence.
    const cross = await receive(world.households.X.id, { type: 'MEDICAL' });
    expect(cross.competentStreet.id).toBe(gid('Street', world.streets.A2));
  });

  it('issues the one-time notice: what the hub holds is found with its source, the rest is listed as missing, and no personal value appears', async () => {
    const app = await receive(world.households.B2.id);
    const byCode = Object.fromEntries(app.materials.map((m) => [m.materialKind.code, m]));
    expect(Object.keys(byCode)).toEqual(['IDENTITY_PROOF', 'RESIDENCE_PROOF', 'HOUSEHOLD_COMPOSITION', 'INCOME_PROOF', 'ASSET_DECLARATION', 'VERIFICATION_AUTHORIZATION']);
    for (const code of ['IDENTITY_PROOF', 'RESIDENCE_PROOF', 'HOUSEHOLD_COMPOSITION']) {
      expect(byCode[code]).toMatchObject({ state: 'FOUND_IN_HUB', noticeState: 'FOUND_IN_HUB', inFirstNotice: true });
      expect(byCode[code]!.foundIn!.department).toMatch(/\S/);
    }
    expect(byCode.IDENTITY_PROOF!.foundIn!.source).toBe('IDENTITY');
    expect(byCode.RESIDENCE_PROOF!.foundIn!.source).toBe('RESIDENCE');
    expect(app.missingMaterials.map((m) => m.materialKind.code)).toEqual(['INCOME_PROOF', 'ASSET_DECLARATION', 'VERIFICATION_AUTHORIZATION']);
    for (const code of ['INCOME_PROOF', 'ASSET_DECLARATION', 'VERIFICATION_AUTHORIZATION']) expect(byCode[code]).toMatchObject({ state: 'MISSING', noticeState: 'MISSING', foundIn: null });
    const text = JSON.stringify(app);
    for (const person of world.persons.filter((p) => p.household === 'B2')) {
      expect(text).not.toContain(person.idNumber);
      expect(text).not.toContain(person.name);
    }
    expect(text).not.toContain(world.households.B2.address);
  });

  it('finds a disability certificate in the hub when a member is disabled, once an administrator puts it on a checklist (audited)', async () => {
    const kinds = await hub.run<{ materialKinds: { id: string; code: string }[] }>(`{ materialKinds { id code } }`);
    const kind = (code: string) => kinds.data!.materialKinds.find((k) => k.code === code)!.id;
    const SET = `mutation($input: SetApplicationChecklistInput!) { setApplicationChecklist(input: $input) { checklist { type materials { code } } userErrors { field code } } }`;
    const input = { type: 'HOUSING', materialKinds: [kind('IDENTITY_PROOF'), kind('HOUSING_STATUS'), kind('DISABILITY_CERTIFICATE')] };
    expect((await hub.run(SET, { input }, { viewer: v.streetB1 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const duplicate = await hub.run<{ setApplicationChecklist: { userErrors: unknown[] } }>(SET, { input: { ...input, materialKinds: [kind('IDENTITY_PROOF'), kind('IDENTITY_PROOF')] } }, { viewer: v.city });
    expect(duplicate.data!.setApplicationChecklist.userErrors).toEqual([{ field: ['input', 'materialKinds', '1'], code: 'CONFLICT' }]);
    const set = await hub.run<{ setApplicationChecklist: { checklist: { materials: { code: string }[] } } }>(SET, { input }, { viewer: v.city });
    expect(set.data!.setApplicationChecklist.checklist.materials.map((m) => m.code)).toEqual(['IDENTITY_PROOF', 'HOUSING_STATUS', 'DISABILITY_CERTIFICATE']);
    const audited = await hub.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'ApplicationChecklist'), eq(auditLog.actorSubject, 'perm-city')));
    expect(audited).toHaveLength(1);

    const household = await householdIn('B1');
    await hub.db.update(persons).set({ attributes: ['DISABILITY'] }).where(eq(persons.householdId, household));
    const app = await receive(household, { type: 'HOUSING' });
    const certificate = app.materials.find((m) => m.materialKind.code === 'DISABILITY_CERTIFICATE')!;
    expect(certificate).toMatchObject({ state: 'FOUND_IN_HUB', foundIn: { source: 'DISABILITY' } });
    expect(certificate.foundIn!.department).toContain('残联');
    const other = await receive(await householdIn('B1'), { type: 'HOUSING' });
    expect(other.materials.find((m) => m.materialKind.code === 'DISABILITY_CERTIFICATE')!.state).toBe('MISSING');
  });

  it('refuses a later request for a material the notice did not list as missing, allows it as a recorded exception, and lists exceptions in the report', async () => {
    const app = await receive(await householdIn('B1'));
    const identity = app.materials.find((m) => m.materialKind.code === 'IDENTITY_PROOF')!.materialKind.id;
    const income = app.materials.find((m) => m.materialKind.code === 'INCOME_PROOF')!.materialKind.id;
    const kinds = await hub.run<{ materialKinds: { id: string; code: string }[] }>(`{ materialKinds { id code } }`);
    const housing = kinds.data!.materialKinds.find((k) => k.code === 'HOUSING_STATUS')!.id;

    // Listed as missing: asking again is within the notice.
    expect((await step('requestApplicationMaterial', { id: app.id, materialKind: income }, v.streetB1, 'RequestMaterialInput')).payload!.userErrors).toEqual([]);
    for (const kind of [identity, housing]) {
      const refused = await step('requestApplicationMaterial', { id: app.id, materialKind: kind }, v.streetB1, 'RequestMaterialInput');
      expect(refused.payload!.userErrors).toEqual([expect.objectContaining({ field: ['input', 'materialKind'], code: 'NOT_IN_NOTICE' })]);
    }
    const allowed = await ok('requestApplicationMaterial', { id: app.id, materialKind: housing, exceptionReason: '申请人自述租住危房，需核实住房状况' }, v.streetB1, 'RequestMaterialInput');
    expect(allowed.materials.find((m) => m.materialKind.code === 'HOUSING_STATUS')).toMatchObject({ state: 'MISSING', inFirstNotice: false, noticeState: null, exceptionReason: '申请人自述租住危房，需核实住房状况' });

    const REPORT = `query($f: NoticeExceptionFilter, $first: Int) { noticeExceptions(filter: $f, first: $first) { totalCount nodes { exceptionReason requestedLaterBy materialKind { code } application { id } } } }`;
    const report = await hub.run<{ noticeExceptions: { totalCount: number; nodes: { exceptionReason: string; requestedLaterBy: string; materialKind: { code: string }; application: { id: string } }[] } }>(
      REPORT,
      { f: { districts: [gid('District', world.districts.B)], receivingCenters: [gid('Organization', world.orgs.centreA1)] }, first: 10 },
      { viewer: v.streetB1 },
    );
    expect(report.data!.noticeExceptions.nodes).toContainEqual({ exceptionReason: '申请人自述租住危房，需核实住房状况', requestedLaterBy: 'street-B1', materialKind: { code: 'HOUSING_STATUS' }, application: { id: app.id } });
    const elsewhere = await hub.run<{ noticeExceptions: { totalCount: number } }>(REPORT, { f: { streets: [gid('Street', world.streets.B2)] } }, { viewer: v.city });
    expect(elsewhere.data!.noticeExceptions.totalCount).toBe(0);
    const outOfScope = await hub.run<{ noticeExceptions: { totalCount: number } }>(REPORT, {}, { viewer: v.streetB2 });
    expect(outOfScope.data!.noticeExceptions.totalCount).toBe(0);
  });

  it('walks the lifecycle to APPROVED: materials, verification, review, publicity with an objection answered; the household gains its status, a case and needs', async () => {
    const household = await householdIn('B2');
    const care = (await categoryIds(hub.db)).CARE_NURSING!;
    const app = await receive(household, { type: 'EXTREME_POVERTY_SUPPORT' });
    // 特困 condition found from the members' ages (born 1960).
    expect(app.materials.find((m) => m.materialKind.code === 'SUPPORT_CONDITION_PROOF')).toMatchObject({ state: 'FOUND_IN_HUB', foundIn: { source: 'EXTREME_POVERTY_CONDITION' } });

    const early = await step('acceptApplication', { id: app.id }, v.streetB2);
    expect(early.payload!.userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID_STATE', message: '3 material(s) are still missing' }]);
    await ok('provideApplicationMaterials', { id: app.id, materialKinds: missingKinds(app) }, v.centreA1, 'ProvideMaterialsInput');
    await ok('acceptApplication', { id: app.id }, v.streetB2);
    expect((await step('reviewApplication', { id: app.id }, v.streetB2)).payload!.userErrors[0]!.code).toBe('INVALID_STATE');
    await ok('startApplicationVerification', { id: app.id }, v.streetB2);
    const [verification] = await hub.db.select().from(verificationRequests).where(eq(verificationRequests.applicationId, Number(fromGid(app.id))));
    expect(verification).toMatchObject({ status: 'PENDING', householdId: household, requestedBy: 'street-B2' });
    expect((await step('reviewApplication', { id: app.id }, v.streetB2)).payload!.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_STATE', message: 'The economic-status verification is not completed' })]);
    await hub.db.update(verificationRequests).set({ status: 'COMPLETED', outcome: 'WITHIN_STANDARD', computedAt: new Date() }).where(eq(verificationRequests.id, verification!.id));
    await ok('reviewApplication', { id: app.id }, v.streetB2);
    const posted = await ok('startApplicationPublicity', { id: app.id, place: '居委会公示栏', start: todayInShanghai(), end: daysFromToday(9) }, v.streetB2, 'StartPublicityInput');
    expect(posted).toMatchObject({ status: 'PUBLICITY', publicityStart: todayInShanghai(), publicityEnd: daysFromToday(9) });

    // The committee publicises it and takes an anonymous objection, which it cannot read back.
    const seen = await hub.run<{ node: { id: string; objections: unknown[] } | null }>(`query($id: ID!) { node(id: $id) { ... on Application { id objections { id } } } }`, { id: app.id }, { viewer: v.committeeB2 });
    expect(seen.data!.node).toEqual({ id: app.id, objections: [] });
    const OBJECT = `mutation($input: RecordObjectionInput!) { recordPublicityObjection(input: $input) { objection { id objector } userErrors { field code } } }`;
    const objected = await hub.run<{ recordPublicityObjection: { objection: { id: string; objector: string | null } } }>(OBJECT, { input: { application: app.id, content: '该户有出租房屋收入' } }, { viewer: v.committeeB2 });
    expect(objected.errors).toBeUndefined();
    const objection = objected.data!.recordPublicityObjection.objection;
    expect(objection.objector).toBeNull();
    expect((await hub.run(OBJECT, { input: { application: app.id, content: '异议' } }, { viewer: v.committeeB1 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const APPROVE = { id: app.id, caseworker: gid('StaffMember', world.staff.swB2.id), needs: [{ category: gid('ServiceCategory', care), urgency: 'HIGH', units: 4 }] };
    const refused = await step('approveApplication', APPROVE, v.streetB2, 'ApproveApplicationInput', AFTER_PUBLICITY);
    expect(refused.payload!.userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID_STATE', message: '1 objection(s) raised during publicity are unanswered' }]);
    const ANSWER = `mutation($input: AnswerObjectionInput!) { answerPublicityObjection(input: $input) { objection { id answer answeredBy } userErrors { field code } } }`;
    expect((await hub.run(ANSWER, { input: { id: objection.id, answer: '经核实，出租收入已计入核对' } }, { viewer: v.committeeB2 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const answered = await hub.run<{ answerPublicityObjection: { objection: { answer: string; answeredBy: string } } }>(ANSWER, { input: { id: objection.id, answer: '经核实，出租收入已计入核对' } }, { viewer: v.streetB2 });
    expect(answered.data!.answerPublicityObjection.objection).toMatchObject({ answer: '经核实，出租收入已计入核对', answeredBy: 'street-B2' });

    const badNeed = await step('approveApplication', { ...APPROVE, needs: [{ category: gid('ServiceCategory', care), urgency: 'HIGH', units: 0 }] }, v.streetB2, 'ApproveApplicationInput', AFTER_PUBLICITY);
    expect(badNeed.payload!.userErrors).toEqual([expect.objectContaining({ field: ['input', 'needs', '0', 'units'], code: 'OUT_OF_RANGE' })]);
    const approved = await ok('approveApplication', APPROVE, v.streetB2, 'ApproveApplicationInput', AFTER_PUBLICITY);
    expect(approved.status).toBe('APPROVED');
    expect(approved.objections).toEqual([expect.objectContaining({ content: '该户有出租房屋收入', objector: null, answer: '经核实，出租收入已计入核对' })]);
    expect(approved.case).toMatchObject({ caseworker: { id: gid('StaffMember', world.staff.swB2.id) }, ownerStreet: { id: gid('Street', world.streets.B2) } });
    expect(approved.events.nodes.map((e) => e.toStatus)).toEqual(['RECEIVED', 'ACCEPTED', 'UNDER_VERIFICATION', 'REVIEW', 'PUBLICITY', 'APPROVED']);
    expect(approved.events.nodes.slice(1).every((e) => e.actor === 'street-B2')).toBe(true);

    const [row] = await hub.db.select({ statuses: households.assistanceStatuses }).from(households).where(eq(households.id, household));
    expect(row!.statuses).toContain('EXTREME_POVERTY_SUPPORT');
    const needs = await hub.run<{ node: { needs: { nodes: { units: number; urgency: string; category: { code: string } }[] } } }>(
      `query($id: ID!) { node(id: $id) { ... on Case { needs { nodes { units urgency category { code } } } } } }`,
      { id: approved.case!.id },
    );
    expect(needs.data!.node.needs.nodes).toEqual([{ units: 4, urgency: 'HIGH', category: { code: 'CARE_NURSING' } }]);
  });

  it('links the open case of a household that has one instead of opening another', async () => {
    const app = await toPublicity(world.households.B1.id, 'TEMPORARY_ASSISTANCE');
    const approved = await ok('approveApplication', { id: app.id }, v.streetB1, 'ApproveApplicationInput', AFTER_PUBLICITY);
    expect(approved.case!.id).toBe(gid('Case', world.cases.B1.id));
  });

  it('refuses approval when the verification did not find the household within the standards', async () => {
    const app = await toPublicity(await householdIn('B1'));
    await hub.db.update(verificationRequests).set({ outcome: 'ABOVE_STANDARD' }).where(eq(verificationRequests.applicationId, Number(fromGid(app.id))));
    const refused = await step('approveApplication', { id: app.id, caseworker: gid('StaffMember', world.staff.swB1.id) }, v.streetB1, 'ApproveApplicationInput', AFTER_PUBLICITY);
    expect(refused.payload!.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'INVALID_STATE' })]);
    expect(refused.payload!.userErrors[0]!.message).toContain('ABOVE_STANDARD');
  });

  it('answers a retried intake only to the centre that received it, for the same household and type', async () => {
    const household = await householdIn('B1');
    const first = await receive(household, { type: 'MEDICAL', idempotencyKey: 'retry-scope-1' });
    expect((await receive(household, { type: 'MEDICAL', idempotencyKey: 'retry-scope-1' })).id).toBe(first.id);
    const elsewhere = await mutate('receiveApplication', 'ReceiveApplicationInput', { type: 'MEDICAL', household: gid('Household', household), idempotencyKey: 'retry-scope-1' }, v.centreB1);
    expect(elsewhere.payload!).toMatchObject({ application: null, userErrors: [expect.objectContaining({ field: ['input', 'idempotencyKey'], code: 'CONFLICT' })] });
    const otherType = await mutate('receiveApplication', 'ReceiveApplicationInput', { type: 'HOUSING', household: gid('Household', household), idempotencyKey: 'retry-scope-1' }, v.centreA1);
    expect(otherType.payload!.userErrors).toEqual([expect.objectContaining({ field: ['input', 'idempotencyKey'], code: 'CONFLICT' })]);
  });

  it('refuses approval while the publicity period runs (default period from configuration), and needs verification only for the allowance types', async () => {
    const app = await receive(await householdIn('B1'), { type: 'EDUCATION' });
    await ok('provideApplicationMaterials', { id: app.id, materialKinds: missingKinds(app) }, v.centreA1, 'ProvideMaterialsInput');
    await ok('acceptApplication', { id: app.id });
    await ok('reviewApplication', { id: app.id });
    const posted = await ok('startApplicationPublicity', { id: app.id, place: '街道公示栏' }, v.streetB1, 'StartPublicityInput');
    expect(posted).toMatchObject({ publicityStart: todayInShanghai(), publicityEnd: daysFromToday(hub.config.publicityDays - 1) });
    const refused = await step('approveApplication', { id: app.id }, v.streetB1, 'ApproveApplicationInput');
    expect(refused.payload!.userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID_STATE', message: `The publicity period runs until ${posted.publicityEnd}` }]);
    const bad = await step('startApplicationPublicity', { id: app.id, place: ' ' }, v.streetB1, 'StartPublicityInput');
    expect(bad.payload!.userErrors[0]!.code).toBe('INVALID_STATE');

    const other = await receive(await householdIn('B1'), { type: 'HOUSING' });
    await ok('provideApplicationMaterials', { id: other.id, materialKinds: missingKinds(other) }, v.centreA1, 'ProvideMaterialsInput');
    await ok('acceptApplication', { id: other.id });
    await ok('reviewApplication', { id: other.id });
    const badDates = await step('startApplicationPublicity', { id: other.id, place: '公示栏', start: daysFromToday(10), end: daysFromToday(5) }, v.streetB1, 'StartPublicityInput');
    expect(badDates.payload!.userErrors).toEqual([expect.objectContaining({ field: ['input', 'end'], code: 'OUT_OF_RANGE' })]);
    // Publicity cannot be backdated, nor cut shorter than the configured period.
    const backdated = await step('startApplicationPublicity', { id: other.id, place: '公示栏', start: daysFromToday(-1), end: daysFromToday(10) }, v.streetB1, 'StartPublicityInput');
    expect(backdated.payload!.userErrors).toEqual([expect.objectContaining({ field: ['input', 'start'], code: 'OUT_OF_RANGE' })]);
    const short = await step('startApplicationPublicity', { id: other.id, place: '公示栏', start: todayInShanghai(), end: daysFromToday(hub.config.publicityDays - 2) }, v.streetB1, 'StartPublicityInput');
    expect(short.payload!.userErrors).toEqual([expect.objectContaining({ field: ['input', 'end'], code: 'OUT_OF_RANGE' })]);
  });

  it('rejects and withdraws only with reasons; a withdrawal cancels the pending verification', async () => {
    const rejected = await toPublicity(await householdIn('B1'));
    expect((await step('rejectApplication', { id: rejected.id }, v.streetB1)).payload!.userErrors).toEqual([expect.objectContaining({ field: ['input', 'reason'], code: 'REQUIRED' })]);
    const done = await ok('rejectApplication', { id: rejected.id, reason: '家庭人均收入高于低保标准' });
    expect(done).toMatchObject({ status: 'REJECTED', decisionReason: '家庭人均收入高于低保标准' });
    expect((await step('withdrawApplication', { id: rejected.id, reason: '不再需要' }, v.streetB1)).payload!.userErrors[0]!.code).toBe('INVALID_STATE');

    const app = await receive(await householdIn('B1'));
    await ok('provideApplicationMaterials', { id: app.id, materialKinds: missingKinds(app) }, v.centreA1, 'ProvideMaterialsInput');
    await ok('acceptApplication', { id: app.id });
    await ok('startApplicationVerification', { id: app.id });
    // The receiving centre still owns it and may withdraw it for the applicant; another centre may not.
    expect((await step('withdrawApplication', { id: app.id, reason: '申请人撤回' }, v.centreB1)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const withdrawn = await ok('withdrawApplication', { id: app.id, reason: '申请人撤回' }, v.centreA1);
    expect(withdrawn).toMatchObject({ status: 'WITHDRAWN', decisionReason: '申请人撤回' });
    expect(withdrawn.events.nodes.at(-1)).toEqual({ fromStatus: 'UNDER_VERIFICATION', toStatus: 'WITHDRAWN', actor: 'centre-A1', reason: '申请人撤回' });
    const [verification] = await hub.db.select().from(verificationRequests).where(eq(verificationRequests.applicationId, Number(fromGid(app.id))));
    expect(verification!.status).toBe('CANCELLED');
  });

  it('records every hand-on with from, to and when, and moves ownership', async () => {
    const app = await receive(await householdIn('B1'));
    const HAND = 'HandOnApplicationInput';
    const handed = await ok('handOnApplication', { id: app.id, toOrganization: gid('Organization', world.orgs.officeB1), toOfficer: gid('StaffMember', world.staff.swB1.id), note: '移交户籍地街道' }, v.centreA1, HAND);
    expect(handed.ownerOrganization.id).toBe(gid('Organization', world.orgs.officeB1));
    // Staff of street B1 lie outside the A1 centre's sight; the city sees the new owner officer.
    expect(handed.ownerOfficer).toBeNull();
    const owner = await hub.run<{ node: { ownerOfficer: { id: string } } }>(`query($id: ID!) { node(id: $id) { ... on Application { ownerOfficer { id } } } }`, { id: app.id });
    expect(owner.data!.node.ownerOfficer.id).toBe(gid('StaffMember', world.staff.swB1.id));
    const HANDOFFS = `query($id: ID!) { node(id: $id) { ... on Application { handoffs { nodes { note actor at from: fromOrganization { id } fromOfficer { id } toOrganization { id } toOfficer { id } } } } } }`;
    const history = await hub.run<{ node: { handoffs: { nodes: Record<string, unknown>[] } } }>(HANDOFFS, { id: app.id });
    expect(history.data!.node.handoffs.nodes).toEqual([
      {
        note: '移交户籍地街道',
        actor: 'centre-A1',
        at: expect.any(Date),
        from: { id: gid('Organization', world.orgs.centreA1) },
        fromOfficer: { id: gid('StaffMember', world.staff.officerA1.id) },
        toOrganization: { id: gid('Organization', world.orgs.officeB1) },
        toOfficer: { id: gid('StaffMember', world.staff.swB1.id) },
      },
    ]);
    // The centre no longer owns it: it cannot hand it on again, but still sees what it received.
    expect((await step('handOnApplication', { id: app.id, toOrganization: gid('Organization', centreB1) }, v.centreA1, HAND)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const wrongOfficer = await step('handOnApplication', { id: app.id, toOrganization: gid('Organization', centreB1), toOfficer: gid('StaffMember', world.staff.swB2.id) }, v.streetB1, HAND);
    expect(wrongOfficer.payload!.userErrors).toEqual([expect.objectContaining({ field: ['input', 'toOfficer'], code: 'INVALID' })]);
    const node = await hub.run<{ node: { id: string } | null }>(`query($id: ID!) { node(id: $id) { id } }`, { id: app.id }, { viewer: v.centreA1 });
    expect(node.data!.node).toEqual({ id: app.id });
  });

  it('returns the first application for a repeated idempotency key and refuses a second live application of a type', async () => {
    const household = await householdIn('B1');
    const first = await receive(household, { idempotencyKey: 'intake-42' });
    const again = await receive(household, { idempotencyKey: 'intake-42' });
    expect(again.id).toBe(first.id);
    const duplicate = await mutate('receiveApplication', 'ReceiveApplicationInput', { type: 'MINIMUM_LIVING_ALLOWANCE', household: gid('Household', household) }, v.centreA1);
    expect(duplicate.payload).toEqual({ application: null, userErrors: [{ field: ['input', 'type'], code: 'CONFLICT', message: 'The household already has an application of this type in progress' }] });
    // Another type is another application.
    expect((await receive(household, { type: 'MEDICAL' })).id).not.toBe(first.id);
  });

  it('names the fields at fault in validation errors, and writes nothing', async () => {
    const other = world.persons.find((p) => p.household === 'A2')!;
    const bad = await mutate(
      'receiveApplication',
      'ReceiveApplicationInput',
      { type: 'MEDICAL', household: gid('Household', world.households.B1.id), applicant: gid('Person', other.id), statement: '长'.repeat(2001), receivingCenter: gid('Organization', world.orgs.officeA1) },
      v.city,
    );
    expect(bad.payload!.userErrors.map((e) => [e.field.join('.'), e.code]).sort()).toEqual([
      ['input.applicant', 'INVALID'],
      ['input.receivingCenter', 'INVALID'],
      ['input.statement', 'OUT_OF_RANGE'],
    ]);
    const missing = await mutate('receiveApplication', 'ReceiveApplicationInput', { type: 'MEDICAL', household: gid('Need', 1) }, v.centreA1);
    expect(missing.payload!.userErrors).toEqual([expect.objectContaining({ field: ['input', 'household'], code: 'NOT_FOUND' })]);
    const list = await hub.run<{ applications: { totalCount: number } }>(`query($h: [ID!]) { applications(filter: { households: $h, types: [MEDICAL] }) { totalCount } }`, { h: [gid('Household', world.households.B1.id)] });
    expect(list.data!.applications.totalCount).toBe(0);
  });

  describe('permissions', () => {
    let app: App;
    const LIST = `{ applications(first: 100) { totalCount nodes { id household { id } } } }`;
    const sees = async (viewer: Principal) => (await hub.run<{ applications: { nodes: { id: string; household: { id: string } | null }[] } }>(LIST, {}, { viewer })).data!.applications.nodes;

    beforeAll(async () => {
      app = await receive(await householdIn('B1'), { type: 'DISASTER_RELIEF' });
    });

    it('shows the application to the receiving centre in district A (with its household in B), the competent street and the city; not to another street, a provider or finance', async () => {
      const centre = (await sees(v.centreA1)).find((a) => a.id === app.id);
      expect(centre?.household).toEqual({ id: app.household!.id });
      expect((await sees(v.streetB1)).map((a) => a.id)).toContain(app.id);
      expect((await sees(v.city)).map((a) => a.id)).toContain(app.id);
      for (const viewer of [v.streetB2, v.street, v.provider, v.finance, v.hr, v.public, v.committeeB1]) expect((await sees(viewer)).map((a) => a.id)).not.toContain(app.id);
      const byNode = await hub.run<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: app.id }, { viewer: v.provider });
      expect(byNode.data!.node).toBeNull();
    });

    it('lets a centre officer receive for anyone in the city only at their own centre', async () => {
      const refused = await mutate('receiveApplication', 'ReceiveApplicationInput', { type: 'MEDICAL', household: gid('Household', world.households.B2.id), receivingCenter: gid('Organization', centreB1) }, v.centreA1);
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      for (const viewer of [v.streetB1, v.provider, v.committeeB1]) {
        const denied = await mutate('receiveApplication', 'ReceiveApplicationInput', { type: 'MEDICAL', household: gid('Household', world.households.B2.id) }, viewer);
        expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    });

    it('lets only the competent street move it through the lifecycle', async () => {
      for (const viewer of [v.centreA1, v.streetB2, v.street]) expect((await step('acceptApplication', { id: app.id }, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  it('turns a discovery report into an application, and closes another with a reason', async () => {
    const household = await householdIn('B1');
    const REPORT = `mutation($input: ReportDiscoveryInput!) { reportDiscovery(input: $input) { discoveryReport { id status address household { id } } userErrors { field code } } }`;
    const committee = gid('Committee', world.places.B1.committeeId);
    const noWho = await hub.run<{ reportDiscovery: { userErrors: unknown[] } }>(REPORT, { input: { committee, description: '独居老人，近期无人照看' } }, { viewer: v.committeeB1 });
    expect(noWho.data!.reportDiscovery.userErrors).toEqual([{ field: ['input', 'address'], code: 'REQUIRED' }]);
    expect((await hub.run(REPORT, { input: { committee, description: '困难', household: gid('Household', household) } }, { viewer: v.committeeB2 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const reported = await hub.run<{ reportDiscovery: { discoveryReport: { id: string; status: string } } }>(REPORT, { input: { committee, description: '家中主要劳动力失业，子女就学困难', household: gid('Household', household) } }, { viewer: v.committeeB1 });
    const report = reported.data!.reportDiscovery.discoveryReport;
    expect(report.status).toBe('NEW');

    const STEP = (name: string) => `mutation($input: DiscoveryStepInput!) { ${name}(input: $input) { discoveryReport { id status investigatedBy closeReason } userErrors { field code } } }`;
    expect((await hub.run(STEP('investigateDiscoveryReport'), { input: { id: report.id } }, { viewer: v.committeeB1 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const taken = await hub.run<{ investigateDiscoveryReport: { discoveryReport: { status: string; investigatedBy: string } } }>(STEP('investigateDiscoveryReport'), { input: { id: report.id } }, { viewer: v.streetB1 });
    expect(taken.data!.investigateDiscoveryReport.discoveryReport).toMatchObject({ status: 'INVESTIGATING', investigatedBy: 'street-B1' });

    const app = await receive(household, { type: 'EMPLOYMENT', discoveryReport: report.id });
    // Reports are the street's: the receiving centre in A1 does not see this one, the competent street does.
    expect(app.discoveryReport).toBeNull();
    const linked = await hub.run<{ node: { discoveryReport: { id: string; status: string } } }>(`query($id: ID!) { node(id: $id) { ... on Application { discoveryReport { id status } } } }`, { id: app.id }, { viewer: v.streetB1 });
    expect(linked.data!.node.discoveryReport).toEqual({ id: report.id, status: 'CONVERTED' });
    const twice = await mutate('receiveApplication', 'ReceiveApplicationInput', { type: 'MEDICAL', household: gid('Household', household), discoveryReport: report.id }, v.centreA1);
    expect(twice.payload!.userErrors).toEqual([expect.objectContaining({ field: ['input', 'discoveryReport'], code: 'INVALID_STATE' })]);
    const list = await hub.run<{ discoveryReports: { nodes: { id: string; status: string; application: { id: string } | null }[] } }>(
      `{ discoveryReports(filter: { statuses: [CONVERTED] }) { nodes { id status application { id } } } }`,
      {},
      { viewer: v.streetB1 },
    );
    expect(list.data!.discoveryReports.nodes).toContainEqual({ id: report.id, status: 'CONVERTED', application: { id: app.id } });
    expect((await hub.run<{ discoveryReports: { nodes: unknown[] } }>(`{ discoveryReports { nodes { id } } }`, {}, { viewer: v.streetB2 })).data!.discoveryReports.nodes).toEqual([]);

    const unregistered = await hub.run<{ reportDiscovery: { discoveryReport: { id: string; address: string } } }>(REPORT, { input: { committee, description: '疑似流浪人员', address: '上海市测试区某路88弄3号' } }, { viewer: v.committeeB1 });
    const other = unregistered.data!.reportDiscovery.discoveryReport;
    expect(other.address).not.toContain('88弄');
    const noReason = await hub.run<{ closeDiscoveryReport: { userErrors: unknown[] } }>(STEP('closeDiscoveryReport'), { input: { id: other.id } }, { viewer: v.streetB1 });
    expect(noReason.data!.closeDiscoveryReport.userErrors).toEqual([{ field: ['input', 'reason'], code: 'REQUIRED' }]);
    const closed = await hub.run<{ closeDiscoveryReport: { discoveryReport: { status: string; closeReason: string } } }>(STEP('closeDiscoveryReport'), { input: { id: other.id, reason: '经核实已由救助站安置' } }, { viewer: v.streetB1 });
    expect(closed.data!.closeDiscoveryReport.discoveryReport).toMatchObject({ status: 'CLOSED', closeReason: '经核实已由救助站安置' });
  });

  it('costs the same number of statements for a page of 5 applications with nested fields as for a page of 20', async () => {
    for (let i = 0; i < 20; i += 1) await receive(await householdIn(i % 2 ? 'B1' : 'B2'), { type: 'TEMPORARY_ASSISTANCE' });
    const PAGE = `query($first: Int!) { applications(first: $first, filter: { types: [TEMPORARY_ASSISTANCE] }) {
      nodes { id household { id registeredCommittee { name } } competentStreet { name district { name } } receivingCenter { name } ownerOfficer { id }
        materials { state foundIn { source } materialKind { code } } events { nodes { toStatus } } handoffs { nodes { at } } objections { id } discoveryReport { id } } } }`;
    const small = await hub.run<{ applications: { nodes: unknown[] } }>(PAGE, { first: 5 });
    const large = await hub.run<{ applications: { nodes: unknown[] } }>(PAGE, { first: 20 });
    expect(small.errors).toBeUndefined();
    expect(large.data!.applications.nodes).toHaveLength(20);
    // page, household (with its committee, street and district), competent street (with its district), centre,
    // officer, materials, material kinds, events, hand-ons, objections, discovery reports
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(11);
  });
});
