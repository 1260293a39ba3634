import type { Actor } from '../../auth/actor';
import { isAuthenticated } from '../../auth/principal';
import { HubError } from '../../common/errors';
import { toGlobalId } from '../../common/global-id';
import { authorizeWrite, mayWrite, type WriteTarget } from '../../auth/authorize';
import { todayInShanghai } from '../../common/dates';
import type { Database } from '../../db/client';
import { violatedUniqueIndex } from '../../db/errors';
import { recordAudit } from '../audit/audit.service';
import { AuditAction } from '../audit/audit.types';
import { inputId } from '../common/ids';
import { runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { checkIntRange, optionalText, requiredText } from '../common/validate';
import { findCaseworkersOfHousehold } from '../needs/needs.repository';
import { effectiveProviderStatus } from '../organizations/provider-status';
import { ProviderStatus } from '../organizations/organizations.types';
import { resourceServesCommittee } from '../resources/resources.repository';
import {
  findReferralByIdempotencyKey,
  findResourceForReferral,
  insertReferral,
  insertReferralEvent,
  insertReferralEvents,
  insertReferrals,
  setReferralStatuses,
  liveReferralIdsOfNeed,
  lockNeedForReferral,
  lockReferral,
  releaseUnits,
  reserveUnits,
  setNeedStatus,
  unitsOfNeed,
  updateReferralRow,
  findOverdueProposals,
  type ReferralRow,
} from './referrals.repository';
import { isLive, referralTransition, ReferralStatus } from './referrals.transitions';
import { canMoveNeed } from '../needs/needs.transitions';
import { NeedStatus } from '../needs/needs.types';

export type ReferralResult = MutationResult<ReferralRow>;

export interface ReferralSettings {
  /** Days a provider has to answer a proposal before it expires. */
  readonly answerDays: number;
}

export interface ProposeReferralCommand {
  readonly need: string;
  readonly resource: string;
  readonly units?: number | null;
  readonly reason: string;
  /** A manual referral may go outside the resource's area or eligibility, with the reason on record. */
  readonly override: boolean;
  readonly idempotencyKey?: string | null;
}

const FIELD = (name: string) => ['input', name];
const DAY_MS = 86_400_000;

/**
 * The need's status follows its referrals: delivered in full, promised, or open again. The
 * move goes through the need's transition table like every other status change of a need.
 */
async function settleNeed(tx: Database, need: { id: number; units: number; status: string }): Promise<void> {
  const { live, completed } = await unitsOfNeed(tx, need.id);
  const target = completed >= need.units ? NeedStatus.FULFILLED : live > 0 ? NeedStatus.MATCHED : NeedStatus.OPEN;
  const current = need.status as NeedStatus;
  if (target === current) return;
  if (!canMoveNeed(current, target)) throw new Error(`Need ${need.id} cannot move from ${current} to ${target}`);
  await setNeedStatus(tx, need.id, target);
}

async function referrerTarget(tx: Database, need: { householdId: number; districtId: number; streetId: number }): Promise<WriteTarget> {
  return { districtIds: [need.districtId], streetIds: [need.streetId], caseworkerIds: await findCaseworkersOfHousehold(tx, need.householdId) };
}

/**
 * Sends units of a need to a resource, reserving them at once. The reservation is a single
 * conditional update of the resource's held units, so concurrent proposals can never hold more
 * than its capacity; a proposal that finds too few free units gets a CONFLICT user error.
 */
export async function proposeReferral(db: Database, actor: Actor, command: ProposeReferralCommand, settings: ReferralSettings): Promise<ReferralResult> {
  authorizeWrite(actor.viewer, 'proposeReferral');
  if (command.idempotencyKey) {
    const earlier = await findReferralByIdempotencyKey(db, command.idempotencyKey);
    if (earlier) return { row: earlier, userErrors: [] };
  }
  try {
    return await runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'Referral', fields: () => ['need', 'resource', 'units', 'reason'] }, async (tx) => {
      const errors = new UserErrors();
      const needId = inputId(command.need, 'Need', FIELD('need'), errors);
      const resourceId = inputId(command.resource, 'Resource', FIELD('resource'), errors);
      const need = needId === undefined ? undefined : await lockNeedForReferral(tx, needId);
      if (needId !== undefined && !need) errors.add(FIELD('need'), UserErrorCode.NOT_FOUND, 'No such need');
      if (need) authorizeWrite(actor.viewer, 'proposeReferral', await referrerTarget(tx, need));
      const resource = resourceId === undefined ? undefined : await findResourceForReferral(tx, resourceId);
      if (resourceId !== undefined && !resource) errors.add(FIELD('resource'), UserErrorCode.NOT_FOUND, 'No such resource');
      const reason = requiredText(errors, FIELD('reason'), command.reason, 500);
      if (errors.any || !need || !resource) throw new UserErrorsAbort(errors.list);

      if (need.status !== 'OPEN' && need.status !== 'MATCHED') errors.add(FIELD('need'), UserErrorCode.INVALID_STATE, `A ${need.status} need cannot be referred`);
      const { live, completed } = await unitsOfNeed(tx, need.id);
      const remaining = need.units - live - completed;
      const units = command.units ?? remaining;
      if (remaining <= 0) errors.add(FIELD('need'), UserErrorCode.INVALID_STATE, 'Every unit of this need is already referred or delivered');
      else checkIntRange(errors, FIELD('units'), units, 1, remaining);
      if (resource.categoryId !== need.categoryId) errors.add(FIELD('resource'), UserErrorCode.INVALID, 'The resource offers another catalogue item than the need asks for');
      if (resource.status !== 'ACTIVE') errors.add(FIELD('resource'), UserErrorCode.INACTIVE, 'The resource is not taking referrals');
      if (effectiveProviderStatus(resource.providerStatus as ProviderStatus | null, resource.bannedUntil) !== ProviderStatus.ACTIVE) {
        errors.add(FIELD('resource'), UserErrorCode.INACTIVE, 'The provider is suspended or banned');
      }
      // No subcontracting: a contract's capacity serves only while the contract is in force, and only from its provider.
      if (resource.contractId !== null && (resource.contractStatus !== 'ACTIVE' || resource.contractProviderId !== resource.providerId)) {
        errors.add(FIELD('resource'), UserErrorCode.INACTIVE, "The resource's purchase contract is not in force with this provider");
      }
      if (!command.override) {
        if (!(await resourceServesCommittee(tx, resource.id, need))) errors.add(FIELD('resource'), UserErrorCode.OUT_OF_RANGE, "The resource does not serve the need's community");
        const eligible = resource.eligibleStatuses.length === 0 || resource.eligibleStatuses.some((s) => need.assistanceStatuses.includes(s));
        if (!eligible) errors.add(FIELD('resource'), UserErrorCode.INVALID, 'The household holds none of the assistance statuses the resource requires');
        const today = todayInShanghai();
        if (resource.availableUntil !== null && resource.availableUntil < today) errors.add(FIELD('resource'), UserErrorCode.INACTIVE, 'The resource is no longer available');
        if (need.deadline !== null && resource.availableFrom > need.deadline) errors.add(FIELD('resource'), UserErrorCode.OUT_OF_RANGE, 'The resource starts after the need’s deadline');
      }
      if (errors.any) throw new UserErrorsAbort(errors.list);
      if (!(await reserveUnits(tx, resource.id, units))) {
        errors.add(FIELD('resource'), UserErrorCode.CONFLICT, `The resource has fewer than ${units} free units`);
        throw new UserErrorsAbort(errors.list);
      }
      const referral = await insertReferral(tx, {
        needId: need.id,
        resourceId: resource.id,
        providerId: resource.providerId,
        householdId: need.householdId,
        units,
        reason: reason!,
        idempotencyKey: command.idempotencyKey ?? null,
        proposedBy: actor.viewer.subject,
        expiresAt: new Date(Date.now() + settings.answerDays * DAY_MS),
      });
      await insertReferralEvent(tx, { referralId: referral.id, fromStatus: null, toStatus: 'PROPOSED', actor: actor.viewer.subject, reason: reason! });
      await settleNeed(tx, need);
      return referral;
    });
  } catch (error) {
    // Two retries with one key raced: the loser returns the winner's referral.
    if (command.idempotencyKey && violatedUniqueIndex(error) === 'referrals_idempotency_key_uq') {
      const earlier = await findReferralByIdempotencyKey(db, command.idempotencyKey);
      if (earlier) return { row: earlier, userErrors: [] };
    }
    throw error;
  }
}

