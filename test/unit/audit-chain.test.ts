import { AuditChainBreak, AuditChainWalker, canonicalAuditContent, GENESIS_HASH, hashAuditEntry, type ChainedAuditContent, type ChainedAuditEntry } from '../../src/modules/audit/audit.chain';

const base: ChainedAuditContent = {
  id: 1,
  occurredAt: new Date('2026-03-01T08:15:30.123Z'),
  requestId: 'req-1',
  actorSubject: 'caseworker-7',
  actorOrganizationId: 12,
  actorRoles: ['CASEWORKER'],
  purpose: 'Q2FzZToz',
  action: 'READ_PERSONAL',
  entityType: 'Person',
  entityId: 42,
  fields: ['idNumber', 'phone'],
  prevHash: GENESIS_HASH,
};

/** A chain of `n` entries built the way recordAudit builds them. */
function chain(n: number): ChainedAuditEntry[] {
  const entries: ChainedAuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let id = 1; id <= n; id += 1) {
    const content = { ...base, id, entityId: 100 + id, occurredAt: new Date(base.occurredAt.getTime() + id), prevHash };
    const hash = hashAuditEntry(content);
    entries.push({ ...content, hash });
    prevHash = hash;
  }
  return entries;
}

function walk(entries: readonly ChainedAuditEntry[], batchSize = entries.length || 1) {
  const walker = new AuditChainWalker();
  for (let i = 0; i < entries.length; i += batchSize) if (walker.accept(entries.slice(i, i + batchSize))) break;
  return walker.result();
}

describe('hashAuditEntry', () => {
  it('is a stable SHA-256 of a fixed serialisation: the same content always gives the same hash', () => {
    expect(canonicalAuditContent(base)).toBe(
      `["hub-audit-v1",1,"2026-03-01T08:15:30.123Z","req-1","caseworker-7",12,["CASEWORKER"],"Q2FzZToz","READ_PERSONAL","Person",42,["idNumber","phone"],"${GENESIS_HASH}"]`,
    );
    // Pinned: a change here makes every stored chain unverifiable, so it must be deliberate (a new format tag).
    expect(hashAuditEntry(base)).toBe('031a85f2a4633f4bfdf1fd6f2f448c80b8fdb56ca93faf22268fde557faa4df3');
    // A copy with lists and dates rebuilt gives the same hash (no identity or key-order effects).
    expect(hashAuditEntry({ ...base, actorRoles: [...base.actorRoles], fields: [...base.fields], occurredAt: new Date(base.occurredAt.toISOString()) })).toBe(hashAuditEntry(base));
  });

  const changes: [keyof ChainedAuditContent, unknown][] = [
    ['id', 2],
    ['occurredAt', new Date('2026-03-01T08:15:30.124Z')],
    ['requestId', 'req-2'],
    ['requestId', null],
    ['actorSubject', 'caseworker-8'],
    ['actorSubject', null],
    ['actorOrganizationId', 13],
    ['actorOrganizationId', null],
    ['actorRoles', ['CASEWORKER', 'STREET_OFFICER']],
    ['actorRoles', []],
    ['purpose', 'Q2FzZTo0'],
    ['purpose', null],
    ['action', 'UPDATE'],
    ['entityType', 'Household'],
    ['entityId', 43],
    ['fields', ['idNumber']],
    ['fields', ['phone', 'idNumber']],
    ['prevHash', 'f'.repeat(64)],
  ];

  it.each(changes)('changes when %s changes (to %p)', (field, value) => {
    expect(hashAuditEntry({ ...base, [field]: value })).not.toBe(hashAuditEntry(base));
  });

  it('covers every field of the content: the list above misses none', () => {
    expect(new Set(changes.map(([field]) => field))).toEqual(new Set(Object.keys(base)));
  });

  it('keeps list boundaries and nulls apart: no two different entries share a serialisation', () => {
    expect(hashAuditEntry({ ...base, fields: ['idNumber,phone'] })).not.toBe(hashAuditEntry({ ...base, fields: ['idNumber', 'phone'] }));
    expect(hashAuditEntry({ ...base, requestId: 'null' })).not.toBe(hashAuditEntry({ ...base, requestId: null }));
    expect(hashAuditEntry({ ...base, actorSubject: 'a', requestId: 'b' })).not.toBe(hashAuditEntry({ ...base, actorSubject: 'b', requestId: 'a' }));
  });

  it('refuses an invalid time instead of hashing it', () => {
    expect(() => hashAuditEntry({ ...base, occurredAt: new Date(Number.NaN) })).toThrow(/valid time/);
  });
});

