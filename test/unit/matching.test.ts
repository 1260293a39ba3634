import fs from 'node:fs';
import path from 'node:path';
import { SeededRandom } from '../../src/common/random';
import { generateCityInstance } from '../../src/matching/generate';
import { solveGreedy } from '../../src/matching/greedy';
import { objectiveOf, parseInstance } from '../../src/matching/instance';
import { solveAssignment, solveIndexed } from '../../src/matching/solver';
import type { IndexedInstance, MatchingInstance } from '../../src/matching/types';

interface RandomShape {
  needs: number;
  resources: number;
  maxUnits: number;
  edgeChance: number;
  /** Integer weights make ties, which exercise the zero-reduced-cost paths. */
  integerWeights: boolean;
}

function randomInstance(random: SeededRandom, shape: RandomShape): MatchingInstance {
  const needs = Array.from({ length: random.int(1, shape.needs) }, (_, index) => ({ id: `n${index}`, demand: random.int(0, shape.maxUnits) }));
  const resources = Array.from({ length: random.int(1, shape.resources) }, (_, index) => ({ id: `r${index}`, capacity: random.int(0, shape.maxUnits) }));
  const edges = [];
  for (const need of needs) {
    for (const resource of resources) {
      if (!random.chance(shape.edgeChance)) continue;
      const weight = shape.integerWeights ? random.int(1, 5) : 0.01 + random.next() * 10;
      edges.push({ need: need.id, resource: resource.id, weight });
    }
  }
  return { needs, resources, edges };
}

/** Best Σ w·x over every integer flow, edge by edge within what is left of each need and resource. */
function bruteForceOptimum(instance: IndexedInstance): number {
  const needLeft = instance.demand.slice();
  const resourceLeft = instance.capacity.slice();
  const edgeCount = instance.edgeWeight.length;
  let best = 0;
  const visit = (edge: number, value: number): void => {
    if (edge === edgeCount) {
      if (value > best) best = value;
      return;
    }
    const need = instance.edgeNeed[edge] as number;
    const resource = instance.edgeResource[edge] as number;
    const most = Math.min(needLeft[need] as number, resourceLeft[resource] as number);
    for (let units = 0; units <= most; units += 1) {
      needLeft[need] = (needLeft[need] as number) - units;
      resourceLeft[resource] = (resourceLeft[resource] as number) - units;
      visit(edge + 1, value + units * (instance.edgeWeight[edge] as number));
      needLeft[need] = (needLeft[need] as number) + units;
      resourceLeft[resource] = (resourceLeft[resource] as number) + units;
    }
  };
  visit(0, 0);
  return best;
}

/** Throws unless every need and resource stays within its units and only given edges are used. */
function expectFeasible(instance: MatchingInstance, assignments: readonly { need: string; resource: string; units: number }[]): void {
  const demand = new Map(instance.needs.map((need) => [need.id, need.demand]));
  const capacity = new Map(instance.resources.map((resource) => [resource.id, resource.capacity]));
  const edges = new Set(instance.edges.map((edge) => `${edge.need}\u0000${edge.resource}`));
  for (const { need, resource, units } of assignments) {
    expect(Number.isInteger(units) && units > 0).toBe(true);
    expect(edges.has(`${need}\u0000${resource}`)).toBe(true);
    demand.set(need, (demand.get(need) ?? 0) - units);
    capacity.set(resource, (capacity.get(resource) ?? 0) - units);
  }
  for (const left of [...demand.values(), ...capacity.values()]) expect(left).toBeGreaterThanOrEqual(0);
}

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

