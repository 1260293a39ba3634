import type { PubSub } from 'type-graphql';

/** Events the hub publishes to GraphQL subscriptions. */
export const TOPICS = {
  /** A referral was proposed; payload: { referralId, providerId }. */
  referralProposed: 'REFERRAL_PROPOSED',
  /** A need's status changed; payload: { needId, status }. */
  needStatusChanged: 'NEED_STATUS_CHANGED',
} as const;

/** Most events a slow subscriber may have waiting before the oldest are dropped. */
const MAX_QUEUED = 1000;

/**
 * In-process publish/subscribe for one hub instance. Each subscription is an async iterator
 * with its own bounded queue; ending the iteration (the client unsubscribes) removes it.
 */
export class LocalPubSub implements PubSub {
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();

  publish(topic: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(topic) ?? []) listener(args[0]);
  }

  subscribe(topic: string): AsyncIterable<unknown> {
    const queue: unknown[] = [];
    let wake: ((result: IteratorResult<unknown>) => void) | undefined;
    let done = false;
    const listener = (payload: unknown): void => {
      if (wake) {
        const resolve = wake;
        wake = undefined;
        resolve({ value: payload, done: false });
      } else {
        queue.push(payload);
        if (queue.length > MAX_QUEUED) queue.shift();
      }
    };
    const listeners = this.listeners.get(topic) ?? new Set();
    listeners.add(listener);
    this.listeners.set(topic, listeners);
    const finish = (): IteratorResult<unknown> => {
      done = true;
      listeners.delete(listener);
      wake?.({ value: undefined, done: true });
      wake = undefined;
      return { value: undefined, done: true };
    };
    const iterator: AsyncIterableIterator<unknown> = {
      next: () => {
        if (queue.length > 0) return Promise.resolve({ value: queue.shift(), done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (wake = resolve));
      },
      return: () => Promise.resolve(finish()),
      throw: (error?: unknown) => {
        finish();
        return Promise.reject(error);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Subscriptions open on a topic (for tests and metrics). */
  subscriberCount(topic: string): number {
    return this.listeners.get(topic)?.size ?? 0;
  }
}

/** Carries published events to every hub instance, this one included (see event-bus.ts). */
export interface EventTransport {
  send(topic: string, payload: unknown): void;
}

/**
 * The hub's event bus. Alone (one process, tests) it delivers in process. With a transport
 * connected, a publish goes out through the transport and comes back to `deliver` on every
 * instance, this one included, so a subscriber hears an event once wherever it was published.
 */
export class HubPubSub implements PubSub {
  private readonly local = new LocalPubSub();
  private transport: EventTransport | undefined;

  publish(topic: string, ...args: unknown[]): void {
    if (this.transport) this.transport.send(topic, args[0]);
    else this.local.publish(topic, args[0]);
  }

  subscribe(topic: string): AsyncIterable<unknown> {
    return this.local.subscribe(topic);
  }

  /** An event that arrived through the transport, for this instance's subscribers. */
  deliver(topic: string, payload: unknown): void {
    this.local.publish(topic, payload);
  }

  /** Routes publishes through `transport`; undefined goes back to in-process delivery. */
  useTransport(transport: EventTransport | undefined): void {
    this.transport = transport;
  }

  subscriberCount(topic: string): number {
    return this.local.subscriberCount(topic);
  }
}

/** The process's event bus: every request context and the schema share it. */
export const hubPubSub = new HubPubSub();