export interface TransitionCommand {
  readonly referral: string;
  readonly to: ReferralStatus;
  readonly reason?: string | null;
  readonly outcome?: string | null;
  readonly satisfaction?: number | null;
}

/** Moves a referral along the transition table, releasing its units when it stops being live. */
export function moveReferral(db: Database, actor: Actor, command: TransitionCommand): Promise<ReferralResult> {
  const fields = command.to === ReferralStatus.COMPLETED ? ['status', 'outcome', 'satisfaction'] : ['status', 'reason'];
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'Referral', fields: () => fields }, async (tx) => {
    const errors = new UserErrors();
    const id = inputId(command.referral, 'Referral', FIELD('id'), errors);
    const referral = id === undefined ? undefined : await lockReferral(tx, id);
    if (id !== undefined && !referral) errors.add(FIELD('id'), UserErrorCode.NOT_FOUND, 'No such referral');
    if (!referral) throw new UserErrorsAbort(errors.list);
    const need = (await lockNeedForReferral(tx, referral.needId))!;
    const sides = referralTransition(referral.status as ReferralStatus, command.to);
    if (sides.length === 0) {
      errors.add(FIELD('id'), UserErrorCode.INVALID_STATE, `A ${referral.status} referral cannot become ${command.to}`);
      throw new UserErrorsAbort(errors.list);
    }
    // The provider answers for its own referrals; the referring side acts for the need's household.
    const allowed =
      (sides.includes('PROVIDER') && mayWrite(actor.viewer, 'answerReferral', { organizationId: referral.providerId })) ||
      (sides.includes('REFERRER') && mayWrite(actor.viewer, 'cancelReferral', await referrerTarget(tx, need)));
    if (!allowed) {
      if (!isAuthenticated(actor.viewer)) throw new HubError('UNAUTHENTICATED', 'Sign in to change data: send a bearer token');
      throw new HubError('FORBIDDEN', `Your roles do not allow moving this referral to ${command.to}`);
    }
    const changes: Partial<ReferralRow> = { status: command.to };
    const needsReason = command.to === ReferralStatus.DECLINED || command.to === ReferralStatus.CANCELLED;
    const reason = needsReason ? requiredText(errors, FIELD('reason'), command.reason ?? '', 500) : optionalText(errors, FIELD('reason'), command.reason, 500);
    if (command.to === ReferralStatus.DECLINED) changes.declineReason = reason ?? null;
    if (command.to === ReferralStatus.COMPLETED) {
      changes.outcome = requiredText(errors, FIELD('outcome'), command.outcome ?? '', 2000);
      if (command.satisfaction != null && checkIntRange(errors, FIELD('satisfaction'), command.satisfaction, 1, 5)) changes.satisfaction = command.satisfaction;
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);
    const updated = await updateReferralRow(tx, referral.id, changes);
    if (isLive(referral.status as ReferralStatus) && !isLive(command.to)) await releaseUnits(tx, referral.resourceId, referral.units);
    await insertReferralEvent(tx, { referralId: referral.id, fromStatus: referral.status, toStatus: command.to, actor: actor.viewer.subject, reason: reason ?? null });
    await settleNeed(tx, need);
    return updated;
  });
}

