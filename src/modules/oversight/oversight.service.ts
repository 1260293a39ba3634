import { or } from 'drizzle-orm';
import { moveProject } from '../purchasing/purchasing.service';
import { PurchaseProjectStatus } from '../purchasing/purchasing.transitions';
import type { Actor } from '../../auth/actor';
import { authorizeWrite, mayWrite, type WriteTarget } from '../../auth/authorize';
import type { Principal } from '../../auth/principal';
import { todayInShanghai } from '../../common/dates';
import { toGlobalId } from '../../common/global-id';
import type { Database } from '../../db/client';
import { auditEntry, recordAudit } from '../audit/audit.service';
import { AuditAction } from '../audit/audit.types';
import { inputId } from '../common/ids';
import { runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { checkDate, checkIntRange, optionalText, requiredText } from '../common/validate';
import { ProviderStatus } from '../organizations/organizations.types';
import { effectiveProviderStatus } from '../organizations/provider-status';
import type { ReferralRow } from '../referrals/referrals.repository';
import { cancelReferralsBySystem, transferReferrals } from '../referrals/referrals.service';
import { publishReferralChanges } from '../referrals/referrals.subscriptions';
import { evaluationTotal, satisfactionScore, weightProblems, type EvaluationWeights } from './evaluation-formula';
import {
  activeContractIdsOfProvider,
  activeContractPlacesOfProvider,
  categoriesOfContractResources,
  closeResources,
  endContract,
  evaluationOfContract,
  findCurrentFormula,
  findPlanOfContract,
  findProvider,
  findResourceFacts,
  holdUnitsRaisingCapacity,
  insertActivation,
  insertBan,
  insertEvaluation,
  insertFormula,
  insertTransfers,
  lockContract,
  lockLiveReferralsOfContract,
  lockProvider,
  lockResources,
  ofContract,
  openCasesOfHouseholds,
  ratingsOfContract,
  releaseHeldUnits,
  resourcesOfPlan,
  savePlan,
  setProviderBanned,
  withIds,
  type ContractEvaluationRow,
  type ContractFacts,
  type EvaluationFormulaRow,
  type ProviderBanRow,
  type TakeoverActivationRow,
  type TakeoverPlanRow,
} from './oversight.repository';
import { CONTRACT_TYPE } from './oversight.types';

const FIELD = (...path: string[]) => ['input', ...path];

export type TakeoverReasonValue = 'PROVIDER_CANNOT_DELIVER' | 'CONTRACT_TERMINATED' | 'PROVIDER_BANNED';
const REASON_TEXT: Readonly<Record<TakeoverReasonValue, string>> = {
  PROVIDER_CANNOT_DELIVER: '承接主体无法履约',
  CONTRACT_TERMINATED: '合同终止',
  PROVIDER_BANNED: '承接主体被禁入',
};

export interface OversightSettings {
  /** Days the stand-in has to answer a moved proposal. */
  readonly answerDays: number;
}

async function contractOrAbort(tx: Database, actor: Actor, contract: string, operation: 'evaluateContract' | 'manageTakeoverPlan' | 'activateTakeover', errors: UserErrors): Promise<ContractFacts> {
  const id = inputId(contract, CONTRACT_TYPE, FIELD('contract'), errors);
  const facts = id === undefined ? undefined : await lockContract(tx, id);
  if (id !== undefined && !facts) errors.add(FIELD('contract'), UserErrorCode.NOT_FOUND, 'No such contract');
  if (!facts) throw new UserErrorsAbort(errors.list);
  authorizeWrite(actor.viewer, operation, projectPlace(facts));
  return facts;
}

/* ---------- evaluation formula ---------- */

export interface EvaluationFormulaCommand extends EvaluationWeights {
  readonly note?: string | null;
}

/** A new evaluation formula, in force from now on for evaluations not yet made. */
export function setEvaluationFormula(db: Database, actor: Actor, command: EvaluationFormulaCommand): Promise<MutationResult<EvaluationFormulaRow>> {
  authorizeWrite(actor.viewer, 'administerEvaluationFormula');
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'EvaluationFormula', fields: () => ['weights', 'minRatings', 'note'] }, async (tx) => {
    const errors = new UserErrors();
    for (const problem of weightProblems(command)) errors.add(FIELD(problem.field), UserErrorCode.OUT_OF_RANGE, problem.message);
    checkIntRange(errors, FIELD('minRatings'), command.minRatings, 0, 1000);
    const note = optionalText(errors, FIELD('note'), command.note, 1000);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return insertFormula(tx, {
      satisfactionWeight: command.satisfactionWeight,
      serviceEffectWeight: command.serviceEffectWeight,
      managementWeight: command.managementWeight,
      socialImpactWeight: command.socialImpactWeight,
      minRatings: command.minRatings,
      note: note ?? null,
      createdBy: actor.viewer.subject,
    });
  });
}

