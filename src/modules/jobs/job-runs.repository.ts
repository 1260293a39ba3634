import { and, eq, lt } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { jobRuns } from '../../db/schema';

/** Claims a job's slot for an instance; false when another instance claimed it first. */
export async function claimJobSlot(db: Database, job: string, slot: Date, instance: string): Promise<boolean> {
  const claimed = await db.insert(jobRuns).values({ job, slot, instance }).onConflictDoNothing().returning({ job: jobRuns.job });
  return claimed.length === 1;
}

export async function finishJobRun(db: Database, job: string, slot: Date, outcome: { changed: number } | { failure: string }): Promise<void> {
  await db
    .update(jobRuns)
    .set({ finishedAt: new Date(), ...('changed' in outcome ? { changed: outcome.changed } : { failure: outcome.failure }) })
    .where(and(eq(jobRuns.job, job), eq(jobRuns.slot, slot)));
}

/** Forgets runs of slots before `before`: the table is a recent record, not an archive. */
export async function deleteJobRunsBefore(db: Database, before: Date): Promise<number> {
  const deleted = await db.delete(jobRuns).where(lt(jobRuns.slot, before)).returning({ job: jobRuns.job });
  return deleted.length;
}