describe('AuditChainWalker', () => {
  it('accepts an intact chain fed in batches of any size and reports its head', () => {
    const entries = chain(7);
    for (const batchSize of [1, 2, 3, 7]) {
      expect(walk(entries, batchSize)).toEqual({ ok: true, entries: 7, lastId: 7, lastHash: entries[6]!.hash });
    }
  });

  it('accepts an empty chain', () => {
    expect(walk([])).toEqual({ ok: true, entries: 0, lastId: null, lastHash: GENESIS_HASH });
  });

  it('reports CONTENT_CHANGED at an entry whose content no longer matches its hash', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, fields: ['address'] };
    expect(walk(entries, 2)).toMatchObject({ ok: false, entries: 2, firstBrokenId: 3, reason: AuditChainBreak.CONTENT_CHANGED });
  });

  it('reports LINK_BROKEN after an entry rewritten with a fresh hash', () => {
    const entries = chain(5);
    const rewritten = { ...entries[1]!, actorSubject: 'someone-else' };
    entries[1] = { ...rewritten, hash: hashAuditEntry(rewritten) };
    expect(walk(entries)).toMatchObject({ ok: false, entries: 2, firstBrokenId: 3, reason: AuditChainBreak.LINK_BROKEN });
  });

  it('reports ENTRY_MISSING with the first missing number when entries are removed from the middle', () => {
    const entries = chain(6);
    const status = walk([...entries.slice(0, 2), ...entries.slice(4)], 3);
    expect(status).toMatchObject({ ok: false, entries: 2, firstBrokenId: 3, reason: AuditChainBreak.ENTRY_MISSING });
    expect(status.ok === false && status.message).toBe('entries 3 to 4 are missing: entry 5 follows entry 2');
  });

  it('reports ENTRY_MISSING when the first entry is gone', () => {
    expect(walk(chain(3).slice(1))).toMatchObject({ ok: false, entries: 0, firstBrokenId: 1, reason: AuditChainBreak.ENTRY_MISSING });
  });

  it('reports CONTENT_CHANGED when the later entries were renumbered to hide a removal', () => {
    const entries = chain(4);
    const renumbered = [entries[0]!, { ...entries[2]!, id: 2 }, { ...entries[3]!, id: 3 }];
    expect(walk(renumbered)).toMatchObject({ ok: false, firstBrokenId: 2, reason: AuditChainBreak.CONTENT_CHANGED });
  });

  it('reports LINK_BROKEN when the first entry does not start from the genesis value', () => {
    const content = { ...base, prevHash: 'a'.repeat(64) };
    expect(walk([{ ...content, hash: hashAuditEntry(content) }])).toMatchObject({ ok: false, firstBrokenId: 1, reason: AuditChainBreak.LINK_BROKEN });
  });

  it('stops at the first break and ignores later batches', () => {
    const entries = chain(4);
    entries[0] = { ...entries[0]!, entityId: 999 };
    const walker = new AuditChainWalker();
    expect(walker.accept(entries.slice(0, 2))).toMatchObject({ firstBrokenId: 1 });
    walker.accept(entries.slice(2));
    expect(walker.result()).toMatchObject({ ok: false, firstBrokenId: 1, entries: 0 });
  });
});
