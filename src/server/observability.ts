import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { sql } from 'drizzle-orm';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../common/logger';
import { collectProcessMetrics, metricsRegistry, operationLabel, recordGraphqlError, recordGraphqlRequest } from '../common/metrics';
import type { HubConfig } from '../config';
import { MIGRATIONS_FOLDER, type Database } from '../db/client';
import { rowsOf } from '../db/rows';

/** What the request log line and the metrics learn about one HTTP request while it is served. */
export interface RequestRecord {
  /** The caller's `x-request-id` when short and plain, else a fresh UUID; echoed in the response. */
  readonly id: string;
  /** The GraphQL operation's name, once resolved. */
  operation?: string;
  /** `extensions.code` of every error in the response, after masking. */
  readonly errorCodes: string[];
}

/** The record rides on the request's context under a symbol (Apollo copies symbol keys too); an AsyncLocalStorage would turn on promise hooks for every promise. */
const REQUEST_RECORD = Symbol('requestRecord');

/** The record on the response it belongs to: the one place both the Express app and the lean /graphql path can reach. */
const RESPONSE_RECORD = Symbol('responseRecord');

/** Puts the record of the HTTP request `res` answers on its context. */
export function attachRequestRecord<Context extends object>(context: Context, res: ServerResponse): Context {
  (context as Record<symbol, unknown>)[REQUEST_RECORD] = (res as unknown as Record<symbol, unknown>)[RESPONSE_RECORD];
  return context;
}

/** The record of the HTTP request of a context; none for subscriptions and operations run in-process. */
export function requestRecordOf(context: object): RequestRecord | undefined {
  return (context as Record<symbol, RequestRecord | undefined>)[REQUEST_RECORD];
}

/** A caller's request id is kept for tracing only when it is short and plain; otherwise a fresh one. */
export function requestIdOf(header: string | undefined): string {
  return header && /^[A-Za-z0-9._-]{1,64}$/.test(header) ? header : randomUUID();
}

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Starts the record of one HTTP request: gives it its id (response header `x-request-id`), and
 * when the response is done writes one log line and, for /graphql, the request metrics. The line
 * holds the method, the path without its query string (a GET query carries its variables there),
 * the status, the time, the operation name and the error codes: never variables, headers or
 * bodies. Probes and scrapes log at debug, so a poll every few seconds does not drown the log.
 * Called by the Express app (trackRequests) and by the lean POST /graphql path alike.
 */
export function trackRequest(req: IncomingMessage, res: ServerResponse, pathname: string, logger: Logger): RequestRecord {
  const started = process.hrtime.bigint();
  // Node joins a repeated header into one string; only set-cookie comes as a list.
  const record: RequestRecord = { id: requestIdOf(req.headers['x-request-id'] as string | undefined), errorCodes: [] };
  (res as unknown as Record<symbol, unknown>)[RESPONSE_RECORD] = record;
  res.setHeader('x-request-id', record.id);
  res.once('close', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (pathname === '/graphql' || pathname === '/subgraph') recordGraphqlRequest(operationLabel(record.operation), seconds);
    const level = PROBES.has(pathname) ? 'debug' : res.statusCode >= 500 ? 'error' : 'info';
    logger[level](
      {
        requestId: record.id,
        method: req.method,
        path: pathname,
        status: res.statusCode,
        ms: Math.round(seconds * 10_000) / 10,
        ...(record.operation !== undefined && { operation: record.operation.slice(0, 100) }),
        ...(record.errorCodes.length > 0 && { errorCodes: [...new Set(record.errorCodes)] }),
        ...(!res.writableFinished && { aborted: true }),
      },
      'http.request',
    );
  });
  return record;
}

/** First middleware of the Express app: trackRequest for every request it serves. */
export function trackRequests(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    // req.path read now: routers rewrite req.url while they run.
    trackRequest(req, res, req.path, logger);
    next();
  };
}

/** The request id for the context of an HTTP request (the one its log line and response header carry). */
export function requestIdOfResponse(res: ServerResponse): string | undefined {
  return (res as unknown as Record<symbol, RequestRecord | undefined>)[RESPONSE_RECORD]?.id;
}

const internalErrorIds = new WeakMap<object, string>();

/**
 * Logs an error the client is not told about, once, and returns the id the client gets. The
 * message is left out: database errors can quote the values they refused. So are stack lines
 * other than call sites: drivers append lines such as "params: …" that carry the values.
 */
export function logInternalError(original: unknown, path: GraphQLFormattedError['path'], requestId: string | undefined, logger: Logger): string {
  const key = typeof original === 'object' && original !== null ? original : undefined;
  const known = key && internalErrorIds.get(key);
  if (known) return known;
  const errorId = randomUUID();
  const cause = original instanceof Error ? original : undefined;
  const inner = (cause as { originalError?: Error } | undefined)?.originalError ?? cause;
  const frames = inner?.stack
    ?.split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
    .slice(0, 6);
  const sqlState = (inner as { code?: unknown } | undefined)?.code;
  logger.error({ requestId, errorId, path, name: inner?.name, sqlState, frames }, 'graphql.internal_error');
  if (key) internalErrorIds.set(key, errorId);
  return errorId;
}

