import { parseArgs } from 'node:util';
import { loadConfig } from '../../config';
import { openDatabase } from '../client';
import { CITY_SEED, CITY_SIZES } from './city-plan';
import { generateCity, OccupiedDatabaseError } from './generate';

export const GENERATE_USAGE = `Usage: hub generate [--scale 1.0] [--seed N] [--force]

Fills the database (DATABASE_URL, or the embedded one) with the city-sized synthetic data set:
16 districts, 215 streets and towns, ${CITY_SIZES.committees.toLocaleString('en')} committees, 287 centres,
${CITY_SIZES.providers.toLocaleString('en')} providers, ${CITY_SIZES.resources.toLocaleString('en')} resources, ${CITY_SIZES.households.toLocaleString('en')} households (~400,000 persons),
${CITY_SIZES.needs.toLocaleString('en')} needs and ${CITY_SIZES.referrals.toLocaleString('en')} referrals at scale 1.0. Applies the migrations first.
The same seed and day give the same rows. Runs again as a no-op on a database it generated
with the same seed and scale.

Options:
  --scale X   multiply the volumes (districts, streets and centres stay whole), e.g. 0.01
  --seed N    the random seed (default ${CITY_SEED})
  --force     replace other data (demo, real, or the city set of another seed or scale): it is deleted
  --help      this text`;

export interface GenerateIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Draw the progress bar in place (a terminal); otherwise one line per table. */
  readonly interactive?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

function progressBar(io: GenerateIo): (phase: string, done: number, total: number) => void {
  const started = Date.now();
  let lastPhase = '';
  let lastDraw = 0;
  return (phase, done, total) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (!io.interactive) {
      if (phase !== lastPhase) io.stderr(`generate: ${phase} (${done.toLocaleString('en')}/${total.toLocaleString('en')} rows, ${seconds}s)\n`);
      lastPhase = phase;
      return;
    }
    const now = Date.now();
    if (phase === lastPhase && done < total && now - lastDraw < 100) return;
    lastPhase = phase;
    lastDraw = now;
    const share = total > 0 ? done / total : 0;
    const width = 30;
    const filled = Math.round(share * width);
    io.stderr(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${phase.padEnd(22)} ${done.toLocaleString('en')}/${total.toLocaleString('en')} ${seconds}s\x1b[K`);
  };
}

export async function generateCommand(argv: readonly string[], io: GenerateIo): Promise<number> {
  let values: { scale?: string; seed?: string; force?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { scale: { type: 'string' }, seed: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${GENERATE_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${GENERATE_USAGE}\n`);
    return 0;
  }
  const scale = values.scale === undefined ? 1 : Number(values.scale);
  if (!(Number.isFinite(scale) && scale > 0 && scale <= 10)) {
    io.stderr(`--scale must be a number above 0 and at most 10, got "${values.scale}"\n`);
    return 2;
  }
  const seed = values.seed === undefined ? CITY_SEED : Number(values.seed);
  if (!Number.isSafeInteger(seed)) {
    io.stderr(`--seed must be an integer, got "${values.seed}"\n`);
    return 2;
  }
  const config = loadConfig(io.env ?? process.env);
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await handle.migrate();
    const outcome = await generateCity(handle, { seed, scale, force: values.force === true, progress: progressBar(io) });
    if (io.interactive) io.stderr('\n');
    io.stdout(`${JSON.stringify({ event: outcome.generated ? 'generate.done' : 'generate.skipped', ...(outcome.generated ? {} : { reason: 'the database already holds this data set' }), kind: handle.kind, seed, scale, ms: outcome.ms, counts: outcome.counts })}\n`);
    return 0;
  } catch (error) {
    if (io.interactive) io.stderr('\n');
    if (error instanceof OccupiedDatabaseError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await handle.close();
  }
}
