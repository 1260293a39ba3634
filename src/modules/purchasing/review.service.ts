import type { Actor } from '../../auth/actor';
import { authorizeWrite } from '../../auth/authorize';
import type { Database } from '../../db/client';
import { AuditAction } from '../audit/audit.types';
import { inputId } from '../common/ids';
import { givenFields, runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { checkIntRange, optionalText, requiredText } from '../common/validate';
import { effectiveProviderStatus } from '../organizations/provider-status';
import type { ProviderStatus } from '../organizations/organizations.types';
import { rankBids } from './purchasing.scoring';
import {
  bidsOfProjects,
  countScoresOfProject,
  criteriaOfProjects,
  findConflicts,
  findExpert,
  findOrganizationFacts,
  insertExpert,
  insertExpertLink,
  linksOfExperts,
  lockBid,
  lockProject,
  panelsOfProjects,
  replaceCriteria,
  replacePanel,
  replaceScoreSheet,
  scoresOfProjects,
  settleBids,
  type BidRow,
  type ExpertRow,
  type ProjectRow,
} from './purchasing.repository';
import { authorizeOnProject, awardStep, lockProjectInput, type ProjectResult } from './purchasing.service';
import { PurchaseProjectStatus } from './purchasing.transitions';
import type { AwardPurchaseProjectInput, DeclareExpertLinkInput, RecordExpertScoresInput, RegisterExpertInput, SetExpertPanelInput, SetScoringCriteriaInput } from './purchasing.types';

const INPUT = (...path: (string | number)[]) => ['input', ...path];
const MAX_CRITERIA = 20;
const MAX_PANEL = 15;
/** Criteria can change until procurement starts, which publishes them. */
const CRITERIA_STATUSES: readonly string[] = [PurchaseProjectStatus.DRAFT, PurchaseProjectStatus.RETURNED, PurchaseProjectStatus.SUBMITTED, PurchaseProjectStatus.FINANCE_REVIEW, PurchaseProjectStatus.APPROVED];
const PANEL_STATUSES: readonly string[] = [PurchaseProjectStatus.APPROVED, PurchaseProjectStatus.PROCUREMENT];

function requireStatus(project: ProjectRow, allowed: readonly string[], what: string, errors: UserErrors): void {
  if (allowed.includes(project.status)) return;
  errors.add(INPUT('project'), UserErrorCode.INVALID_STATE, `${what} is not possible while the project is ${project.status}`);
  throw new UserErrorsAbort(errors.list);
}

/** A provider barred today: suspended, or banned with a ban still running (effectiveProviderStatus). */
export function isBarred(provider: { providerStatus: string | null; bannedUntil: string | null }): boolean {
  return effectiveProviderStatus(provider.providerStatus as ProviderStatus | null, provider.bannedUntil) !== 'ACTIVE';
}

export function setScoringCriteria(db: Database, actor: Actor, input: SetScoringCriteriaInput): Promise<ProjectResult> {
  authorizeWrite(actor.viewer, 'managePurchaseProject');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'PurchaseProject', fields: () => ['criteria'] }, async (tx) => {
    const errors = new UserErrors();
    const project = await lockProjectInput(tx, input.project, INPUT('project'), errors);
    authorizeOnProject(actor, 'managePurchaseProject', project, 'setting the criteria of this project');
    requireStatus(project, CRITERIA_STATUSES, 'Changing the published criteria', errors);
    if (input.criteria.length === 0 || input.criteria.length > MAX_CRITERIA) errors.add(INPUT('criteria'), UserErrorCode.OUT_OF_RANGE, `Give 1 to ${MAX_CRITERIA} criteria`);
    const criteria = input.criteria.map((c, i) => ({
      name: requiredText(errors, INPUT('criteria', i, 'name'), c.name, 100) ?? '',
      description: optionalText(errors, INPUT('criteria', i, 'description'), c.description, 1000) ?? null,
      weight: checkIntRange(errors, INPUT('criteria', i, 'weight'), c.weight, 1, 100) ? c.weight : 0,
    }));
    const total = criteria.reduce((sum, c) => sum + c.weight, 0);
    if (!errors.any && total !== 100) errors.add(INPUT('criteria'), UserErrorCode.OUT_OF_RANGE, `The weights must sum to 100; they sum to ${total}`);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    await replaceCriteria(tx, project.id, criteria);
    return project;
  });
}

