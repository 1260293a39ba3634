import type { Actor } from '../../auth/actor';
import { authorizeWrite } from '../../auth/authorize';
import { HubError } from '../../common/errors';
import { todayInShanghai } from '../../common/dates';
import type { Database } from '../../db/client';
import { violatedUniqueIndex } from '../../db/errors';
import { recordAudit } from '../audit/audit.service';
import { AuditAction } from '../audit/audit.types';
import { inputId } from '../common/ids';
import { runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { checkDate, optionalText, requiredText } from '../common/validate';
import { computeAllowance } from './allowance-formula';
import { isMonth, monthInShanghai, nextMonth } from './months';
import {
  addDueLines,
  approveBatchRow,
  changeAllowanceStatus,
  claimBatch,
  districtExists,
  dropUndueLines,
  findAllowanceOfApplication,
  findLiveAllowanceOfHousehold,
  findApplicationForAllowance,
  findFormulaInForce,
  findMemberFacts,
  findVerifiedIncome,
  insertAllowance,
  lockAllowance,
  lockBatch,
  lockLine,
  markLineReturned,
  ONE_ALLOWANCE_PER_APPLICATION,
  touchBatch,
  withdrawPendingLines,
  type AllowanceRow,
  type AllowanceStatusValue,
  type BatchRow,
  type LineRow,
} from './payments.repository';

type Path = readonly (string | number)[];

/** An allowance's life, written once: every status change goes through it. */
export const ALLOWANCE_TRANSITIONS: Readonly<Record<AllowanceStatusValue, readonly AllowanceStatusValue[]>> = {
  ACTIVE: ['SUSPENDED', 'ENDED'],
  SUSPENDED: ['ACTIVE', 'ENDED'],
  ENDED: [],
};

const field = (name: string): Path => ['input', name];

/** A YYYY-MM month, or a user error naming the field. */
function checkMonth(errors: UserErrors, path: Path, value: string): boolean {
  if (isMonth(value)) return true;
  errors.add(path, UserErrorCode.INVALID, `${path[path.length - 1]} must be a month written YYYY-MM`);
  return false;
}

// ---- grants ----

/**
 * Grants the monthly allowance of an approved application, inside the caller's transaction.
 * Returns the allowance (the existing one when already granted: one per application), or null
 * when the application's type is not paid monthly through this platform. Throws UserErrorsAbort
 * (field `path`) when the application is missing, not APPROVED, or lacks the verified income its
 * formula needs; FORBIDDEN when the actor may not manage allowances of its competent street.
 * The amount uses the formula in force in the start month: the month of the approval (Shanghai).
 */
async function grant(tx: Database, actor: Actor, applicationId: number, path: Path): Promise<{ row: AllowanceRow; created: boolean } | null> {
  const errors = new UserErrors();
  const application = await findApplicationForAllowance(tx, applicationId);
  if (!application) {
    errors.add(path, UserErrorCode.NOT_FOUND, 'No such application');
    throw new UserErrorsAbort(errors.list);
  }
  authorizeWrite(actor.viewer, 'manageAllowance', { districtIds: [application.districtId], streetIds: [application.streetId] });
  const existing = await findAllowanceOfApplication(tx, application.id);
  if (existing) return { row: existing, created: false };
  if (application.status !== 'APPROVED' || application.decidedAt === null) {
    errors.add(path, UserErrorCode.INVALID_STATE, `Only an APPROVED application is paid; this one is ${application.status}`);
    throw new UserErrorsAbort(errors.list);
  }
  const startMonth = monthInShanghai(application.decidedAt);
  const formula = await findFormulaInForce(tx, application.type, startMonth);
  if (!formula) return null;
  const income = formula.method === 'GAP_TO_STANDARD' ? await findVerifiedIncome(tx, application.id) : null;
  if (formula.method === 'GAP_TO_STANDARD' && !income) {
    errors.add(path, UserErrorCode.INVALID_STATE, 'The application has no completed verification with an income figure');
    throw new UserErrorsAbort(errors.list);
  }
  const current = await findLiveAllowanceOfHousehold(tx, application.householdId, application.type);
  if (current) {
    errors.add(path, UserErrorCode.CONFLICT, 'The household already receives this allowance from an earlier application: end that one first');
    throw new UserErrorsAbort(errors.list);
  }
  const members = await findMemberFacts(tx, application.householdId);
  if (members.length === 0) {
    errors.add(path, UserErrorCode.INVALID_STATE, 'The household has no members');
    throw new UserErrorsAbort(errors.list);
  }
  const explanation = computeAllowance(
    formula,
    members.map((m) => ({ attributes: m.attributes, birthDate: m.birthDate })),
    startMonth,
    income ?? null,
  );
  const row = await insertAllowance(tx, {
    applicationId: application.id,
    householdId: application.householdId,
    type: application.type,
    streetId: application.streetId,
    districtId: application.districtId,
    formulaId: formula.id,
    monthlyAmountFen: explanation.monthlyAmountFen,
    explanation,
    startMonth,
    status: 'ACTIVE',
    statusMonth: startMonth,
    grantedBy: actor.viewer.subject,
  });
  return { row, created: true };
}

const GRANT_FIELDS = ['application', 'type', 'monthlyAmountFen', 'explanation', 'startMonth', 'status'];

/**
 * For the applications module: call inside the approval's transaction, after the application is
 * APPROVED. Grants its allowance when its type is paid monthly (null otherwise) and audits the
 * creation; calling it again for the same application returns the same allowance.
 */
export async function grantAllowanceForApprovedApplication(tx: Database, actor: Actor, applicationId: number): Promise<AllowanceRow | null> {
  const granted = await grant(tx, actor, applicationId, ['input', 'application']);
  if (granted?.created) {
    await recordAudit(tx, [
      { actor: actor.viewer, requestId: actor.requestId, purpose: actor.purpose ?? null, action: AuditAction.CREATE, entityType: 'Allowance', entityId: granted.row.id, fields: GRANT_FIELDS },
    ]);
  }
  return granted?.row ?? null;
}

export type AllowanceResult = MutationResult<AllowanceRow>;

/** The grantAllowance mutation: idempotent per application, audited once when created. */
export async function grantAllowance(db: Database, actor: Actor, input: { application: string }): Promise<AllowanceResult> {
  authorizeWrite(actor.viewer, 'manageAllowance');
  const errors = new UserErrors();
  const applicationId = inputId(input.application, 'Application', field('application'), errors);
  if (applicationId === undefined) return { row: null, userErrors: errors.list };
  const retry = async (): Promise<AllowanceResult | undefined> => {
    const earlier = await findAllowanceOfApplication(db, applicationId);
    if (!earlier) return undefined;
    authorizeWrite(actor.viewer, 'manageAllowance', { districtIds: [earlier.districtId], streetIds: [earlier.streetId] });
    return { row: earlier, userErrors: [] };
  };
  const earlier = await retry();
  if (earlier) return earlier;
  try {
    return await runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'Allowance', fields: () => GRANT_FIELDS }, async (tx) => {
      const granted = await grant(tx, actor, applicationId, field('application'));
      if (!granted) {
        errors.add(field('application'), UserErrorCode.INVALID, 'This type of assistance is not paid monthly through this platform');
        throw new UserErrorsAbort(errors.list);
      }
      return granted.row;
    });
  } catch (error) {
    // Two grants of one application raced: the loser returns the winner's allowance.
    if (violatedUniqueIndex(error) === ONE_ALLOWANCE_PER_APPLICATION) {
      const winner = await retry();
      if (winner) return winner;
    }
    throw error;
  }
}

