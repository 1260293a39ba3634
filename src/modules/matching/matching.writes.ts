import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { needs, referralEvents, referrals } from '../../db/schema';

/** Writes a run's referrals and their first history step, in chunks; returns their ids. */
export async function insertMatchedReferrals(db: Database, rows: readonly (typeof referrals.$inferInsert)[], actor: string | null): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await db.insert(referrals).values(rows.slice(i, i + 500)).returning({ id: referrals.id });
    await db.insert(referralEvents).values(inserted.map((r) => ({ referralId: r.id, fromStatus: null, toStatus: 'PROPOSED' as const, actor, reason: 'Proposed by a matching run' })));
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

export async function markNeedsMatched(db: Database, needIds: readonly number[]): Promise<void> {
  if (needIds.length === 0) return;
  await db.update(needs).set({ status: 'MATCHED', updatedAt: new Date() }).where(and(inArray(needs.id, [...needIds]), eq(needs.status, 'OPEN')));
}
