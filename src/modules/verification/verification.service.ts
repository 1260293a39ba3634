import type { Actor } from '../../auth/actor';
import { authorizeWrite } from '../../auth/authorize';
import { maySubmitFiguresAs } from '../../auth/policy';
import { HubError } from '../../common/errors';
import { todayInShanghai } from '../../common/dates';
import type { Database } from '../../db/client';
import { AuditAction } from '../audit/audit.types';
import { inputId } from '../common/ids';
import { givenFields, runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { checkIntRange, optionalText, requiredText } from '../common/validate';
import {
  cancelPendingVerification,
  departmentsAnswered,
  figuresOfRequest,
  figuresOfRequestBySources,
  findStandardByYear,
  findStandardInForce,
  findVerificationOfApplication,
  lockVerificationRequest,
  membersOfHousehold,
  recordReturn,
  storeResult,
  upsertFigures,
  upsertStandard,
  type FigureRow,
  type NewFigureRow,
  type StandardRow,
  type VerificationRequestRow,
} from './verification.repository';
import { computeVerification, KIND_RULES } from './verification.rules';
import type { CompleteVerificationInput, SetVerificationStandardInput, SubmitVerificationFiguresInput } from './verification.types';

export type VerificationResult = MutationResult<VerificationRequestRow>;
export type SubmissionResult = MutationResult<{ id: number; request: VerificationRequestRow; figures: FigureRow[] }>;
export type StandardResult = MutationResult<StandardRow>;

const MAX_FIGURES = 200;
const MAX_QUANTITY = 1000;
/** Clocks of the departments' systems may run a little ahead of the hub's. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The request, locked, or a user error when it is missing or no longer takes changes. */
async function pendingRequest(tx: Database, globalId: string, field: string[], errors: UserErrors): Promise<VerificationRequestRow | undefined> {
  const id = inputId(globalId, 'VerificationRequest', field, errors);
  const request = id === undefined ? undefined : await lockVerificationRequest(tx, id);
  if (id !== undefined && !request) errors.add(field, UserErrorCode.NOT_FOUND, 'No such verification request');
  if (request && request.status !== 'PENDING') errors.add(field, UserErrorCode.INVALID_STATE, `A ${request.status} verification takes no more changes`);
  return request?.status === 'PENDING' ? request : undefined;
}

/**
 * A department's figures for a verification, each under its own source reference: resubmitting a
 * reference updates its figure (the database keeps one row per request, department and reference),
 * so a department may resend a whole batch safely. An empty batch records that the department has
 * nothing on record. Refused on a COMPLETED or CANCELLED verification.
 */
export function submitVerificationFigures(db: Database, actor: Actor, input: SubmitVerificationFiguresInput): Promise<SubmissionResult> {
  authorizeWrite(actor.viewer, 'submitVerificationFigures');
  if (!maySubmitFiguresAs(actor.viewer, input.department)) throw new HubError('FORBIDDEN', `Your roles do not allow submitting figures as ${input.department}`);
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'VerificationRequest', fields: () => ['figures'] }, async (tx) => {
    const errors = new UserErrors();
    const request = await pendingRequest(tx, input.request, ['input', 'request'], errors);
    if (input.figures.length > MAX_FIGURES) errors.add(['input', 'figures'], UserErrorCode.OUT_OF_RANGE, `figures must hold at most ${MAX_FIGURES} figures`);
    const members = new Set(request ? await membersOfHousehold(tx, request.householdId) : []);
    const references = new Set<string>();
    const rows: NewFigureRow[] = [];
    const latest = Date.now() + CLOCK_SKEW_MS;
    for (const [i, figure] of input.figures.entries()) {
      const at = (name: string) => ['input', 'figures', String(i), name];
      if (KIND_RULES[figure.kind].department !== input.department) {
        errors.add(at('kind'), UserErrorCode.INVALID, `${input.department} does not report ${figure.kind} (it comes from ${KIND_RULES[figure.kind].department})`);
      }
      if (figure.amountFen < 0) errors.add(at('amountFen'), UserErrorCode.OUT_OF_RANGE, 'amountFen must not be negative');
      if (checkIntRange(errors, at('quantity'), figure.quantity, 1, MAX_QUANTITY) && figure.quantity !== 1 && figure.kind !== 'REAL_ESTATE') {
        errors.add(at('quantity'), UserErrorCode.OUT_OF_RANGE, 'quantity must be 1 except for REAL_ESTATE');
      }
      const reference = requiredText(errors, at('sourceReference'), figure.sourceReference, 200);
      if (reference !== undefined && references.has(reference)) errors.add(at('sourceReference'), UserErrorCode.CONFLICT, 'sourceReference appears twice in this submission');
      if (reference !== undefined) references.add(reference);
      if (figure.sourceTime.getTime() > latest) errors.add(at('sourceTime'), UserErrorCode.OUT_OF_RANGE, 'sourceTime must not be in the future');
      let personId: number | null = null;
      if (figure.person != null) {
        const id = inputId(figure.person, 'Person', at('person'), errors);
        if (id !== undefined && request && !members.has(id)) errors.add(at('person'), UserErrorCode.NOT_FOUND, 'Not a member of the household under verification');
        personId = id ?? null;
      }
      rows.push({
        requestId: request?.id ?? 0,
        department: input.department,
        kind: figure.kind,
        personId,
        amountFen: figure.amountFen,
        quantity: figure.quantity,
        sourceReference: reference ?? '',
        sourceTime: figure.sourceTime,
        submittedBy: actor.viewer.subject,
      });
    }
    if (errors.any || !request) throw new UserErrorsAbort(errors.list);
    await upsertFigures(tx, rows);
    await recordReturn(tx, request.id, input.department, actor.viewer.subject);
    return { id: request.id, request, figures: await figuresOfRequestBySources(tx, request.id, input.department, [...references]) };
  });
}

