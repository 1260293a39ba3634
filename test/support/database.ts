import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type DbHandle } from '../../src/db/client';

/**
 * Tests run on embedded PGlite unless TEST_DATABASE_URL names a PostgreSQL server database
 * the tests may create databases from (e.g. postgres://postgres@127.0.0.1:5432/test).
 * On a server each test file gets its own database cloned from a migrated template.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
/** Named per run (global setup sets it), so two test runs on one server never share a template. */
export const templateDatabase = (): string => process.env.HUB_TEST_TEMPLATE ?? 'hub_test_template';

export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  readonly handle: DbHandle;
  close(): Promise<void>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) {
    const handle = await openDatabase({});
    await handle.migrate();
    return { handle, close: () => handle.close() };
  }
  const name = `hub_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`create database "${name}" template "${templateDatabase()}"`);
  } finally {
    await admin.end();
  }
  const handle = await openDatabase({ databaseUrl: databaseUrl(TEST_DATABASE_URL, name), poolSize: 4 });
  return {
    handle,
    async close() {
      await handle.close();
      const cleanup = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
      try {
        await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
