import { and, eq, inArray, sql } from 'drizzle-orm';
import { groupBy } from '../../common/collections';
import { SeededRandom } from '../../common/random';
import type { Database } from '../client';
import { needs, organizations, referralEvents, referrals, resourceServiceAreas, resources } from '../schema';

const OUTCOMES = ['按计划完成上门服务', '服务完成，家属表示满意', '完成评估并制定后续计划', '完成阶段性服务目标'];
const DAY_MS = 86_400_000;
const LOOP: readonly (typeof referrals.$inferSelect)['status'][] = ['PROPOSED', 'ACCEPTED', 'IN_SERVICE', 'COMPLETED'];

/**
 * Gives the demo's MATCHED and FULFILLED needs the referrals that explain them: each goes to a
 * compatible active resource (same item, serving its community) with free units; a need for which
 * none has room goes back to OPEN. Held units follow the live referrals, so the data obeys the
 * same no-overbooking rule as the hub.
 */
export async function insertDemoReferrals(db: Database, seed: number): Promise<number> {
  const rng = new SeededRandom(seed + 17);
  const placed = await db
    .select({ id: needs.id, householdId: needs.householdId, categoryId: needs.categoryId, units: needs.units, status: needs.status, committeeId: needs.committeeId, streetId: needs.streetId, districtId: needs.districtId, createdAt: needs.createdAt })
    .from(needs)
    .where(inArray(needs.status, ['MATCHED', 'FULFILLED']))
    .orderBy(needs.id);
  const supply = await db
    .select({ id: resources.id, providerId: resources.providerId, categoryId: resources.categoryId, capacity: resources.capacity })
    .from(resources)
    .innerJoin(organizations, eq(organizations.id, resources.providerId))
    .where(and(eq(resources.status, 'ACTIVE'), eq(organizations.providerStatus, 'ACTIVE')))
    .orderBy(resources.id);
  const areas = await db.select().from(resourceServiceAreas);
  const servedBy = groupBy(areas, (area) => area.resourceId);
  const serves = (resourceId: number, need: (typeof placed)[number]) =>
    (servedBy.get(resourceId) ?? []).some((a) => a.committeeId === need.committeeId || (a.level === 'STREET' && a.streetId === need.streetId) || (a.level === 'DISTRICT' && a.districtId === need.districtId));
  const held = new Map<number, number>();
  const rows: (typeof referrals.$inferInsert)[] = [];
  const reopened: number[] = [];
  for (const need of placed) {
    const live = need.status === 'MATCHED';
    const candidates = supply.filter((r) => r.categoryId === need.categoryId && serves(r.id, need) && (!live || (held.get(r.id) ?? 0) + need.units <= r.capacity));
    if (candidates.length === 0) {
      reopened.push(need.id);
      continue;
    }
    const resource = rng.pick(candidates);
    if (live) held.set(resource.id, (held.get(resource.id) ?? 0) + need.units);
    const status = live ? rng.pick(['PROPOSED', 'ACCEPTED', 'IN_SERVICE'] as const) : 'COMPLETED';
    const createdAt = new Date(need.createdAt.getTime() + rng.int(1, 5) * DAY_MS);
    rows.push({
      needId: need.id,
      resourceId: resource.id,
      providerId: resource.providerId,
      householdId: need.householdId,
      units: need.units,
      status,
      reason: '同类服务，服务范围覆盖所在社区',
      proposedBy: 'demo-matcher',
      outcome: status === 'COMPLETED' ? rng.pick(OUTCOMES) : null,
      satisfaction: status === 'COMPLETED' ? rng.weightedPick([5, 4, 3, 2, 1], (s) => [40, 35, 15, 7, 3][5 - s]!) : null,
      expiresAt: new Date(createdAt.getTime() + 3 * DAY_MS),
      createdAt,
      updatedAt: createdAt,
    });
  }
  if (reopened.length > 0) await db.update(needs).set({ status: 'OPEN' }).where(inArray(needs.id, reopened));
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await db.insert(referrals).values(rows.slice(i, i + 500)).returning({ id: referrals.id, status: referrals.status, createdAt: referrals.createdAt });
    await db.insert(referralEvents).values(inserted.map((r) => ({ referralId: r.id, fromStatus: null, toStatus: 'PROPOSED' as const, actor: 'demo-matcher', reason: '演示数据', at: r.createdAt })));
    // The history walks the loop one step at a time up to the referral's status.
    const steps = inserted.flatMap((r) =>
      LOOP.slice(1, LOOP.indexOf(r.status) + 1).map((toStatus, i) => ({
        referralId: r.id,
        fromStatus: LOOP[i]!,
        toStatus,
        actor: 'demo-provider',
        reason: null,
        at: new Date(r.createdAt.getTime() + (i + 1) * DAY_MS),
      })),
    );
    if (steps.length > 0) await db.insert(referralEvents).values(steps);
  }
  for (const [resourceId, units] of held) {
    await db.update(resources).set({ heldUnits: sql`${units}` }).where(eq(resources.id, resourceId));
  }
  return rows.length;
}
