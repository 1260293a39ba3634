import WebSocket from 'ws';

// graphql-ws publishes its client only through package exports, which this project's module resolution does not read.
const { createClient } = require('graphql-ws') as typeof import('graphql-ws/dist/client');

export interface Collected {
  /** The events that came: `count` of them, or what came before the time was up. */
  readonly done: Promise<unknown[]>;
  close(): Promise<void> | void;
}

/**
 * Subscribes over graphql-ws at `httpUrl` (its ws: twin) with a bearer token in the connection
 * parameters, and collects events until `count` arrived or `waitMs` passed; an error rejects.
 */
export function collectEvents(httpUrl: string, authorization: string, query: string, variables: Record<string, unknown>, count: number, waitMs: number): Collected {
  const client = createClient({ url: httpUrl.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization }, lazy: false, retryAttempts: 0 });
  const events: unknown[] = [];
  const done = new Promise<unknown[]>((resolve, reject) => {
    const timer = setTimeout(() => resolve(events), waitMs);
    client.subscribe(
      { query, variables },
      {
        next: (value) => {
          events.push(value);
          if (events.length >= count) {
            clearTimeout(timer);
            resolve(events);
          }
        },
        error: (error) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        },
        complete: () => undefined,
      },
    );
  });
  return { done, close: () => client.dispose() };
}
