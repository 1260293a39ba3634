import { count, eq } from 'drizzle-orm';
import { PUBLIC_PRINCIPAL, type Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { fromGlobalId } from '../../src/common/global-id';
import { UserErrorsAbort } from '../../src/modules/common/user-error.type';
import { moveProject } from '../../src/modules/purchasing/purchasing.service';
import { PurchaseProjectStatus } from '../../src/modules/purchasing/purchasing.transitions';
import { auditLog, bids, expertScores, organizations, purchaseProjectEvents, purchaseProjects, serviceCategories } from '../../src/db/schema';
import { startTestHub, type TestHub } from '../support/hub';
import { TEST_DATABASE_URL } from '../support/database';
import { whileHeld } from '../support/race';
import { categoryIds, gid, makePlace, makeProvider, makeStreetOffice, type Place } from '../support/factories';
import { makeContract, makePurchaser } from './oversight.factories';

/**
 * Government purchase of services (§3): projects through finance review, procurement methods under
 * configurable thresholds, bids, expert review with conflicts of interest, award by aggregate, and
 * what the public sees (信息公开).
 */

interface UserError {
  field: string[];
  code: string;
  message: string;
}
interface Project {
  id: string;
  status: string;
  returnReason?: string | null;
  methodJustification?: string | null;
}
type ProjectPayload = { project: Project | null; userErrors: UserError[] };
type BidPayload = { bid: { id: string; status: string } | null; userErrors: UserError[] };

const PROJECT_FIELDS = 'id status returnReason method methodJustification budgetFen';
const CREATE = `mutation($input: CreatePurchaseProjectInput!) { createPurchaseProject(input: $input) { project { ${PROJECT_FIELDS} } userErrors { field code message } } }`;
const UPDATE = `mutation($input: UpdatePurchaseProjectInput!) { updatePurchaseProject(input: $input) { project { ${PROJECT_FIELDS} } userErrors { field code message } } }`;
const MOVE = `mutation($input: MovePurchaseProjectInput!) { movePurchaseProject(input: $input) { project { ${PROJECT_FIELDS} } userErrors { field code message } } }`;
const CRITERIA = `mutation($input: SetScoringCriteriaInput!) { setScoringCriteria(input: $input) { project { id } userErrors { field code message } } }`;
const PANEL = `mutation($input: SetExpertPanelInput!) { setExpertPanel(input: $input) { project { id } userErrors { field code message } } }`;
const EXPERT = `mutation($input: RegisterExpertInput!) { registerExpert(input: $input) { expert { id name } userErrors { field code message } } }`;
const LINK = `mutation($input: DeclareExpertLinkInput!) { declareExpertLink(input: $input) { expert { id links { kind organization { id } } } userErrors { field code message } } }`;
const BID = `mutation($input: SubmitBidInput!) { submitBid(input: $input) { bid { id status } userErrors { field code message } } }`;
const WITHDRAW = `mutation($input: WithdrawBidInput!) { withdrawBid(input: $input) { bid { id status } userErrors { field code message } } }`;
const SCORE = `mutation($input: RecordExpertScoresInput!) { recordExpertScores(input: $input) { bid { id } userErrors { field code message } } }`;
const AWARD = `mutation($input: AwardPurchaseProjectInput!) { awardPurchaseProject(input: $input) { project { id status } userErrors { field code message } } }`;
const THRESHOLD = `mutation($input: SetProcurementThresholdInput!) { setProcurementThreshold(input: $input) { threshold { minBudgetFen allowedMethods } userErrors { field code message } } }`;
const HISTORY = `query($id: ID!) { node(id: $id) { ... on PurchaseProject { status returnReason history { fromStatus toStatus actor reason } } } }`;
const PUBLIC_LIST = `query($filter: PurchaseProjectFilter, $first: Int) {
  purchaseProjects(filter: $filter, first: $first) {
    totalCount
    nodes {
      id title status method methodJustification budgetFen termStart termEnd fiscalYear
      purchaser { name } district { id } categories { code }
      criteria { name weight }
      award { priceFen aggregateScore provider { name } }
      bidResults { rank aggregateScore expertCount priceFen status provider { name } }
      panel { name field }
      bids { id proposal }
      history { toStatus }
    }
  }
}`;

const yuan = (n: number) => n * 100;
const principal = (subject: string, role: Role, scope: Partial<Principal> = {}): Principal => ({ subject, organizationId: null, staffMemberId: null, districtIds: [], streetIds: [], ...scope, roles: [role] });
const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.map((e) => e.extensions?.code);

describe('government purchase of services: procurement', () => {
  let hub: TestHub;
  let place: Place;
  let office: number;
  let category: { a: number; b: number; retired: number };
  let street: Principal;
  let otherStreet: Principal;
  let district: Principal;
  let finance: Principal;
  const providers: Record<'A' | 'B' | 'C' | 'suspended' | 'banned' | 'banEnded', number> = {} as never;
  const providerViewer = (key: keyof typeof providers): Principal => principal(`provider-${key}`, Role.PROVIDER_STAFF, { organizationId: providers[key] });

  async function run<T>(query: string, variables: Record<string, unknown>, viewer: Principal): Promise<T> {
    const result = await hub.run<T>(query, variables, { viewer });
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  function projectInput(overrides: Record<string, unknown> = {}) {
    return {
      purchaser: gid('Organization', office),
      title: '困难家庭个案评估与照料服务',
      needsStudy: '街道排查发现独居困难老人照料需求增加。',
      serviceStandard: '每户每周两次上门照料，每次不少于两小时。',
      quantity: 120,
      budgetFen: yuan(300_000),
      fiscalYear: 2026,
      termStart: '2026-03-01',
      termEnd: '2026-12-31',
      categories: [gid('ServiceCategory', category.a), gid('ServiceCategory', category.b)],
      method: 'COMPETITIVE_CONSULTATION',
      ...overrides,
    };
  }

  async function create(overrides: Record<string, unknown> = {}, viewer = street): Promise<ProjectPayload> {
    return (await run<{ createPurchaseProject: ProjectPayload }>(CREATE, { input: projectInput(overrides) }, viewer)).createPurchaseProject;
  }

  async function move(id: string, to: string, viewer: Principal, reason?: string): Promise<ProjectPayload> {
    return (await run<{ movePurchaseProject: ProjectPayload }>(MOVE, { input: { id, to, reason } }, viewer)).movePurchaseProject;
  }

  async function approved(overrides: Record<string, unknown> = {}): Promise<string> {
    const { project } = await create(overrides);
    for (const [to, viewer] of [['SUBMITTED', street], ['FINANCE_REVIEW', finance], ['APPROVED', finance]] as const) {
      expect((await move(project!.id, to, viewer)).userErrors).toEqual([]);
    }
    return project!.id;
  }

  async function inProcurement(overrides: Record<string, unknown> = {}): Promise<string> {
    const id = await approved(overrides);
    const criteria = [
      { name: '服务方案', description: 'Service plan', weight: 60 },
      { name: '报价', weight: 40 },
    ];
    expect((await run<{ setScoringCriteria: ProjectPayload }>(CRITERIA, { input: { project: id, criteria } }, street)).setScoringCriteria.userErrors).toEqual([]);
    expect((await move(id, 'PROCUREMENT', street)).userErrors).toEqual([]);
    return id;
  }

  async function bid(project: string, provider: keyof typeof providers, priceFen: number, proposal = `方案 of ${provider}`): Promise<BidPayload> {
    return (await run<{ submitBid: BidPayload }>(BID, { input: { project, priceFen, proposal } }, providerViewer(provider))).submitBid;
  }

  async function expert(name: string): Promise<string> {
    return (await run<{ registerExpert: { expert: { id: string } } }>(EXPERT, { input: { name, field: '社会工作' } }, street)).registerExpert.expert.id;
  }

  async function score(bidId: string, expertId: string, scores: number[]): Promise<UserError[]> {
    return (await run<{ recordExpertScores: BidPayload }>(SCORE, { input: { bid: bidId, expert: expertId, scores } }, street)).recordExpertScores.userErrors;
  }

  beforeAll(async () => {
    hub = await startTestHub();
    place = await makePlace(hub.db);
    const elsewhere = await makePlace(hub.db);
    office = await makeStreetOffice(hub.db, place);
    const ids = Object.values(await categoryIds(hub.db));
    const [retired] = await hub.db.insert(serviceCategories).values({ code: 'RETIRED_PURCHASE_ITEM', group: 'DIRECT_SERVICE', nameZh: '停用项目', nameEn: 'Retired item', retiredAt: new Date() }).returning();
    category = { a: ids[0]!, b: ids[1]!, retired: retired!.id };
    street = principal('street-officer', Role.STREET_OFFICER, { organizationId: office, streetIds: [place.streetId] });
    otherStreet = principal('other-street-officer', Role.STREET_OFFICER, { streetIds: [elsewhere.streetId] });
    district = principal('district-officer', Role.DISTRICT_CIVIL_AFFAIRS, { districtIds: [place.districtId] });
    finance = principal('finance-officer', Role.FINANCE_OFFICER);
    providers.A = await makeProvider(hub.db);
    providers.B = await makeProvider(hub.db);
    providers.C = await makeProvider(hub.db);
    providers.suspended = await makeProvider(hub.db, { status: 'SUSPENDED' });
    providers.banned = await makeProvider(hub.db, { status: 'BANNED', bannedUntil: '2999-12-31' });
    providers.banEnded = await makeProvider(hub.db, { status: 'BANNED', bannedUntil: '2001-01-01' });
  });

  afterAll(() => hub.close());

  describe('creating and editing projects', () => {
    it('refuses bad input naming every field at fault, and writes nothing', async () => {
      const [before] = await hub.db.select({ n: count() }).from(purchaseProjects);
      const { project, userErrors } = await create({
        purchaser: gid('Organization', providers.A),
        title: '  ',
        budgetFen: 0,
        quantity: 0,
        termStart: '2026-06-01',
        termEnd: '2026-05-31',
        categories: [gid('ServiceCategory', category.retired), gid('ServiceCategory', 999_999)],
      });
      expect(project).toBeNull();
      expect(userErrors.map((e) => [e.field.join('.'), e.code])).toEqual(
        expect.arrayContaining([
          ['input.purchaser', 'INVALID'],
          ['input.title', 'REQUIRED'],
          ['input.quantity', 'OUT_OF_RANGE'],
          ['input.budgetFen', 'OUT_OF_RANGE'],
          ['input.termEnd', 'OUT_OF_RANGE'],
          ['input.categories.0', 'INACTIVE'],
          ['input.categories.1', 'NOT_FOUND'],
        ]),
      );
      const [after] = await hub.db.select({ n: count() }).from(purchaseProjects);
      expect(after!.n).toBe(before!.n);
    });

    it('creates a draft for the street office, recorded in the history and the audit log', async () => {
      const { project, userErrors } = await create();
      expect(userErrors).toEqual([]);
      expect(project!.status).toBe('DRAFT');
      const history = await run<{ node: { history: { toStatus: string; actor: string }[] } }>(HISTORY, { id: project!.id }, street);
      expect(history.node.history).toEqual([{ fromStatus: null, toStatus: 'DRAFT', actor: 'street-officer', reason: null }]);
      const audits = await hub.db.select().from(auditLog).where(eq(auditLog.entityType, 'PurchaseProject'));
      expect(audits.some((a) => a.action === 'CREATE')).toBe(true);
    });

    it('lets only purchasers in scope create and edit: another street is FORBIDDEN, the public UNAUTHENTICATED', async () => {
      expect(codes(await hub.run(CREATE, { input: projectInput() }, { viewer: otherStreet }))).toEqual(['FORBIDDEN']);
      expect(codes(await hub.run(CREATE, { input: projectInput() }, { viewer: PUBLIC_PRINCIPAL }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await hub.run(CREATE, { input: projectInput() }, { viewer: finance }))).toEqual(['FORBIDDEN']);
      const { project } = await create({}, district);
      expect(project!.status).toBe('DRAFT');
      expect(codes(await hub.run(UPDATE, { input: { id: project!.id, title: '改' } }, { viewer: otherStreet }))).toEqual(['FORBIDDEN']);
    });
  });

  describe('lifecycle', () => {
    it('goes through finance review, is returned with a reason, edited, resubmitted and approved, every step recorded', async () => {
      const { project } = await create();
      const id = project!.id;
      await move(id, 'SUBMITTED', street);
      await move(id, 'FINANCE_REVIEW', finance);
      const noReason = await move(id, 'RETURNED', finance);
      expect(noReason.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.reason', 'REQUIRED']]);
      const returned = await move(id, 'RETURNED', finance, '预算测算依据不足');
      expect(returned.project).toMatchObject({ status: 'RETURNED', returnReason: '预算测算依据不足' });
      const edited = (await run<{ updatePurchaseProject: ProjectPayload }>(UPDATE, { input: { id, budgetFen: yuan(280_000) } }, street)).updatePurchaseProject;
      expect(edited.userErrors).toEqual([]);
      await move(id, 'SUBMITTED', street);
      await move(id, 'FINANCE_REVIEW', finance);
      expect((await move(id, 'APPROVED', finance)).project!.status).toBe('APPROVED');

      const history = (await run<{ node: { history: { fromStatus: string | null; toStatus: string; actor: string; reason: string | null }[] } }>(HISTORY, { id }, district)).node.history;
      expect(history.map((h) => `${h.fromStatus ?? '-'}>${h.toStatus} ${h.actor}`)).toEqual([
        '->DRAFT street-officer',
        'DRAFT>SUBMITTED street-officer',
        'SUBMITTED>FINANCE_REVIEW finance-officer',
        'FINANCE_REVIEW>RETURNED finance-officer',
        'RETURNED>SUBMITTED street-officer',
        'SUBMITTED>FINANCE_REVIEW finance-officer',
        'FINANCE_REVIEW>APPROVED finance-officer',
      ]);
      expect(history[3]!.reason).toBe('预算测算依据不足');
      // Approved projects are no longer edited.
      const late = (await run<{ updatePurchaseProject: ProjectPayload }>(UPDATE, { input: { id, title: '改' } }, street)).updatePurchaseProject;
      expect(late.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.id', 'INVALID_STATE']]);
    });

    it('refuses moves outside the table with INVALID_STATE naming the field, and writes no event', async () => {
      const { project } = await create();
      const [before] = await hub.db.select({ n: count() }).from(purchaseProjectEvents);
      for (const to of ['APPROVED', 'PROCUREMENT', 'AWARDED', 'CLOSED']) {
        const { userErrors } = await move(project!.id, to, street);
        expect(userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.to', 'INVALID_STATE']]);
      }
      const [after] = await hub.db.select({ n: count() }).from(purchaseProjectEvents);
      expect(after!.n).toBe(before!.n);
    });

    it('keeps the finance steps to finance and the purchaser steps to the purchaser', async () => {
      const { project } = await create();
      expect(codes(await hub.run(MOVE, { input: { id: project!.id, to: 'SUBMITTED' } }, { viewer: finance }))).toEqual(['FORBIDDEN']);
      await move(project!.id, 'SUBMITTED', street);
      expect(codes(await hub.run(MOVE, { input: { id: project!.id, to: 'FINANCE_REVIEW' } }, { viewer: street }))).toEqual(['FORBIDDEN']);
      expect(codes(await hub.run(MOVE, { input: { id: project!.id, to: 'FINANCE_REVIEW' } }, { viewer: district }))).toEqual(['FORBIDDEN']);
      await move(project!.id, 'FINANCE_REVIEW', finance);
      expect(codes(await hub.run(MOVE, { input: { id: project!.id, to: 'APPROVED' } }, { viewer: street }))).toEqual(['FORBIDDEN']);
      expect(codes(await hub.run(MOVE, { input: { id: project!.id, to: 'RETURNED', reason: 'x' } }, { viewer: district }))).toEqual(['FORBIDDEN']);
    });

    it('needs published criteria summing to 100 before procurement starts', async () => {
      const id = await approved();
      const none = await move(id, 'PROCUREMENT', street);
      expect(none.userErrors.map((e) => e.code)).toEqual(['INVALID_STATE']);
      const bad = (await run<{ setScoringCriteria: ProjectPayload }>(CRITERIA, { input: { project: id, criteria: [{ name: '方案', weight: 60 }, { name: '报价', weight: 30 }] } }, street)).setScoringCriteria;
      expect(bad.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.criteria', 'OUT_OF_RANGE']]);
      expect(bad.userErrors[0]!.message).toContain('90');
    });
  });

  describe('procurement method thresholds', () => {
    it('refuses a method the budget does not allow, naming the field and stating the threshold', async () => {
      const { project, userErrors } = await create({ budgetFen: yuan(5_000_000), method: 'COMPETITIVE_NEGOTIATION' });
      expect(project).toBeNull();
      expect(userErrors).toHaveLength(1);
      expect(userErrors[0]).toMatchObject({ field: ['input', 'method'], code: 'OUT_OF_RANGE' });
      expect(userErrors[0]!.message).toContain('4,000,000 yuan');
      expect(userErrors[0]!.message).toContain('OPEN_TENDER');
    });

    it('accepts it with a recorded justification, which the public sees once approved', async () => {
      const justification = '服务对象高度集中于本街道，仅少数机构具备资质，经论证采用竞争性谈判';
      const id = await approved({ budgetFen: yuan(5_000_000), method: 'COMPETITIVE_NEGOTIATION', methodJustification: justification });
      const list = await run<{ purchaseProjects: { nodes: { id: string; method: string; methodJustification: string }[] } }>(PUBLIC_LIST, { first: 100 }, PUBLIC_PRINCIPAL);
      expect(list.purchaseProjects.nodes.find((n) => n.id === id)).toMatchObject({ method: 'COMPETITIVE_NEGOTIATION', methodJustification: justification });
    });

    it('always needs a justification for single source, and checks again on submission', async () => {
      const refused = await create({ method: 'SINGLE_SOURCE' });
      expect(refused.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.method', 'OUT_OF_RANGE']]);
      const noMethod = await create({ method: null });
      const submit = await move(noMethod.project!.id, 'SUBMITTED', street);
      expect(submit.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.method', 'REQUIRED']]);
      const removed = (await run<{ updatePurchaseProject: ProjectPayload }>(UPDATE, { input: { id: noMethod.project!.id, method: 'SINGLE_SOURCE' } }, street)).updatePurchaseProject;
      expect(removed.userErrors[0]!.field).toEqual(['input', 'method']);
    });

    it('takes thresholds from data: the city adds one and the next project is held to it; others may not', async () => {
      expect(codes(await hub.run(THRESHOLD, { input: { minBudgetFen: yuan(1_000_000), allowedMethods: ['OPEN_TENDER'], source: 'x' } }, { viewer: street }))).toEqual(['FORBIDDEN']);
      const set = await run<{ setProcurementThreshold: { threshold: { minBudgetFen: number } } }>(THRESHOLD, { input: { minBudgetFen: yuan(1_000_000), allowedMethods: ['OPEN_TENDER', 'INVITED_TENDER'], source: 'Test: district rule' } }, principal('city', Role.CITY_CIVIL_AFFAIRS));
      expect(set.setProcurementThreshold.threshold.minBudgetFen).toBe(yuan(1_000_000));
      const { userErrors } = await create({ budgetFen: yuan(2_000_000), method: 'COMPETITIVE_CONSULTATION' });
      expect(userErrors[0]).toMatchObject({ field: ['input', 'method'], code: 'OUT_OF_RANGE' });
      expect(userErrors[0]!.message).toContain('1,000,000 yuan');
      const list = await run<{ procurementThresholds: { minBudgetFen: number; allowedMethods: string[] }[] }>('{ procurementThresholds { minBudgetFen allowedMethods } }', {}, PUBLIC_PRINCIPAL);
      expect(list.procurementThresholds.map((t) => t.minBudgetFen)).toEqual([0, yuan(1_000_000), yuan(4_000_000)]);
    });
  });

  describe('bids', () => {
    let project: string;
    beforeAll(async () => {
      project = await inProcurement();
    });

    it('refuses suspended providers and providers banned until today or later; an ended ban no longer stops one', async () => {
      for (const key of ['suspended', 'banned'] as const) {
        const { bid: row, userErrors } = await bid(project, key, yuan(200_000));
        expect(row).toBeNull();
        expect(userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.project', 'INACTIVE']]);
      }
      expect((await bid(project, 'banEnded', yuan(200_000))).bid!.status).toBe('SUBMITTED');
      const stored = await hub.db.select({ providerId: bids.providerId }).from(bids).where(eq(bids.projectId, rowId(project)));
      expect(stored.map((r) => r.providerId)).toEqual([providers.banEnded]);
    });

    it('takes bids only in procurement, not above the budget, once per provider, and only for the viewer’s own organization', async () => {
      const draft = (await create()).project!.id;
      expect((await bid(draft, 'A', yuan(100_000))).userErrors.map((e) => e.code)).toEqual(['INVALID_STATE']);
      expect((await bid(project, 'A', yuan(400_000))).userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.priceFen', 'OUT_OF_RANGE']]);
      expect((await bid(project, 'A', yuan(250_000))).userErrors).toEqual([]);
      expect((await bid(project, 'A', yuan(240_000))).userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
      expect(codes(await hub.run(BID, { input: { project, priceFen: 1, proposal: 'x' } }, { viewer: street }))).toEqual(['FORBIDDEN']);
      expect(codes(await hub.run(BID, { input: { project, priceFen: 1, proposal: 'x' } }, { viewer: principal('community', Role.COMMUNITY_ORGANIZATION, { organizationId: providers.A }) }))).toEqual(['FORBIDDEN']);
    });

    it('lets a provider withdraw its own bid and bid again; another provider’s bid is not found', async () => {
      const first = await bid(project, 'B', yuan(260_000));
      const byOther = (await run<{ withdrawBid: BidPayload }>(WITHDRAW, { input: { id: first.bid!.id } }, providerViewer('C'))).withdrawBid;
      expect(byOther.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
      const withdrawn = (await run<{ withdrawBid: BidPayload }>(WITHDRAW, { input: { id: first.bid!.id } }, providerViewer('B'))).withdrawBid;
      expect(withdrawn.bid!.status).toBe('WITHDRAWN');
      const again = await bid(project, 'B', yuan(255_000));
      expect(again.bid).toEqual({ id: first.bid!.id, status: 'SUBMITTED' });
    });
  });

  describe('expert review and award', () => {
    let project: string;
    let bidOf: Record<'A' | 'B' | 'C', string>;
    let e1: string;
    let e2: string;

    beforeAll(async () => {
      project = await inProcurement({ title: '社会救助对象心理疏导服务', budgetFen: yuan(450_000) });
      bidOf = {
        A: (await bid(project, 'A', yuan(400_000), '甲方案：心理咨询师驻点')).bid!.id,
        B: (await bid(project, 'B', yuan(420_000), '乙方案：个案加小组')).bid!.id,
        C: (await bid(project, 'C', yuan(380_000), '丙方案：热线加上门')).bid!.id,
      };
      e1 = await expert('评审专家甲');
      e2 = await expert('评审专家乙');
      const link = (await run<{ declareExpertLink: { userErrors: UserError[] } }>(LINK, { input: { expert: e2, organization: gid('Organization', providers.C), kind: 'RECENT_WORK', reason: '去年为该机构督导项目' } }, street)).declareExpertLink;
      expect(link.userErrors).toEqual([]);
      expect((await run<{ setExpertPanel: ProjectPayload }>(PANEL, { input: { project, experts: [e1, e2] } }, street)).setExpertPanel.userErrors).toEqual([]);
    });

    it('refuses a sheet from an expert linked to the bidder, and incomplete or out-of-range sheets', async () => {
      const conflict = await score(bidOf.C, e2, [90, 90]);
      expect(conflict).toHaveLength(1);
      expect(conflict[0]).toMatchObject({ field: ['input', 'expert'], code: 'CONFLICT' });
      expect(await score(bidOf.A, e1, [80])).toEqual([expect.objectContaining({ field: ['input', 'scores'], code: 'INVALID' })]);
      expect(await score(bidOf.A, e1, [80, 101])).toEqual([expect.objectContaining({ field: ['input', 'scores', '1'], code: 'OUT_OF_RANGE' })]);
      const outsider = await expert('不在评审组的专家');
      expect(await score(bidOf.A, outsider, [80, 80])).toEqual([expect.objectContaining({ field: ['input', 'expert'], code: 'INVALID' })]);
    });

    it('refuses the award until every eligible expert has scored every live bid', async () => {
      expect(await score(bidOf.A, e1, [80, 70])).toEqual([]);
      const early = (await run<{ awardPurchaseProject: ProjectPayload }>(AWARD, { input: { project, bid: bidOf.A } }, street)).awardPurchaseProject;
      expect(early.project).toBeNull();
      expect(early.userErrors.map((e) => e.code)).toContain('INVALID_STATE');
    });

    it('awards by the weighted average of the experts, refusing any other bid', async () => {
      // Plan 60 %, price 40 %. A: e1 76, e2 78 → 77. B: e1 87, e2 74 → 80.5. C: e1 77 only (e2 is linked) → 77.
      expect(await score(bidOf.A, e2, [90, 60])).toEqual([]);
      expect(await score(bidOf.B, e1, [85, 90])).toEqual([]);
      expect(await score(bidOf.B, e2, [70, 80])).toEqual([]);
      expect(await score(bidOf.C, e1, [75, 80])).toEqual([]);
      // Scoring has begun: the panel is fixed.
      expect((await run<{ setExpertPanel: ProjectPayload }>(PANEL, { input: { project, experts: [e1] } }, street)).setExpertPanel.userErrors.map((e) => e.code)).toEqual(['INVALID_STATE']);

      const during = await run<{ node: { bidResults: { rank: number; aggregateScore: number; expertCount: number }[] } }>(`query($id: ID!) { node(id: $id) { ... on PurchaseProject { bidResults { rank aggregateScore expertCount } } } }`, { id: project }, street);
      expect(during.node.bidResults).toEqual([
        { rank: 1, aggregateScore: 80.5, expertCount: 2 },
        { rank: 2, aggregateScore: 77, expertCount: 1 },
        { rank: 3, aggregateScore: 77, expertCount: 2 },
      ]);

      const wrong = (await run<{ awardPurchaseProject: ProjectPayload }>(AWARD, { input: { project, bid: bidOf.A } }, street)).awardPurchaseProject;
      expect(wrong.userErrors).toEqual([expect.objectContaining({ field: ['input', 'bid'], code: 'INVALID' })]);
      expect(wrong.userErrors[0]!.message).toContain('80.5');
      expect(codes(await hub.run(AWARD, { input: { project, bid: bidOf.B } }, { viewer: otherStreet }))).toEqual(['FORBIDDEN']);

      const award = (await run<{ awardPurchaseProject: ProjectPayload }>(AWARD, { input: { project, bid: bidOf.B } }, street)).awardPurchaseProject;
      expect(award.userErrors).toEqual([]);
      expect(award.project!.status).toBe('AWARDED');
      const rows = await hub.db.select({ providerId: bids.providerId, status: bids.status }).from(bids).where(eq(bids.projectId, rowId(project)));
      expect(Object.fromEntries(rows.map((r) => [r.providerId, r.status]))).toEqual({ [providers.A]: 'NOT_AWARDED', [providers.B]: 'AWARDED', [providers.C]: 'NOT_AWARDED' });
      const [stored] = await hub.db.select().from(purchaseProjects).where(eq(purchaseProjects.id, rowId(project)));
      expect(stored!.awardedBidId).toBe(rowId(bidOf.B));
    });

    it('shows a provider only its own bids; the purchaser all of them; the public none', async () => {
      const query = `query($id: ID!) { bids(project: $id, first: 10) { nodes { id provider { id } } } node(id: $id) { ... on PurchaseProject { bids { id } } } }`;
      const asA = await run<{ bids: { nodes: { id: string }[] }; node: { bids: { id: string }[] } }>(query, { id: project }, providerViewer('A'));
      expect(asA.bids.nodes.map((n) => n.id)).toEqual([bidOf.A]);
      expect(asA.node.bids.map((n) => n.id)).toEqual([bidOf.A]);
      const other = await run<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: bidOf.B }, providerViewer('A'));
      expect(other.node).toBeNull();
      const asPurchaser = await run<{ bids: { nodes: { id: string }[] } }>(query, { id: project }, street);
      expect(asPurchaser.bids.nodes.map((n) => n.id).sort()).toEqual(Object.values(bidOf).sort());
      const asOtherStreet = await run<{ bids: { nodes: { id: string }[] } }>(query, { id: project }, otherStreet);
      expect(asOtherStreet.bids.nodes).toEqual([]);
      const asPublic = await run<{ bids: { nodes: { id: string }[] }; node: { bids: unknown[] } }>(query, { id: project }, PUBLIC_PRINCIPAL);
      expect(asPublic.bids.nodes).toEqual([]);
      expect(asPublic.node.bids).toEqual([]);
    });

    it('discloses to the public the award, the aggregate per bid and the panel, but no proposals, history or drafts', async () => {
      const result = await hub.run<{ purchaseProjects: { nodes: Record<string, unknown>[] } }>(PUBLIC_LIST, { filter: { districts: [gid('District', place.districtId)], fiscalYears: [2026] }, first: 100 }, { viewer: PUBLIC_PRINCIPAL });
      expect(result.errors).toBeUndefined();
      const nodes = result.data!.purchaseProjects.nodes;
      expect(nodes.every((n) => n.status !== 'DRAFT' && n.status !== 'SUBMITTED' && n.status !== 'FINANCE_REVIEW' && n.status !== 'RETURNED')).toBe(true);
      const awarded = nodes.find((n) => n.id === project)!;
      const [providerB] = await hub.db.select({ name: organizations.nameZh }).from(organizations).where(eq(organizations.id, providers.B));
      expect(awarded).toMatchObject({
        title: '社会救助对象心理疏导服务',
        status: 'AWARDED',
        method: 'COMPETITIVE_CONSULTATION',
        budgetFen: yuan(450_000),
        termStart: '2026-03-01',
        termEnd: '2026-12-31',
        purchaser: { name: expect.any(String) },
        criteria: [{ name: '服务方案', weight: 60 }, { name: '报价', weight: 40 }],
        award: { priceFen: yuan(420_000), aggregateScore: 80.5, provider: { name: providerB!.name } },
        panel: [{ name: '评审专家甲', field: '社会工作' }, { name: '评审专家乙', field: '社会工作' }],
        bids: [],
        history: null,
      });
      expect((awarded.bidResults as { rank: number; status: string }[]).map((r) => [r.rank, r.status])).toEqual([[1, 'AWARDED'], [2, 'NOT_AWARDED'], [3, 'NOT_AWARDED']]);
      expect((awarded.categories as unknown[]).length).toBe(2);
      const text = JSON.stringify(result.data);
      for (const secret of ['甲方案', '乙方案', '丙方案', '去年为该机构督导项目', 'street-officer']) expect(text).not.toContain(secret);
      // Before the award neither the panel nor the results are public.
      const open = nodes.find((n) => n.status === 'PROCUREMENT')!;
      expect(open).toMatchObject({ panel: null, bidResults: null, award: null });
      const experts = await hub.run(`{ procurementExperts(first: 5) { nodes { id } } }`, {}, { viewer: PUBLIC_PRINCIPAL });
      expect(codes(experts)).toEqual(['FORBIDDEN']);
    });

    it('leaves out of the ranking the sheet of an expert linked to the bidder after scoring, in the award and the public results', async () => {
      const id = await inProcurement({ title: '事后申报关联的评审项目' });
      const offerA = (await bid(id, 'A', yuan(200_000))).bid!.id;
      const offerB = (await bid(id, 'B', yuan(210_000))).bid!.id;
      const [fair, partial] = [await expert('公正专家'), await expert('事后关联专家')];
      expect((await run<{ setExpertPanel: ProjectPayload }>(PANEL, { input: { project: id, experts: [fair, partial] } }, street)).setExpertPanel.userErrors).toEqual([]);
      expect(await score(offerA, fair, [70, 70])).toEqual([]);
      expect(await score(offerB, fair, [75, 75])).toEqual([]);
      expect(await score(offerA, partial, [100, 100])).toEqual([]);
      expect(await score(offerB, partial, [70, 70])).toEqual([]);
      // Counting the partial sheet, A would win with (70 + 100) / 2 = 85 against B's 72.5.
      const link = (await run<{ declareExpertLink: { userErrors: UserError[] } }>(LINK, { input: { expert: partial, organization: gid('Organization', providers.A), kind: 'EMPLOYMENT', reason: '评审后发现受雇于该机构' } }, street)).declareExpertLink;
      expect(link.userErrors).toEqual([]);
      const refused = (await run<{ awardPurchaseProject: ProjectPayload }>(AWARD, { input: { project: id, bid: offerA } }, street)).awardPurchaseProject;
      expect(refused.userErrors).toEqual([expect.objectContaining({ field: ['input', 'bid'], code: 'INVALID' })]);
      expect(refused.userErrors[0]!.message).toContain('72.5');
      expect((await run<{ awardPurchaseProject: ProjectPayload }>(AWARD, { input: { project: id, bid: offerB } }, street)).awardPurchaseProject.userErrors).toEqual([]);
      const results = await run<{ node: { bidResults: { rank: number; aggregateScore: number; expertCount: number; priceFen: number }[] } }>(
        `query($id: ID!) { node(id: $id) { ... on PurchaseProject { bidResults { rank aggregateScore expertCount priceFen } } } }`,
        { id },
        PUBLIC_PRINCIPAL,
      );
      expect(results.node.bidResults).toEqual([
        { rank: 1, aggregateScore: 72.5, expertCount: 2, priceFen: yuan(210_000) },
        { rank: 2, aggregateScore: 70, expertCount: 1, priceFen: yuan(200_000) },
      ]);
    });

    it('scores a withdrawn and re-submitted bid afresh: the sheets of its withdrawn version are gone', async () => {
      const id = await inProcurement({ title: '撤回后重新投标的项目' });
      const offer = (await bid(id, 'A', yuan(200_000), '旧方案')).bid!.id;
      const panelist = await expert('重新评审专家');
      expect((await run<{ setExpertPanel: ProjectPayload }>(PANEL, { input: { project: id, experts: [panelist] } }, street)).setExpertPanel.userErrors).toEqual([]);
      expect(await score(offer, panelist, [95, 95])).toEqual([]);
      expect((await run<{ withdrawBid: BidPayload }>(WITHDRAW, { input: { id: offer } }, providerViewer('A'))).withdrawBid.userErrors).toEqual([]);
      expect(await hub.db.select().from(expertScores).where(eq(expertScores.bidId, rowId(offer)))).toEqual([]);
      expect((await bid(id, 'A', yuan(150_000), '新方案')).bid).toEqual({ id: offer, status: 'SUBMITTED' });
      const unscored = (await run<{ awardPurchaseProject: ProjectPayload }>(AWARD, { input: { project: id, bid: offer } }, street)).awardPurchaseProject;
      expect(unscored.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.project', 'INVALID_STATE']]);
      expect(await score(offer, panelist, [60, 80])).toEqual([]);
      expect((await run<{ awardPurchaseProject: ProjectPayload }>(AWARD, { input: { project: id, bid: offer } }, street)).awardPurchaseProject.userErrors).toEqual([]);
    });

    it('keeps a project’s return reason and the experts’ affiliations to purchasing officials', async () => {
      const id = await inProcurement({ title: '曾被退回的项目' });
      await hub.db.update(purchaseProjects).set({ returnReason: '预算测算依据内部意见' }).where(eq(purchaseProjects.id, rowId(id)));
      const offer = (await bid(id, 'A', yuan(200_000))).bid!.id;
      const affiliated = (await run<{ registerExpert: { expert: { id: string } } }>(EXPERT, { input: { name: '有工作单位的专家', field: '社会工作', affiliation: gid('Organization', providers.C) } }, street)).registerExpert.expert.id;
      await run(PANEL, { input: { project: id, experts: [affiliated] } }, street);
      expect(await score(offer, affiliated, [80, 80])).toEqual([]);
      expect((await run<{ awardPurchaseProject: ProjectPayload }>(AWARD, { input: { project: id, bid: offer } }, street)).awardPurchaseProject.userErrors).toEqual([]);
      const query = `query($id: ID!) { node(id: $id) { ... on PurchaseProject { returnReason panel { affiliation { id } } } } }`;
      for (const viewer of [PUBLIC_PRINCIPAL, providerViewer('A')]) {
        expect((await run<{ node: unknown }>(query, { id }, viewer)).node).toEqual({ returnReason: null, panel: [{ affiliation: null }] });
      }
      // Another purchaser reads the expert pool, but not this project's internals.
      expect((await run<{ node: unknown }>(query, { id }, otherStreet)).node).toEqual({ returnReason: null, panel: [{ affiliation: { id: gid('Organization', providers.C) } }] });
      for (const viewer of [street, finance]) {
        expect((await run<{ node: unknown }>(query, { id }, viewer)).node).toEqual({ returnReason: '预算测算依据内部意见', panel: [{ affiliation: { id: gid('Organization', providers.C) } }] });
      }
    });

    // Embedded PGlite runs one transaction at a time: only a PostgreSQL server interleaves them.
    (TEST_DATABASE_URL ? it : it.skip)('the award waits for a ban of the leading bidder in flight and passes over it (needs a PostgreSQL server: set TEST_DATABASE_URL)', async () => {
      const leading = await makeProvider(hub.db);
      const id = await inProcurement({ title: '禁入与授标竞争的项目' });
      const offerA = (await bid(id, 'A', yuan(200_000))).bid!.id;
      const offerLeading = (await run<{ submitBid: BidPayload }>(BID, { input: { project: id, priceFen: yuan(210_000), proposal: '领先方案' } }, principal('leading', Role.PROVIDER_STAFF, { organizationId: leading }))).submitBid.bid!.id;
      const panelist = await expert('竞争评审专家');
      expect((await run<{ setExpertPanel: ProjectPayload }>(PANEL, { input: { project: id, experts: [panelist] } }, street)).setExpertPanel.userErrors).toEqual([]);
      expect(await score(offerA, panelist, [70, 70])).toEqual([]);
      expect(await score(offerLeading, panelist, [90, 90])).toEqual([]);
      const award = await whileHeld(
        hub.db,
        (tx) => tx.update(organizations).set({ providerStatus: 'BANNED', bannedUntil: '2999-12-31' }).where(eq(organizations.id, leading)),
        () => run<{ awardPurchaseProject: ProjectPayload }>(AWARD, { input: { project: id, bid: offerA } }, street),
      );
      expect(award.awardPurchaseProject.userErrors).toEqual([]);
      const [stored] = await hub.db.select().from(purchaseProjects).where(eq(purchaseProjects.id, rowId(id)));
      expect(stored!.awardedBidId).toBe(rowId(offerA));
    });

    it('lets the contracts and oversight modules move the project along their steps only, through moveProject', async () => {
      const actor = { viewer: principal('contracts-module', Role.CITY_CIVIL_AFFAIRS), requestId: 'test', purpose: undefined };
      const id = rowId(project);
      const viaGraphql = await move(project, 'CONTRACTED', street);
      expect(viaGraphql.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.to', 'INVALID_STATE']]);
      await expect(hub.db.transaction((tx) => moveProject(tx, actor, id, PurchaseProjectStatus.EVALUATED, null))).rejects.toBeInstanceOf(UserErrorsAbort);
      const contracted = await hub.db.transaction((tx) => moveProject(tx, actor, id, PurchaseProjectStatus.CONTRACTED, '合同已签订'));
      expect(contracted.status).toBe('CONTRACTED');
      const events = await hub.db.select().from(purchaseProjectEvents).where(eq(purchaseProjectEvents.projectId, id));
      expect(events.at(-1)).toMatchObject({ fromStatus: 'AWARDED', toStatus: 'CONTRACTED', actor: 'contracts-module', reason: '合同已签订' });
    });
  });

  it('closes an evaluated project only once its contract has ended, so a closed project’s capacity takes no more referrals', async () => {
    const { contractId, projectId } = await makeContract(hub.db, place, await makePurchaser(hub.db, place), providers.A, category.a);
    await hub.db.update(purchaseProjects).set({ status: 'EVALUATED' }).where(eq(purchaseProjects.id, projectId));
    const id = gid('PurchaseProject', projectId);
    const early = await move(id, 'CLOSED', district);
    expect(early.project).toBeNull();
    expect(early.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.id', 'INVALID_STATE']]);
    expect(early.userErrors[0]!.message).toContain('endContract');
    const END = `mutation($input: EndContractInput!) { endContract(input: $input) { contract { status } userErrors { code } } }`;
    const ended = await run<{ endContract: { contract: { status: string }; userErrors: UserError[] } }>(END, { input: { contract: gid('PurchaseContract', contractId), ending: 'COMPLETED', reason: '服务期满' } }, district);
    expect(ended.endContract).toEqual({ contract: { status: 'COMPLETED' }, userErrors: [] });
    expect((await move(id, 'CLOSED', district)).project!.status).toBe('CLOSED');
  });

  it('reads the public list in a constant number of statements whatever the page size', async () => {
    const panelist = await expert('批量评审专家');
    for (let i = 0; i < 6; i += 1) {
      const id = await inProcurement({ title: `批量项目${i}` });
      const offer = (await bid(id, 'A', yuan(100_000 + i))).bid!.id;
      await run(PANEL, { input: { project: id, experts: [panelist] } }, street);
      expect(await score(offer, panelist, [70 + i, 80])).toEqual([]);
      expect((await run<{ awardPurchaseProject: ProjectPayload }>(AWARD, { input: { project: id, bid: offer } }, street)).awardPurchaseProject.userErrors).toEqual([]);
    }
    const counts = [];
    for (const first of [1, 3, 6]) {
      const result = await hub.run<{ purchaseProjects: { nodes: unknown[] } }>(PUBLIC_LIST, { first }, { viewer: PUBLIC_PRINCIPAL });
      expect(result.errors).toBeUndefined();
      expect(result.data!.purchaseProjects.nodes).toHaveLength(first);
      counts.push(result.statements);
    }
    expect(new Set(counts).size).toBe(1);
    // The page and its count, then one statement per nested list: purchaser and providers, district, items, criteria, bids, scores, panel, visible bids.
    expect(counts[0]).toBeLessThanOrEqual(11);
  });
});

/** The row key behind a global ID. */
function rowId(globalId: string): number {
  return fromGlobalId(globalId)!.id;
}
