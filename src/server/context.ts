import { randomUUID } from 'node:crypto';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import { PUBLIC_PRINCIPAL, type Principal } from '../auth/principal';
import { createLoaders, type Loaders } from './loaders';

/** Per-request state: built fresh for every operation, never kept on resolver classes. */
export interface HubContext {
  readonly db: Database;
  readonly config: HubConfig;
  readonly loaders: Loaders;
  readonly requestId: string;
  /** Who is asking; the public when no token came with the request. */
  readonly viewer: Principal;
  /** The stated purpose of the request (the `X-Hub-Purpose` header): a Case ID, needed to read personal data in clear. */
  readonly purpose: string | undefined;
}

export interface ContextOptions {
  readonly requestId?: string;
  readonly viewer?: Principal;
  readonly purpose?: string;
}

export function createContext(db: Database, config: HubConfig, options: ContextOptions = {}): HubContext {
  const viewer = options.viewer ?? PUBLIC_PRINCIPAL;
  return {
    db,
    config,
    viewer,
    purpose: options.purpose,
    loaders: createLoaders(db, config.maxPageSize),
    requestId: options.requestId ?? randomUUID(),
  };
}