/** Cancels the live referrals of a need being withdrawn, inside the withdrawal's transaction. */
export async function cancelLiveReferralsOfNeed(tx: Database, actor: Actor, needId: number, reason: string): Promise<void> {
  for (const id of await liveReferralIdsOfNeed(tx, needId)) {
    const referral = (await lockReferral(tx, id))!;
    await updateReferralRow(tx, id, { status: ReferralStatus.CANCELLED });
    await releaseUnits(tx, referral.resourceId, referral.units);
    await insertReferralEvent(tx, { referralId: id, fromStatus: referral.status, toStatus: 'CANCELLED', actor: actor.viewer.subject, reason });
  }
}

/** A proposal that expired: what its subscribers are told about. */
export interface ExpiredReferral {
  readonly id: number;
  readonly providerId: number;
  readonly needId: number;
}

/**
 * Expires proposals nobody answered in time: each in its own transaction, units released and the
 * need back in the pool. Returns the ones that expired, once each has committed.
 */
export async function expireOverdueReferrals(db: Database, now: Date = new Date(), batch = 500): Promise<ExpiredReferral[]> {
  const expired: ExpiredReferral[] = [];
  for (const id of await findOverdueProposals(db, now, batch)) {
    const moved = await db.transaction(async (tx): Promise<ExpiredReferral | undefined> => {
      const referral = await lockReferral(tx, id);
      if (!referral || referral.status !== ReferralStatus.PROPOSED) return undefined;
      await updateReferralRow(tx, id, { status: ReferralStatus.EXPIRED });
      await releaseUnits(tx, referral.resourceId, referral.units);
      await insertReferralEvent(tx, { referralId: id, fromStatus: 'PROPOSED', toStatus: 'EXPIRED', actor: null, reason: 'No answer in time' });
      const need = (await lockNeedForReferral(tx, referral.needId))!;
      await settleNeed(tx, need);
      await recordAudit(tx, [{ actor: { subject: null, organizationId: null, roles: [] }, requestId: null, purpose: null, action: AuditAction.TRANSITION, entityType: 'Referral', entityId: id, fields: ['status'] }]);
      return { id, providerId: referral.providerId, needId: referral.needId };
    });
    if (moved) expired.push(moved);
  }
  return expired;
}

