import { and, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { needs, referralEvents, referrals } from '../../db/schema';
import { canMoveNeed, NEED_TRANSITIONS } from '../needs/needs.transitions';
import { NeedStatus } from '../needs/needs.types';

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

/** The statuses the need's transition table lets become MATCHED. */
const MAY_BECOME_MATCHED = (Object.keys(NEED_TRANSITIONS) as NeedStatus[]).filter((from) => canMoveNeed(from, NeedStatus.MATCHED));

/** Needs a run gave referrals become MATCHED, where the transition table allows it (a MATCHED need stays). */
export async function markNeedsMatched(db: Database, needIds: readonly number[]): Promise<void> {
  if (needIds.length === 0) return;
  await db
    .update(needs)
    .set({ status: NeedStatus.MATCHED, updatedAt: new Date() })
    .where(and(inArray(needs.id, [...needIds]), inArray(needs.status, MAY_BECOME_MATCHED)));
}