/* ---------- evaluation ---------- */

export interface EvaluateContractCommand {
  readonly contract: string;
  readonly serviceEffect: number;
  readonly serviceEffectNote?: string | null;
  readonly management: number;
  readonly managementNote?: string | null;
  readonly socialImpact: number;
  readonly socialImpactNote?: string | null;
}

/**
 * The final performance evaluation of a contract (§3(5)4): the department's three scores, the
 * beneficiaries' satisfaction from the ratings of its completed referrals, and the total by the
 * formula in force. It becomes the provider's quality in matching, and the project EVALUATED.
 */
export function evaluateContract(db: Database, actor: Actor, command: EvaluateContractCommand): Promise<MutationResult<ContractEvaluationRow>> {
  authorizeWrite(actor.viewer, 'evaluateContract');
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'ContractEvaluation', fields: () => ['contract', 'serviceEffect', 'management', 'socialImpact', 'notes', 'satisfaction', 'total'] }, async (tx) => {
    const errors = new UserErrors();
    const contract = await contractOrAbort(tx, actor, command.contract, 'evaluateContract', errors);
    if (await evaluationOfContract(tx, contract.id)) errors.add(FIELD('contract'), UserErrorCode.CONFLICT, 'The contract already has its final evaluation');
    if (contract.projectStatus !== 'IN_PROGRESS') errors.add(FIELD('contract'), UserErrorCode.INVALID_STATE, `The project is ${contract.projectStatus}; only a project IN_PROGRESS is evaluated`);
    checkIntRange(errors, FIELD('serviceEffect'), command.serviceEffect, 0, 100);
    checkIntRange(errors, FIELD('management'), command.management, 0, 100);
    checkIntRange(errors, FIELD('socialImpact'), command.socialImpact, 0, 100);
    const notes = {
      serviceEffectNote: optionalText(errors, FIELD('serviceEffectNote'), command.serviceEffectNote, 2000) ?? null,
      managementNote: optionalText(errors, FIELD('managementNote'), command.managementNote, 2000) ?? null,
      socialImpactNote: optionalText(errors, FIELD('socialImpactNote'), command.socialImpactNote, 2000) ?? null,
    };
    if (errors.any) throw new UserErrorsAbort(errors.list);
    const formula = await findCurrentFormula(tx);
    const ratings = await ratingsOfContract(tx, contract.id);
    const satisfaction = satisfactionScore(ratings.count, ratings.sum, formula.minRatings);
    const evaluation = await insertEvaluation(tx, {
      contractId: contract.id,
      providerId: contract.providerId,
      formulaId: formula.id,
      serviceEffect: command.serviceEffect,
      management: command.management,
      socialImpact: command.socialImpact,
      ...notes,
      satisfaction,
      ratingsCount: ratings.count,
      ratingsAverage: ratings.count > 0 ? ratings.sum / ratings.count : null,
      total: evaluationTotal(formula, command, satisfaction),
      evaluatedBy: actor.viewer.subject,
    });
    await moveProject(tx, actor, contract.projectId, PurchaseProjectStatus.EVALUATED, 'Final performance evaluation recorded');
    return evaluation;
  });
}

/**
 * Notes of an evaluation are for those who may evaluate that contract (its project's place in their
 * scope) and for the evaluated provider; the scores are public.
 */
