import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// `npm test` builds dist/ first (the pretest script), so the command runs as a user would run it.
const main = path.resolve(__dirname, '../../dist/main.js');
const COMMANDS = ['serve', 'migrate', 'seed', 'emit-schema', 'audit-verify', 'token', 'solve', 'import', 'export', 'generate'];

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('the hub command line', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-cli-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  function hub(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
    return new Promise((resolve) => {
      // A data folder of its own: nothing here may touch a real database.
      const fullEnv = { ...process.env, NODE_OPTIONS: '', DATABASE_URL: '', HUB_DATA_DIR: path.join(root, 'pglite'), ...env };
      execFile(process.execPath, [main, ...args], { env: fullEnv, cwd: root }, (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  it('lists every command with a one-line summary under --help', async () => {
    const run = await hub(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command} +\\S.*$`, 'm'));
  });

  it('prints the usage of each command for `hub <command> --help`, even with a bad configuration', async () => {
    // PORT is invalid: asking for help must not need a valid environment, nor touch the database.
    const runs = await Promise.all(COMMANDS.map((command) => hub([command, '--help'], { PORT: 'not-a-port' })));
    runs.forEach((run, i) => {
      expect({ command: COMMANDS[i], code: run.code, stderr: run.stderr }).toEqual({ command: COMMANDS[i], code: 0, stderr: '' });
      expect(run.stdout.startsWith(`Usage: hub ${COMMANDS[i]}`)).toBe(true);
    });
    expect(fs.existsSync(path.join(root, 'pglite'))).toBe(false);
  });

  it('refuses an unknown option, an extra argument and an unknown command with a message and exit code 2', async () => {
    const [option, extra, unknown, tokenOption] = await Promise.all([hub(['migrate', '--bogus']), hub(['serve', 'now']), hub(['frobnicate']), hub(['token', '--bogus'])]);
    expect(option).toMatchObject({ code: 2, stdout: '' });
    expect(option.stderr).toMatch(/^hub migrate: unknown option --bogus\n\nUsage: hub migrate/);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('hub serve: takes no arguments, got "now"');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('hub: unknown command "frobnicate"');
    expect(unknown.stderr).toContain('hub --help');
    expect(tokenOption.code).toBe(2);
    expect(tokenOption.stderr).toMatch(/^hub token: Unknown option '--bogus'/);
    expect(fs.existsSync(path.join(root, 'pglite'))).toBe(false);
  });
});
