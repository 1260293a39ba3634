import fs from 'node:fs';
import path from 'node:path';
import { SeededRandom } from '../../src/common/random';
import { generateCityInstance } from '../../src/matching/generate';
import { solveGreedy } from '../../src/matching/greedy';
import { objectiveOf, parseInstance } from '../../src/matching/instance';
import { solveByCostScaling } from '../../src/matching/scaling';
import { eachComponent, emptyStats, solveAssignment, solveComponent, solveComponentExact, solveIndexed } from '../../src/matching/solver';
import type { IndexedInstance, MatchingInstance } from '../../src/matching/types';

interface RandomShape {
  needs: number;
  resources: number;
  maxUnits: number;
  edgeChance: number;
  /** Integer weights make ties, which exercise the zero-reduced-cost paths. */
  integerWeights: boolean;
  /**
   * Each need in an urgency tier (1000, 100, 10 or 1) plus a fit of at most this much per edge,
   * so a need's edges differ far less than the weights do (cost scaling starts from that spread).
   */
  tieredFit?: number;
}

function randomInstance(random: SeededRandom, shape: RandomShape): MatchingInstance {
  const needs = Array.from({ length: random.int(1, shape.needs) }, (_, index) => ({ id: `n${index}`, demand: random.int(0, shape.maxUnits) }));
  const resources = Array.from({ length: random.int(1, shape.resources) }, (_, index) => ({ id: `r${index}`, capacity: random.int(0, shape.maxUnits) }));
  const edges = [];
  for (const need of needs) {
    const tier = shape.tieredFit === undefined ? 0 : ([1000, 100, 10, 1][random.int(0, 3)] as number);
    for (const resource of resources) {
      if (!random.chance(shape.edgeChance)) continue;
      const weight = shape.tieredFit !== undefined ? tier + random.next() * shape.tieredFit : shape.integerWeights ? random.int(1, 5) : 0.01 + random.next() * 10;
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

describe('eachComponent', () => {
  it('splits an instance into connected parts that hold every edge once, with its need, resource and weight', () => {
    const { instance } = generateCityInstance({ needs: 2000, resources: 200, edgesPerNeed: [3, 8], seed: 11 });
    const seenEdges = new Uint8Array(instance.edgeWeight.length);
    const needOwner = new Int32Array(instance.needCount).fill(-1);
    const resourceOwner = new Int32Array(instance.resourceCount).fill(-1);
    let parts = 0;
    for (const part of eachComponent(instance)) {
      part.edges.forEach((edge, local) => {
        seenEdges[edge] += 1;
        expect(part.needs[part.instance.edgeNeed[local]]).toBe(instance.edgeNeed[edge]);
        expect(part.resources[part.instance.edgeResource[local]]).toBe(instance.edgeResource[edge]);
        expect(part.instance.edgeWeight[local]).toBe(instance.edgeWeight[edge]);
      });
      part.needs.forEach((need, local) => {
        expect(needOwner[need]).toBe(-1);
        needOwner[need] = parts;
        expect(part.instance.demand[local]).toBe(instance.demand[need]);
      });
      part.resources.forEach((resource, local) => {
        expect(resourceOwner[resource]).toBe(-1);
        resourceOwner[resource] = parts;
        expect(part.instance.capacity[local]).toBe(instance.capacity[resource]);
      });
      parts += 1;
    }
    // Every edge in exactly one part, and both its ends in that same part: the parts are disconnected.
    expect(seenEdges.every((count) => count === 1)).toBe(true);
    for (let edge = 0; edge < instance.edgeWeight.length; edge += 1) expect(needOwner[instance.edgeNeed[edge]]).toBe(resourceOwner[instance.edgeResource[edge]]);
    // Edges never cross categories: at least one part per category that has edges.
    expect(parts).toBeGreaterThanOrEqual(10);
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

/** Throws unless the prices certify the units optimal: u, v ≥ 0, u + v ≥ w, and complementary slackness. */
function expectCertified(instance: IndexedInstance, units: Int32Array, needPrice: Float64Array, resourcePrice: Float64Array): void {
  const tolerance = 1e-9;
  const needLoad = new Int32Array(instance.needCount);
  const resourceLoad = new Int32Array(instance.resourceCount);
  instance.edgeWeight.forEach((weight, edge) => {
    const need = instance.edgeNeed[edge] as number;
    const resource = instance.edgeResource[edge] as number;
    const slack = (needPrice[need] as number) + (resourcePrice[resource] as number) - weight;
    expect(slack).toBeGreaterThanOrEqual(-tolerance);
    if ((units[edge] as number) > 0) expect(slack).toBeLessThanOrEqual(tolerance);
    needLoad[need] = (needLoad[need] as number) + (units[edge] as number);
    resourceLoad[resource] = (resourceLoad[resource] as number) + (units[edge] as number);
  });
  needPrice.forEach((price, need) => {
    expect(price).toBeGreaterThanOrEqual(0);
    expect(needLoad[need]).toBeLessThanOrEqual(instance.demand[need] as number);
    if (price > tolerance) expect(needLoad[need]).toBe(instance.demand[need]);
  });
  resourcePrice.forEach((price, resource) => {
    expect(price).toBeGreaterThanOrEqual(0);
    expect(resourceLoad[resource]).toBeLessThanOrEqual(instance.capacity[resource] as number);
    if (price > tolerance) expect(resourceLoad[resource]).toBe(instance.capacity[resource]);
  });
}

describe('solveByCostScaling', () => {
  const shapes: [string, RandomShape][] = [
    ['real weights, up to 5 needs x 4 resources, up to 3 units', { needs: 5, resources: 4, maxUnits: 3, edgeChance: 0.7, integerWeights: false }],
    ['integer weights with ties, zero demands and capacities', { needs: 5, resources: 4, maxUnits: 3, edgeChance: 0.7, integerWeights: true }],
    ['sparse, needs and resources without edges', { needs: 6, resources: 5, maxUnits: 2, edgeChance: 0.3, integerWeights: true }],
    ['urgency tiers plus a fit below 1', { needs: 5, resources: 4, maxUnits: 3, edgeChance: 0.7, integerWeights: false, tieredFit: 0.999 }],
    ['urgency tiers plus fits within 1e-6 of each other (near-ties)', { needs: 5, resources: 4, maxUnits: 3, edgeChance: 0.7, integerWeights: false, tieredFit: 1e-6 }],
  ];
  it.each(shapes)('is certified and equals brute force on 200 seeded random instances: %s', (_name, shape) => {
    const random = new SeededRandom(77 + shape.needs * 7 + (shape.integerWeights ? 1 : 0) + (shape.tieredFit === undefined ? 0 : 500 + Math.round(-Math.log10(shape.tieredFit))));
    for (let round = 0; round < 200; round += 1) {
      const { indexed } = parseInstance(randomInstance(random, shape));
      const result = solveByCostScaling(indexed);
      expect(result).not.toBeNull();
      if (result === null) return;
      expectCertified(indexed, result.units, result.needPrice, result.resourcePrice);
      expectClose(objectiveOf(indexed, result.units), bruteForceOptimum(indexed));
    }
  });

  it('keeps its bookkeeping when many bidders crowd one resource at once (occupant segments grow and the pool is rebuilt)', () => {
    // 120 needs all bid first for a resource without capacity, which must hold every one of
    // them before it can give them back, then settle for 7 units of a second resource.
    const needCount = 120;
    const edgeNeed: number[] = [];
    const edgeResource: number[] = [];
    const edgeWeight: number[] = [];
    for (let need = 0; need < needCount; need += 1) {
      edgeNeed.push(need, need);
      edgeResource.push(0, 1);
      edgeWeight.push(50 + need / 1000, 10 + ((need * 37) % needCount) / 1000);
    }
    const indexed: IndexedInstance = {
      needCount,
      resourceCount: 2,
      demand: new Int32Array(needCount).fill(1),
      capacity: Int32Array.from([0, 7]),
      edgeNeed: Int32Array.from(edgeNeed),
      edgeResource: Int32Array.from(edgeResource),
      edgeWeight: Float64Array.from(edgeWeight),
    };
    const result = solveByCostScaling(indexed);
    expect(result).not.toBeNull();
    if (result === null) return;
    expectCertified(indexed, result.units, result.needPrice, result.resourcePrice);
    // The 7 best offers for the second resource: fits (need·37 mod 120)/1000 from 113 to 119.
    expectClose(objectiveOf(indexed, result.units), 7 * 10 + (113 + 114 + 115 + 116 + 117 + 118 + 119) / 1000);
    expect(solveComponent(indexed).objective).toBeCloseTo(objectiveOf(indexed, result.units), 9);
  });

  it('leaves ties finer than its last ε uncertified, and solveComponentExact then falls back to an exact answer', () => {
    const shape: RandomShape = { needs: 5, resources: 4, maxUnits: 3, edgeChance: 0.7, integerWeights: false, tieredFit: 1e-9 };
    const random = new SeededRandom(20261127);
    const stats = emptyStats();
    for (let round = 0; round < 200; round += 1) {
      const { indexed } = parseInstance(randomInstance(random, shape));
      const solution = solveComponentExact(indexed, stats);
      expectCertified(indexed, solution.units, solution.needPrice, solution.resourcePrice);
      expectClose(solution.objective, bruteForceOptimum(indexed));
    }
    // Fits 1e-9 apart on weights up to 1000 are below the last phase's ε (2⁻⁴⁰ × 1000 ≈ 9e-10).
    expect(stats.fallbacks).toBeGreaterThan(0);
    expect(stats.phases).toBeGreaterThan(0);
  });

  it('handles all-equal weights, zero-capacity resources, zero demands and needs without edges', () => {
    const instance: IndexedInstance = {
      needCount: 5,
      resourceCount: 3,
      demand: Int32Array.from([2, 0, 3, 1, 4]),
      capacity: Int32Array.from([3, 0, 2]),
      edgeNeed: Int32Array.from([0, 0, 1, 2, 2, 3]),
      edgeResource: Int32Array.from([0, 1, 0, 0, 2, 1]),
      edgeWeight: Float64Array.from([2, 2, 2, 2, 2, 2]),
    };
    const result = solveByCostScaling(instance);
    expect(result).not.toBeNull();
    if (result === null) return;
    expectCertified(instance, result.units, result.needPrice, result.resourcePrice);
    expect(objectiveOf(instance, result.units)).toBe(10);
    expect(bruteForceOptimum(instance)).toBe(10);
  });

  it('agrees with successive shortest paths on generated city components, certified', () => {
    for (const seed of [1, 2, 3]) {
      const { instance } = generateCityInstance({ needs: 6000, resources: 600, edgesPerNeed: [5, 15], seed });
      const stats = emptyStats();
      const scaled = solveComponentExact(instance, stats);
      const reference = solveComponent(instance);
      expectClose(scaled.objective, reference.objective);
      expectCertified(instance, scaled.units, scaled.needPrice, scaled.resourcePrice);
      expect(stats.phases).toBeGreaterThan(0);
    }
  });

  it('agrees with successive shortest paths when every need is in one tier (equal urgency, only fit differs)', () => {
    const { instance } = generateCityInstance({ needs: 4000, resources: 400, edgesPerNeed: [10, 20], seed: 9, singleTier: 'NORMAL' });
    expectClose(solveIndexed(instance).objective, solveComponent(instance).objective);
  });
});

describe('generateCityInstance', () => {
  it('makes HIGH needs compete for scarce resources: greedy leaves some unserved that the optimum serves', () => {
    const { instance, needTier } = generateCityInstance({ needs: 20000, resources: 2000, edgesPerNeed: [10, 20], seed: 20260401, streets: 60, districts: 9 });
    const served = (units: Int32Array): Int32Array => {
      const got = new Int32Array(instance.needCount);
      units.forEach((unitsOnEdge, edge) => (got[instance.edgeNeed[edge] as number] = (got[instance.edgeNeed[edge] as number] as number) + unitsOnEdge));
      return got;
    };
    const optimum = served(solveIndexed(instance).units);
    const greedy = served(solveGreedy(instance).units);
    let missedHigh = 0;
    needTier.forEach((tier, need) => {
      if (tier === 1 && greedy[need] === 0 && (optimum[need] as number) > 0) missedHigh += 1;
    });
    expect(missedHigh).toBeGreaterThan(0);
  });
});