export function mayReadEvaluationNotes(viewer: Principal, providerId: number, contractPlace: WriteTarget): boolean {
  return mayWrite(viewer, 'evaluateContract', contractPlace) || (viewer.organizationId !== null && viewer.organizationId === providerId);
}

/** Where a contract's project lies, as a write target: the purchaser's district and street. */
export function projectPlace(project: { districtId: number | null; streetId: number | null }): WriteTarget {
  return { districtIds: project.districtId === null ? [] : [project.districtId], streetIds: project.streetId === null ? [] : [project.streetId] };
}

/* ---------- takeover plans ---------- */

export interface SetTakeoverPlanCommand {
  readonly contract: string;
  readonly standInProvider: string;
  readonly standInResources: readonly string[];
  readonly note?: string | null;
}

/**
 * Writes (or replaces) a contract's takeover plan: an ACTIVE stand-in provider other than the
 * contract's, and one of its own active resources (not another contract's capacity) for each
 * catalogue item the contract's resources offer.
 */
export function setTakeoverPlan(db: Database, actor: Actor, command: SetTakeoverPlanCommand): Promise<MutationResult<TakeoverPlanRow>> {
  authorizeWrite(actor.viewer, 'manageTakeoverPlan');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'TakeoverPlan', fields: () => ['contract', 'standInProvider', 'standInResources', 'note'] }, async (tx) => {
    const errors = new UserErrors();
    const contract = await contractOrAbort(tx, actor, command.contract, 'manageTakeoverPlan', errors);
    if (contract.status !== 'ACTIVE') errors.add(FIELD('contract'), UserErrorCode.INVALID_STATE, `A ${contract.status} contract needs no takeover plan`);
    const providerId = inputId(command.standInProvider, 'Organization', FIELD('standInProvider'), errors);
    const standIn = providerId === undefined ? undefined : await findProvider(tx, providerId);
    if (providerId !== undefined && (!standIn || !standIn.isProvider)) errors.add(FIELD('standInProvider'), UserErrorCode.NOT_FOUND, 'Not a provider');
    else if (standIn && standIn.id === contract.providerId) errors.add(FIELD('standInProvider'), UserErrorCode.INVALID, "The stand-in must be another provider than the contract's");
    else if (standIn && effectiveProviderStatus(standIn.providerStatus as ProviderStatus, standIn.bannedUntil) !== ProviderStatus.ACTIVE) {
      errors.add(FIELD('standInProvider'), UserErrorCode.INACTIVE, 'The stand-in provider is suspended or banned');
    }
    const resourceIds = command.standInResources.map((id, i) => inputId(id, 'Resource', FIELD('standInResources', String(i)), errors));
    const found = new Map((await findResourceFacts(tx, resourceIds.filter((id): id is number => id !== undefined))).map((r) => [r.id, r]));
    const byCategory = new Map<number, number>();
    resourceIds.forEach((id, i) => {
      if (id === undefined) return;
      const field = FIELD('standInResources', String(i));
      const resource = found.get(id);
      if (!resource) errors.add(field, UserErrorCode.NOT_FOUND, 'No such resource');
      else if (standIn && resource.providerId !== standIn.id) errors.add(field, UserErrorCode.INVALID, "The resource is not the stand-in provider's");
      else if (resource.status !== 'ACTIVE') errors.add(field, UserErrorCode.INACTIVE, 'The resource is not taking referrals');
      else if (resource.contractId !== null) errors.add(field, UserErrorCode.INVALID, "The resource is another contract's capacity; name one of the stand-in's own resources");
      else if (byCategory.has(resource.categoryId)) errors.add(field, UserErrorCode.CONFLICT, 'Another resource of the plan already covers this catalogue item');
      else byCategory.set(resource.categoryId, resource.id);
    });
    const missing = (await categoriesOfContractResources(tx, contract.id)).filter((c) => !byCategory.has(c));
    if (missing.length > 0 && !errors.any) {
      errors.add(FIELD('standInResources'), UserErrorCode.REQUIRED, `No stand-in resource for ${missing.length} catalogue item(s) of the contract: ${missing.map((c) => toGlobalId('ServiceCategory', c)).join(', ')}`);
    }
    const note = optionalText(errors, FIELD('note'), command.note, 1000);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return savePlan(tx, { contractId: contract.id, standInProviderId: standIn!.id, note: note ?? null, createdBy: actor.viewer.subject }, [...byCategory].map(([categoryId, resourceId]) => ({ categoryId, resourceId })));
  });
}

