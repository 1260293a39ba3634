import { todayInShanghai } from '../../common/dates';
import type { WorkingCalendar } from '../../common/working-days';
import type { Database } from '../../db/client';
import { recordAudit } from '../audit/audit.service';
import { AuditAction } from '../audit/audit.types';
import { loadWorkingCalendar } from '../calendar/calendar.service';
import {
  completeOpenStep,
  findOpenTimedSteps,
  findStepLimit,
  insertEscalationsForOverdueSteps,
  insertStep,
  updateStepDeadline,
  type ApplicationStatusValue,
  type ApplicationStepRow,
} from './deadlines.repository';

/** Statuses that end an application: no step, no clock. */
const FINAL: readonly ApplicationStatusValue[] = ['APPROVED', 'REJECTED', 'WITHDRAWN'];

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
  const on = todayInShanghai(at);
  await completeOpenStep(tx, applicationId, at, on);
  if (FINAL.includes(status)) return undefined;
  const limit = await findStepLimit(tx, status);
  const due = limit === undefined ? undefined : (calendar ?? (await loadWorkingCalendar(tx))).addWorkingDays(on, limit);
  return insertStep(tx, { applicationId, status, enteredAt: at, enteredOn: on, dueOn: due?.date ?? null, provisional: due?.provisional ?? false });
}

/**
 * Recomputes the deadlines of every open step from the calendar as it is now: run after the
 * official calendar or a step's limit changes, in the same transaction. Returns how many moved.
 */
export async function recomputeOpenStepDeadlines(tx: Database): Promise<number> {
  const calendar = await loadWorkingCalendar(tx);
  const limits = new Map<ApplicationStatusValue, number | undefined>();
  let moved = 0;
  for (const step of await findOpenTimedSteps(tx)) {
    if (!limits.has(step.status)) limits.set(step.status, await findStepLimit(tx, step.status));
    const limit = limits.get(step.status);
    const due = limit === undefined ? undefined : calendar.addWorkingDays(step.enteredOn, limit);
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
