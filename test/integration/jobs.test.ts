import { and, eq, sql } from 'drizzle-orm';
import { openDatabase, type DbHandle } from '../../src/db/client';
import { auditLog, jobRuns, referralEvents, referrals, resources } from '../../src/db/schema';
import { rowsOf } from '../../src/db/rows';
import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import { slotOf, startJobs, type JobRunner, type ScheduledJob } from '../../src/server/jobs';
import { databaseUrl, TEST_DATABASE_URL } from '../support/database';
import { startTestHub, type TestHub } from '../support/hub';
import { makeReferralScene, PROPOSE_REFERRAL } from '../support/referral-scene';

const DAY_MS = 86_400_000;
const quiet = () => undefined;

/**
 * The scheduled jobs on several instances of one database: each slot of a job is claimed in
 * job_runs by one instance, and the others skip it. On PostgreSQL the second instance has its
 * own connection pool, as a second process would; on PGlite both share the one connection.
 */
describe('scheduled jobs across instances', () => {
  let hub: TestHub;
  let second: DbHandle | undefined;
  const runners: JobRunner[] = [];

  beforeAll(async () => {
    hub = await startTestHub();
    if (TEST_DATABASE_URL) {
      const [{ name }] = rowsOf<{ name: string }>(await hub.db.execute(sql`select current_database() as name`)) as [{ name: string }];
      second = await openDatabase({ databaseUrl: databaseUrl(TEST_DATABASE_URL, name), poolSize: 2 });
    }
  });

  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.stop()));
    await second?.close();
    await hub.close();
  });

  /** A runner that only runs when told (its timer is a day away). */
  function runner(db = hub.db, jobs?: ScheduledJob[]): JobRunner {
    const started = startJobs(db, { jobIntervalSeconds: 3600 }, quiet, jobs);
    runners.push(started);
    return started;
  }

  async function proposeOne(): Promise<{ referralId: number; resourceId: number }> {
    const scene = await makeReferralScene(hub.db);
    const proposed = await hub.run<{ proposeReferral: { referral: { id: string } | null; userErrors: unknown[] } }>(
      PROPOSE_REFERRAL,
      { input: { need: toGlobalId('Need', scene.need), resource: toGlobalId('Resource', scene.resource), reason: '就近服务' } },
      { viewer: scene.caseworkerPrincipal },
    );
    expect(proposed.errors).toBeUndefined();
    expect(proposed.data!.proposeReferral.userErrors).toEqual([]);
    return { referralId: fromGlobalId(proposed.data!.proposeReferral.referral!.id)!.id, resourceId: scene.resource };
  }

  it('runs the expiry once when two instances tick at the same moment: one claims the slot, the other skips', async () => {
    const a = runner();
    const b = runner(second?.db ?? hub.db);
    const proposals = [await proposeOne(), await proposeOne()];
    // Four days on, both proposals are past their answer period.
    const later = new Date(Date.now() + 4 * DAY_MS);

    const [fromA, fromB] = await Promise.all([a.runNow(later), b.runNow(later)]);

    const expiry = [...fromA, ...fromB].filter((outcome) => outcome.job === 'referrals.expire');
    expect(expiry.map((outcome) => outcome.status).sort()).toEqual(['ran', 'skipped']);
    expect(expiry.find((outcome) => outcome.status === 'ran')!.changed).toBe(2);
    for (const job of ['referrals.expire', 'applications.escalate', 'job_runs.prune']) {
      expect([...fromA, ...fromB].filter((outcome) => outcome.job === job && outcome.status === 'ran')).toHaveLength(1);
    }

    const runs = await hub.db.select().from(jobRuns).where(eq(jobRuns.job, 'referrals.expire'));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ slot: slotOf(later, 3_600_000), changed: 2, failure: null });
    expect([a.instance, b.instance]).toContain(runs[0]!.instance);
    expect(runs[0]!.finishedAt).not.toBeNull();

    for (const { referralId, resourceId } of proposals) {
      const [referral] = await hub.db.select({ status: referrals.status }).from(referrals).where(eq(referrals.id, referralId));
      expect(referral!.status).toBe('EXPIRED');
      const expired = await hub.db.select().from(referralEvents).where(and(eq(referralEvents.referralId, referralId), eq(referralEvents.toStatus, 'EXPIRED')));
      expect(expired).toHaveLength(1);
      const audited = await hub.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'Referral'), eq(auditLog.entityId, referralId), eq(auditLog.action, 'TRANSITION')));
      expect(audited).toHaveLength(1);
      const [resource] = await hub.db.select({ held: resources.heldUnits }).from(resources).where(eq(resources.id, resourceId));
      expect(resource!.held).toBe(0);
    }
  });

  it('claims each slot once across many simultaneous ticks, and runs again in the next slot', async () => {
    const counted: string[] = [];
    const job: ScheduledJob = {
      name: 'test.count',
      everyMs: 60_000,
      run: async (_db, now) => {
        counted.push(now.toISOString());
        return 1;
      },
    };
    const instances = [runner(hub.db, [job]), runner(hub.db, [job]), runner(second?.db ?? hub.db, [job]), runner(second?.db ?? hub.db, [job])];
    const first = new Date('2030-01-01T08:00:10Z');
    const sameSlot = new Date('2030-01-01T08:00:50Z');
    const nextSlot = new Date('2030-01-01T08:01:05Z');

    const outcomes = (await Promise.all(instances.flatMap((instance) => [instance.runNow(first), instance.runNow(sameSlot)]))).flat();
    expect(outcomes.filter((outcome) => outcome.status === 'ran')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === 'skipped')).toHaveLength(7);
    expect(counted).toHaveLength(1);

    const next = (await Promise.all(instances.map((instance) => instance.runNow(nextSlot)))).flat();
    expect(next.filter((outcome) => outcome.status === 'ran')).toHaveLength(1);
    expect(counted).toHaveLength(2);
    const runs = await hub.db.select({ slot: jobRuns.slot, changed: jobRuns.changed }).from(jobRuns).where(eq(jobRuns.job, 'test.count')).orderBy(jobRuns.slot);
    expect(runs).toEqual([
      { slot: new Date('2030-01-01T08:00:00Z'), changed: 1 },
      { slot: new Date('2030-01-01T08:01:00Z'), changed: 1 },
    ]);
  });

  it("records a failed run by its error's class only, and the next slot runs again", async () => {
    class ProviderRegistryDown extends Error {
      override name = 'ProviderRegistryDown';
    }
    let calls = 0;
    const job: ScheduledJob = {
      name: 'test.failing',
      everyMs: 60_000,
      run: async () => {
        calls += 1;
        if (calls === 1) throw new ProviderRegistryDown('张三 310101196001011234 could not be reached');
        return 0;
      },
    };
    const logged: unknown[] = [];
    const instance = startJobs(hub.db, { jobIntervalSeconds: 3600 }, (event, fields) => logged.push({ event, ...fields }), [job]);
    runners.push(instance);

    expect(await instance.runNow(new Date('2030-02-01T00:00:00Z'))).toEqual([{ job: 'test.failing', slot: new Date('2030-02-01T00:00:00Z'), status: 'failed' }]);
    expect(await instance.runNow(new Date('2030-02-01T00:01:00Z'))).toEqual([{ job: 'test.failing', slot: new Date('2030-02-01T00:01:00Z'), status: 'ran', changed: 0 }]);

    const runs = await hub.db.select({ failure: jobRuns.failure, changed: jobRuns.changed }).from(jobRuns).where(eq(jobRuns.job, 'test.failing')).orderBy(jobRuns.slot);
    expect(runs).toEqual([
      { failure: 'ProviderRegistryDown', changed: null },
      { failure: null, changed: 0 },
    ]);
    expect(JSON.stringify(logged)).not.toContain('张三');
    expect(logged).toEqual([{ event: 'jobs.failed', job: 'test.failing', failure: 'ProviderRegistryDown' }]);
  });

  it('forgets runs older than a week', async () => {
    await hub.db.insert(jobRuns).values([
      { job: 'test.old', slot: new Date('2029-12-01T00:00:00Z'), instance: 'gone' },
      { job: 'test.old', slot: new Date('2029-12-30T00:00:00Z'), instance: 'gone' },
    ]);
    const instance = runner();
    const outcomes = await instance.runNow(new Date('2030-01-02T00:00:00Z'));
    expect(outcomes.find((outcome) => outcome.job === 'job_runs.prune')).toMatchObject({ status: 'ran' });
    const left = await hub.db.select({ slot: jobRuns.slot }).from(jobRuns).where(eq(jobRuns.job, 'test.old'));
    expect(left).toEqual([{ slot: new Date('2029-12-30T00:00:00Z') }]);
  });

  it('ticks by itself on the interval boundary, and stop() waits for a tick under way', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const ticks: number[] = [];
    const job: ScheduledJob = {
      name: 'test.timer',
      everyMs: 1000,
      run: async () => {
        ticks.push(Date.now());
        await gate;
        return 0;
      },
    };
    const instance = startJobs(hub.db, { jobIntervalSeconds: 1 }, quiet, [job]);
    for (let waited = 0; ticks.length === 0 && waited < 3000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ticks).toHaveLength(1);
    // Ticks fall 100 ms after a whole second on every instance (or later, on a busy machine),
    // so clocks a little apart still agree on the slot.
    expect(ticks[0]! % 1000).toBeGreaterThanOrEqual(100);
    let stopped = false;
    const stopping = instance.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
    const runs = await hub.db.select({ finishedAt: jobRuns.finishedAt }).from(jobRuns).where(eq(jobRuns.job, 'test.timer'));
    expect(runs).toHaveLength(1);
    expect(runs[0]!.finishedAt).not.toBeNull();
  });
});
