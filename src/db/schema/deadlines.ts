import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { applications, applicationStatus } from './applications';
import { districts } from './geography';
import { organizations } from './organizations';

/** How many working days each step of an application may take (限时办理): configuration as data. */
export const applicationStepLimits = pgTable(
  'application_step_limits',
  {
    status: applicationStatus('status').primaryKey(),
    workingDays: integer('working_days').notNull(),
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('application_step_limits_days_ck', sql`${t.workingDays} between 0 and 200`)],
);

/**
 * One step of an application: the time it spent in one status, with the deadline it had there.
 * The open step (not yet completed) is the application's current one.
 */
export const applicationSteps = pgTable(
  'application_steps',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    applicationId: integer('application_id').notNull().references(() => applications.id),
    status: applicationStatus('status').notNull(),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
    /** The Shanghai date the step began; the deadline counts working days from it. */
    enteredOn: date('entered_on').notNull(),
    /** Null for a step without a time limit. */
    dueOn: date('due_on'),
    /** The deadline reaches a year whose official calendar is not loaded yet (weekends only). */
    provisional: boolean('provisional').notNull().default(false),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedOn: date('completed_on'),
  },
  (t) => [
    index('application_steps_application_idx').on(t.applicationId, t.id),
    uniqueIndex('application_steps_one_open_uq').on(t.applicationId).where(sql`${t.completedAt} is null`),
    index('application_steps_open_due_idx').on(t.dueOn, t.id).where(sql`${t.completedAt} is null`),
    // The scorecard's on-time handling: timed steps due in a year, completed or not.
    index('application_steps_due_idx').on(t.dueOn).where(sql`${t.dueOn} is not null`),
    // The on-time handling rate: timed steps completed in a period.
    index('application_steps_completed_timed_idx').on(t.completedOn).where(sql`${t.completedAt} is not null and ${t.dueOn} is not null`),
    check('application_steps_completed_ck', sql`(${t.completedAt} is null) = (${t.completedOn} is null)`),
  ],
);

/** An escalation (督办): a step went past its deadline; raised once per step, to the district bureau. */
export const applicationEscalations = pgTable(
  'application_escalations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    stepId: integer('step_id').notNull().references(() => applicationSteps.id),
    applicationId: integer('application_id').notNull().references(() => applications.id),
    districtId: integer('district_id').notNull().references(() => districts.id),
    /** The competent district's civil affairs bureau, when the hub knows it. */
    toOrganizationId: integer('to_organization_id').references(() => organizations.id),
    dueOn: date('due_on').notNull(),
    escalatedOn: date('escalated_on').notNull(),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Once per step, however many instances run the job: the database decides.
    uniqueIndex('application_escalations_step_uq').on(t.stepId),
    index('application_escalations_application_idx').on(t.applicationId, t.id),
    index('application_escalations_district_idx').on(t.districtId, t.escalatedOn),
  ],
);
