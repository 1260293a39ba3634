import type { Logger } from '../common/logger';
import { startHttpServer, type RunningHub } from '../server/http';
import { startInstanceServices, type InstanceServices } from '../server/instance';
import { CommandError, type CommandIo } from './command';
import { openDatabase } from '../db/client';
import { openForCommand, prepareDatabase } from './database.commands';

export const SERVE_USAGE = `Usage: hub serve

Migrates the database, loads the demo data into an empty one (HUB_SEED=demo), and serves
GraphQL at /graphql on HOST:PORT, with /healthz, /readyz and /metrics beside it.
Every HUB_JOB_INTERVAL_SECONDS (default 60), proposals nobody answered in time expire and
overdue application steps escalate, once across all instances on the database.

SIGTERM or SIGINT stops it: no new connections, subscriptions closed, requests in flight get
HUB_SHUTDOWN_GRACE_MS (default 10000) to finish, then the jobs and the event bus stop, the
database is closed and it exits 0.
Configuration is read from the environment; see README.md.`;

/** The event log that jobs and the event bus write through: failures at error, the rest at info. */
function eventLog(logger: Logger): (event: string, fields?: Record<string, unknown>) => void {
  return (event, fields = {}) => (/failed$/.test(event) ? logger.error(fields, event) : logger.info(fields, event));
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

/** Stops the HTTP server, then the jobs and the event bus, even when the first fails. */
async function stopAll(hub: RunningHub | undefined, instance: InstanceServices | undefined): Promise<void> {
  try {
    await hub?.stop();
  } finally {
    await instance?.stop();
  }
}

/** `hub serve`: runs until SIGTERM/SIGINT, then stops gracefully and resolves to exit code 0. */
export async function serveCommand(_argv: readonly string[], io: CommandIo): Promise<number> {
  const config = io.config();
  const logger = io.logger();
  const started = Date.now();
  const stopSignal = firstStopSignal(logger);
  const handle = await openForCommand(config, logger);
  // The reporting replica is only read: the primary's migrations reach it by replication.
  const reporting = config.reportingDatabaseUrl
    ? await openDatabase({ databaseUrl: config.reportingDatabaseUrl, poolSize: config.poolSize, logSql: config.logSql }).catch(async (error: unknown) => {
        await handle.close();
        throw error;
      })
    : undefined;
  if (reporting) logger.info({ kind: 'postgres', use: 'reporting' }, 'database.opened');
  const closeDatabases = async (): Promise<void> => {
    try {
      await handle.close();
    } finally {
      await reporting?.close();
    }
  };
  let hub: RunningHub | undefined;
  let instance: InstanceServices | undefined;
  const startup = (async () => {
    await prepareDatabase(handle, logger, config.seed === 'demo');
    hub = await startHttpServer(handle.db, config, { logger, reportingDb: reporting?.db });
    // Events reach subscribers on every instance; the scheduled jobs run once across instances.
    instance = await startInstanceServices(handle, config, eventLog(logger));
  })();
  // A signal while starting (migrating or seeding can wait on another hub's lock for long)
  // stops the start: closing the database ends any wait on it.
  const early = await Promise.race([startup.then(() => undefined), stopSignal]).catch(async (error: unknown) => {
    await hub?.stop();
    await closeDatabases();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CommandError(`Port ${config.port} on ${config.host} is in use by another program: stop it or set PORT.`);
    throw error;
  });
  if (early !== undefined) {
    logger.info({ signal: early }, 'server.stopping');
    await closeDatabases();
    await startup.catch(() => undefined);
    await stopAll(hub, instance);
    logger.info({ signal: early, during: 'startup' }, 'server.stopped');
    return 0;
  }
  logger.info({ url: hub!.url, startupMs: Date.now() - started }, 'server.ready');

  const signal = await stopSignal;
  const stopping = Date.now();
  logger.info({ signal, graceMs: config.operations.shutdownGraceMs }, 'server.stopping');
  try {
    // Requests in flight may still publish events: the event bus stops after them.
    await stopAll(hub, instance);
  } finally {
    // Whatever happened while draining, the database is closed: PGlite must release its folder.
    await closeDatabases();
  }
  logger.info({ signal, ms: Date.now() - stopping }, 'server.stopped');
  return 0;
}
