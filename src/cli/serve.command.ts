import type { Logger } from '../common/logger';
import type { Database } from '../db/client';
import { escalateOverdueSteps } from '../modules/deadlines/deadlines.service';
import { expireOverdueReferrals } from '../modules/referrals/referrals.service';
import { startHttpServer } from '../server/http';
import { CommandError, type CommandIo } from './command';
import { openForCommand, prepareDatabase } from './database.commands';

export const SERVE_USAGE = `Usage: hub serve

Migrates the database, loads the demo data into an empty one (HUB_SEED=demo), and serves
GraphQL at /graphql on HOST:PORT, with /healthz, /readyz and /metrics beside it.
Every minute, proposals nobody answered in time expire and overdue application steps escalate.

SIGTERM or SIGINT stops it: no new connections, subscriptions closed, requests in flight get
HUB_SHUTDOWN_GRACE_MS (default 10000) to finish, then the database is closed and it exits 0.
Configuration is read from the environment; see README.md.`;

/**
 * The minute jobs. A tick is skipped while the previous one still runs, so stopping has one run
 * to wait for before the database closes under it.
 */
function startMinuteJobs(db: Database, logger: Logger): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const failed = (event: string) => (error: unknown) => logger.error({ name: error instanceof Error ? error.name : 'unknown' }, event);
  const timer = setInterval(() => {
    if (running) return;
    running = Promise.all([
      expireOverdueReferrals(db).then((count) => count > 0 && logger.info({ count }, 'referrals.expired'), failed('referrals.expiry_failed')),
      escalateOverdueSteps(db).then((count) => count > 0 && logger.info({ count }, 'applications.escalated'), failed('applications.escalation_failed')),
    ]).finally(() => {
      running = undefined;
    });
  }, 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Resolves with the first SIGTERM or SIGINT. The listeners stay: a second signal while stopping
 * is logged and ignored, since the default action would kill the process before the database
 * is closed (PGlite would leave its lock and maybe unflushed pages). The grace period bounds
 * the wait.
 */
function firstStopSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) {
        logger.warn({ signal }, 'server.stop_in_progress');
        return;
      }
      received = true;
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/** `hub serve`: runs until SIGTERM/SIGINT, then stops gracefully and resolves to exit code 0. */
export async function serveCommand(_argv: readonly string[], io: CommandIo): Promise<number> {
  const config = io.config();
  const logger = io.logger();
  const started = Date.now();
  const stopSignal = firstStopSignal(logger);
  const handle = await openForCommand(config, logger);
  let hub;
  try {
    await prepareDatabase(handle, logger, config.seed === 'demo');
    hub = await startHttpServer(handle.db, config, { logger });
  } catch (error) {
    await handle.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CommandError(`Port ${config.port} on ${config.host} is in use by another program: stop it or set PORT.`);
    throw error;
  }
  const jobs = startMinuteJobs(handle.db, logger);
  logger.info({ url: hub.url, startupMs: Date.now() - started }, 'server.ready');

  const signal = await stopSignal;
  const stopping = Date.now();
  logger.info({ signal, graceMs: config.operations.shutdownGraceMs }, 'server.stopping');
  try {
    await jobs.stop();
    await hub.stop();
  } finally {
    // Whatever happened while draining, the database is closed: PGlite must release its folder.
    await handle.close();
  }
  logger.info({ signal, ms: Date.now() - stopping }, 'server.stopped');
  return 0;
}
