import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import { escalateOverdueSteps } from '../modules/deadlines/deadlines.service';
import { claimJobSlot, deleteJobRunsBefore, finishJobRun } from '../modules/jobs/job-runs.repository';
import { expireOverdueReferrals } from '../modules/referrals/referrals.service';
import { publishReferralChanges } from '../modules/referrals/referrals.subscriptions';

const HOUR_MS = 3_600_000;
/** How long the record of job runs is kept. */
const KEEP_RUNS_MS = 7 * 24 * HOUR_MS;

/** A job run on a schedule: once per slot of `everyMs`, across every instance on the database. */
export interface ScheduledJob {
  readonly name: string;
  readonly everyMs: number;
  /** Does the work as of `now`; returns how many rows it changed. Must be safe to repeat. */
  run(db: Database, now: Date): Promise<number>;
}

/** The hub's jobs: proposals nobody answered go back to the pool, overdue steps escalate, old run records go. */
export function hubJobs(intervalMs: number): ScheduledJob[] {
  return [
    {
      name: 'referrals.expire',
      everyMs: intervalMs,
      run: async (db, now) => {
        const expired = await expireOverdueReferrals(db, now);
        // Subscribers to a need's status hear that it is back in the pool, on every instance.
        publishReferralChanges(expired, false);
        return expired.length;
      },
    },
    { name: 'applications.escalate', everyMs: intervalMs, run: (db, now) => escalateOverdueSteps(db, now) },
    { name: 'job_runs.prune', everyMs: Math.max(intervalMs, HOUR_MS), run: (db, now) => deleteJobRunsBefore(db, new Date(now.getTime() - KEEP_RUNS_MS)) },
  ];
}

/** The start of the slot `now` falls in. */
export function slotOf(now: Date, everyMs: number): Date {
  return new Date(Math.floor(now.getTime() / everyMs) * everyMs);
}

export interface JobOutcome {
  readonly job: string;
  readonly slot: Date;
  /** `skipped`: another instance (or an earlier tick of this one) had claimed the slot. */
  readonly status: 'ran' | 'skipped' | 'failed';
  readonly changed?: number;
}

export type JobLog = (event: string, fields?: Record<string, unknown>) => void;

export interface JobRunner {
  /** This instance's name in `job_runs.instance`. */
  readonly instance: string;
  /** Runs every job whose slot at `now` nobody has claimed yet (what each timer tick does). */
  runNow(now?: Date): Promise<JobOutcome[]>;
  /** No more ticks; resolves once a tick under way has finished. */
  stop(): Promise<void>;
}

/**
 * Runs the scheduled jobs on this instance. Ticks fall on the same clock instants on every
 * instance (each interval boundary plus a small offset, so clocks a little apart still agree on
 * the slot), and each job's slot is claimed in `job_runs` before it runs: one instance runs it,
 * the others skip. A run that fails or dies with its instance is not retried for that slot;
 * the next slot catches up, as every job works on whatever is overdue at its time.
 */
export function startJobs(db: Database, config: Pick<HubConfig, 'jobIntervalSeconds'>, log: JobLog, jobs: readonly ScheduledJob[] = hubJobs(config.jobIntervalSeconds * 1000)): JobRunner {
  const instance = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const intervalMs = config.jobIntervalSeconds * 1000;
  const offsetMs = Math.min(5000, Math.floor(intervalMs / 10));
  let running: Promise<JobOutcome[]> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function runJob(job: ScheduledJob, now: Date): Promise<JobOutcome> {
    const slot = slotOf(now, job.everyMs);
    if (!(await claimJobSlot(db, job.name, slot, instance))) return { job: job.name, slot, status: 'skipped' };
    let changed: number;
    try {
      changed = await job.run(db, now);
    } catch (error) {
      const failure = error instanceof Error ? error.name : 'unknown';
      log('jobs.failed', { job: job.name, failure });
      await finishJobRun(db, job.name, slot, { failure }).catch(() => undefined);
      return { job: job.name, slot, status: 'failed' };
    }
    // The work is committed: a failure to note its end is the record's, not the job's.
    await finishJobRun(db, job.name, slot, { changed }).catch((error: unknown) => log('jobs.record_failed', { job: job.name, failure: error instanceof Error ? error.name : 'unknown' }));
    if (changed > 0) log('jobs.ran', { job: job.name, changed });
    return { job: job.name, slot, status: 'ran', changed };
  }

  async function tick(now: Date): Promise<JobOutcome[]> {
    const outcomes: JobOutcome[] = [];
    for (const job of jobs) {
      try {
        outcomes.push(await runJob(job, now));
      } catch (error) {
        // The claim itself failed (the database is away): the next tick tries again.
        log('jobs.claim_failed', { job: job.name, name: error instanceof Error ? error.name : 'unknown' });
      }
    }
    return outcomes;
  }

  function runNow(now: Date = new Date()): Promise<JobOutcome[]> {
    // One tick at a time per instance: a long one makes the next wait, never overlap.
    const next = (running ?? Promise.resolve([])).then(() => tick(now));
    const current = next.finally(() => {
      if (running === current) running = undefined;
    });
    running = current;
    return current;
  }

  function schedule(): void {
    if (stopped) return;
    const now = Date.now();
    const nextTick = Math.floor((now - offsetMs) / intervalMs + 1) * intervalMs + offsetMs;
    timer = setTimeout(() => {
      void runNow().then(schedule);
    }, nextTick - now);
    timer.unref();
  }

  schedule();
  return {
    instance,
    runNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
