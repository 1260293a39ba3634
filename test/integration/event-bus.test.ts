import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { openDatabase, type DbHandle } from '../../src/db/client';
import { rowsOf } from '../../src/db/rows';
import { checkedEvent, connectEventBus, EVENTS_CHANNEL, MAX_NOTIFY_BYTES, packEvents, unpackEvents, type ConnectedEventBus } from '../../src/server/event-bus';
import { HubPubSub, TOPICS } from '../../src/server/pubsub';
import { databaseUrl, openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../support/database';

/** Reads up to `count` events of a subscription, or what came within `ms`. */
async function take(iterable: AsyncIterable<unknown>, count: number, ms = 3000): Promise<unknown[]> {
  const iterator = iterable[Symbol.asyncIterator]();
  const events: unknown[] = [];
  const deadline = Date.now() + ms;
  while (events.length < count) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([iterator.next(), new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), left)))]);
    clearTimeout(timer);
    if (next === 'timeout' || next.done) break;
    events.push(next.value);
  }
  await iterator.return?.();
  return events;
}

describe('event payloads on the NOTIFY channel', () => {
  it('carry ids only: a payload with a name or a nested object is refused', () => {
    expect(checkedEvent(TOPICS.referralProposed, { referralId: 1, providerId: 2 })).toEqual([TOPICS.referralProposed, { referralId: 1, providerId: 2 }]);
    expect(() => checkedEvent(TOPICS.needStatusChanged, { needId: 3, name: '张三' })).toThrow('"name" is not an integer');
    expect(() => checkedEvent(TOPICS.needStatusChanged, { needId: { id: 3 } })).toThrow('ids only');
    expect(() => checkedEvent(TOPICS.needStatusChanged, 3)).toThrow('must be an object of ids');
    expect(() => checkedEvent('SOMETHING_ELSE', { id: 1 })).toThrow('Unknown event topic');
  });

  it('pack into notifications under the 8000-byte limit, in order, and unpack to the same events', () => {
    const events = Array.from({ length: 500 }, (_, i) => checkedEvent(TOPICS.referralProposed, { referralId: 1_000_000 + i, providerId: 7 }));
    const messages = packEvents(events);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(Buffer.byteLength(message)).toBeLessThanOrEqual(MAX_NOTIFY_BYTES);
    expect(messages.flatMap(unpackEvents)).toEqual(events);
  });

  it('skip what is not an event of this hub when unpacking', () => {
    expect(unpackEvents('not json')).toEqual([]);
    expect(unpackEvents('{"t":1}')).toEqual([]);
    expect(unpackEvents('[["NEED_STATUS_CHANGED",{"needId":4}],["FUTURE_TOPIC",{"id":1}],["NEED_STATUS_CHANGED",{"needId":"x"}],[1,2,3]]')).toEqual([[TOPICS.needStatusChanged, { needId: 4 }]]);
  });
});

