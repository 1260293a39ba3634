import { eq, sql } from 'drizzle-orm';
import { todayInShanghai } from '../../common/dates';
import type { DbHandle } from '../client';
import { rowsOf } from '../rows';
import { hubMeta } from '../schema';
import { DEMO_SEED, insertDemoData, type DemoSummary } from './demo-data';
import { insertDemoApplications } from './demo-applications';
import { insertDemoReferrals } from './demo-referrals';
import { insertDemoCapacity, type CapacitySummary } from './demo-capacity';

const SEED_KEY = 'seed';

export interface SeedOutcome {
  readonly seeded: boolean;
  readonly summary?: DemoSummary & { readonly referrals: number; readonly applications: number; readonly capacity: CapacitySummary };
}

/**
 * Fills an empty database with the demo data set, once. The marker row is written in the
 * same transaction as the data, so a crash mid-seed leaves nothing and the next start retries;
 * a database that was seeded (or holds data of its own) is never touched again.
 */
export async function ensureDemoData(handle: DbHandle): Promise<SeedOutcome> {
  return handle.db.transaction(async (tx) => {
    // Serialises concurrent first starts of several hub instances on one server.
    if (handle.kind === 'postgres') await tx.execute(sql`select pg_advisory_xact_lock(4823518)`);
    const [marker] = await tx.select().from(hubMeta).where(eq(hubMeta.key, SEED_KEY));
    if (marker) return { seeded: false };
    const occupied = await tx.execute(sql`select exists (select 1 from districts) as occupied`);
    const rows = rowsOf<{ occupied: boolean }>(occupied);
    if (rows[0]?.occupied) return { seeded: false };
    const today = todayInShanghai();
    const generated = await insertDemoData(tx, { seed: DEMO_SEED, today });
    const summary = {
      ...generated,
      referrals: await insertDemoReferrals(tx, DEMO_SEED),
      applications: await insertDemoApplications(tx, DEMO_SEED, today),
      capacity: await insertDemoCapacity(tx, DEMO_SEED, today),
    };
    // With the seed and the day, the same data set can be rebuilt exactly.
    await tx.insert(hubMeta).values({ key: SEED_KEY, value: { dataSet: 'demo', seed: DEMO_SEED, today, at: new Date().toISOString(), summary } });
    return { seeded: true, summary };
  });
}