/** A live referral to move and the resource that takes it over. */
export interface ReferralMove {
  readonly referral: ReferralRow;
  readonly resourceId: number;
  readonly providerId: number;
}

/**
 * The system side's TRANSFERRED path (a takeover, §3(6)): each live referral becomes TRANSFERRED
 * with the reason in its history, and a new referral of the same need, household, units and
 * status takes its place at the new resource (a proposal gets a fresh answer period). Held units
 * are the caller's: it moves them between the resources, which it has locked. Returns the new
 * referrals in the order of `moves`.
 */
export async function transferReferrals(tx: Database, actor: Actor, moves: readonly ReferralMove[], reason: string, answerDays: number): Promise<ReferralRow[]> {
  for (const { referral } of moves) {
    if (!referralTransition(referral.status as ReferralStatus, ReferralStatus.TRANSFERRED).includes('SYSTEM')) throw new Error(`Referral ${referral.id} is ${referral.status}, not live: it cannot be transferred`);
  }
  const subject = actor.viewer.subject;
  await setReferralStatuses(tx, moves.map((m) => m.referral.id), ReferralStatus.TRANSFERRED);
  const expiresAt = new Date(Date.now() + answerDays * DAY_MS);
  const created = await insertReferrals(
    tx,
    moves.map(({ referral, resourceId, providerId }) => ({
      needId: referral.needId,
      resourceId,
      providerId,
      householdId: referral.householdId,
      units: referral.units,
      status: referral.status,
      reason: `${reason}（接替转介 ${toGlobalId('Referral', referral.id)}）`,
      proposedBy: subject,
      expiresAt: referral.status === ReferralStatus.PROPOSED ? expiresAt : referral.expiresAt,
    })),
  );
  await insertReferralEvents(tx, [
    ...moves.map(({ referral }) => ({ referralId: referral.id, fromStatus: referral.status, toStatus: ReferralStatus.TRANSFERRED, actor: subject, reason })),
    ...created.map((row) => ({ referralId: row.id, fromStatus: null, toStatus: row.status, actor: subject, reason })),
  ]);
  return created;
}

/**
 * Cancels live referrals for the system side (a ban whose contract has no takeover plan): units
 * released, each need back in the pool as its referrals now say. The caller has locked the rows.
 */
export async function cancelReferralsBySystem(tx: Database, actor: Actor, rows: readonly ReferralRow[], reason: string): Promise<void> {
  for (const referral of rows) {
    if (!referralTransition(referral.status as ReferralStatus, ReferralStatus.CANCELLED).includes('SYSTEM')) throw new Error(`Referral ${referral.id} is ${referral.status}, not live: it cannot be cancelled`);
  }
  await setReferralStatuses(tx, rows.map((r) => r.id), ReferralStatus.CANCELLED);
  for (const referral of rows) await releaseUnits(tx, referral.resourceId, referral.units);
  await insertReferralEvents(tx, rows.map((r) => ({ referralId: r.id, fromStatus: r.status, toStatus: ReferralStatus.CANCELLED, actor: actor.viewer.subject, reason })));
  for (const needId of new Set(rows.map((r) => r.needId))) await settleNeed(tx, (await lockNeedForReferral(tx, needId))!);
}