/**
 * Computes the result of a verification against the standards in force on the day it was
 * requested, records it with its explanation, and closes the verification (COMPLETED): the
 * application may then go to review.
 */
export function completeVerification(db: Database, actor: Actor, input: CompleteVerificationInput): Promise<VerificationResult> {
  authorizeWrite(actor.viewer, 'completeVerification');
  const fields = ['status', 'outcome', 'perCapitaMonthlyIncomeFen', 'perCapitaAssetsFen', 'standardYear', 'explanation'];
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'VerificationRequest', fields: () => fields }, async (tx) => {
    const errors = new UserErrors();
    const request = await pendingRequest(tx, input.id, ['input', 'id'], errors);
    if (!request) throw new UserErrorsAbort(errors.list);
    const day = todayInShanghai(request.requestedAt);
    const standard = await findStandardInForce(tx, day);
    if (!standard) {
      errors.add(['input', 'id'], UserErrorCode.INVALID_STATE, `No verification standards are in force on ${day}, the day it was requested`);
      throw new UserErrorsAbort(errors.list);
    }
    const figures = await figuresOfRequest(tx, request.id);
    const result = computeVerification({
      figures,
      members: (await membersOfHousehold(tx, request.householdId)).length,
      answered: await departmentsAnswered(tx, request.id),
      standard,
    });
    return storeResult(
      tx,
      request.id,
      { outcome: result.outcome, perCapitaMonthlyIncomeFen: result.perCapitaMonthlyIncomeFen, perCapitaAssetsFen: result.perCapitaAssetsFen, standardYear: standard.year },
      result.lines,
    );
  });
}

/** Sets the standards of a year (an administrator's change); results already computed keep theirs. */
export async function setVerificationStandard(db: Database, actor: Actor, input: SetVerificationStandardInput): Promise<StandardResult> {
  authorizeWrite(actor.viewer, 'administerVerificationStandards');
  const action = (await findStandardByYear(db, input.year)) ? AuditAction.UPDATE : AuditAction.CREATE;
  return runMutation(db, { actor, action, entityType: 'VerificationStandard', fields: () => givenFields(input) }, async (tx) => {
    const errors = new UserErrors();
    const field = (name: string) => ['input', name];
    const yearOk = checkIntRange(errors, field('year'), input.year, 2000, 2100);
    if (yearOk && Number(input.effectiveFrom.slice(0, 4)) !== input.year) errors.add(field('effectiveFrom'), UserErrorCode.OUT_OF_RANGE, 'effectiveFrom must lie within the year');
    if (input.minimumLivingStandardFen <= 0) errors.add(field('minimumLivingStandardFen'), UserErrorCode.OUT_OF_RANGE, 'minimumLivingStandardFen must be more than 0');
    if (input.assetLimitPerCapitaFen < 0) errors.add(field('assetLimitPerCapitaFen'), UserErrorCode.OUT_OF_RANGE, 'assetLimitPerCapitaFen must not be negative');
    checkIntRange(errors, field('maxDwellings'), input.maxDwellings, 0, 100);
    if (input.vehicleValueLimitFen < 0) errors.add(field('vehicleValueLimitFen'), UserErrorCode.OUT_OF_RANGE, 'vehicleValueLimitFen must not be negative');
    const note = optionalText(errors, field('note'), input.note, 500);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return upsertStandard(tx, {
      year: input.year,
      effectiveFrom: input.effectiveFrom,
      minimumLivingStandardFen: input.minimumLivingStandardFen,
      assetLimitPerCapitaFen: input.assetLimitPerCapitaFen,
      maxDwellings: input.maxDwellings,
      vehicleValueLimitFen: input.vehicleValueLimitFen,
      note: note ?? null,
      updatedBy: actor.viewer.subject,
    });
  });
}

// For other modules (applications, allowances): read without the viewer's scope; callers check theirs.

/** The live (not cancelled) verification of an application, if any. */
export function verificationOfApplication(db: Database, applicationId: number): Promise<VerificationRequestRow | undefined> {
  return findVerificationOfApplication(db, applicationId);
}

/** Whether the application's verification is COMPLETED (what moving it to REVIEW requires). */
export async function isVerificationCompleted(db: Database, applicationId: number): Promise<boolean> {
  return (await findVerificationOfApplication(db, applicationId))?.status === 'COMPLETED';
}

/**
 * The verified monthly income per member (fen, rounded up) of an application's household, for
 * computing an allowance; undefined until its verification is COMPLETED, null when it had no members.
 */
export async function verifiedPerCapitaMonthlyIncomeFen(db: Database, applicationId: number): Promise<number | null | undefined> {
  const verification = await findVerificationOfApplication(db, applicationId);
  return verification?.status === 'COMPLETED' ? verification.perCapitaMonthlyIncomeFen : undefined;
}

/** Cancels the application's PENDING verification (on withdrawal or rejection), inside the caller's transaction. */
export function cancelVerificationOfApplication(tx: Database, applicationId: number): Promise<boolean> {
  return cancelPendingVerification(tx, applicationId);
}
