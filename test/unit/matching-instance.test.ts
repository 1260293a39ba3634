import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InstanceError, parseInstance } from '../../src/matching/instance';
import { solveAssignment } from '../../src/matching/solver';

const valid = {
  needs: [
    { id: 'N1', demand: 2 },
    { id: 'N2', demand: 1 },
  ],
  resources: [{ id: 'R1', capacity: 2 }],
  edges: [
    { need: 'N1', resource: 'R1', weight: 100.5 },
    { need: 'N2', resource: 'R1', weight: 1000.25 },
  ],
};

function withChange(change: (copy: Record<string, unknown[]>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(valid)) as Record<string, unknown[]>;
  change(copy);
  return copy;
}

describe('parseInstance', () => {
  it('maps a valid instance to indices', () => {
    const parsed = parseInstance(valid);
    expect(parsed.needIds).toEqual(['N1', 'N2']);
    expect(Array.from(parsed.indexed.edgeNeed)).toEqual([0, 1]);
    expect(Array.from(parsed.indexed.edgeWeight)).toEqual([100.5, 1000.25]);
  });

  it.each<[string, unknown, string]>([
    ['a non-object', [], 'an instance must be an object'],
    ['needs missing', { resources: [], edges: [] }, 'needs must be an array, got nothing'],
    ['a need that is not an object', withChange((copy) => (copy.needs![1] = 'N2')), 'needs[1] must be an object'],
    ['a duplicate need id', withChange((copy) => copy.needs!.push({ id: 'N1', demand: 1 })), 'needs[2].id "N1" repeats needs[0].id'],
    ['an empty resource id', withChange((copy) => (copy.resources![0] = { id: '', capacity: 1 })), 'resources[0].id must be a non-empty string'],
    ['a negative capacity', withChange((copy) => (copy.resources![0] = { id: 'R1', capacity: -1 })), 'resources[0].capacity must be an integer from 0 to 2147483647, got -1'],
    ['a fractional demand', withChange((copy) => (copy.needs![0] = { id: 'N1', demand: 1.5 })), 'needs[0].demand must be an integer from 0 to 2147483647, got 1.5'],
    ['a demand given as a string', withChange((copy) => (copy.needs![0] = { id: 'N1', demand: '2' })), 'needs[0].demand must be an integer from 0 to 2147483647, got "2"'],
    ['an unknown need on an edge', withChange((copy) => copy.edges!.push({ need: 'N9', resource: 'R1', weight: 1 })), 'edges[2].need "N9" is not a need id'],
    ['an unknown resource on an edge', withChange((copy) => copy.edges!.push({ need: 'N1', resource: 'R9', weight: 1 })), 'edges[2].resource "R9" is not a resource id'],
    ['a duplicate edge', withChange((copy) => copy.edges!.push({ need: 'N1', resource: 'R1', weight: 3 })), 'edges[2] repeats the pair (need "N1", resource "R1") of edges[0]'],
    ['a non-numeric weight', withChange((copy) => copy.edges!.push({ need: 'N2', resource: 'R1', weight: 'high' })), 'edges[2].weight must be a finite number > 0, got "high"'],
    ['a zero weight', withChange((copy) => (copy.edges![0] = { need: 'N1', resource: 'R1', weight: 0 })), 'edges[0].weight must be a finite number > 0, got 0'],
    ['an infinite weight', withChange((copy) => (copy.edges![0] = { need: 'N1', resource: 'R1', weight: Infinity })), 'edges[0].weight must be a finite number > 0, got Infinity'],
    ['a negative weight', withChange((copy) => (copy.edges![0] = { need: 'N1', resource: 'R1', weight: -2 })), 'edges[0].weight must be a finite number > 0, got -2'],
  ])('refuses %s, naming the entry', (_name, instance, message) => {
    expect(() => parseInstance(instance)).toThrow(InstanceError);
    expect(() => parseInstance(instance)).toThrow(message);
  });

  it('is what solveAssignment validates with', () => {
    expect(() => solveAssignment({ needs: [], resources: [], edges: [{ need: 'x', resource: 'y', weight: 1 }] })).toThrow('edges[0].need "x" is not a need id');
  });
});

// The compiled CLI: `npm test` builds dist first (pretest); skipped when dist is absent.
const main = path.resolve(__dirname, '../../dist/main.js');
const describeCli = fs.existsSync(main) && fs.existsSync(path.resolve(__dirname, '../../dist/matching/solve.command.js')) ? describe : describe.skip;

describeCli('hub solve', () => {
  let folder: string;
  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-solve-'));
  });
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  function solve(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, [main, 'solve', ...args], { encoding: 'utf8' });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  function write(name: string, content: string): string {
    const file = path.join(folder, name);
    fs.writeFileSync(file, content);
    return file;
  }

  it('prints the optimal solution as JSON and exits 0', () => {
    const run = solve(write('valid.json', JSON.stringify(valid)));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      assignments: [
        { need: 'N1', resource: 'R1', units: 1 },
        { need: 'N2', resource: 'R1', units: 1 },
      ],
      objective: 1100.75,
    });
  });

  it('exits 2 with the offending entry on stderr for an invalid instance', () => {
    const run = solve(write('bad.json', JSON.stringify(withChange((copy) => copy.edges!.push({ need: 'N1', resource: 'R9', weight: 1 })))));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('edges[2].resource "R9" is not a resource id');
  });

  it('exits 2 for a file that is missing or not JSON, and without a file', () => {
    expect(solve(path.join(folder, 'missing.json')).status).toBe(2);
    const notJson = solve(write('broken.json', '{"needs": ['));
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toContain('is not JSON');
    expect(solve().status).toBe(2);
  });
});
