#!/usr/bin/env node
// Fails when the drizzle table definitions and the committed migrations disagree: drizzle-kit
// generates into a scratch copy of drizzle/, and any new migration there is drift.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// drizzle-kit takes only a relative --out, so the scratch folder lives in the repo (git-ignored).
const scratchName = `.migration-check-${process.pid}`;
const scratch = path.join(root, scratchName);
function check() {
  fs.cpSync(path.join(root, 'drizzle'), scratch, { recursive: true });
  const before = new Set(fs.readdirSync(scratch));
  const kit = path.join(root, 'node_modules', '.bin', 'drizzle-kit');
  let output;
  try {
    output = execFileSync(kit, ['generate', '--dialect', 'postgresql', '--schema', './src/db/schema/index.ts', '--out', `./${scratchName}`, '--name', 'drift'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    process.stderr.write(`drizzle-kit failed:\n${error.stdout ?? ''}${error.stderr ?? ''}\n`);
    return 1;
  }
  const added = fs.readdirSync(scratch).filter((name) => !before.has(name) && name.endsWith('.sql'));
  if (added.length > 0) {
    process.stderr.write(`Migration drift: the table definitions in src/db/schema differ from drizzle/.\n`);
    for (const name of added) process.stderr.write(`\n--- ${name}\n${fs.readFileSync(path.join(scratch, name), 'utf8')}\n`);
    process.stderr.write(`\nRun "npm run db:generate" and commit the new migration.\n`);
    return 1;
  }
  if (!/No schema changes/i.test(output)) {
    // drizzle-kit reports some failures on stdout with exit code 0.
    process.stderr.write(`drizzle-kit did not confirm the migrations are current:\n${output}\n`);
    return 1;
  }
  process.stdout.write('Migrations match the table definitions.\n');
  return 0;
}

try {
  process.exitCode = check();
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
