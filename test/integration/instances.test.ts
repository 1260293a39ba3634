import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import { and, eq, sql } from 'drizzle-orm';
import { issueDevelopmentToken } from '../../src/auth/tokens';
import { Role } from '../../src/auth/roles';
import { toGlobalId } from '../../src/common/global-id';
import { loadConfig } from '../../src/config';
import { rowsOf } from '../../src/db/rows';
import { jobRuns, referralEvents, referrals, resources } from '../../src/db/schema';
import { databaseUrl, openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../support/database';
import { makeReferralScene, PROPOSE_REFERRAL, type ReferralScene } from '../support/referral-scene';
import { collectEvents } from '../support/subscriptions';

// `npm test` builds dist/ first (the pretest script): the instances run as `hub serve` runs.
const main = path.resolve(__dirname, '../../dist/main.js');

interface Instance {
  readonly url: string;
  readonly process: ChildProcess;
  readonly lines: string[];
}

/** Starts `hub serve` as its own process; resolves once it logs server.ready. */
function startInstance(env: NodeJS.ProcessEnv): Promise<Instance> {
  const child = spawn(process.execPath, [main, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no server.ready within 60 s:\n${lines.join('\n')}`)), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub serve exited with ${code}:\n${lines.join('\n')}`));
    });
    readline.createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const entry = JSON.parse(line) as { event?: string; url?: string };
      if (entry.event === 'server.ready') {
        clearTimeout(timer);
        resolve({ url: entry.url!.replace('localhost', '127.0.0.1'), process: child, lines });
      }
    });
  });
}

async function stopInstance(instance: Instance | undefined): Promise<void> {
  if (!instance || instance.process.exitCode !== null) return;
  const exited = new Promise((resolve) => instance.process.once('exit', resolve));
  instance.process.kill('SIGTERM');
  await exited;
}

const pg = TEST_DATABASE_URL ? describe : describe.skip;

/**
 * Two `hub serve` processes on different ports and one PostgreSQL database, as behind a load
 * balancer: an event caused through one reaches a subscriber on the other, and the scheduled
 * jobs, which both instances tick at the same instants, run once.
 */
pg('two hub instances on one database (needs a PostgreSQL server: set TEST_DATABASE_URL)', () => {
  const secret = randomBytes(24).toString('hex');
  const auth = loadConfig({ HUB_JWT_SECRET: secret }).auth;
  let database: TestDatabase;
  let scene: ReferralScene;
  let a: Instance | undefined;
  let b: Instance | undefined;

  beforeAll(async () => {
    database = await openTestDatabase();
    scene = await makeReferralScene(database.handle.db);
    const [{ name }] = rowsOf<{ name: string }>(await database.handle.db.execute(sql`select current_database() as name`)) as [{ name: string }];
    const env = {
      ...process.env,
      NODE_OPTIONS: '',
      DATABASE_URL: databaseUrl(TEST_DATABASE_URL!, name),
      HUB_DB_POOL_SIZE: '3',
      HUB_SEED: 'none',
      HOST: '127.0.0.1',
      PORT: '0',
      HUB_JWT_SECRET: secret,
      // Every second instead of every minute, so the test sees several slots.
      HUB_JOB_INTERVAL_SECONDS: '1',
    };
    [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stopInstance(a), stopInstance(b)]);
    await database?.close();
  });

  const bearer = async (claims: Parameters<typeof issueDevelopmentToken>[1]) => `Bearer ${await issueDevelopmentToken(auth, claims, '5m')}`;

  const subscribe = (instance: Instance, authorization: string, query: string, variables: Record<string, unknown>, count: number) => collectEvents(instance.url, authorization, query, variables, count, 8000);

  it('pushes a referral proposed through instance A to the provider subscribed on instance B, with the need status change', async () => {
    const provider = await bearer({ roles: [Role.PROVIDER_STAFF], sub: 'provider-staff', org: toGlobalId('Organization', scene.provider) });
    const caseworker = await bearer({ roles: [Role.CASEWORKER], sub: 'caseworker', staff: toGlobalId('StaffMember', scene.caseworker), org: toGlobalId('Organization', scene.office) });
    const inbox = subscribe(b!, provider, 'subscription($p: ID!) { referralProposed(provider: $p) { id status units need { id } } }', { p: toGlobalId('Organization', scene.provider) }, 1);
    const status = subscribe(b!, caseworker, 'subscription($n: ID!) { needStatusChanged(need: $n) { id status } }', { n: toGlobalId('Need', scene.need) }, 1);
    // graphql-ws acknowledges the connection before the subscription is set up on the server.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const response = await fetch(a!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: caseworker },
      body: JSON.stringify({ query: PROPOSE_REFERRAL, variables: { input: { need: toGlobalId('Need', scene.need), resource: toGlobalId('Resource', scene.resource), reason: '就近服务' } } }),
    });
    const proposed = (await response.json()) as { data: { proposeReferral: { referral: { id: string }; userErrors: unknown[] } } };
    expect(proposed.data.proposeReferral.userErrors).toEqual([]);
    const referralId = proposed.data.proposeReferral.referral.id;

    expect(await inbox.done).toEqual([{ data: { referralProposed: { id: referralId, status: 'PROPOSED', units: 2, need: { id: toGlobalId('Need', scene.need) } } } }]);
    expect(await status.done).toEqual([{ data: { needStatusChanged: { id: toGlobalId('Need', scene.need), status: 'MATCHED' } } }]);
    await Promise.all([inbox.close(), status.close()]);
  });

  it('expires an overdue proposal once while both instances tick the expiry job at the same instants', async () => {
    const db = database.handle.db;
    const [proposal] = await db.select({ id: referrals.id }).from(referrals).where(and(eq(referrals.needId, scene.need), eq(referrals.status, 'PROPOSED')));
    expect(proposal).toBeDefined();
    const slotsBefore = await db.select({ slot: jobRuns.slot }).from(jobRuns).where(eq(jobRuns.job, 'referrals.expire'));
    await db.update(referrals).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(referrals.id, proposal!.id));

    let status = 'PROPOSED';
    for (let waited = 0; status === 'PROPOSED' && waited < 10_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      [{ status }] = (await db.select({ status: referrals.status }).from(referrals).where(eq(referrals.id, proposal!.id))) as [{ status: string }];
    }
    expect(status).toBe('EXPIRED');
    // A few more slots: neither instance touches it again.
    await new Promise((resolve) => setTimeout(resolve, 2500));

    const expired = await db.select().from(referralEvents).where(and(eq(referralEvents.referralId, proposal!.id), eq(referralEvents.toStatus, 'EXPIRED')));
    expect(expired).toHaveLength(1);
    const [resource] = await db.select({ held: resources.heldUnits }).from(resources).where(eq(resources.id, scene.resource));
    expect(resource!.held).toBe(0);

    const runs = await db.select().from(jobRuns).where(eq(jobRuns.job, 'referrals.expire')).orderBy(jobRuns.slot);
    const newRuns = runs.slice(slotsBefore.length);
    // Both processes tick every second; each slot was run by one of them.
    expect(newRuns.length).toBeGreaterThanOrEqual(3);
    expect(new Set(runs.map((run) => run.slot.getTime())).size).toBe(runs.length);
    expect(runs.filter((run) => run.changed === 1)).toHaveLength(1);
    expect(runs.reduce((sum, run) => sum + (run.changed ?? 0), 0)).toBe(1);
  });
});
