import type { Actor } from '../../auth/actor';
import { authorizeWrite } from '../../auth/authorize';
import type { Visibility } from '../../auth/visibility';
import { todayInShanghai } from '../../common/dates';
import { badInput, HubError } from '../../common/errors';
import type { WorkingCalendar, WorkingDayDate } from '../../common/working-days';
import type { Database } from '../../db/client';
import { recordAudit } from '../audit/audit.service';
import { AuditAction } from '../audit/audit.types';
import { loadWorkingCalendar } from '../calendar/calendar.service';
import { runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { checkIntRange } from '../common/validate';
import {
  completeOpenStep,
  findOpenTimedSteps,
  findStepLimit,
  insertEscalationsForOverdueSteps,
  insertStep,
  lockStepDeadlines,
  updateStepDeadline,
  upsertStepLimit,
  type ApplicationStatusValue,
  type ApplicationStepRow,
  type DeadlineDays,
  type NewApplicationStepRow,
  type StepLimitRow,
} from './deadlines.repository';

/** Statuses that end an application: no step, no clock. */
const FINAL: readonly ApplicationStatusValue[] = ['APPROVED', 'REJECTED', 'WITHDRAWN'];
/** Every status, in the order of the database enum. */
const STATUSES: readonly ApplicationStatusValue[] = ['RECEIVED', 'ACCEPTED', 'UNDER_VERIFICATION', 'REVIEW', 'PUBLICITY', ...FINAL];

/** Longest time limit a step may have (the table's check constraint says the same). */
export const MAX_STEP_WORKING_DAYS = 200;
/** "Nearly due" when no window is given: due within two working days. */
export const DEFAULT_DUE_SOON_WORKING_DAYS = 2;
export const MAX_DUE_SOON_WORKING_DAYS = 30;

const deadlineOf = (calendar: WorkingCalendar, on: string, limit: number | undefined): WorkingDayDate | undefined => (limit === undefined ? undefined : calendar.addWorkingDays(on, limit));

/**
 * Records that an application entered `status` at `at`: the open step is completed and, unless
 * the status is final, a new step starts with its deadline in working days from the Shanghai
 * date of `at`. Call it inside the transition's transaction.
 */
export async function enterApplicationStep(
  tx: Database,
  applicationId: number,
  status: ApplicationStatusValue,
  at: Date,
  calendar?: WorkingCalendar,
): Promise<ApplicationStepRow | undefined> {
  await lockStepDeadlines(tx, 'shared');
  const on = todayInShanghai(at);
  await completeOpenStep(tx, applicationId, at, on);
  if (FINAL.includes(status)) return undefined;
  const limit = await findStepLimit(tx, status);
  const due = limit === undefined ? undefined : deadlineOf(calendar ?? (await loadWorkingCalendar(tx)), on, limit);
  return insertStep(tx, { applicationId, status, enteredAt: at, enteredOn: on, dueOn: due?.date ?? null, provisional: due?.provisional ?? false });
}

/**
 * Recomputes the deadlines of every open step from the calendar as it is now: run after the
 * official calendar or a step's limit changes, in the same transaction. Returns how many moved.
 */
export async function recomputeOpenStepDeadlines(tx: Database): Promise<number> {
  // Waits for steps being entered and for another recomputation, then reads what they committed.
  await lockStepDeadlines(tx, 'exclusive');
  const calendar = await loadWorkingCalendar(tx);
  const limits = new Map<ApplicationStatusValue, number | undefined>();
  let moved = 0;
  for (const step of await findOpenTimedSteps(tx)) {
    if (!limits.has(step.status)) limits.set(step.status, await findStepLimit(tx, step.status));
    const due = deadlineOf(calendar, step.enteredOn, limits.get(step.status));
    if ((due?.date ?? null) !== step.dueOn || (due?.provisional ?? false) !== step.provisional) {
      await updateStepDeadline(tx, step.id, due?.date ?? null, due?.provisional ?? false);
      moved += 1;
    }
  }
  return moved;
}

/**
 * The scheduled job: escalates every step past its deadline, once per step. Safe on any number of
 * instances at once, since the escalation's unique key lets only one insert win.
 */
export async function escalateOverdueSteps(db: Database, now: Date = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const raised = await insertEscalationsForOverdueSteps(tx, todayInShanghai(now));
    if (raised.length > 0) {
      await recordAudit(
        tx,
        raised.map((escalation) => ({
          actor: { subject: null, organizationId: null, roles: [] },
          requestId: null,
          purpose: null,
          action: AuditAction.CREATE,
          entityType: 'ApplicationEscalation',
          entityId: escalation.id,
          fields: ['stepId', 'dueOn'],
        })),
      );
    }
    return raised.length;
  });
}

