import type { IndexedInstance, IndexedSolution } from './types';

/**
 * The baseline the solver is measured against: urgency then first come, best available.
 * Edges by weight descending (ties: needs in given order, then edges in given order), each
 * taking as many units as its need still wants and its resource still has. Weights put
 * urgency first, so this serves the most urgent needs first, each from its best resource
 * left; it is not optimal, as it never moves an earlier need to make room for a later one.
 */
export function solveGreedy(instance: IndexedInstance): IndexedSolution {
  const { edgeNeed, edgeResource, edgeWeight } = instance;
  const edgeCount = edgeWeight.length;
  const order = new Int32Array(edgeCount);
  for (let edge = 0; edge < edgeCount; edge += 1) order[edge] = edge;
  order.sort((left, right) => edgeWeight[right] - edgeWeight[left] || edgeNeed[left] - edgeNeed[right] || left - right);
  const needLeft = instance.demand.slice();
  const resourceLeft = instance.capacity.slice();
  const units = new Int32Array(edgeCount);
  let objective = 0;
  for (let index = 0; index < edgeCount; index += 1) {
    const edge = order[index];
    const need = edgeNeed[edge];
    const resource = edgeResource[edge];
    const given = Math.min(needLeft[need], resourceLeft[resource]);
    if (given <= 0) continue;
    units[edge] = given;
    needLeft[need] -= given;
    resourceLeft[resource] -= given;
    objective += edgeWeight[edge] * given;
  }
  return { units, objective };
}
