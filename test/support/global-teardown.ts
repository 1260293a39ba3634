import postgres from 'postgres';
import { TEMPLATE_DATABASE, TEST_DATABASE_URL } from './database';

export default async function globalTeardown(): Promise<void> {
  if (!TEST_DATABASE_URL) return;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`drop database if exists "${TEMPLATE_DATABASE}" with (force)`);
  } finally {
    await admin.end();
  }
}