describe('solveAssignment', () => {
  it('moves a need to its second choice when that frees the first for a need with no other option', () => {
    const instance: MatchingInstance = {
      needs: [
        { id: 'flexible', demand: 2 },
        { id: 'stuck', demand: 1 },
      ],
      resources: [
        { id: 'near', capacity: 1 },
        { id: 'far', capacity: 2 },
      ],
      edges: [
        { need: 'flexible', resource: 'near', weight: 5 },
        { need: 'flexible', resource: 'far', weight: 4 },
        { need: 'stuck', resource: 'near', weight: 3 },
      ],
    };
    expect(solveAssignment(instance)).toEqual({
      assignments: [
        { need: 'flexible', resource: 'far', units: 2 },
        { need: 'stuck', resource: 'near', units: 1 },
      ],
      objective: 11,
    });
  });

  it('leaves units unassigned rather than saturating, and returns an empty solution for an empty instance', () => {
    expect(solveAssignment({ needs: [], resources: [], edges: [] })).toEqual({ assignments: [], objective: 0 });
    const solution = solveAssignment({ needs: [{ id: 'n', demand: 3 }], resources: [{ id: 'r', capacity: 0 }], edges: [{ need: 'n', resource: 'r', weight: 2 }] });
    expect(solution).toEqual({ assignments: [], objective: 0 });
  });

  it('sorts assignments by need id then resource id', () => {
    const instance: MatchingInstance = {
      needs: [
        { id: 'b', demand: 2 },
        { id: 'a', demand: 2 },
      ],
      resources: [
        { id: 'y', capacity: 2 },
        { id: 'x', capacity: 2 },
      ],
      edges: [
        { need: 'b', resource: 'y', weight: 1 },
        { need: 'b', resource: 'x', weight: 1 },
        { need: 'a', resource: 'y', weight: 1 },
        { need: 'a', resource: 'x', weight: 1 },
      ],
    };
    const { assignments } = solveAssignment(instance);
    const keys = assignments.map((assignment) => `${assignment.need}/${assignment.resource}`);
    expect(keys).toEqual([...keys].sort());
    expect(assignments.reduce((sum, assignment) => sum + assignment.units, 0)).toBe(4);
  });

  const shapes: [string, RandomShape][] = [
    ['real weights, up to 4 needs x 3 resources, up to 3 units', { needs: 4, resources: 3, maxUnits: 3, edgeChance: 0.7, integerWeights: false }],
    ['integer weights with ties, up to 4 needs x 3 resources', { needs: 4, resources: 3, maxUnits: 3, edgeChance: 0.7, integerWeights: true }],
    ['sparse, up to 5 needs x 4 resources, up to 2 units', { needs: 5, resources: 4, maxUnits: 2, edgeChance: 0.45, integerWeights: false }],
  ];
  it.each(shapes)('equals brute force on 200 seeded random instances: %s', (_name, shape) => {
    const random = new SeededRandom(shape.maxUnits * 1000 + shape.needs * 10 + (shape.integerWeights ? 1 : 0));
    for (let round = 0; round < 200; round += 1) {
      const instance = randomInstance(random, shape);
      const solution = solveAssignment(instance);
      expectFeasible(instance, solution.assignments);
      const expected = bruteForceOptimum(parseInstance(instance).indexed);
      expectClose(solution.objective, expected);
    }
  });
});

describe('solveIndexed on generated city instances', () => {
  it('is feasible, reports Σ w·x, and is certified optimal by its dual prices', () => {
    const { instance } = generateCityInstance({ needs: 3000, resources: 300, edgesPerNeed: [5, 12], seed: 7 });
    const solution = solveIndexed(instance);
    expectClose(solution.objective, objectiveOf(instance, solution.units));
    const needLoad = new Int32Array(instance.needCount);
    const resourceLoad = new Int32Array(instance.resourceCount);
    let dualBound = 0;
    for (let edge = 0; edge < instance.edgeWeight.length; edge += 1) {
      const need = instance.edgeNeed[edge] as number;
      const resource = instance.edgeResource[edge] as number;
      needLoad[need] = (needLoad[need] as number) + (solution.units[edge] as number);
      resourceLoad[resource] = (resourceLoad[resource] as number) + (solution.units[edge] as number);
      // Dual feasibility: u_i + v_j ≥ w_ij on every edge (up to rounding of the prices).
      expect((solution.needPrice[need] as number) + (solution.resourcePrice[resource] as number)).toBeGreaterThanOrEqual((instance.edgeWeight[edge] as number) - 1e-9);
    }
    instance.demand.forEach((demand, need) => {
      expect(needLoad[need]).toBeLessThanOrEqual(demand);
      dualBound += demand * (solution.needPrice[need] as number);
    });
    instance.capacity.forEach((capacity, resource) => {
      expect(resourceLoad[resource]).toBeLessThanOrEqual(capacity);
      dualBound += capacity * (solution.resourcePrice[resource] as number);
    });
    // Weak duality: equal primal and dual objectives prove optimality.
    expectClose(solution.objective, dualBound);
  });

  it('never does worse than the greedy baseline, which is feasible too', () => {
    const { instance } = generateCityInstance({ needs: 4000, resources: 400, edgesPerNeed: [5, 15], seed: 11 });
    const optimum = solveIndexed(instance);
    const greedy = solveGreedy(instance);
    expectClose(greedy.objective, objectiveOf(instance, greedy.units));
    expect(optimum.objective).toBeGreaterThanOrEqual(greedy.objective);
  });

  it('is deterministic for a seed', () => {
    const first = generateCityInstance({ needs: 500, resources: 50, edgesPerNeed: [3, 8], seed: 3 }).instance;
    const second = generateCityInstance({ needs: 500, resources: 50, edgesPerNeed: [3, 8], seed: 3 }).instance;
    expect(second.edgeWeight).toEqual(first.edgeWeight);
    expect(solveIndexed(second).units).toEqual(solveIndexed(first).units);
  });
});

describe('solveIndexedParallel', () => {
  // The compiled module runs real worker threads; from TypeScript sources it falls back to one thread.
  const compiled = path.resolve(__dirname, '../../dist/matching/parallel.js');
  const { solveIndexedParallel } = (fs.existsSync(compiled) ? require(compiled) : require('../../src/matching/parallel')) as typeof import('../../src/matching/parallel');

  it('returns the same units and objective as solveIndexed, component by component', async () => {
    const { instance } = generateCityInstance({ needs: 3000, resources: 300, edgesPerNeed: [5, 12], seed: 5 });
    const single = solveIndexed(instance);
    const parallel = await solveIndexedParallel(instance, undefined, 2);
    expect(parallel.objective).toBe(single.objective);
    expect(parallel.units).toEqual(single.units);
  });
});