export function registerExpert(db: Database, actor: Actor, input: RegisterExpertInput): Promise<MutationResult<ExpertRow>> {
  authorizeWrite(actor.viewer, 'manageExperts');
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'ProcurementExpert', fields: () => givenFields(input) }, async (tx) => {
    const errors = new UserErrors();
    const name = requiredText(errors, INPUT('name'), input.name, 50);
    const field = requiredText(errors, INPUT('field'), input.field, 100);
    const affiliationId = input.affiliation == null ? null : (inputId(input.affiliation, 'Organization', INPUT('affiliation'), errors) ?? null);
    if (affiliationId !== null && !(await findOrganizationFacts(tx, affiliationId))) errors.add(INPUT('affiliation'), UserErrorCode.NOT_FOUND, 'No such organization');
    if (errors.any) throw new UserErrorsAbort(errors.list);
    const expert = await insertExpert(tx, { name: name!, field: field!, affiliationId, registeredBy: actor.viewer.subject });
    // Working for an organization is a link in itself: the expert never scores its bids.
    if (affiliationId !== null) await insertExpertLink(tx, { expertId: expert.id, organizationId: affiliationId, kind: 'EMPLOYMENT', reason: 'Affiliation given at registration', declaredBy: actor.viewer.subject });
    return expert;
  });
}

export function declareExpertLink(db: Database, actor: Actor, input: DeclareExpertLinkInput): Promise<MutationResult<ExpertRow>> {
  authorizeWrite(actor.viewer, 'manageExperts');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'ProcurementExpert', fields: () => ['links'] }, async (tx) => {
    const errors = new UserErrors();
    const expertId = inputId(input.expert, 'ProcurementExpert', INPUT('expert'), errors);
    const expert = expertId === undefined ? undefined : await findExpert(tx, expertId);
    if (expertId !== undefined && !expert) errors.add(INPUT('expert'), UserErrorCode.NOT_FOUND, 'No such expert');
    const organizationId = inputId(input.organization, 'Organization', INPUT('organization'), errors);
    if (organizationId !== undefined && !(await findOrganizationFacts(tx, organizationId))) errors.add(INPUT('organization'), UserErrorCode.NOT_FOUND, 'No such organization');
    const reason = requiredText(errors, INPUT('reason'), input.reason, 500);
    if (errors.any || !expert) throw new UserErrorsAbort(errors.list);
    await insertExpertLink(tx, { expertId: expert.id, organizationId: organizationId!, kind: input.kind, reason: reason!, declaredBy: actor.viewer.subject });
    return expert;
  });
}

export function setExpertPanel(db: Database, actor: Actor, input: SetExpertPanelInput): Promise<ProjectResult> {
  authorizeWrite(actor.viewer, 'managePurchaseProject');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'PurchaseProject', fields: () => ['panel'] }, async (tx) => {
    const errors = new UserErrors();
    const project = await lockProjectInput(tx, input.project, INPUT('project'), errors);
    authorizeOnProject(actor, 'managePurchaseProject', project, 'setting the panel of this project');
    requireStatus(project, PANEL_STATUSES, 'Setting the panel', errors);
    if ((await countScoresOfProject(tx, project.id)) > 0) errors.add(INPUT('experts'), UserErrorCode.INVALID_STATE, 'Scoring has begun: the panel is fixed');
    if (input.experts.length === 0 || input.experts.length > MAX_PANEL) errors.add(INPUT('experts'), UserErrorCode.OUT_OF_RANGE, `Name 1 to ${MAX_PANEL} experts`);
    const ids: number[] = [];
    for (const [i, globalId] of input.experts.entries()) {
      const id = inputId(globalId, 'ProcurementExpert', INPUT('experts', i), errors);
      if (id === undefined) continue;
      if (!(await findExpert(tx, id))) errors.add(INPUT('experts', i), UserErrorCode.NOT_FOUND, 'No such expert');
      else if (ids.includes(id)) errors.add(INPUT('experts', i), UserErrorCode.CONFLICT, 'The expert is named twice');
      else ids.push(id);
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);
    await replacePanel(tx, project.id, ids);
    return project;
  });
}

/**
 * Records an expert's sheet for a bid, entered by the purchaser from the panel's signed sheet. The
 * expert must sit on the panel and have declared no link to the bidder (回避): such a sheet is refused.
 */
