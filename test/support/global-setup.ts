import postgres from 'postgres';
import { openDatabase } from '../../src/db/client';
import { templateDatabase, TEST_DATABASE_URL, databaseUrl } from './database';

/** On a PostgreSQL server: builds the migrated template every test file clones. */
export default async function globalSetup(): Promise<void> {
  if (!TEST_DATABASE_URL) return;
  // Jest workers start after global setup and inherit this environment.
  process.env.HUB_TEST_TEMPLATE = `hub_test_template_${process.pid}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`drop database if exists "${templateDatabase()}" with (force)`);
    await admin.unsafe(`create database "${templateDatabase()}"`);
  } finally {
    await admin.end();
  }
  const handle = await openDatabase({ databaseUrl: databaseUrl(TEST_DATABASE_URL, templateDatabase()), poolSize: 1 });
  try {
    await handle.migrate();
  } finally {
    await handle.close();
  }
}