/* ---------- takeover ---------- */

interface TakeoverOutcome {
  readonly activation: TakeoverActivationRow;
  readonly created: ReferralRow[];
}

/**
 * Moves every live referral of a contract to its plan's stand-in in the caller's transaction and
 * marks the contract TAKEN_OVER; returns what was done, or the reasons it cannot be done.
 *
 * Locks: the contract (by the caller), its live referrals, then its resources and the stand-in
 * resources in id order, then its live referrals again. Every new referral to a resource reserves
 * units under that resource's row lock, so once the resources are held no live referral can
 * appear or leave unseen: the second read is the complete set. A provider's accept racing with
 * this either commits first (and its referral moves as ACCEPTED) or waits and then finds the
 * referral TRANSFERRED.
 */
export async function takeOverContract(tx: Database, actor: Actor, contract: ContractFacts, reason: TakeoverReasonValue, note: string | null, settings: OversightSettings): Promise<TakeoverOutcome | { problems: string[] }> {
  const plan = await findPlanOfContract(tx, contract.id);
  if (!plan) return { problems: ['The contract has no takeover plan'] };
  const planResources = await resourcesOfPlan(tx, plan.id);
  await lockLiveReferralsOfContract(tx, contract.id);
  const standIn = await lockProvider(tx, plan.standInProviderId);
  const locked = await lockResources(tx, or(ofContract(contract.id), withIds(planResources.map((r) => r.resourceId)))!);
  const live = await lockLiveReferralsOfContract(tx, contract.id);

  const problems: string[] = [];
  if (!standIn || effectiveProviderStatus(standIn.providerStatus as ProviderStatus, standIn.bannedUntil) !== ProviderStatus.ACTIVE) problems.push('The stand-in provider is suspended or banned');
  const resourceById = new Map(locked.map((r) => [r.id, r]));
  const target = new Map<number, (typeof locked)[number]>();
  for (const { categoryId, resourceId } of planResources) {
    const resource = resourceById.get(resourceId)!;
    if (resource.status !== 'ACTIVE' || resource.providerId !== plan.standInProviderId) problems.push(`The stand-in resource ${toGlobalId('Resource', resourceId)} is not an active resource of the stand-in`);
    else target.set(categoryId, resource);
  }
  const uncovered = new Set(live.map((r) => resourceById.get(r.resourceId)!.categoryId).filter((c) => !target.has(c)));
  if (uncovered.size > 0) problems.push(`The plan names no stand-in resource for ${[...uncovered].map((c) => toGlobalId('ServiceCategory', c)).join(', ')}`);
  if (problems.length > 0) return { problems };

  const moves = live.map((referral) => {
    const to = target.get(resourceById.get(referral.resourceId)!.categoryId)!;
    return { referral, resourceId: to.id, providerId: to.providerId };
  });
  // Held units follow the referrals: off the contract's resources, onto the stand-in's, whose
  // capacity is raised where the plan's promise needs more room than it has free.
  const sumBy = (key: (m: (typeof moves)[number]) => number) => moves.reduce((sums, m) => sums.set(key(m), (sums.get(key(m)) ?? 0) + m.referral.units), new Map<number, number>());
  for (const [resourceId, units] of sumBy((m) => m.referral.resourceId)) await releaseHeldUnits(tx, resourceId, units);
  let capacityAdded = 0;
  for (const [resourceId, units] of sumBy((m) => m.resourceId)) capacityAdded += await holdUnitsRaisingCapacity(tx, resourceById.get(resourceId)!, units);

  const text = `临时接管预案启动：${REASON_TEXT[reason]}${note ? `；${note}` : ''}`;
  const created = await transferReferrals(tx, actor, moves, text, settings.answerDays);
  await closeResources(tx, locked.filter((r) => r.contractId === contract.id).map((r) => r.id), text);
  await endContract(tx, contract.id, 'TAKEN_OVER', text);
  const openCases = await openCasesOfHouseholds(tx, [...new Set(live.map((r) => r.householdId))]);
  const activation = await insertActivation(tx, {
    contractId: contract.id,
    planId: plan.id,
    standInProviderId: plan.standInProviderId,
    reason,
    note,
    liveBefore: live.length,
    transferred: created.length,
    casesAffected: openCases.size,
    capacityAdded,
    activatedBy: actor.viewer.subject,
  });
  await insertTransfers(tx, moves.map((m, i) => ({ fromReferralId: m.referral.id, toReferralId: created[i]!.id, activationId: activation.id, caseId: openCases.get(m.referral.householdId) ?? null })));
  // Nothing dropped: no live referral is left under the contract.
  const left = await lockLiveReferralsOfContract(tx, contract.id);
  if (left.length > 0) throw new Error(`Takeover of contract ${contract.id} left ${left.length} live referrals behind`);
  await auditReferrals(tx, actor, [...live.map((r) => r.id), ...created.map((r) => r.id)], ['status', 'resource']);
  // What else the takeover changed: the contract's resources closed, the stand-in's raised, the contract ended.
  await auditChanges(tx, actor, 'Resource', locked.filter((r) => r.contractId === contract.id).map((r) => r.id), ['status', 'closedAt', 'closureReason']);
  await auditChanges(tx, actor, 'Resource', [...sumBy((m) => m.resourceId).keys()], ['heldUnits', 'capacity']);
  await auditChanges(tx, actor, 'PurchaseContract', [contract.id], ['status', 'endedAt', 'endReason']);
  return { activation, created };
}