/**
 * Notes the operation name and the error codes of each response and counts the errors by code;
 * logs the errors that will be masked (not `isSafeCode`) with the request's id, before the error
 * formatting, which has no context, hands their id to the client.
 */
export function requestRecordPlugin(logger: Logger, isSafeCode: (code: string) => boolean): ApolloServerPlugin {
  return {
    async requestDidStart({ contextValue }) {
      const record = requestRecordOf(contextValue as object);
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (typeof code !== 'string' || !isSafeCode(code)) logInternalError(error, error.path, record?.id, logger);
          }
        },
        async willSendResponse({ operationName, response }) {
          if (record && operationName) record.operation = operationName;
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          for (const error of errors ?? []) {
            const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
            recordGraphqlError(code);
            record?.errorCodes.push(code);
          }
        },
      };
    },
  };
}

export type Readiness = { readonly ready: true } | { readonly ready: false; readonly reason: string };

const READINESS_TIMEOUT_MS = 2000;

/** `created_at` of every migration in drizzle's journal: what drizzle writes to its table when it applies one. */
function journalMigrations(): { tag: string; when: number }[] {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
  return journal.entries.map(({ tag, when }) => ({ tag, when }));
}

function sqlStateOf(error: unknown): unknown {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: unknown };
  return code ?? (cause as { code?: unknown } | undefined)?.code;
}

/**
 * Whether the hub can serve: the database answers within 2 s and every migration of the journal
 * is recorded in drizzle's table (by its timestamp, not only the latest, so a migration merged
 * with an older timestamp than the last applied one shows up). Reasons carry counts and
 * migration tags, never data.
 */
export function readinessCheck(db: Database): () => Promise<Readiness> {
  const expected = journalMigrations();
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Readiness>((resolve) => {
      timer = setTimeout(() => resolve({ ready: false, reason: `database did not answer within ${READINESS_TIMEOUT_MS / 1000} s` }), READINESS_TIMEOUT_MS);
      timer.unref();
    });
    const check = (async (): Promise<Readiness> => {
      let applied: Set<number>;
      try {
        const rows = rowsOf<{ created_at: unknown }>(await db.execute(sql`/* appliedMigrations */ select created_at from drizzle.__drizzle_migrations`));
        applied = new Set(rows.map((row) => Number(row.created_at)));
      } catch (error) {
        const state = sqlStateOf(error);
        // No migrations table or schema yet: the database answers but was never migrated.
        if (state === '42P01' || state === '3F000') return { ready: false, reason: `migrations not applied: ${expected.length} of ${expected.length} missing` };
        return { ready: false, reason: 'database unreachable' };
      }
      const missing = expected.filter((migration) => !applied.has(migration.when));
      if (missing.length > 0) return { ready: false, reason: `migrations not applied: ${missing.length} of ${expected.length} missing (first: ${missing[0]!.tag})` };
      return { ready: true };
    })();
    try {
      return await Promise.race([check, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}

function sameToken(given: string, expected: string): boolean {
  // Digests first: timingSafeEqual needs equal lengths, and the length must not leak either.
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

export interface ProbeOptions {
  readonly db: Database;
  readonly config: Pick<HubConfig, 'production' | 'operations'>;
  /** False once the hub is stopping: /readyz then answers 503 whatever the database says. */
  readonly accepting: () => boolean;
}

/**
 * /healthz: the process serves HTTP. /readyz: it can serve requests (see readinessCheck).
 * /metrics: Prometheus text. With HUB_METRICS_TOKEN set, a scrape must send it as a bearer
 * token; without one it is open outside production and answers 404 in production, where
 * operation names and volumes are not for anyone who finds the port.
 */
export function mountProbes(app: Express, options: ProbeOptions): void {
  const ready = readinessCheck(options.db);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const readiness: Readiness = options.accepting() ? await ready() : { ready: false, reason: 'shutting down' };
    if (readiness.ready) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'unavailable', reason: readiness.reason });
  });
  const { metricsToken } = options.config.operations;
  if (metricsToken === undefined && options.config.production) return;
  collectProcessMetrics();
  app.get('/metrics', async (req, res) => {
    if (metricsToken !== undefined) {
      const match = /^Bearer (\S+)$/i.exec(req.header('authorization') ?? '');
      if (!match || !sameToken(match[1]!, metricsToken)) {
        res.status(401).set('www-authenticate', 'Bearer').json({ error: 'a bearer token (HUB_METRICS_TOKEN) is required' });
        return;
      }
    }
    res.set('content-type', metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
}
