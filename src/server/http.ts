import http from 'node:http';
import express from 'express';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { PUBLIC_PRINCIPAL, type Principal } from '../auth/principal';
import { createTokenVerifier, InvalidTokenError, type TokenVerifier } from '../auth/tokens';
import { loadConfig, type HubConfig } from '../config';
import type { Database } from '../db/client';
import { DEFAULT_PAGE_SIZE } from '../db/paginate';
import { createContext, type HubContext } from './context';
import { graphiqlLandingPage, mountGraphiQLAssets } from './graphiql';
import { isPlainJsonBody, parseOptionsFor, queryLimitsPlugin, readJsonBody, refuseUnreadableBody, unreadableBodyAnswer } from './limits';
import { rateLimitPlugin, rememberClientAddress, TokenBucketLimiter } from './rate-limit';
import { hubSchema } from './schema';
import { mountDashboard } from './dashboard';
import { mountResourceImport } from '../modules/resource-import/resource-import.http';
import { hubSubgraphSchema } from './federation';
import { compiledQueriesPlugin } from './compiled/queries';
import { answerAsText, type SplicedAnswers } from './compiled/text';
import { WebSocketServer } from 'ws';
import { defaultLogger, type Logger } from '../common/logger';
import { attachRequestRecord, logInternalError, mountProbes, requestIdOfResponse, requestRecordPlugin, trackRequest, trackRequests } from './observability';

// graphql-ws publishes this entry only through package exports, which this project's
// "node" module resolution does not read; the runtime require does.
const { useServer } = require('graphql-ws/use/ws') as typeof import('graphql-ws/dist/use/ws');

const SAFE_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_ALIASES',
  'QUERY_TOO_LARGE',
  'RATE_LIMITED',
]);

/**
 * Errors a client can act on pass through; anything else (a bug, a database failure whose
 * message might quote data) is replaced by a generic message and an id to find it in the log
 * (logged there with its request's id by requestRecordPlugin, which sees it first).
 */
export function maskError(formatted: GraphQLFormattedError, original: unknown, logger: Logger = defaultLogger()): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && SAFE_CODES.has(code)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const errorId = logInternalError(original, formatted.path, undefined, logger);
  return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR', errorId } };
}

/**
 * The hub's Apollo Server: query limits always on; in production no introspection and no
 * "Did you mean …" suggestions, which would spell the schema out to anyone who guesses.
 * Without a configuration (tests), the defaults of an empty environment apply. A browser's GET
 * /graphql gets the self-hosted GraphiQL, except in production, where introspection is off too.
 */
export async function createApolloServer(
  extraPlugins: ApolloServerPlugin<HubContext>[] = [],
  config: Pick<HubConfig, 'production' | 'limits' | 'maxPageSize' | 'compiledQueries'> = loadConfig({}),
  schema?: GraphQLSchema,
  logger: Logger = defaultLogger(),
): Promise<ApolloServer<HubContext>> {
  // Compiled queries read the hub's own schema; a subgraph's (federation) is executed as it is.
  const compiled = config.compiledQueries && !schema ? [compiledQueriesPlugin(await hubSchema())] : [];
  return new ApolloServer<HubContext>({
    schema: schema ?? (await hubSchema()),
    formatError: (formatted, original) => maskError(formatted, original, logger),
    // The hub's command line owns SIGTERM/SIGINT. Apollo's own handler would call stop() first,
    // and Apollo 5.5 never settles a second, concurrent stop(): the hub's shutdown hung on it.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    parseOptions: parseOptionsFor(config.limits),
    // After the extra plugins, so a rate-limited client hears 429 before anything about its query.
    // The hub sets no cache hints: without the default cache-control plugin, Apollo no longer
    // instruments every field resolver (willResolveField) of every request.
    plugins: [
      config.production ? ApolloServerPluginLandingPageDisabled() : graphiqlLandingPage(),
      ApolloServerPluginCacheControlDisabled(),
      requestRecordPlugin(logger, (code) => SAFE_CODES.has(code)),
      ...extraPlugins,
      queryLimitsPlugin(config.limits, { defaultSize: DEFAULT_PAGE_SIZE, maxSize: config.maxPageSize }),
      ...compiled,
    ],
  });
}

