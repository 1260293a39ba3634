import type { Database } from '../../src/db/client';

/**
 * Runs `write` in a transaction left open while `then` starts, commits it 300 ms later and returns
 * what `then` gave: a write in flight, for race tests. Only a PostgreSQL server interleaves the two
 * (embedded PGlite runs one transaction at a time), so callers skip without TEST_DATABASE_URL.
 */
export async function whileHeld<T>(db: Database, write: (tx: Database) => Promise<unknown>, then: () => Promise<T>): Promise<T> {
  let inFlight!: () => void;
  let release!: () => void;
  const started = new Promise<void>((resolve) => (inFlight = resolve));
  const held = new Promise<void>((resolve) => (release = resolve));
  const writer = db.transaction(async (tx) => {
    await write(tx);
    inFlight();
    await held;
  });
  await started;
  const racing = then();
  await new Promise((resolve) => setTimeout(resolve, 300));
  release();
  await writer;
  return racing;
}