async function auditReferrals(tx: Database, actor: Actor, ids: readonly number[], fields: string[]): Promise<void> {
  await auditChanges(tx, actor, 'Referral', ids, fields);
}

/** Audits side effects of a takeover or ban under the entity they changed. */
async function auditChanges(tx: Database, actor: Actor, entityType: string, ids: readonly number[], fields: string[]): Promise<void> {
  if (ids.length > 0) await recordAudit(tx, ids.map((id) => auditEntry(actor, AuditAction.TRANSITION, entityType, id, fields)));
}

export interface ActivateTakeoverCommand {
  readonly contract: string;
  readonly reason: TakeoverReasonValue;
  readonly note?: string | null;
}

/** Puts a contract's takeover plan into effect (§3(6)); the stand-in is told of each referral it receives. */
export async function activateTakeover(db: Database, actor: Actor, command: ActivateTakeoverCommand, settings: OversightSettings): Promise<MutationResult<TakeoverActivationRow>> {
  authorizeWrite(actor.viewer, 'activateTakeover');
  const created: ReferralRow[] = [];
  const result = await runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'TakeoverActivation', fields: () => ['contract', 'reason', 'note'] }, async (tx) => {
    const errors = new UserErrors();
    const contract = await contractOrAbort(tx, actor, command.contract, 'activateTakeover', errors);
    if (contract.status !== 'ACTIVE' && contract.status !== 'TERMINATED') errors.add(FIELD('contract'), UserErrorCode.INVALID_STATE, `A ${contract.status} contract cannot be taken over`);
    const note = optionalText(errors, FIELD('note'), command.note, 1000);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    const outcome = await takeOverContract(tx, actor, contract, command.reason, note ?? null, settings);
    if ('problems' in outcome) {
      for (const problem of outcome.problems) errors.add(FIELD('contract'), UserErrorCode.INVALID_STATE, problem);
      throw new UserErrorsAbort(errors.list);
    }
    created.push(...outcome.created);
    return outcome.activation;
  });
  if (result.row) publishReferralChanges(created, true);
  return result;
}

/* ---------- bans ---------- */

export interface BanProviderCommand {
  readonly provider: string;
  readonly until: string;
  readonly reason: string;
}