/** The principal of a request: the public without a token; a bad token is refused, never downgraded. */
export async function authenticate(verifier: TokenVerifier, authorization: string | undefined): Promise<Principal> {
  if (!authorization) return PUBLIC_PRINCIPAL;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(authorization.trim());
  try {
    if (!match) throw new InvalidTokenError('the Authorization header must be "Bearer <token>"');
    return await verifier.verify(match[1]!);
  } catch (error) {
    const message = error instanceof InvalidTokenError ? error.message : 'the bearer token could not be verified';
    throw new GraphQLError(`Not authenticated: ${message}`, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
}

/**
 * GraphQL subscriptions over graphql-ws on the same path. The token and purpose come in the
 * connection parameters (`{ authorization: "Bearer …", purpose }`), checked when the socket
 * opens; a bad token closes it with 4401, like a 401 over HTTP.
 */
function serveSubscriptions(httpServer: http.Server, schema: GraphQLSchema, db: Database, config: HubConfig, verifier: TokenVerifier) {
  const sockets = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.limits.maxBodyBytes });
  const viewers = new WeakMap<object, Principal>();
  return useServer<Record<string, unknown> | undefined>(
    {
      schema,
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        try {
          viewers.set(ctx.extra, await authenticate(verifier, typeof authorization === 'string' ? authorization : undefined));
          return true;
        } catch {
          return false;
        }
      },
      context: (ctx) => {
        const purpose = ctx.connectionParams?.purpose;
        return createContext(db, config, { viewer: viewers.get(ctx.extra) ?? PUBLIC_PRINCIPAL, purpose: typeof purpose === 'string' ? purpose : undefined });
      },
    },
    sockets,
  );
}

export interface RunningHub {
  readonly url: string;
  readonly port: number;
  /**
   * Stops accepting connections, closes subscriptions, lets requests in flight finish within the
   * grace period (HUB_SHUTDOWN_GRACE_MS), then cuts what is left. Safe to call more than once.
   */
  stop(): Promise<void>;
}

export interface HttpServerOptions {
  /** Where request lines and internal errors are logged (`hub serve` passes the configured one); by default defaultLogger(). */
  readonly logger?: Logger;
  /** The reporting replica's database (HUB_REPORTING_DATABASE_URL); reporting queries read `db` without one. */
  readonly reportingDb?: Database;
  /** False: every request goes through the Express app, the lean POST /graphql path too (tests hold the two side by side). */
  readonly leanGraphql?: boolean;
}

/** The context of one HTTP request, from the request and the response that answers it. */
type ContextOf = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<HubContext>;

/**
 * A GraphQL endpoint as an Express app of its own, without ETags: Express would hash every answer
 * to a POST for an ETag that no client can send back (a twentieth of a small query's time).
 */
function graphqlEndpoint(apollo: ApolloServer<HubContext>, context: ContextOf, maxBodyBytes: number): express.Express {
  const endpoint = express();
  endpoint.set('etag', false);
  endpoint.use(express.json({ limit: maxBodyBytes }), expressMiddleware(apollo, { context: ({ req, res }) => context(req, res) }), refuseUnreadableBody);
  return endpoint;
}

/**
 * Whether a request takes the lean path: `POST /graphql` (a query string allowed) with a plain
 * JSON body (isPlainJsonBody). Everything else, `/graphql/…`, GET, other bodies, goes to Express.
 */
function isLeanGraphqlRequest(req: http.IncomingMessage): boolean {
  const url = req.url ?? '';
  return req.method === 'POST' && (url === '/graphql' || url.startsWith('/graphql?')) && isPlainJsonBody(req);
}

/**
 * Writes an answer as Express's res.send would: a charset on a type that names none (Apollo's
 * all name utf-8), and a Content-Length, which Node sets itself when the whole body comes with
 * end(). No X-Powered-By: nothing depends on it.
 */
function sendComplete(res: http.ServerResponse, status: number, contentType: string | undefined, body: string): void {
  res.statusCode = status;
  if (contentType !== undefined) res.setHeader('content-type', /;\s*charset=/i.test(contentType) ? contentType : `${contentType}; charset=utf-8`);
  res.end(body);
}

/**
 * `POST /graphql` without Express: the same steps as the Express endpoint (request record, the
 * JSON body and its refusals, Apollo's HTTP handler, as @as-integrations/express5 calls it) for
 * a fraction of the fixed cost of a request (router, body parser, response helpers). What a
 * client sees is the same; test/integration/lean-graphql.test.ts holds the two side by side.
 */
