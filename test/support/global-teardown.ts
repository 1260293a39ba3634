import postgres from 'postgres';
import { templateDatabase, TEST_DATABASE_URL } from './database';

export default async function globalTeardown(): Promise<void> {
  if (!TEST_DATABASE_URL) return;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`drop database if exists "${templateDatabase()}" with (force)`);
  } finally {
    await admin.end();
  }
}
