import postgres from 'postgres';
import { openDatabase } from '../../src/db/client';
import { TEMPLATE_DATABASE, TEST_DATABASE_URL, databaseUrl } from './database';

/** On a PostgreSQL server: builds the migrated template every test file clones. */
export default async function globalSetup(): Promise<void> {
  if (!TEST_DATABASE_URL) return;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`drop database if exists "${TEMPLATE_DATABASE}" with (force)`);
    await admin.unsafe(`create database "${TEMPLATE_DATABASE}"`);
  } finally {
    await admin.end();
  }
  const handle = await openDatabase({ databaseUrl: databaseUrl(TEST_DATABASE_URL, TEMPLATE_DATABASE), poolSize: 1 });
  try {
    await handle.migrate();
  } finally {
    await handle.close();
  }
}
