import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asc, count, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { openDatabase } from '../../src/db/client';
import type { Database } from '../../src/db/client';
import { auditLog } from '../../src/db/schema';
import { AuditChainBreak, GENESIS_HASH, hashAuditEntry } from '../../src/modules/audit/audit.chain';
import { auditVerifyCommand } from '../../src/modules/audit/audit.command';
import { auditEntry, recordAudit, verifyAuditChain, type AuditEntryInput } from '../../src/modules/audit/audit.service';
import { AuditAction } from '../../src/modules/audit/audit.types';
import { writeAuditRecords } from '../../src/modules/audit/audit.writer';
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../support/database';
import { gid } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';

const principal = (subject: string | null, roles: Role[], organizationId: number | null = null): Principal => ({
  subject,
  organizationId,
  staffMemberId: null,
  roles,
  districtIds: [],
  streetIds: [],
});

const auditor = principal('auditor-1', [Role.AUDITOR]);
const cityOfficer = principal('city-officer-1', [Role.CITY_CIVIL_AFFAIRS], 1);
const caseworker = principal('caseworker-1', [Role.CASEWORKER], 2);
const anonymous = principal(null, []);

let subjects = 0;
/** An actor subject no other test uses, so searches by actor see only this test's entries. */
const uniqueSubject = (label: string): string => `${label}-${process.pid}-${(subjects += 1)}`;

function readOf(actor: Principal, entityType: string, entityId: number, fields: string[] = ['idNumber', 'phone']): AuditEntryInput {
  return auditEntry({ viewer: actor, requestId: `req-${entityId}`, purpose: gid('Case', 3) }, AuditAction.READ_PERSONAL, entityType, entityId, fields);
}

/** Rows of a raw statement: postgres.js returns them as the result, PGlite under `rows`. */
function rowsOf<Row>(result: unknown): Row[] {
  return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
}

/** The database's reason for refusing a statement (drizzle wraps it as the cause). */
async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return (cause instanceof Error ? cause : (error as Error)).message;
  }
  throw new Error('The statement was not refused');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function allEntries(db: Database) {
  return db.select().from(auditLog).orderBy(asc(auditLog.id));
}