function leanGraphqlHandler(apollo: ApolloServer<HubContext>, context: ContextOf, maxBodyBytes: number, logger: Logger) {
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    try {
      trackRequest(req, res, '/graphql', logger);
      const read = await readJsonBody(req, maxBodyBytes);
      if ('refusal' in read) {
        const answer = unreadableBodyAnswer(read.refusal);
        sendComplete(res, answer.status, 'application/json; charset=utf-8', JSON.stringify(answer.body));
        return;
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      // The query string as the Express integration reads it (Apollo reads it for GET only).
      const url = req.url!;
      const query = url.indexOf('?');
      // Compiled queries may answer as JSON text, spliced into Apollo's response (compiled/text.ts).
      let spliced: SplicedAnswers | undefined;
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search: query === -1 ? '' : url.slice(query), body: read.body },
        context: async () => {
          const ctx = await context(req, res);
          spliced = answerAsText(ctx);
          return ctx;
        },
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      if (response.body.kind === 'complete') {
        const body = spliced ? spliced.splice(response.body.string) : response.body.string;
        sendComplete(res, response.status || 200, response.headers.get('content-type'), body);
        return;
      }
      // Compiled answers come only in a complete body: a streamed one has no place for them.
      if (spliced?.size) throw new Error('Compiled answers in a streamed response');
      res.statusCode = response.status || 200;
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      // Apollo answers its own failures; this is a failure to write, or a bug here. Nothing
      // escapes: the request listener does not wait for this promise.
      const errorId = logInternalError(error, undefined, requestIdOfResponse(res), logger);
      if (res.headersSent) res.destroy();
      else sendComplete(res, 500, 'application/json; charset=utf-8', JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', errorId } }] }));
    }
  };
}

/**
 * Serves GraphQL at /graphql, probes at /healthz and /readyz, and Prometheus metrics at /metrics.
 * A `POST /graphql` with a plain JSON body, almost every request a client sends, is answered by
 * leanGraphqlHandler; everything else by the Express app.
 */
export async function startHttpServer(db: Database, config: HubConfig, options: HttpServerOptions = {}): Promise<RunningHub> {
  const logger = options.logger ?? defaultLogger();
  const app = express();
  let stopping: Promise<void> | undefined;
  app.use(trackRequests(logger));
  // Requests are routed once Apollo has started (below), before the server listens.
  const httpServer = http.createServer();
  const { ratePerMinute, rateBurst, maxBodyBytes } = config.limits;
  const rateLimit = ratePerMinute > 0 ? [rateLimitPlugin(new TokenBucketLimiter({ perMinute: ratePerMinute, burst: rateBurst }))] : [];
  const verifier = await createTokenVerifier(config.auth);
  const subscriptions = serveSubscriptions(httpServer, await hubSchema(), db, config, verifier);
  const closeSubscriptions: ApolloServerPlugin<HubContext> = {
    async serverWillStart() {
      return { drainServer: async () => subscriptions.dispose() };
    },
  };
  const drain = ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.operations.shutdownGraceMs });
  const apollo = await createApolloServer([drain, closeSubscriptions, ...rateLimit], config, undefined, logger);
  await apollo.start();
  mountProbes(app, { db, config, accepting: () => stopping === undefined });
  mountDashboard(app);
  if (!config.production) mountGraphiQLAssets(app);
  mountResourceImport(app, { db, config, logger, principalOf: (req) => authenticate(verifier, req.header('authorization')) });
  // The client address (for the rate limit) and the request's record (for its log line and
  // metrics) ride on the context: promises would lose them otherwise.
  const context: ContextOf = async (req, res) =>
    attachRequestRecord(
      rememberClientAddress(
        createContext(db, config, {
          requestId: requestIdOfResponse(res),
          viewer: await authenticate(verifier, req.headers.authorization),
          purpose: (req.headers['x-hub-purpose'] as string | undefined) || undefined,
          reportingDb: options.reportingDb,
        }),
        req,
      ),
      res,
    );
  app.use('/graphql', graphqlEndpoint(apollo, context, maxBodyBytes));
  // Lean requests are requests of this server all the same: the drain plugin counts them in
  // flight on their connections, so stop() waits for them as for any other.
  const lean = options.leanGraphql === false ? undefined : leanGraphqlHandler(apollo, context, maxBodyBytes, logger);
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (lean && isLeanGraphqlRequest(req)) void lean(req, res);
    else app(req, res);
  });
  // HUB_FEDERATION=1: the same graph as an Apollo Federation v2 subgraph, for a department's gateway.
  // No inline traces (ftv1) for gateways: they would carry timings and error details out.
  const subgraph = config.federation ? await createApolloServer([ApolloServerPluginInlineTraceDisabled(), ...rateLimit], config, await hubSubgraphSchema(), logger) : undefined;
  if (subgraph) {
    await subgraph.start();
    app.use('/subgraph', graphqlEndpoint(subgraph, context, maxBodyBytes));
  }
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    stop: () =>
      (stopping ??= (async () => {
        await apollo.stop();
        await subgraph?.stop();
      })()),
  };
}
