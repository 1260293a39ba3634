import loadHighs from 'highs';
import { SeededRandom } from '../../src/common/random';
import { generateCityInstance } from '../../src/matching/generate';
import { solveIndexed } from '../../src/matching/solver';
import type { IndexedInstance } from '../../src/matching/types';

/** The LP relaxation in CPLEX LP format: maximise Σ w·x within demands and capacities. */
function toLpFormat(instance: IndexedInstance): string {
  const objective: string[] = [];
  const needRows: string[][] = Array.from({ length: instance.needCount }, () => []);
  const resourceRows: string[][] = Array.from({ length: instance.resourceCount }, () => []);
  instance.edgeWeight.forEach((weight, edge) => {
    objective.push(`+ ${weight.toPrecision(17)} x${edge}`);
    needRows[instance.edgeNeed[edge] as number]?.push(`+ x${edge}`);
    resourceRows[instance.edgeResource[edge] as number]?.push(`+ x${edge}`);
  });
  const rows = [
    ...needRows.flatMap((terms, need) => (terms.length > 0 ? [` n${need}: ${terms.join(' ')} <= ${instance.demand[need] as number}`] : [])),
    ...resourceRows.flatMap((terms, resource) => (terms.length > 0 ? [` r${resource}: ${terms.join(' ')} <= ${instance.capacity[resource] as number}`] : [])),
  ];
  // LP format lines are limited in length; one term per line is always safe.
  return ['Maximize', ` obj: ${objective.join('\n ')}`, 'Subject To', ...rows.map((row) => row.replace(/ \+ /g, '\n + ')), 'End'].join('\n');
}

/** Medium instance with uniform random structure (no geography), real weights. */
function randomMedium(seed: number, needs: number, resources: number, edgesPerNeed: number): IndexedInstance {
  const random = new SeededRandom(seed);
  const edgeNeed: number[] = [];
  const edgeResource: number[] = [];
  const edgeWeight: number[] = [];
  for (let need = 0; need < needs; need += 1) {
    const chosen = new Set<number>();
    const count = random.int(1, 2 * edgesPerNeed - 1);
    for (let attempt = 0; attempt < count; attempt += 1) chosen.add(random.int(0, resources - 1));
    for (const resource of chosen) {
      edgeNeed.push(need);
      edgeResource.push(resource);
      edgeWeight.push(random.pick([1, 10, 100]) + random.next());
    }
  }
  return {
    needCount: needs,
    resourceCount: resources,
    demand: Int32Array.from({ length: needs }, () => random.int(0, 4)),
    capacity: Int32Array.from({ length: resources }, () => random.int(0, 30)),
    edgeNeed: Int32Array.from(edgeNeed),
    edgeResource: Int32Array.from(edgeResource),
    edgeWeight: Float64Array.from(edgeWeight),
  };
}

describe('solveIndexed against the HiGHS LP optimum', () => {
  let highs: Awaited<ReturnType<typeof loadHighs>>;
  beforeAll(async () => {
    highs = await loadHighs();
  });

  function lpOptimum(instance: IndexedInstance): number {
    const result = highs.solve(toLpFormat(instance), { output_flag: false });
    expect(result.Status).toBe('Optimal');
    return result.ObjectiveValue;
  }

  function expectRelativelyEqual(actual: number, expected: number): void {
    expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
  }

  it.each([1, 2, 3, 4, 5, 6])('matches on a random 300 needs x 60 resources x ~8 edges instance (seed %i)', (seed) => {
    const instance = randomMedium(seed, 300, 60, 8);
    expectRelativelyEqual(solveIndexed(instance).objective, lpOptimum(instance));
  });

  it.each([21, 22, 23])('matches on a clustered city instance of 2,000 needs x 200 resources (seed %i)', (seed) => {
    const { instance } = generateCityInstance({ needs: 2000, resources: 200, edgesPerNeed: [4, 12], seed });
    expectRelativelyEqual(solveIndexed(instance).objective, lpOptimum(instance));
  });

  it('matches on a single-tier city instance, where only fit separates the needs', () => {
    const { instance } = generateCityInstance({ needs: 2000, resources: 200, edgesPerNeed: [10, 20], seed: 31, singleTier: 'NORMAL' });
    expectRelativelyEqual(solveIndexed(instance).objective, lpOptimum(instance));
  });
});