/** What a tamperer with table-owner rights does: switch the append-only trigger off, change rows, switch it back on. */
async function tamper(db: Database, statement: SQL): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_log enable always trigger audit_log_append_only`);
  });
}

/** A database of its own, for tests that break the chain. */
async function withFreshDatabase(work: (db: Database) => Promise<void>): Promise<void> {
  const database: TestDatabase = await openTestDatabase();
  try {
    await work(database.handle.db);
  } finally {
    await database.close();
  }
}

async function fiveEntries(db: Database): Promise<void> {
  const actor = principal(uniqueSubject('tamper'), [Role.CASEWORKER]);
  await recordAudit(db, [readOf(actor, 'Person', 1), readOf(actor, 'Person', 2)]);
  await recordAudit(db, [readOf(actor, 'Person', 3)]);
  await recordAudit(db, [readOf(actor, 'Household', 4, ['address']), auditEntry({ viewer: actor, requestId: null, purpose: null }, AuditAction.UPDATE, 'Need', 5, ['units'])]);
}

describe('audit log: the hash chain', () => {
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    database = await openTestDatabase();
    db = database.handle.db;
  });

  afterAll(() => database.close());

  it('appends entries numbered without gaps, each carrying the previous hash and the hash of its own content', async () => {
    const actor = principal(uniqueSubject('chain'), [Role.STREET_OFFICER, Role.CASEWORKER], 7);
    const first = await recordAudit(db, [readOf(actor, 'Person', 11), readOf(actor, 'Person', 12)]);
    const second = await recordAudit(db, [readOf(actor, 'Household', 13, ['address'])]);
    const rows = [...first, ...second];
    expect(rows.map((r) => r.id)).toEqual([first[0]!.id, first[0]!.id + 1, first[0]!.id + 2]);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(rows[2]!.prevHash).toBe(rows[1]!.hash);
    const stored = (await allEntries(db)).filter((r) => r.actorSubject === actor.subject);
    expect(stored).toEqual(rows);
    for (const row of stored) expect(hashAuditEntry(row)).toBe(row.hash);
    expect(stored[0]).toMatchObject({ actorRoles: ['CASEWORKER', 'STREET_OFFICER'], actorOrganizationId: 7, purpose: gid('Case', 3), action: 'READ_PERSONAL', entityType: 'Person', entityId: 11, fields: ['idNumber', 'phone'] });
  });

  it('starts the chain from the genesis value and verifies it as intact, batch by batch', async () => {
    await recordAudit(db, [readOf(principal(uniqueSubject('verify'), [Role.CASEWORKER]), 'Person', 21)]);
    const [genesis] = await db.select().from(auditLog).orderBy(asc(auditLog.id)).limit(1);
    expect(genesis).toMatchObject({ id: 1, prevHash: GENESIS_HASH });
    const [{ n }] = (await db.select({ n: count() }).from(auditLog)) as [{ n: number }];
    const all = await allEntries(db);
    for (const batchSize of [1, 2, 1000]) {
      expect(await verifyAuditChain(db, batchSize)).toEqual({ ok: true, entries: Number(n), lastId: Number(n), lastHash: all[all.length - 1]!.hash });
    }
  });

  it('stores times exactly as hashed (milliseconds), and never earlier than the entry before', async () => {
    const rows = await recordAudit(db, [readOf(principal(uniqueSubject('time'), [Role.CASEWORKER]), 'Person', 31)]);
    const [stored] = rowsOf<{ t: string }>(await db.execute(sql`select to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as t from audit_log where id = ${rows[0]!.id}`));
    // Microseconds as PostgreSQL holds them: none beyond the milliseconds JS hashed.
    expect(stored!.t).toBe(rows[0]!.occurredAt.toISOString().replace('Z', '000Z'));
    const all = await allEntries(db);
    for (let i = 1; i < all.length; i += 1) expect(all[i]!.occurredAt.getTime()).toBeGreaterThanOrEqual(all[i - 1]!.occurredAt.getTime());
  });

  it("writes inside the caller's transaction: a rollback takes the entries back and leaves no gap", async () => {
    const actor = principal(uniqueSubject('rollback'), [Role.CASEWORKER]);
    await expect(
      db.transaction(async (tx) => {
        await recordAudit(tx, [readOf(actor, 'Person', 41)]);
        throw new Error('the mutation failed');
      }),
    ).rejects.toThrow('the mutation failed');
    const [after] = await recordAudit(db, [readOf(actor, 'Person', 42)]);
    expect((await allEntries(db)).filter((r) => r.actorSubject === actor.subject).map((r) => r.entityId)).toEqual([42]);
    expect(after!.id).toBe((await allEntries(db)).length);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('writes nothing for an empty list', async () => {
    const before = (await allEntries(db)).length;
    expect(await recordAudit(db, [])).toEqual([]);
    expect((await allEntries(db)).length).toBe(before);
  });

  it('refuses entries that could carry personal data: values as field names, text as type names', async () => {
    const actor = principal(uniqueSubject('refuse'), [Role.CASEWORKER]);
    const bad: [string, AuditEntryInput][] = [
      ['a phone number as a field', readOf(actor, 'Person', 51, ['13812345678'])],
      ['a name as a field', readOf(actor, 'Person', 51, ['张三'])],
      ['an ID number as a field', readOf(actor, 'Person', 51, ['310101194001010015'])],
      ['an entity type that is not a type name', readOf(actor, 'person 310101194001010015', 51)],
      ['a non-positive entity id', readOf(actor, 'Person', 0)],
    ];
    for (const [, input] of bad) await expect(recordAudit(db, [input])).rejects.toThrow(/Audit entry/);
    expect((await allEntries(db)).filter((r) => r.actorSubject === actor.subject)).toEqual([]);
  });

  it("keeps a stated purpose only when it is a global ID: free text from the header is logged as null, and the write still succeeds", async () => {
    const actor = principal(uniqueSubject('purpose'), [Role.CASEWORKER]);
    const [kept, dropped] = await recordAudit(db, [
      auditEntry({ viewer: actor, requestId: 'req-p', purpose: gid('Case', 5) }, AuditAction.UPDATE, 'Need', 81, ['units']),
      auditEntry({ viewer: actor, requestId: 'req-p', purpose: '张三的低保申请 13812345678' }, AuditAction.UPDATE, 'Need', 82, ['units']),
    ]);
    expect([kept!.purpose, dropped!.purpose]).toEqual([gid('Case', 5), null]);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('records the clear reads of the request audit trail as READ_PERSONAL entries', async () => {
    const subject = uniqueSubject('trail');
    await writeAuditRecords(db, [
      { principal: principal(subject, [Role.CASEWORKER], 9), purpose: gid('Case', 8), requestId: 'req-trail', entityType: 'Person', entityId: 61, fields: ['idNumber', 'name'] },
      { principal: principal(subject, [Role.CASEWORKER], 9), purpose: gid('Case', 8), requestId: 'req-trail', entityType: 'Household', entityId: 62, fields: ['address'] },
    ]);
    const rows = (await allEntries(db)).filter((r) => r.actorSubject === subject);
    expect(rows.map((r) => [r.action, r.entityType, r.entityId, r.fields, r.purpose, r.requestId])).toEqual([
      ['READ_PERSONAL', 'Person', 61, ['idNumber', 'name'], gid('Case', 8), 'req-trail'],
      ['READ_PERSONAL', 'Household', 62, ['address'], gid('Case', 8), 'req-trail'],
    ]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE through normal SQL, even in replica mode', async () => {
    const [row] = await recordAudit(db, [readOf(principal(uniqueSubject('append-only'), [Role.CASEWORKER]), 'Person', 71)]);
    expect(await refusal(db.execute(sql`update audit_log set fields = '{}' where id = ${row!.id}`))).toMatch(/append-only: UPDATE/);
    expect(await refusal(db.execute(sql`delete from audit_log where id = ${row!.id}`))).toMatch(/append-only: DELETE/);
    expect(await refusal(db.execute(sql`truncate audit_log`))).toMatch(/append-only: TRUNCATE/);
    const replica = db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`delete from audit_log where id = ${row!.id}`);
    });
    expect(await refusal(replica)).toMatch(/append-only: DELETE/);
    const [kept] = (await allEntries(db)).filter((r) => r.id === row!.id);
    expect(kept).toEqual(row);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});

describe('audit log: tampering is detected', () => {
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    database = await openTestDatabase();
    db = database.handle.db;
  });

  afterAll(() => database.close());

  // Each test breaks the chain, so each starts from an empty log (emptied the way only a tamperer could) and five fresh entries.
  beforeEach(async () => {
    await db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_no_truncate`);
      await tx.execute(sql`truncate audit_log`);
      await tx.execute(sql`alter table audit_log enable always trigger audit_log_no_truncate`);
    });
    await fiveEntries(db);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: 5 });
  });

  it('reports CONTENT_CHANGED at an entry whose fields were changed in place, and the CLI exits 1', async () => {
    await tamper(db, sql`update audit_log set fields = array['idNumber'] where id = 3`);
    expect(await verifyAuditChain(db, 2)).toMatchObject({ ok: false, entries: 2, firstBrokenId: 3, reason: AuditChainBreak.CONTENT_CHANGED });
    const lines: string[] = [];
    expect(await auditVerifyCommand(db, (line) => lines.push(line))).toBe(1);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ ok: false, firstBrokenId: 3, reason: 'CONTENT_CHANGED' });
  });

  it('reports CONTENT_CHANGED when only the time of an entry was changed, by a millisecond', async () => {
    await tamper(db, sql`update audit_log set occurred_at = occurred_at - interval '1 millisecond' where id = 4`);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, firstBrokenId: 4, reason: AuditChainBreak.CONTENT_CHANGED });
  });

  it('reports CONTENT_CHANGED when only the actor of an entry was changed', async () => {
    await tamper(db, sql`update audit_log set actor_subject = 'someone-else' where id = 2`);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, firstBrokenId: 2, reason: AuditChainBreak.CONTENT_CHANGED });
  });

  it('reports LINK_BROKEN at the next entry when a changed entry was given a fresh hash', async () => {
    const [second] = (await allEntries(db)).filter((r) => r.id === 2);
    const forged = hashAuditEntry({ ...second!, entityId: 999 });
    await tamper(db, sql`update audit_log set entity_id = 999, hash = ${forged} where id = 2`);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, entries: 2, firstBrokenId: 3, reason: AuditChainBreak.LINK_BROKEN });
  });

  it('reports ENTRY_MISSING with the number of a deleted middle entry, and the CLI exits 1', async () => {
    await tamper(db, sql`delete from audit_log where id = 3`);
    const status = await verifyAuditChain(db, 2);
    expect(status).toMatchObject({ ok: false, entries: 2, firstBrokenId: 3, reason: AuditChainBreak.ENTRY_MISSING });
    expect(status.ok === false && status.message).toBe('entry 3 is missing: entry 4 follows entry 2');
    expect(await auditVerifyCommand(db, () => undefined)).toBe(1);
  });

  it('the CLI prints one JSON line and exits 0 on an intact chain', async () => {
    const lines: string[] = [];
    expect(await auditVerifyCommand(db, (line) => lines.push(line))).toBe(0);
    expect(lines).toHaveLength(1);
    const last = (await allEntries(db)).pop()!;
    expect(JSON.parse(lines[0]!)).toEqual({ ok: true, entries: 5, lastId: 5, lastHash: last.hash });
  });
});

