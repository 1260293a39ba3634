import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// `npm test` builds dist/ first (the pretest script), so the command runs as a user would run it.
const main = path.resolve(__dirname, '../../dist/main.js');

function migrate(dataDir: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, HUB_DATA_DIR: dataDir, DATABASE_URL: '', NODE_OPTIONS: '' };
    execFile(process.execPath, [main, 'migrate'], { env }, (error, _stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

/** PGlite has no lock of its own: the hub keeps one process per embedded data folder. */
describe('the embedded data folder lock', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-lock-'));
  const dataDir = path.join(root, 'pglite');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('refuses a second process while the owner lives, naming it, and takes over a lock whose owner is gone', async () => {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(`${dataDir}.lock`, String(process.pid));
    const refused = await migrate(dataDir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`in use by process ${process.pid}`);

    fs.writeFileSync(`${dataDir}.lock`, '2147483646');
    const taken = await migrate(dataDir);
    expect(taken.code).toBe(0);
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
  });
});
