import type { HubConfig } from '../config';
import type { DbHandle } from '../db/client';
import { connectEventBus, type EventBusLog } from './event-bus';
import { startJobs, type JobRunner } from './jobs';
import { hubPubSub } from './pubsub';

export interface InstanceServices {
  readonly jobs: JobRunner;
  /** Stops the jobs (waiting for one under way) and leaves the event bus. */
  stop(): Promise<void>;
}

/**
 * What makes one `serve` process a member of a group of hub instances on one database: events
 * published here reach subscribers everywhere (LISTEN/NOTIFY), and the scheduled jobs run once
 * per interval across the group. On embedded PGlite the group is this process alone; the same
 * path runs there.
 */
export async function startInstanceServices(handle: DbHandle, config: HubConfig, log: EventBusLog): Promise<InstanceServices> {
  const events = await connectEventBus(hubPubSub, handle.notifications, log);
  const jobs = startJobs(handle.db, config, log);
  return {
    jobs,
    async stop() {
      await jobs.stop();
      await events.close();
    },
  };
}