/**
 * The steps of a history already lived (the demo seed): each entry's step runs until the next
 * entry, and the last one stays open unless its status is final. Pure: limits and calendar given.
 */
export function stepsOfHistory(
  applicationId: number,
  history: readonly { readonly status: ApplicationStatusValue; readonly at: Date }[],
  limits: ReadonlyMap<ApplicationStatusValue, number>,
  calendar: WorkingCalendar,
): NewApplicationStepRow[] {
  return history.flatMap((entry, i) => {
    if (FINAL.includes(entry.status)) return [];
    const on = todayInShanghai(entry.at);
    const due = deadlineOf(calendar, on, limits.get(entry.status));
    const next = history[i + 1]?.at;
    return [{ applicationId, status: entry.status, enteredAt: entry.at, enteredOn: on, dueOn: due?.date ?? null, provisional: due?.provisional ?? false, completedAt: next ?? null, completedOn: next ? todayInShanghai(next) : null }];
  });
}

// Reading deadlines.

export type StepStateValue = 'ON_TIME' | 'DUE_SOON' | 'OVERDUE' | 'COMPLETED_ON_TIME' | 'COMPLETED_LATE' | 'NO_LIMIT';

/** The days a reading divides open steps by, as of `now`, with "nearly due" within `dueSoonWithin` working days. */
export function deadlineDays(calendar: WorkingCalendar, now: Date, dueSoonWithin: number = DEFAULT_DUE_SOON_WORKING_DAYS): DeadlineDays {
  const today = todayInShanghai(now);
  return { today, dueSoonBy: calendar.addWorkingDays(today, dueSoonWithin).date };
}

/** Refuses a "nearly due" window outside 0–30 working days as BAD_USER_INPUT at `field`. */
export function requireDueSoonWindow(value: number | null | undefined, field: readonly string[]): number {
  const days = value ?? DEFAULT_DUE_SOON_WORKING_DAYS;
  if (!Number.isInteger(days) || days < 0 || days > MAX_DUE_SOON_WORKING_DAYS) throw badInput(field, `${field[field.length - 1]} must be an integer from 0 to ${MAX_DUE_SOON_WORKING_DAYS}`);
  return days;
}

/** Where a step stands on the reading's days: completed steps by their completion, open ones by today. */
export function stepState(step: Pick<ApplicationStepRow, 'dueOn' | 'completedOn'>, days: DeadlineDays): StepStateValue {
  if (step.dueOn === null) return 'NO_LIMIT';
  if (step.completedOn !== null) return step.completedOn <= step.dueOn ? 'COMPLETED_ON_TIME' : 'COMPLETED_LATE';
  if (step.dueOn < days.today) return 'OVERDUE';
  return step.dueOn <= days.dueSoonBy ? 'DUE_SOON' : 'ON_TIME';
}

/** Working days from today to an open step's deadline: 0 on the day, negative once past; null without a limit or once completed. */
export function workingDaysLeft(step: Pick<ApplicationStepRow, 'dueOn' | 'completedOn'>, today: string, calendar: WorkingCalendar): number | null {
  if (step.dueOn === null || step.completedOn !== null) return null;
  return calendar.workingDaysBetween(today, step.dueOn).days;
}

/**
 * Deadlines are read within the viewer's Application scope. A viewer with none is refused rather
 * than shown empty lists, which would read as "nothing overdue".
 */
export function requireDeadlineReader(v: Visibility): Visibility {
  if (v.scopes.length === 0) throw new HubError('FORBIDDEN', 'Your roles do not allow reading application deadlines');
  return v;
}

// Administering the limits.

/** A limit as a row for the audit log: the status's position in the enum stands for its id. */
export type StepLimitResult = MutationResult<StepLimitRow & { id: number; movedSteps: number }>;

export interface StepLimitInput {
  readonly status: ApplicationStatusValue;
  readonly workingDays: number;
}

/**
 * Sets how many working days a status may take; the deadlines of open steps in any status follow
 * at once, in the same transaction (city civil affairs).
 */
export function setApplicationStepLimit(db: Database, actor: Actor, input: StepLimitInput): Promise<StepLimitResult> {
  authorizeWrite(actor.viewer, 'administerStepLimits');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'ApplicationStepLimit', fields: () => ['workingDays'] }, async (tx) => {
    const errors = new UserErrors();
    if (FINAL.includes(input.status)) errors.add(['input', 'status'], UserErrorCode.INVALID, `${input.status} ends an application: it has no time limit`);
    checkIntRange(errors, ['input', 'workingDays'], input.workingDays, 0, MAX_STEP_WORKING_DAYS);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    const row = await upsertStepLimit(tx, input.status, input.workingDays, actor.viewer.subject);
    const movedSteps = await recomputeOpenStepDeadlines(tx);
    return { id: STATUSES.indexOf(row.status) + 1, movedSteps, ...row };
  });
}
