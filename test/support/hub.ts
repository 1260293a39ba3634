import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { loadConfig, type HubConfig } from '../../src/config';
import type { Database } from '../../src/db/client';
import { createContext, type ContextOptions, type HubContext } from '../../src/server/context';
import { createApolloServer } from '../../src/server/http';
import { openTestDatabase, type TestDatabase } from './database';

export interface OperationResult<Data> {
  readonly data: Data | null | undefined;
  readonly errors: readonly GraphQLFormattedError[] | undefined;
}

/** A hub on its own database for one test file, run through Apollo's real request pipeline. */
export interface TestHub {
  readonly db: Database;
  readonly config: HubConfig;
  readonly database: TestDatabase;
  /** Runs an operation; `statements` is how many SQL statements it sent. */
  run<Data = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, options?: ContextOptions): Promise<OperationResult<Data> & { statements: number }>;
  close(): Promise<void>;
}

/**
 * The viewer of tests that are not about permissions: the city civil affairs bureau, which sees
 * every row (personal fields still masked without a purpose). Permission tests pass their own.
 */
export const CITY_VIEWER: Principal = {
  subject: 'test-city-civil-affairs',
  organizationId: null,
  staffMemberId: null,
  roles: [Role.CITY_CIVIL_AFFAIRS],
  districtIds: [],
  streetIds: [],
};

export async function startTestHub(overrides: Partial<HubConfig> = {}): Promise<TestHub> {
  const database = await openTestDatabase();
  const config: HubConfig = { ...loadConfig({}), ...overrides };
  const apollo: ApolloServer<HubContext> = await createApolloServer([], config);
  // Started here, so a file that only calls services can still close it.
  await apollo.start();
  const { handle } = database;
  return {
    db: handle.db,
    config,
    database,
    async run<Data>(query: string, variables?: Record<string, unknown>, options?: ContextOptions) {
      const before = handle.statements.count;
      const response = await apollo.executeOperation<Data>({ query, variables }, { contextValue: createContext(handle.db, config, { viewer: CITY_VIEWER, ...options }) });
      if (response.body.kind !== 'single') throw new Error('Incremental delivery is not used by the hub');
      const { data, errors } = response.body.singleResult;
      return { data, errors, statements: handle.statements.count - before };
    },
    async close() {
      await apollo.stop();
      await database.close();
    },
  };
}