/** The event bus over LISTEN/NOTIFY, on PGlite and on PostgreSQL. */
describe('the event bus on the database', () => {
  let database: TestDatabase;
  let other: DbHandle | undefined;
  const connected: ConnectedEventBus[] = [];
  const logged: { event: string }[] = [];
  const log = (event: string, fields: Record<string, unknown> = {}) => logged.push({ event, ...fields });

  beforeAll(async () => {
    database = await openTestDatabase();
    if (TEST_DATABASE_URL) {
      const [{ name }] = rowsOf<{ name: string }>(await database.handle.db.execute(sql`select current_database() as name`)) as [{ name: string }];
      other = await openDatabase({ databaseUrl: databaseUrl(TEST_DATABASE_URL, name), poolSize: 2 });
    }
  });

  afterAll(async () => {
    await Promise.all(connected.map((bus) => bus.close()));
    await other?.close();
    await database.close();
  });

  async function bus(handle: DbHandle = database.handle): Promise<HubPubSub> {
    const pubsub = new HubPubSub();
    connected.push(await connectEventBus(pubsub, handle.notifications, log));
    return pubsub;
  }

  it('delivers an event published on one instance to the subscribers of every instance, once each', async () => {
    const a = await bus();
    const b = await bus(other ?? database.handle);
    const onA = take(a.subscribe(TOPICS.referralProposed), 2, 1500);
    const onB = take(b.subscribe(TOPICS.referralProposed), 2, 1500);
    const needsOnB = take(b.subscribe(TOPICS.needStatusChanged), 1);

    a.publish(TOPICS.referralProposed, { referralId: 11, providerId: 5 });
    a.publish(TOPICS.needStatusChanged, { needId: 21 });

    expect(await onA).toEqual([{ referralId: 11, providerId: 5 }]);
    expect(await onB).toEqual([{ referralId: 11, providerId: 5 }]);
    expect(await needsOnB).toEqual([{ needId: 21 }]);
  });

  it('keeps the order of a burst of events, sent in few notifications', async () => {
    const a = await bus();
    const b = await bus(other ?? database.handle);
    const received = take(b.subscribe(TOPICS.needStatusChanged), 300, 10_000);
    for (let needId = 1; needId <= 300; needId += 1) a.publish(TOPICS.needStatusChanged, { needId });
    expect(await received).toEqual(Array.from({ length: 300 }, (_, i) => ({ needId: i + 1 })));
  });

  it('refuses to publish personal data, and sends nothing of it', async () => {
    const a = await bus();
    const received = take(a.subscribe(TOPICS.needStatusChanged), 1000, 800);
    expect(() => a.publish(TOPICS.needStatusChanged, { needId: 123_456, phone: '13800138000' })).toThrow('ids only');
    // Late events of the tests before may still arrive on the shared listening connection.
    expect(await received).not.toContainEqual(expect.objectContaining({ needId: 123_456 }));
  });

  it('after closing, delivers in process again and hears nothing from the database', async () => {
    const pubsub = new HubPubSub();
    const link = await connectEventBus(pubsub, database.handle.notifications, log);
    await link.close();
    const local = take(pubsub.subscribe(TOPICS.needStatusChanged), 2, 800);
    pubsub.publish(TOPICS.needStatusChanged, { needId: 5 });
    await database.handle.notifications.notify(EVENTS_CHANNEL, JSON.stringify([[TOPICS.needStatusChanged, { needId: 6 }]]));
    expect(await local).toEqual([{ needId: 5 }]);
  });

  (TEST_DATABASE_URL ? it : it.skip)('listens again after its connection is cut (needs a PostgreSQL server: set TEST_DATABASE_URL)', async () => {
    const listener = other!;
    const publisher = await bus();
    const b = await bus(listener);
    const [{ name }] = rowsOf<{ name: string }>(await database.handle.db.execute(sql`select current_database() as name`)) as [{ name: string }];
    const admin = postgres(databaseUrl(TEST_DATABASE_URL!, name), { max: 1, onnotice: () => undefined });
    try {
      const before = logged.filter((entry) => entry.event === 'events.reconnected').length;
      // Every session LISTENing on this database: the listening connections of both buses.
      const cut = await admin`select pg_terminate_backend(pid) as cut from pg_stat_activity where datname = current_database() and query ilike 'listen%'`;
      expect(cut.length).toBeGreaterThanOrEqual(1);
      for (let waited = 0; logged.filter((entry) => entry.event === 'events.reconnected').length <= before && waited < 15_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(logged.filter((entry) => entry.event === 'events.reconnected').length).toBeGreaterThan(before);
      const received = take(b.subscribe(TOPICS.needStatusChanged), 1);
      publisher.publish(TOPICS.needStatusChanged, { needId: 99 });
      expect(await received).toEqual([{ needId: 99 }]);
    } finally {
      await admin.end();
    }
  });
});
