import { randomUUID } from 'node:crypto';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import { createLoaders, type Loaders } from './loaders';

/** Per-request state: built fresh for every operation, never kept on resolver classes. */
export interface HubContext {
  readonly db: Database;
  readonly config: HubConfig;
  readonly loaders: Loaders;
  readonly requestId: string;
}

export function createContext(db: Database, config: HubConfig, requestId: string = randomUUID()): HubContext {
  return { db, config, loaders: createLoaders(db, config.maxPageSize), requestId };
}
