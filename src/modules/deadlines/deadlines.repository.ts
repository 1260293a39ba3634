import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { applicationEscalations, applicationStepLimits, applicationSteps } from '../../db/schema';

export type ApplicationStepRow = typeof applicationSteps.$inferSelect;
export type NewApplicationStepRow = typeof applicationSteps.$inferInsert;
export type ApplicationEscalationRow = typeof applicationEscalations.$inferSelect;
export type ApplicationStatusValue = ApplicationStepRow['status'];
export type StepLimitRow = typeof applicationStepLimits.$inferSelect;

export async function findStepLimit(db: Database, status: ApplicationStatusValue): Promise<number | undefined> {
  const [row] = await db.select({ workingDays: applicationStepLimits.workingDays }).from(applicationStepLimits).where(eq(applicationStepLimits.status, status));
  return row?.workingDays;
}

export const listStepLimits = (db: Database): Promise<StepLimitRow[]> => db.select().from(applicationStepLimits).orderBy(applicationStepLimits.status);

export async function upsertStepLimit(db: Database, status: ApplicationStatusValue, workingDays: number, updatedBy: string | null): Promise<StepLimitRow> {
  const [row] = await db
    .insert(applicationStepLimits)
    .values({ status, workingDays, updatedBy })
    .onConflictDoUpdate({ target: applicationStepLimits.status, set: { workingDays, updatedBy, updatedAt: sql`now()` } })
    .returning();
  return row!;
}

export async function deleteStepLimit(db: Database, status: ApplicationStatusValue): Promise<void> {
  await db.delete(applicationStepLimits).where(eq(applicationStepLimits.status, status));
}

/** Completes the application's open step, if any. */
export async function completeOpenStep(db: Database, applicationId: number, at: Date, on: string): Promise<void> {
  await db
    .update(applicationSteps)
    .set({ completedAt: at, completedOn: on })
    .where(and(eq(applicationSteps.applicationId, applicationId), isNull(applicationSteps.completedAt)));
}

export async function insertStep(db: Database, row: NewApplicationStepRow): Promise<ApplicationStepRow> {
  const [step] = await db.insert(applicationSteps).values(row).returning();
  return step!;
}

/** Open steps with a deadline, optionally only those whose deadline is provisional. */
export function findOpenTimedSteps(db: Database): Promise<Pick<ApplicationStepRow, 'id' | 'status' | 'enteredOn' | 'dueOn' | 'provisional'>[]> {
  return db
    .select({ id: applicationSteps.id, status: applicationSteps.status, enteredOn: applicationSteps.enteredOn, dueOn: applicationSteps.dueOn, provisional: applicationSteps.provisional })
    .from(applicationSteps)
    .where(and(isNull(applicationSteps.completedAt), sql`${applicationSteps.dueOn} is not null`));
}

export async function updateStepDeadline(db: Database, id: number, dueOn: string | null, provisional: boolean): Promise<void> {
  await db.update(applicationSteps).set({ dueOn, provisional }).where(eq(applicationSteps.id, id));
}

/**
 * Raises an escalation for every open step past its deadline on `today`, once per step: one
 * statement whose unique key makes a second run, on this instance or another, insert nothing.
 */
export async function insertEscalationsForOverdueSteps(db: Database, today: string): Promise<{ id: number }[]> {
  const result = await db.execute(sql`
    insert into application_escalations (step_id, application_id, district_id, to_organization_id, due_on, escalated_on)
    select s.id, s.application_id, a.competent_district_id,
      (select o.id from organizations o
        where o.kind = 'GOVERNMENT_DEPARTMENT' and o.department_function = 'CIVIL_AFFAIRS' and o.level = 'DISTRICT'
          and o.district_id = a.competent_district_id
        order by o.id limit 1),
      s.due_on, ${today}::date
    from application_steps s
    join applications a on a.id = s.application_id
    where s.completed_at is null and s.due_on < ${today}::date
    on conflict (step_id) do nothing
    returning id`);
  return rowsOf<{ id: number }>(result);
}