// `npm test` builds dist/ first (the pretest script), so the command runs as a newcomer would run it.
describe('hub audit-verify, as a process (on an embedded PGlite folder, whatever the test database)', () => {
  const run = (dataDir: string) =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const env = { ...process.env, HUB_DATA_DIR: dataDir, DATABASE_URL: '', NODE_OPTIONS: '' };
      execFile(process.execPath, [path.resolve(__dirname, '../../dist/main.js'), 'audit-verify'], { env }, (error, stdout) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout });
      });
    });

  it('exits 0 on an intact chain and 1 on a tampered one, printing one JSON line', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-audit-'));
    try {
      const handle = await openDatabase({ dataDir });
      await handle.migrate();
      await fiveEntries(handle.db);
      await handle.close();
      const intact = await run(dataDir);
      expect(intact.code).toBe(0);
      expect(intact.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ ok: true, entries: 5 })]);

      const again = await openDatabase({ dataDir });
      await tamper(again.db, sql`update audit_log set entity_id = 77 where id = 5`);
      await again.close();
      const broken = await run(dataDir);
      expect(broken.code).toBe(1);
      expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, firstBrokenId: 5, reason: 'CONTENT_CHANGED' });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

const pg = TEST_DATABASE_URL ? describe : describe.skip;

pg('audit log: concurrent appends (needs a PostgreSQL server: set TEST_DATABASE_URL)', () => {
  it('50 concurrent recordAudit calls leave one unbroken chain with no gaps and no forks', async () => {
    await withFreshDatabase(async (db) => {
      const actor = principal(uniqueSubject('concurrent'), [Role.CASEWORKER]);
      const calls = Array.from({ length: 50 }, (_, i) => recordAudit(db, i % 5 === 0 ? [readOf(actor, 'Person', 1000 + i), readOf(actor, 'Household', 1000 + i, ['address'])] : [readOf(actor, 'Person', 1000 + i)]));
      // Settle every call before the database closes, so a failure reports cleanly.
      const settled = await Promise.allSettled(calls);
      expect(settled.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
      const results = settled.map((outcome) => (outcome as PromiseFulfilledResult<Awaited<(typeof calls)[number]>>).value);
      const written = results.flat();
      expect(written).toHaveLength(60);
      const stored = await allEntries(db);
      expect(stored.map((r) => r.id)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(new Set(stored.map((r) => r.prevHash)).size).toBe(60);
      expect(await verifyAuditChain(db, 7)).toMatchObject({ ok: true, entries: 60, lastId: 60 });
      // The entries of one call are consecutive: nobody appended in between.
      for (const rows of results) rows.forEach((row, i) => expect(row.id).toBe(rows[0]!.id + i));
    });
  });
});

const AUDIT_ENTRIES = `query Audit($filter: AuditEntryFilter, $first: Int, $after: String) {
  auditEntries(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { id occurredAt requestId actorSubject actorOrganizationId actorRoles purpose action entityType entityId fields previousHash hash } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const VERIFY = `query { verifyAuditChain { ok entries firstBrokenId reason message lastId lastHash } }`;

interface AuditNode {
  id: string;
  occurredAt: Date;
  requestId: string | null;
  actorSubject: string | null;
  actorOrganizationId: string | null;
  actorRoles: string[];
  purpose: string | null;
  action: string;
  entityType: string;
  entityId: string;
  fields: string[];
  previousHash: string;
  hash: string;
}

interface AuditPage {
  auditEntries: { totalCount: number; edges: { cursor: string; node: AuditNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

describe('audit log: the auditor queries', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub();
  });

  afterAll(() => hub.close());

  const search = (viewer: Principal, filter: Record<string, unknown>, first = 20, after?: string) => hub.run<AuditPage>(AUDIT_ENTRIES, { filter, first, after }, { viewer });

  it('finds the entries of one actor, newest first, with every field of the entry', async () => {
    const actor = principal(uniqueSubject('actor'), [Role.CASEWORKER], 5);
    const rows = await recordAudit(hub.db, [readOf(actor, 'Person', 101), readOf(actor, 'Household', 102, ['address'])]);
    await recordAudit(hub.db, [readOf(principal(uniqueSubject('other'), [Role.CASEWORKER]), 'Person', 101)]);
    const { data, errors } = await search(auditor, { actorSubject: actor.subject });
    expect(errors).toBeUndefined();
    expect(data!.auditEntries.totalCount).toBe(2);
    expect(data!.auditEntries.edges.map((e) => e.node)).toEqual([
      {
        id: String(rows[1]!.id),
        occurredAt: rows[1]!.occurredAt,
        requestId: 'req-102',
        actorSubject: actor.subject,
        actorOrganizationId: gid('Organization', 5),
        actorRoles: ['CASEWORKER'],
        purpose: gid('Case', 3),
        action: 'READ_PERSONAL',
        entityType: 'Household',
        entityId: gid('Household', 102),
        fields: ['address'],
        previousHash: rows[0]!.hash,
        hash: rows[1]!.hash,
      },
      expect.objectContaining({ id: String(rows[0]!.id), entityId: gid('Person', 101), fields: ['idNumber', 'phone'] }),
    ]);
  });

  it('finds everything that happened to one person, whoever did it, by its global ID', async () => {
    const personId = 200_000 + Math.floor(Math.random() * 100_000);
    const a = principal(uniqueSubject('reader-a'), [Role.CASEWORKER]);
    const b = principal(uniqueSubject('reader-b'), [Role.STREET_OFFICER]);
    await recordAudit(hub.db, [readOf(a, 'Person', personId), readOf(a, 'Household', personId, ['address'])]);
    await recordAudit(hub.db, [readOf(b, 'Person', personId, ['name'])]);
    const { data, errors } = await search(cityOfficer, { entityId: gid('Person', personId) });
    expect(errors).toBeUndefined();
    expect(data!.auditEntries.edges.map((e) => [e.node.actorSubject, e.node.entityId, e.node.fields])).toEqual([
      [b.subject, gid('Person', personId), ['name']],
      [a.subject, gid('Person', personId), ['idNumber', 'phone']],
    ]);
    const byType = await search(auditor, { entityType: 'Household', actorSubject: a.subject });
    expect(byType.data!.auditEntries.edges.map((e) => e.node.entityId)).toEqual([gid('Household', personId)]);
  });

  it('finds the entries of a period: from inclusive, to exclusive', async () => {
    const actor = principal(uniqueSubject('period'), [Role.CASEWORKER]);
    await recordAudit(hub.db, [readOf(actor, 'Person', 301)]);
    await sleep(5);
    const from = new Date();
    await sleep(5);
    const [inside] = await recordAudit(hub.db, [readOf(actor, 'Person', 302)]);
    await sleep(5);
    const to = new Date();
    await sleep(5);
    await recordAudit(hub.db, [readOf(actor, 'Person', 303)]);
    const { data } = await search(auditor, { actorSubject: actor.subject, from: from.toISOString(), to: to.toISOString() });
    expect(data!.auditEntries.edges.map((e) => e.node.entityId)).toEqual([gid('Person', 302)]);
    const exact = await search(auditor, { actorSubject: actor.subject, from: inside!.occurredAt.toISOString(), to: new Date(inside!.occurredAt.getTime() + 1).toISOString() });
    expect(exact.data!.auditEntries.edges.map((e) => e.node.entityId)).toEqual([gid('Person', 302)]);
    const before = await search(auditor, { actorSubject: actor.subject, to: from.toISOString() });
    expect(before.data!.auditEntries.edges.map((e) => e.node.entityId)).toEqual([gid('Person', 301)]);
  });

  it('filters by purpose and action, and pages with cursors', async () => {
    const actor = principal(uniqueSubject('pages'), [Role.CASEWORKER]);
    const purpose = gid('Case', 4000 + Math.floor(Math.random() * 1000));
    const request = { viewer: actor, requestId: 'req-pages', purpose };
    await recordAudit(hub.db, [1, 2, 3, 4, 5].map((id) => auditEntry(request, AuditAction.READ_PERSONAL, 'Person', 400 + id, ['phone'])));
    await recordAudit(hub.db, [auditEntry(request, AuditAction.UPDATE, 'Need', 406, ['units'])]);
    const updates = await search(auditor, { purpose, actions: ['UPDATE', 'TRANSITION'] });
    expect(updates.data!.auditEntries.edges.map((e) => e.node.entityId)).toEqual([gid('Need', 406)]);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const { data, errors } = await search(auditor, { purpose }, 2, after);
      expect(errors).toBeUndefined();
      seen.push(...data!.auditEntries.edges.map((e) => e.node.entityId));
      if (!data!.auditEntries.pageInfo.hasNextPage) break;
      after = data!.auditEntries.pageInfo.endCursor!;
    }
    expect(seen).toEqual([gid('Need', 406), ...[5, 4, 3, 2, 1].map((id) => gid('Person', 400 + id))]);
  });

  it('refuses an entityId that is not a global ID, and a type that contradicts it, with BAD_USER_INPUT', async () => {
    const malformed = await search(auditor, { entityId: 'Person:1' });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['filter', 'entityId'] });
    const contradicting = await search(auditor, { entityId: gid('Person', 1), entityType: 'Household' });
    expect(contradicting.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['filter', 'entityType'] });
  });

  it('verifies the chain for auditors and city civil affairs', async () => {
    await recordAudit(hub.db, [readOf(principal(uniqueSubject('gql-verify'), [Role.CASEWORKER]), 'Person', 501)]);
    const last = (await allEntries(hub.db)).pop()!;
    for (const viewer of [auditor, cityOfficer]) {
      const { data, errors } = await hub.run<{ verifyAuditChain: Record<string, unknown> }>(VERIFY, {}, { viewer });
      expect(errors).toBeUndefined();
      expect(data!.verifyAuditChain).toEqual({ ok: true, entries: last.id, firstBrokenId: null, reason: null, message: null, lastId: String(last.id), lastHash: last.hash });
    }
  });

  it.each([
    ['a caseworker', caseworker],
    ['a district civil affairs officer', principal('district-1', [Role.DISTRICT_CIVIL_AFFAIRS], 3)],
    ['the public', anonymous],
  ])('refuses %s with FORBIDDEN, for both the search and the verification', async (_label, viewer) => {
    const searched = await search(viewer, {});
    expect(searched.data).toBeNull();
    expect(searched.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const verified = await hub.run(VERIFY, {}, { viewer });
    expect(verified.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
