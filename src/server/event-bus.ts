import type { Notifications } from '../db/client';
import { TOPICS, type HubPubSub } from './pubsub';

/** The NOTIFY channel hub instances share on one database. */
export const EVENTS_CHANNEL = 'hub_events';
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
export const MAX_NOTIFY_BYTES = 7999;

const KNOWN_TOPICS: ReadonlySet<string> = new Set(Object.values(TOPICS));

type Event = readonly [topic: string, payload: Readonly<Record<string, number>>];

/**
 * An event as it may cross the database: a known topic and a payload of ids only. Anything
 * else is a programming error, refused loudly: NOTIFY payloads reach every session listening
 * on the database, and can show in its logs, so personal data must never travel there.
 */
export function checkedEvent(topic: string, payload: unknown): Event {
  if (!KNOWN_TOPICS.has(topic)) throw new Error(`Unknown event topic "${topic}"`);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new Error(`The payload of ${topic} must be an object of ids`);
  for (const [key, value] of Object.entries(payload)) {
    if (!Number.isSafeInteger(value)) throw new Error(`The payload of ${topic} may hold ids only; "${key}" is not an integer`);
  }
  const event: Event = [topic, payload as Record<string, number>];
  // Ids and ASCII names only, so characters and bytes are one and the same here.
  if (JSON.stringify(event).length + 2 > MAX_NOTIFY_BYTES) throw new Error(`An event of ${topic} does not fit in one notification`);
  return event;
}

/** Packs checked events into as few notifications as fit, in order: each a JSON array of [topic, payload]. */
export function packEvents(events: readonly Event[]): string[] {
  const messages: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const event of events) {
    const text = JSON.stringify(event);
    if (current.length > 0 && size + 1 + text.length > MAX_NOTIFY_BYTES) {
      messages.push(`[${current.join(',')}]`);
      current = [];
      size = 2;
    }
    size += (current.length > 0 ? 1 : 0) + text.length;
    current.push(text);
  }
  if (current.length > 0) messages.push(`[${current.join(',')}]`);
  return messages;
}

/** The events of one notification; whatever does not look like one of ours is skipped. */
export function unpackEvents(message: string): Event[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const events: Event[] = [];
  for (const entry of parsed) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') continue;
    try {
      events.push(checkedEvent(entry[0], entry[1]));
    } catch {
      // Another version of the hub may publish a topic this one does not know: not ours to deliver.
    }
  }
  return events;
}

export type EventBusLog = (event: string, fields?: Record<string, unknown>) => void;

export interface ConnectedEventBus {
  /** Back to in-process delivery; stops listening. Pending sends finish first. */
  close(): Promise<void>;
}

/**
 * Connects the hub's event bus to PostgreSQL LISTEN/NOTIFY, so an event published on any
 * instance reaches the subscribers of every instance on the same database.
 *
 * Sends go one notification at a time, in publish order; events published meanwhile wait and
 * go together in the next notification. Delivery is at most once: an event sent while an
 * instance's listening connection is down does not reach that instance's subscribers (clients
 * refetch what they show after a reconnect, as they must after their own socket drops).
 */
export async function connectEventBus(bus: HubPubSub, notifications: Notifications, log: EventBusLog): Promise<ConnectedEventBus> {
  let listening = false;
  const unlisten = await notifications.listen(
    EVENTS_CHANNEL,
    (message) => {
      for (const [topic, payload] of unpackEvents(message)) bus.deliver(topic, payload);
    },
    () => {
      if (listening) log('events.reconnected', { channel: EVENTS_CHANNEL });
      listening = true;
    },
  );
  let waiting: Event[] = [];
  let sending: Promise<void> | undefined;
  const drain = async (): Promise<void> => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      for (const message of packEvents(batch)) {
        try {
          await notifications.notify(EVENTS_CHANNEL, message);
        } catch (error) {
          log('events.publish_failed', { name: error instanceof Error ? error.name : 'unknown', events: batch.length });
        }
      }
    }
    sending = undefined;
  };
  bus.useTransport({
    send(topic, payload) {
      waiting.push(checkedEvent(topic, payload));
      sending ??= drain();
    },
  });
  return {
    async close() {
      bus.useTransport(undefined);
      await sending;
      await unlisten();
    },
  };
}