/**
 * Bans a provider until a date (inclusive; §3(6)): no bids, no matching, no new referrals until
 * then, and in the same transaction every active contract of it is taken over by its plan. A
 * contract without a plan is terminated and its live referrals cancelled, their needs back in
 * the pool; a plan that cannot be carried out refuses the ban, naming the contract.
 */
export async function banProvider(db: Database, actor: Actor, command: BanProviderCommand, settings: OversightSettings): Promise<MutationResult<ProviderBanRow>> {
  authorizeWrite(actor.viewer, 'banProvider');
  const created: ReferralRow[] = [];
  const result = await runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'ProviderBan', fields: () => ['provider', 'until', 'reason'] }, async (tx) => {
    const errors = new UserErrors();
    const providerId = inputId(command.provider, 'Organization', FIELD('provider'), errors);
    const provider = providerId === undefined ? undefined : await lockProvider(tx, providerId);
    if (providerId !== undefined && (!provider || !provider.isProvider)) errors.add(FIELD('provider'), UserErrorCode.NOT_FOUND, 'Not a provider');
    if (!provider || errors.any) throw new UserErrorsAbort(errors.list);
    // The ban ends every active contract of the provider: each one's project must lie in the viewer's scope.
    const places = await activeContractPlacesOfProvider(tx, provider.id);
    authorizeWrite(actor.viewer, 'banProvider', { districtIds: [provider.districtId, ...places.map((p) => p.districtId)].filter((id) => id !== null), streetIds: places.map((p) => p.streetId).filter((id) => id !== null) });
    for (const place of places) authorizeWrite(actor.viewer, 'banProvider', projectPlace(place));
    if (checkDate(errors, FIELD('until'), command.until) && command.until < todayInShanghai()) errors.add(FIELD('until'), UserErrorCode.OUT_OF_RANGE, 'A ban ends today or later');
    const reason = requiredText(errors, FIELD('reason'), command.reason, 1000);
    if (errors.any) throw new UserErrorsAbort(errors.list);

    await setProviderBanned(tx, provider.id, command.until);
    await auditChanges(tx, actor, 'Organization', [provider.id], ['providerStatus', 'bannedUntil']);
    const counts = { contractsTakenOver: 0, contractsTerminated: 0, referralsTransferred: 0, referralsCancelled: 0 };
    for (const contractId of await activeContractIdsOfProvider(tx, provider.id)) {
      const contract = (await lockContract(tx, contractId))!;
      if (contract.status !== 'ACTIVE') continue;
      if (await findPlanOfContract(tx, contractId)) {
        const outcome = await takeOverContract(tx, actor, contract, 'PROVIDER_BANNED', reason!, settings);
        if ('problems' in outcome) {
          for (const problem of outcome.problems) errors.add(FIELD('provider'), UserErrorCode.INVALID_STATE, `Contract ${toGlobalId(CONTRACT_TYPE, contractId)}: ${problem}`);
          continue;
        }
        created.push(...outcome.created);
        counts.contractsTakenOver += 1;
        counts.referralsTransferred += outcome.created.length;
      } else {
        const text = `承接主体被禁入，合同无临时接管预案：${reason!}`;
        await lockLiveReferralsOfContract(tx, contractId);
        const locked = await lockResources(tx, ofContract(contractId));
        const live = await lockLiveReferralsOfContract(tx, contractId);
        await cancelReferralsBySystem(tx, actor, live, text);
        await closeResources(tx, locked.map((r) => r.id), text);
        await endContract(tx, contractId, 'TERMINATED', text);
        await auditReferrals(tx, actor, live.map((r) => r.id), ['status']);
        await auditChanges(tx, actor, 'Resource', locked.map((r) => r.id), ['status', 'closedAt', 'closureReason']);
        await auditChanges(tx, actor, 'PurchaseContract', [contractId], ['status', 'endedAt', 'endReason']);
        counts.contractsTerminated += 1;
        counts.referralsCancelled += live.length;
      }
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return insertBan(tx, { providerId: provider.id, bannedUntil: command.until, reason: reason!, ...counts, bannedBy: actor.viewer.subject });
  });
  if (result.row) publishReferralChanges(created, true);
  return result;
}
