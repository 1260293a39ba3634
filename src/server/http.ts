import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError } from 'graphql';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import { createContext, type HubContext } from './context';
import { hubSchema } from './schema';

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
]);

/**
 * Errors a client can act on pass through; anything else (a bug, a database failure whose
 * message might quote data) is replaced by a generic message and an id to find it in the log.
 */
export function maskError(formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && SAFE_CODES.has(code)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const errorId = randomUUID();
  const cause = original instanceof Error ? original : undefined;
  const inner = (cause as { originalError?: Error } | undefined)?.originalError ?? cause;
  process.stderr.write(`${JSON.stringify({ level: 'error', errorId, path: formatted.path, name: inner?.name, stack: inner?.stack?.split('\n').slice(0, 6).join(' | ') })}\n`);
  return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR', errorId } };
}

export async function createApolloServer(extraPlugins: ApolloServerPlugin<HubContext>[] = []): Promise<ApolloServer<HubContext>> {
  return new ApolloServer<HubContext>({
    schema: await hubSchema(),
    formatError: maskError,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), ...extraPlugins],
  });
}

export interface RunningHub {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Serves GraphQL at /graphql and a liveness probe at /healthz. */
export async function startHttpServer(db: Database, config: HubConfig): Promise<RunningHub> {
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = await createApolloServer([ApolloServerPluginDrainHttpServer({ httpServer })]);
  await apollo.start();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => createContext(db, config, req.header('x-request-id') ?? randomUUID()),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    stop: () => apollo.stop(),
  };
}
