import { PUBLIC_PRINCIPAL, type Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { todayInShanghai } from '../../src/common/dates';
import { categoryIds, gid, makeProvider, makeResource } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';
import { buildWorld, principalsOf, type World, type WorldPerson } from '../support/principals';

/**
 * Government purchase of services (§3) end to end through the graph: a district bureau's project
 * from draft to closed — finance review, an open tender with three bids and two experts, a
 * contract refused for a missing term then signed, its capacity matched to a household's need,
 * the service completed and rated, milestone payments capped and approved by finance, the final
 * evaluation feeding the provider's quality, and what the public then sees, with no personal data.
 */

interface UserError {
  field: string[];
  code: string;
  message: string;
}
type Payload<K extends string, T> = Record<K, T & { userErrors: UserError[] }>;

const YEAR = Number(todayInShanghai().slice(0, 4));
const TODAY = todayInShanghai();
const yuan = (n: number) => n * 100;
const BUDGET = yuan(5_000_000); // above the seeded OPEN_TENDER threshold of 4,000,000 yuan
const PROJECT_TERM = { start: `${YEAR}-01-01`, end: `${YEAR + 1}-12-31` };
const CONTRACT_TERM = { start: `${YEAR}-01-01`, end: `${YEAR + 1}-06-30` };

const principal = (subject: string, role: Role, extra: Partial<Principal> = {}): Principal => ({ subject, organizationId: null, staffMemberId: null, roles: [role], districtIds: [], streetIds: [], ...extra });
const errorCodes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.map((e) => e.extensions?.code);
const fieldsAndCodes = (errors: UserError[]) => errors.map((e) => [e.field.join('.'), e.code]);

const ERRORS = 'userErrors { field code message }';
const CREATE_PROJECT = `mutation($input: CreatePurchaseProjectInput!) { createPurchaseProject(input: $input) { project { id status method budgetFen district { id } } ${ERRORS} } }`;
const MOVE_PROJECT = `mutation($input: MovePurchaseProjectInput!) { movePurchaseProject(input: $input) { project { id status } ${ERRORS} } }`;
const CRITERIA = `mutation($input: SetScoringCriteriaInput!) { setScoringCriteria(input: $input) { project { id criteria { name weight } } ${ERRORS} } }`;
const EXPERT = `mutation($input: RegisterExpertInput!) { registerExpert(input: $input) { expert { id } ${ERRORS} } }`;
const LINK = `mutation($input: DeclareExpertLinkInput!) { declareExpertLink(input: $input) { expert { id } ${ERRORS} } }`;
const PANEL = `mutation($input: SetExpertPanelInput!) { setExpertPanel(input: $input) { project { id } ${ERRORS} } }`;
const BID = `mutation($input: SubmitBidInput!) { submitBid(input: $input) { bid { id status priceFen } ${ERRORS} } }`;
const SCORE = `mutation($input: RecordExpertScoresInput!) { recordExpertScores(input: $input) { bid { id } ${ERRORS} } }`;
const AWARD = `mutation($input: AwardPurchaseProjectInput!) { awardPurchaseProject(input: $input) { project { id status award { priceFen aggregateScore provider { id } } } ${ERRORS} } }`;
const SIGN = `mutation($input: SignContractInput!) { signContract(input: $input) {
  contract { id project status amountFen termStart termEnd provider { id } areas { district { id } street { id } }
    milestones { id seq name amountFen } resources { id cost capacity status category { code } provider { id } } }
  ${ERRORS} } }`;
const SET_PLAN = `mutation($input: SetTakeoverPlanInput!) { setTakeoverPlan(input: $input) { plan { contract } ${ERRORS} } }`;
const START_SERVICE = `mutation($contract: ID!) { startContractService(input: { contract: $contract }) { contract { id status } ${ERRORS} } }`;
const CREATE_NEED = `mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id status } ${ERRORS} } }`;
const CANDIDATES = `query($id: ID!) { node(id: $id) { ... on Need { status candidates(first: 20) { freeUnits resource { id cost provider { id } } } } } }`;
const MATCH_NOW = `mutation($id: ID!) { matchNeedNow(id: $id) { proposed referralIds } }`;
const ACCEPT = `mutation($input: ReferralStepInput!) { acceptReferral(input: $input) { referral { id status } ${ERRORS} } }`;
const START_REFERRAL = `mutation($input: ReferralStepInput!) { startReferralService(input: $input) { referral { id status } ${ERRORS} } }`;
const COMPLETE = `mutation($input: CompleteReferralInput!) { completeReferral(input: $input) { referral { id status satisfaction } ${ERRORS} } }`;
const REQUEST_PAYMENT = `mutation($input: RequestMilestonePaymentInput!) { requestMilestonePayment(input: $input) { payment { id amountFen status requestedBy } ${ERRORS} } }`;
const APPROVE_PAYMENT = `mutation($input: DecideMilestonePaymentInput!) { approveMilestonePayment(input: $input) { payment { id status decidedBy } ${ERRORS} } }`;
const END_CONTRACT = `mutation($input: EndContractInput!) { endContract(input: $input) { contract { id status resources { status } } ${ERRORS} } }`;
const EVALUATE = `mutation($input: EvaluateContractInput!) { evaluateContract(input: $input) { evaluation { id satisfaction ratingsCount total } ${ERRORS} } }`;
const QUALITY = `query($id: ID!) { node(id: $id) { ... on Organization { qualityScore } } }`;
const PROJECT_STATUS = `query($id: ID!) { node(id: $id) { ... on PurchaseProject { status history { fromStatus toStatus } } } }`;
const SERVICE_RECORDS = `query($c: ID!) { contractServiceRecords(contract: $c, first: 10) { totalCount nodes { referral householdRef status satisfaction outcome category { code } provider { id } } } }`;
const PUBLIC_DISCLOSURE = `query($district: ID!, $provider: ID!, $year: Int!) {
  purchaseProjects(filter: { districts: [$district], fiscalYears: [$year] }, first: 20) {
    totalCount
    nodes {
      id title status fiscalYear budgetFen termStart termEnd quantity serviceStandard needsStudy method methodJustification returnReason
      purchaser { name } district { id name } street { id } categories { code }
      criteria { name weight }
      award { priceFen aggregateScore provider { id name } }
      bidResults { rank aggregateScore expertCount priceFen status provider { id name } }
      panel { name field }
      bids { id proposal }
      history { toStatus actor }
    }
  }
  contractDisclosures(filter: { providers: [$provider] }, first: 20) {
    totalCount
    nodes {
      contract project subject amountFen termStart termEnd status signedAt paidFen
      provider { id name qualityScore }
      areas { district { id } street { id } }
      milestones { name dueOn amountFen paidFen }
    }
  }
  evaluationResults(providers: [$provider], first: 20) {
    totalCount
    nodes { contract contractSubject provider { id name } serviceEffect management socialImpact satisfaction ratingsCount total serviceEffectNote managementNote socialImpactNote evaluatedAt }
  }
}`;

describe('government purchase of services, from draft to closed', () => {
  let hub: TestHub;
  let world: World;
  let care: number;
  let bureau: Principal;
  let finance: Principal;
  let caseworker: Principal;
  const staff: Record<'P' | 'Q' | 'R' | 'S', Principal> = {} as never;
  const orgs: Record<'P' | 'Q' | 'R' | 'S', number> = {} as never;
  /** The household served: its members' and address's clear values must never reach the public. */
  let served: { id: string; address: string; members: WorldPerson[] };

  // Filled in as the walk-through goes.
  let project: string;
  const bidOf: Record<'P' | 'Q' | 'R', string> = {} as never;
  const experts: Record<'independent' | 'linked', string> = {} as never;
  let contract: { id: string; milestones: { id: string; amountFen: number }[]; resources: { id: string }[] };
  let need: string;
  let referral: string;

  /** Runs an operation that must not raise GraphQL errors, and returns its data. */
  async function ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, viewer: Principal): Promise<T> {
    const result = await hub.run<T>(query, variables, { viewer });
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  /** Runs a mutation whose payload (under `name`) must carry no userErrors, and returns the payload. */
  async function done<T>(query: string, name: string, variables: Record<string, unknown>, viewer: Principal): Promise<T> {
    const payload = (await ok<Record<string, T & { userErrors: UserError[] }>>(query, variables, viewer))[name]!;
    expect(payload.userErrors).toEqual([]);
    return payload;
  }

  const move = (to: string, viewer: Principal, reason?: string) => hub.run<Payload<'movePurchaseProject', { project: { status: string } | null }>>(MOVE_PROJECT, { input: { id: project, to, reason } }, { viewer });
  const projectStatus = async () => (await ok<{ node: { status: string } }>(PROJECT_STATUS, { id: project }, bureau)).node.status;

  beforeAll(async () => {
    hub = await startTestHub();
    world = await buildWorld(hub.db);
    care = (await categoryIds(hub.db)).CARE_NURSING!;
    const viewers = principalsOf(world);
    bureau = viewers.district;
    finance = viewers.finance;
    caseworker = viewers.caseworker;
    orgs.P = world.orgs.P;
    orgs.Q = world.orgs.Q;
    orgs.R = await makeProvider(hub.db);
    orgs.S = await makeProvider(hub.db, { status: 'SUSPENDED' });
    for (const key of ['P', 'Q', 'R', 'S'] as const) staff[key] = principal(`provider-staff-${key}`, Role.PROVIDER_STAFF, { organizationId: orgs[key] });
    served = { id: gid('Household', world.households.A1a.id), address: world.households.A1a.address, members: world.persons.filter((p) => p.household === 'A1a') };
  });
  afterAll(() => hub.close());

  it('the district bureau drafts the project: the budget forces an open tender, another method needs a justification', async () => {
    const input = {
      purchaser: gid('Organization', world.orgs.bureauA),
      title: '困难家庭居家照料护理服务',
      needsStudy: '全区排查发现独居困难老人照料需求集中。',
      serviceStandard: '每户每周两次上门照料，每次不少于两小时。',
      quantity: 120,
      budgetFen: BUDGET,
      fiscalYear: YEAR,
      termStart: PROJECT_TERM.start,
      termEnd: PROJECT_TERM.end,
      categories: [gid('ServiceCategory', care)],
    };
    const refused = (await ok<Payload<'createPurchaseProject', { project: unknown }>>(CREATE_PROJECT, { input: { ...input, method: 'COMPETITIVE_CONSULTATION' } }, bureau)).createPurchaseProject;
    expect(refused.project).toBeNull();
    expect(fieldsAndCodes(refused.userErrors)).toEqual([['input.method', 'OUT_OF_RANGE']]);
    expect(refused.userErrors[0]!.message).toContain('OPEN_TENDER');

    const created = await done<{ project: { id: string; status: string; method: string; district: { id: string } } }>(CREATE_PROJECT, 'createPurchaseProject', { input: { ...input, method: 'OPEN_TENDER' } }, bureau);
    expect(created.project).toMatchObject({ status: 'DRAFT', method: 'OPEN_TENDER', district: { id: gid('District', world.districts.A) } });
    project = created.project.id;
    expect((await move('SUBMITTED', bureau)).data!.movePurchaseProject.userErrors).toEqual([]);
  });

  it('finance takes it into review and approves it; neither the purchaser nor a provider may', async () => {
    expect(errorCodes(await move('FINANCE_REVIEW', bureau))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await move('FINANCE_REVIEW', staff.P))).toEqual(['FORBIDDEN']);
    expect((await move('FINANCE_REVIEW', finance)).data!.movePurchaseProject.project!.status).toBe('FINANCE_REVIEW');
    expect(errorCodes(await move('APPROVED', bureau))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await move('APPROVED', staff.P))).toEqual(['FORBIDDEN']);
    expect((await move('APPROVED', finance)).data!.movePurchaseProject.project!.status).toBe('APPROVED');
  });

  it('procurement opens with published criteria and a two-expert panel, one expert linked to a bidder', async () => {
    const criteria = [
      { name: '服务方案', weight: 60 },
      { name: '报价', weight: 40 },
    ];
    await done(CRITERIA, 'setScoringCriteria', { input: { project, criteria } }, bureau);
    experts.independent = (await done<{ expert: { id: string } }>(EXPERT, 'registerExpert', { input: { name: '评审专家甲', field: '社会工作' } }, bureau)).expert.id;
    experts.linked = (await done<{ expert: { id: string } }>(EXPERT, 'registerExpert', { input: { name: '评审专家乙', field: '养老服务' } }, bureau)).expert.id;
    await done(LINK, 'declareExpertLink', { input: { expert: experts.linked, organization: gid('Organization', orgs.Q), kind: 'RECENT_WORK', reason: '近两年为该机构提供督导' } }, bureau);
    await done(PANEL, 'setExpertPanel', { input: { project, experts: [experts.independent, experts.linked] } }, bureau);
    expect((await move('PROCUREMENT', bureau)).data!.movePurchaseProject.project!.status).toBe('PROCUREMENT');
    // The criteria are public from now on.
    const published = await ok<{ purchaseProjects: { nodes: { id: string; criteria: unknown }[] } }>(`query($d: ID!) { purchaseProjects(filter: { districts: [$d] }) { nodes { id criteria { name weight } } } }`, { d: gid('District', world.districts.A) }, PUBLIC_PRINCIPAL);
    expect(published.purchaseProjects.nodes.find((n) => n.id === project)!.criteria).toEqual(criteria);
  });

  it('three providers bid; a suspended one is refused', async () => {
    const bid = (key: 'P' | 'Q' | 'R' | 'S', priceFen: number) =>
      ok<Payload<'submitBid', { bid: { id: string; status: string } | null }>>(BID, { input: { project, priceFen, proposal: `投标方案${key}：上海市静谧区服务网点` } }, staff[key]);
    const suspended = (await bid('S', yuan(4_400_000))).submitBid;
    expect(suspended.bid).toBeNull();
    expect(fieldsAndCodes(suspended.userErrors)).toEqual([['input.project', 'INACTIVE']]);
    for (const [key, price] of [['P', 4_600_000], ['Q', 4_700_000], ['R', 4_500_000]] as const) {
      const placed = (await bid(key, yuan(price))).submitBid;
      expect(placed.userErrors).toEqual([]);
      expect(placed.bid!.status).toBe('SUBMITTED');
      bidOf[key] = placed.bid!.id;
    }
    // Each provider sees its own bid only.
    const mine = await ok<{ bids: { nodes: { id: string }[] } }>(`query($p: ID!) { bids(project: $p, first: 10) { nodes { id } } }`, { p: project }, staff.P);
    expect(mine.bids.nodes.map((b) => b.id)).toEqual([bidOf.P]);
  });

  it('two experts score every bid; the linked expert is refused for the bidder it is linked to; the award follows the aggregate', async () => {
    const score = (bid: string, expert: string, scores: number[]) => ok<Payload<'recordExpertScores', object>>(SCORE, { input: { bid, expert, scores } }, bureau);
    const conflict = (await score(bidOf.Q, experts.linked, [95, 95])).recordExpertScores.userErrors;
    expect(fieldsAndCodes(conflict)).toEqual([['input.expert', 'CONFLICT']]);
    // Plan 60 %, price 40 %. P: 86 and 86.8 → 86.4. Q: 78 (one eligible expert). R: 78 and 79 → 78.5.
    for (const [bid, expert, scores] of [
      [bidOf.P, experts.independent, [90, 80]],
      [bidOf.P, experts.linked, [88, 85]],
      [bidOf.Q, experts.independent, [80, 75]],
      [bidOf.R, experts.independent, [70, 90]],
      [bidOf.R, experts.linked, [75, 85]],
    ] as const) {
      expect((await score(bid, expert, [...scores])).recordExpertScores.userErrors).toEqual([]);
    }
    const wrong = (await ok<Payload<'awardPurchaseProject', { project: unknown }>>(AWARD, { input: { project, bid: bidOf.R } }, bureau)).awardPurchaseProject;
    expect(fieldsAndCodes(wrong.userErrors)).toEqual([['input.bid', 'INVALID']]);
    const awarded = await done<{ project: { status: string; award: unknown } }>(AWARD, 'awardPurchaseProject', { input: { project, bid: bidOf.P } }, bureau);
    expect(awarded.project).toMatchObject({ status: 'AWARDED', award: { priceFen: yuan(4_600_000), aggregateScore: 86.4, provider: { id: gid('Organization', orgs.P) } } });
  });

  it('the contract is refused for a missing dispute-resolution term, then signed; its service starts', async () => {
    const terms = {
      project,
      subject: '全区困难家庭居家照料护理服务',
      serviceStandard: '每户每周两次上门照料，每次不少于两小时。',
      quantity: 120,
      term: CONTRACT_TERM,
      amountFen: yuan(4_600_000),
      paymentMethod: '按节点分期支付',
      breachLiability: '违约按合同金额10%承担违约金',
      disputeResolution: '提交上海仲裁委员会仲裁',
      areas: [gid('District', world.districts.A)],
      milestones: [
        { name: '签约后首付', dueOn: `${YEAR}-03-01`, amountFen: yuan(2_000_000) },
        { name: '终期评估后', dueOn: CONTRACT_TERM.end, amountFen: yuan(2_600_000) },
      ],
    };
    const { disputeResolution: _omitted, ...lacking } = terms;
    const refused = (await ok<Payload<'signContract', { contract: unknown }>>(SIGN, { input: lacking }, bureau)).signContract;
    expect(refused.contract).toBeNull();
    expect(refused.userErrors).toEqual([{ field: ['input', 'disputeResolution'], code: 'MISSING_CONTRACT_TERM', message: expect.stringContaining('dispute resolution') }]);
    expect(await projectStatus()).toBe('AWARDED');
    // The provider does not sign for the purchaser.
    expect(errorCodes(await hub.run(SIGN, { input: terms }, { viewer: staff.P }))).toEqual(['FORBIDDEN']);

    const signed = await done<{ contract: typeof contract & Record<string, unknown> }>(SIGN, 'signContract', { input: terms }, bureau);
    contract = signed.contract;
    expect(signed.contract).toMatchObject({
      project,
      status: 'ACTIVE',
      amountFen: yuan(4_600_000),
      provider: { id: gid('Organization', orgs.P) },
      areas: [{ district: { id: gid('District', world.districts.A) }, street: null }],
      milestones: [
        { seq: 1, amountFen: yuan(2_000_000) },
        { seq: 2, amountFen: yuan(2_600_000) },
      ],
      resources: [{ cost: 'CONTRACT_FUNDED', capacity: 120, status: 'ACTIVE', category: { code: 'CARE_NURSING' }, provider: { id: gid('Organization', orgs.P) } }],
    });
    expect(await projectStatus()).toBe('CONTRACTED');
    // No service before the takeover plan (临时接管预案): R stands in with its own care resource, serving district B.
    const early = (await ok<Record<string, { userErrors: UserError[] }>>(START_SERVICE, { contract: contract.id }, bureau)).startContractService!;
    expect(early.userErrors).toEqual([expect.objectContaining({ field: ['input', 'contract'], code: 'INVALID_STATE' })]);
    const standInResource = await makeResource(hub.db, orgs.R, care, [{ level: 'DISTRICT', districtId: world.districts.B }]);
    await done(
      SET_PLAN,
      'setTakeoverPlan',
      { input: { contract: contract.id, standInProvider: gid('Organization', orgs.R), standInResources: [gid('Resource', standInResource)], note: '接管方已书面确认' } },
      bureau,
    );
    const started = await done<{ contract: { status: string } }>(START_SERVICE, 'startContractService', { contract: contract.id }, bureau);
    expect(started.contract.status).toBe('ACTIVE');
    expect(await projectStatus()).toBe('IN_PROGRESS');
  });

  it('the contract’s capacity is a candidate for an open need in its area, and matching refers the household to it', async () => {
    const created = await done<{ need: { id: string; status: string } }>(
      CREATE_NEED,
      'createNeed',
      { input: { household: served.id, category: gid('ServiceCategory', care), urgency: 'HIGH', units: 2, earliestStart: TODAY, notes: '老人独居，需上门照料' } },
      caseworker,
    );
    expect(created.need.status).toBe('OPEN');
    need = created.need.id;
    const candidates = await ok<{ node: { status: string; candidates: { freeUnits: number; resource: { id: string; cost: string; provider: { id: string } } }[] } }>(CANDIDATES, { id: need }, bureau);
    expect(candidates.node.candidates).toContainEqual({ freeUnits: 120, resource: { id: contract.resources[0]!.id, cost: 'CONTRACT_FUNDED', provider: { id: gid('Organization', orgs.P) } } });

    const matched = await ok<{ matchNeedNow: { proposed: number; referralIds: string[] } }>(MATCH_NOW, { id: need }, bureau);
    expect(matched.matchNeedNow.proposed).toBe(1);
    referral = matched.matchNeedNow.referralIds[0]!;
    const proposed = await ok<{ node: { status: string; resource: { id: string }; provider: { id: string }; units: number } }>(
      `query($id: ID!) { node(id: $id) { ... on Referral { status units resource { id } provider { id } } } }`,
      { id: referral },
      bureau,
    );
    expect(proposed.node).toEqual({ status: 'PROPOSED', units: 2, resource: { id: contract.resources[0]!.id }, provider: { id: gid('Organization', orgs.P) } });
  });

  it('the provider accepts, serves and completes the referral, rated 5; the purchaser sees the service record', async () => {
    // Another provider cannot answer for P.
    expect(errorCodes(await hub.run(ACCEPT, { input: { id: referral } }, { viewer: staff.R }))).toEqual(['FORBIDDEN']);
    expect((await done<{ referral: { status: string } }>(ACCEPT, 'acceptReferral', { input: { id: referral } }, staff.P)).referral.status).toBe('ACCEPTED');
    expect((await done<{ referral: { status: string } }>(START_REFERRAL, 'startReferralService', { input: { id: referral } }, staff.P)).referral.status).toBe('IN_SERVICE');
    const completed = await done<{ referral: { status: string; satisfaction: number } }>(COMPLETE, 'completeReferral', { input: { id: referral, outcome: '完成八周上门照料，老人生活自理能力改善', satisfaction: 5 } }, staff.P);
    expect(completed.referral).toMatchObject({ status: 'COMPLETED', satisfaction: 5 });

    const records = await ok<{ contractServiceRecords: { totalCount: number; nodes: Record<string, unknown>[] } }>(SERVICE_RECORDS, { c: contract.id }, bureau);
    expect(records.contractServiceRecords.totalCount).toBe(1);
    expect(records.contractServiceRecords.nodes[0]).toMatchObject({ referral, status: 'COMPLETED', satisfaction: 5, category: { code: 'CARE_NURSING' }, provider: { id: gid('Organization', orgs.P) } });
    expect(records.contractServiceRecords.nodes[0]!.householdRef).toEqual(expect.any(String));
  });

  it('milestone payments are capped and approved by finance only, never by the one who asked', async () => {
    const [first, second] = contract.milestones;
    const request = (milestone: string, amountFen: number | null, viewer = bureau) =>
      ok<Payload<'requestMilestonePayment', { payment: { id: string; amountFen: number; status: string } | null }>>(REQUEST_PAYMENT, { input: { milestone, amountFen } }, viewer);
    const over = (await request(first!.id, first!.amountFen + 1)).requestMilestonePayment;
    expect(over.payment).toBeNull();
    expect(fieldsAndCodes(over.userErrors)).toEqual([['input.amountFen', 'OUT_OF_RANGE']]);
    expect(errorCodes(await hub.run(REQUEST_PAYMENT, { input: { milestone: first!.id, amountFen: 1 } }, { viewer: staff.P }))).toEqual(['FORBIDDEN']);

    const asked = (await request(first!.id, null)).requestMilestonePayment;
    expect(asked.payment).toMatchObject({ amountFen: yuan(2_000_000), status: 'PENDING' });
    // Nothing is left of the first milestone while that request is pending.
    expect(fieldsAndCodes((await request(first!.id, 1)).requestMilestonePayment.userErrors)).toEqual([['input.milestone', 'CONFLICT']]);

    const approve = (viewer: Principal) => hub.run<Payload<'approveMilestonePayment', { payment: { status: string; decidedBy: string } | null }>>(APPROVE_PAYMENT, { input: { payment: asked.payment!.id } }, { viewer });
    expect(errorCodes(await approve(bureau))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await approve(staff.P))).toEqual(['FORBIDDEN']);
    const approved = await approve(finance);
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveMilestonePayment.payment).toMatchObject({ status: 'APPROVED', decidedBy: finance.subject });

    // The second milestone cannot take more than what is left of the contract either.
    expect(fieldsAndCodes((await request(second!.id, yuan(2_600_000) + 1)).requestMilestonePayment.userErrors)).toEqual([['input.amountFen', 'OUT_OF_RANGE']]);
    const totals = await ok<{ node: { amountFen: number; paidFen: number; pendingFen: number } }>(`query($id: ID!) { node(id: $id) { ... on PurchaseContract { amountFen paidFen pendingFen } } }`, { id: contract.id }, bureau);
    expect(totals.node).toEqual({ amountFen: yuan(4_600_000), paidFen: yuan(2_000_000), pendingFen: 0 });
  });

  it('the evaluation takes satisfaction from the rating and changes the provider’s quality; the contract completes and the project closes', async () => {
    const qualityBefore = (await ok<{ node: { qualityScore: number | null } }>(QUALITY, { id: gid('Organization', orgs.P) }, PUBLIC_PRINCIPAL)).node.qualityScore;
    expect(qualityBefore).toBeNull();

    const evaluation = await done<{ evaluation: { satisfaction: number; ratingsCount: number; total: number } }>(
      EVALUATE,
      'evaluateContract',
      { input: { contract: contract.id, serviceEffect: 90, management: 85, socialImpact: 80, serviceEffectNote: '照料质量稳定', managementNote: '台账完整', socialImpactNote: '社区反响良好' } },
      bureau,
    );
    // One rating of 5 and four neutral ones below the seeded minimum of five: mean 3.4 → 60.
    // Total 0.4 × 60 + 0.3 × 90 + 0.15 × 85 + 0.15 × 80 = 75.75.
    expect(evaluation.evaluation).toMatchObject({ satisfaction: 60, ratingsCount: 1, total: 75.75 });
    expect(await projectStatus()).toBe('EVALUATED');
    const qualityAfter = (await ok<{ node: { qualityScore: number | null } }>(QUALITY, { id: gid('Organization', orgs.P) }, PUBLIC_PRINCIPAL)).node.qualityScore;
    expect(qualityAfter).toBe(0.7575);

    // The project does not close while its contract is ACTIVE (its capacity would stay in the matching pool).
    const early = (await move('CLOSED', bureau, '项目结项')).data!.movePurchaseProject;
    expect(fieldsAndCodes(early.userErrors)).toEqual([['input.id', 'INVALID_STATE']]);
    const ended = await done<{ contract: { status: string; resources: { status: string }[] } }>(END_CONTRACT, 'endContract', { input: { contract: contract.id, ending: 'COMPLETED', reason: '服务期满，全部完成' } }, bureau);
    expect(ended.contract).toEqual({ id: contract.id, status: 'COMPLETED', resources: [{ status: 'CLOSED' }] });
    expect(errorCodes(await move('CLOSED', staff.P))).toEqual(['FORBIDDEN']);
    expect((await move('CLOSED', bureau, '项目结项')).data!.movePurchaseProject.project!.status).toBe('CLOSED');
    const history = (await ok<{ node: { history: { fromStatus: string | null; toStatus: string }[] } }>(PROJECT_STATUS, { id: project }, bureau)).node.history;
    expect(history.map((h) => h.toStatus)).toEqual(['DRAFT', 'SUBMITTED', 'FINANCE_REVIEW', 'APPROVED', 'PROCUREMENT', 'AWARDED', 'CONTRACTED', 'IN_PROGRESS', 'EVALUATED', 'CLOSED']);

    // Finance follows the project's budget, commitment and payments to the end.
    const view = await ok<{ purchaseFinanceByProject: { nodes: Record<string, unknown>[] } }>(
      `query($year: Int!) { purchaseFinanceByProject(filter: { fiscalYears: [$year] }, first: 10) { nodes { project status budgetFen committedFen paidFen pendingFen } } }`,
      { year: YEAR },
      finance,
    );
    expect(view.purchaseFinanceByProject.nodes).toEqual([{ project, status: 'CLOSED', budgetFen: BUDGET, committedFen: yuan(4_600_000), paidFen: yuan(2_000_000), pendingFen: 0 }]);
  });

  it('the public sees method, award, amount, term and evaluation total, and no personal data anywhere', async () => {
    const result = await hub.run<{
      purchaseProjects: { totalCount: number; nodes: Record<string, unknown>[] };
      contractDisclosures: { totalCount: number; nodes: Record<string, unknown>[] };
      evaluationResults: { totalCount: number; nodes: Record<string, unknown>[] };
    }>(PUBLIC_DISCLOSURE, { district: gid('District', world.districts.A), provider: gid('Organization', orgs.P), year: YEAR }, { viewer: PUBLIC_PRINCIPAL });
    expect(result.errors).toBeUndefined();
    const data = result.data!;

    expect(data.purchaseProjects.totalCount).toBe(1);
    expect(data.purchaseProjects.nodes[0]).toMatchObject({
      id: project,
      status: 'CLOSED',
      method: 'OPEN_TENDER',
      methodJustification: null,
      budgetFen: BUDGET,
      termStart: PROJECT_TERM.start,
      termEnd: PROJECT_TERM.end,
      categories: [{ code: 'CARE_NURSING' }],
      criteria: [{ name: '服务方案', weight: 60 }, { name: '报价', weight: 40 }],
      award: { priceFen: yuan(4_600_000), aggregateScore: 86.4, provider: { id: gid('Organization', orgs.P) } },
      panel: [{ name: '评审专家甲', field: '社会工作' }, { name: '评审专家乙', field: '养老服务' }],
      // Proposals and the internal history are not disclosed.
      bids: [],
      history: null,
    });
    const results = data.purchaseProjects.nodes[0]!.bidResults as { rank: number; aggregateScore: number; expertCount: number; status: string; provider: { id: string } }[];
    expect(results.map((r) => [r.rank, r.provider.id, r.aggregateScore, r.expertCount, r.status])).toEqual([
      [1, gid('Organization', orgs.P), 86.4, 2, 'AWARDED'],
      [2, gid('Organization', orgs.R), 78.5, 2, 'NOT_AWARDED'],
      [3, gid('Organization', orgs.Q), 78, 1, 'NOT_AWARDED'],
    ]);

    expect(data.contractDisclosures.totalCount).toBe(1);
    expect(data.contractDisclosures.nodes[0]).toMatchObject({
      contract: contract.id,
      project,
      amountFen: yuan(4_600_000),
      termStart: CONTRACT_TERM.start,
      termEnd: CONTRACT_TERM.end,
      status: 'COMPLETED',
      paidFen: yuan(2_000_000),
      provider: { id: gid('Organization', orgs.P), qualityScore: 0.7575 },
      areas: [{ district: { id: gid('District', world.districts.A) }, street: null }],
    });

    expect(data.evaluationResults.totalCount).toBe(1);
    expect(data.evaluationResults.nodes[0]).toMatchObject({
      contract: contract.id,
      contractSubject: '全区困难家庭居家照料护理服务',
      provider: { id: gid('Organization', orgs.P) },
      satisfaction: 60,
      ratingsCount: 1,
      total: 75.75,
      // The evaluators' notes are for the provider and civil affairs.
      serviceEffectNote: null,
      managementNote: null,
      socialImpactNote: null,
    });

    // Nothing of the household served, nor of the proposals, links or people behind the steps.
    const text = JSON.stringify(result);
    const secrets = [served.address, served.id, need, referral, ...served.members.flatMap((m) => [m.name, m.idNumber, ...(m.phone ? [m.phone] : [])])];
    expect(served.members.length).toBeGreaterThan(0);
    for (const secret of [...secrets, '投标方案', '近两年为该机构提供督导', '老人独居', '完成八周上门照料', '照料质量稳定', bureau.subject!, finance.subject!]) {
      expect(text).not.toContain(secret);
    }
  });
});
