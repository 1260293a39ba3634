import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/** Debian's chromium package puts its launcher here; CHROMIUM_PATH points elsewhere if needed. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function run(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output}`);
  }
}

/**
 * The headless browser of the page tests: Debian's `chromium`, installed with apt-get when it is
 * missing (the machines run tests as root; a fresh machine has no browser). Idempotent, so a
 * second test run finds it and installs nothing.
 */
export function ensureChromium(): string {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.getuid?.() !== 0) {
    throw new Error(`No browser at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  // Page tests run in parallel workers: one installs while the others wait for it (apt-get
  // would refuse a second run at once, the package database being locked).
  const lock = path.join(os.tmpdir(), 'hub-tests-chromium.lock');
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
      if (Date.now() > deadline) throw new Error(`waited 10 minutes for another test's chromium install (remove ${lock} if none runs)`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
  try {
    if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
    run('apt-get', ['update', '-q']);
    run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium']);
    if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium, but ${CHROMIUM_PATH} is still missing`);
    return CHROMIUM_PATH;
  } finally {
    fs.rmdirSync(lock);
  }
}
