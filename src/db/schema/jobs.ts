import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Runs of the hub's scheduled jobs (referral expiry, deadline escalation). An instance runs a
 * job for a time slot only if it claims the slot first: the primary key lets one claim through
 * however many instances try, so each job runs once per slot across all of them.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    job: text('job').notNull(),
    /** Start of the time slot the run is for (the tick interval, aligned to the clock). */
    slot: timestamp('slot', { withTimezone: true }).notNull(),
    /** The instance that claimed it: host, process id and a random start tag. */
    instance: text('instance').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    /** Null while running, or when the instance stopped mid-run. */
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Rows the job changed (referrals expired, escalations raised); null until finished or on failure. */
    changed: integer('changed'),
    /** The error's class name when the run failed; never its message, which may quote data. */
    failure: text('failure'),
  },
  (t) => [primaryKey({ columns: [t.job, t.slot] }), index('job_runs_slot_idx').on(t.slot)],
);