export function recordExpertScores(db: Database, actor: Actor, input: RecordExpertScoresInput): Promise<MutationResult<BidRow>> {
  authorizeWrite(actor.viewer, 'managePurchaseProject');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'Bid', fields: () => ['scores'] }, async (tx) => {
    const errors = new UserErrors();
    const bidId = inputId(input.bid, 'Bid', INPUT('bid'), errors);
    const bid = bidId === undefined ? undefined : await lockBid(tx, bidId);
    if (bidId !== undefined && !bid) errors.add(INPUT('bid'), UserErrorCode.NOT_FOUND, 'No such bid');
    if (!bid) throw new UserErrorsAbort(errors.list);
    const owner = (await lockProject(tx, bid.projectId))!;
    authorizeOnProject(actor, 'managePurchaseProject', owner, 'recording scores for this project');
    if (owner.status !== PurchaseProjectStatus.PROCUREMENT) errors.add(INPUT('bid'), UserErrorCode.INVALID_STATE, `Scores are recorded while the project is in PROCUREMENT; it is ${owner.status}`);
    else if (bid.status !== 'SUBMITTED') errors.add(INPUT('bid'), UserErrorCode.INVALID_STATE, `The bid is ${bid.status}`);
    const expertId = inputId(input.expert, 'ProcurementExpert', INPUT('expert'), errors);
    if (expertId !== undefined) {
      const [panel] = await panelsOfProjects(tx, [owner.id]);
      if (!panel!.some((e) => e.id === expertId)) errors.add(INPUT('expert'), UserErrorCode.INVALID, 'The expert does not sit on this project’s panel');
      else {
        const links = await findConflicts(tx, expertId, bid.providerId);
        if (links.length > 0) errors.add(INPUT('expert'), UserErrorCode.CONFLICT, `The expert has declared a link (${links.map((l) => l.kind).join(', ')}) to the bidder and must not score its bid`);
      }
    }
    const [criteria] = await criteriaOfProjects(tx, [owner.id]);
    if (input.scores.length !== criteria!.length) errors.add(INPUT('scores'), UserErrorCode.INVALID, `Give one score per published criterion: ${criteria!.length}`);
    input.scores.forEach((score, i) => checkIntRange(errors, INPUT('scores', i), score, 0, 100));
    if (errors.any) throw new UserErrorsAbort(errors.list);
    await replaceScoreSheet(tx, bid.id, expertId!, criteria!.map((c, i) => ({ criterionId: c.id, score: input.scores[i]! })), actor.viewer.subject);
    return bid;
  });
}

/**
 * Awards a project in procurement to the bid the experts' aggregate ranks first (ties: lower price,
 * then earlier bid). Every live bid of a provider not barred today needs a complete sheet from every
 * panel expert not linked to it; awarding any other bid is refused. Bids become AWARDED or NOT_AWARDED.
 */
export function awardPurchaseProject(db: Database, actor: Actor, input: AwardPurchaseProjectInput): Promise<ProjectResult> {
  authorizeWrite(actor.viewer, 'managePurchaseProject');
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'PurchaseProject', fields: () => ['status', 'awardedBid'] }, async (tx) => {
    const errors = new UserErrors();
    const project = await lockProjectInput(tx, input.project, INPUT('project'), errors);
    authorizeOnProject(actor, 'managePurchaseProject', project, 'awarding this project');
    requireStatus(project, [PurchaseProjectStatus.PROCUREMENT], 'Awarding', errors);
    const bidId = inputId(input.bid, 'Bid', INPUT('bid'), errors);
    const [allBids] = await bidsOfProjects(tx, [project.id]);
    const [criteria] = await criteriaOfProjects(tx, [project.id]);
    const [panel] = await panelsOfProjects(tx, [project.id]);
    const [scores] = await scoresOfProjects(tx, [project.id]);
    const links = (await linksOfExperts(tx, panel!.map((e) => e.id))).flat();
    const live: BidRow[] = [];
    for (const bid of allBids!.filter((b) => b.status === 'SUBMITTED')) {
      // Locked FOR SHARE: a ban in flight is waited for, so the award never goes to a provider banned meanwhile.
      const provider = await findOrganizationFacts(tx, bid.providerId, true);
      if (provider && !isBarred(provider)) live.push(bid);
    }
    if (live.length === 0) errors.add(INPUT('bid'), UserErrorCode.INVALID_STATE, 'No live bid of a provider in good standing');
    if (panel!.length === 0) errors.add(INPUT('project'), UserErrorCode.INVALID_STATE, 'The project has no review panel');
    for (const bid of live) {
      const scorers = panel!.filter((expert) => !links.some((l) => l.expertId === expert.id && l.organizationId === bid.providerId));
      const incomplete = scorers.filter((expert) => criteria!.some((c) => !scores!.some((s) => s.bidId === bid.id && s.expertId === expert.id && s.criterionId === c.id)));
      if (scorers.length === 0) errors.add(INPUT('bid'), UserErrorCode.INVALID_STATE, 'Every panel expert is linked to one of the bidders: no one may score that bid');
      else if (incomplete.length > 0) errors.add(INPUT('project'), UserErrorCode.INVALID_STATE, `${incomplete.length} panel expert(s) have not scored every criterion of every live bid`);
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);
    const ranked = rankBids(criteria!, scores!, live);
    const winner = ranked[0]!;
    const chosen = live.find((b) => b.id === bidId);
    if (bidId !== undefined && !chosen) errors.add(INPUT('bid'), UserErrorCode.INVALID, 'The bid is not a live bid of this project');
    else if (chosen && chosen.id !== winner.bidId) errors.add(INPUT('bid'), UserErrorCode.INVALID, `The award follows the experts' aggregate: another bid ranks first (${winner.aggregate} points)`);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    await settleBids(tx, project.id, winner.bidId);
    return awardStep(tx, actor, project, winner.bidId, errors);
  });
}