export interface AllowanceStatusCommand {
  readonly id: string;
  readonly effectiveMonth: string;
  readonly reason?: string | null;
}

/**
 * Suspends, resumes or ends an allowance from a month on. Months only move forward: a change
 * takes effect no earlier than the allowance's latest one. Suspending or ending withdraws its
 * lines still pending in draft batches from that month on; paid months stay paid (and show in
 * the reconciliation when they were not due).
 */
export function changeAllowance(db: Database, actor: Actor, to: AllowanceStatusValue, command: AllowanceStatusCommand): Promise<AllowanceResult> {
  authorizeWrite(actor.viewer, 'manageAllowance');
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'Allowance', fields: () => ['status', 'statusMonth', 'statusReason'] }, async (tx) => {
    const errors = new UserErrors();
    const id = inputId(command.id, 'Allowance', field('id'), errors);
    const allowance = id === undefined ? undefined : await lockAllowance(tx, id);
    if (id !== undefined && !allowance) errors.add(field('id'), UserErrorCode.NOT_FOUND, 'No such allowance');
    if (allowance) authorizeWrite(actor.viewer, 'manageAllowance', { districtIds: [allowance.districtId], streetIds: [allowance.streetId] });
    const reason = to === 'ACTIVE' ? optionalText(errors, field('reason'), command.reason, 500) : requiredText(errors, field('reason'), command.reason ?? '', 500);
    const monthValid = checkMonth(errors, field('effectiveMonth'), command.effectiveMonth);
    if (allowance && !ALLOWANCE_TRANSITIONS[allowance.status].includes(to)) {
      errors.add(field('id'), UserErrorCode.INVALID_STATE, `A ${allowance.status} allowance cannot become ${to}`);
    } else if (allowance && monthValid && command.effectiveMonth < allowance.statusMonth) {
      errors.add(field('effectiveMonth'), UserErrorCode.OUT_OF_RANGE, `effectiveMonth must not be before ${allowance.statusMonth}, the month of the allowance's latest change`);
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);
    if (to !== 'ACTIVE') await withdrawPendingLines(tx, allowance!.id, command.effectiveMonth);
    return changeAllowanceStatus(tx, allowance!.id, { status: to, month: command.effectiveMonth, reason: reason ?? null, actor: actor.viewer.subject });
  });
}

// ---- batches ----

export type BatchRunRow = BatchRow & { readonly linesAdded: number; readonly linesRemoved: number };
export type BatchRunResult = MutationResult<BatchRunRow>;

/**
 * Creates or refreshes the district's DRAFT batch of the month: lines for every payable allowance
 * not yet listed for that month in any batch, and none for allowances no longer due. Running it
 * again changes nothing; running it on an APPROVED batch adds nothing (the month is closed).
 */
export function runDisbursementBatch(db: Database, actor: Actor, input: { district: string; month: string }): Promise<BatchRunResult> {
  authorizeWrite(actor.viewer, 'runDisbursementBatch');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'DisbursementBatch', fields: () => ['lines'] }, async (tx) => {
    const errors = new UserErrors();
    const districtId = inputId(input.district, 'District', field('district'), errors);
    if (districtId !== undefined && !(await districtExists(tx, districtId))) errors.add(field('district'), UserErrorCode.NOT_FOUND, 'No such district');
    // A batch is prepared at most one month ahead.
    const latest = nextMonth(monthInShanghai());
    if (checkMonth(errors, field('month'), input.month) && input.month > latest) {
      errors.add(field('month'), UserErrorCode.OUT_OF_RANGE, `month must not be after ${latest}`);
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);
    authorizeWrite(actor.viewer, 'runDisbursementBatch', { districtIds: [districtId!] });
    const batch = await claimBatch(tx, districtId!, input.month, actor.viewer.subject);
    if (batch.status === 'APPROVED') return { ...batch, linesAdded: 0, linesRemoved: 0 };
    const linesRemoved = await dropUndueLines(tx, batch);
    const linesAdded = await addDueLines(tx, batch);
    return { ...(await touchBatch(tx, batch.id, actor.viewer.subject)), linesAdded, linesRemoved };
  });
}

export type BatchResult = MutationResult<BatchRow>;

/**
 * Approves a DRAFT batch (finance): its pending lines become PAID. Approving an APPROVED batch
 * again changes nothing. Whoever ran the batch last may not approve it (four eyes).
 */
export function approveDisbursementBatch(db: Database, actor: Actor, input: { id: string }): Promise<BatchResult> {
  authorizeWrite(actor.viewer, 'approveDisbursementBatch');
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'DisbursementBatch', fields: () => ['status'] }, async (tx) => {
    const errors = new UserErrors();
    const id = inputId(input.id, 'DisbursementBatch', field('id'), errors);
    const batch = id === undefined ? undefined : await lockBatch(tx, id);
    if (id !== undefined && !batch) errors.add(field('id'), UserErrorCode.NOT_FOUND, 'No such batch');
    if (errors.any) throw new UserErrorsAbort(errors.list);
    authorizeWrite(actor.viewer, 'approveDisbursementBatch', { districtIds: [batch!.districtId] });
    if (batch!.status === 'APPROVED') return batch!;
    if (actor.viewer.subject !== null && actor.viewer.subject === batch!.refreshedBy) {
      throw new HubError('FORBIDDEN', 'Whoever ran a batch may not approve it');
    }
    // An allowance suspended or ended while the batch was being run must not be paid.
    await dropUndueLines(tx, batch!);
    return approveBatchRow(tx, batch!.id, actor.viewer.subject);
  });
}

export type LineResult = MutationResult<LineRow>;

/** Records that a PAID amount came back, with the reason and the day it came back. */
export function recordReturnedPayment(db: Database, actor: Actor, input: { line: string; reason: string; returnedOn?: string | null }): Promise<LineResult> {
  authorizeWrite(actor.viewer, 'recordReturnedPayment');
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'DisbursementLine', fields: () => ['status', 'returnReason', 'returnedOn'] }, async (tx) => {
    const errors = new UserErrors();
    const id = inputId(input.line, 'DisbursementLine', field('line'), errors);
    const line = id === undefined ? undefined : await lockLine(tx, id);
    if (id !== undefined && !line) errors.add(field('line'), UserErrorCode.NOT_FOUND, 'No such payment line');
    if (line) authorizeWrite(actor.viewer, 'recordReturnedPayment', { districtIds: [line.districtId] });
    if (line && line.status !== 'PAID') errors.add(field('line'), UserErrorCode.INVALID_STATE, `Only a PAID line can come back; this one is ${line.status}`);
    const reason = requiredText(errors, field('reason'), input.reason, 500);
    const returnedOn = input.returnedOn ?? todayInShanghai();
    if (checkDate(errors, field('returnedOn'), returnedOn) && line?.paidAt && returnedOn < todayInShanghai(line.paidAt)) {
      errors.add(field('returnedOn'), UserErrorCode.OUT_OF_RANGE, 'returnedOn must not be before the day the line was paid');
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return markLineReturned(tx, line!.id, { reason: reason!, returnedOn, actor: actor.viewer.subject });
  });
}
