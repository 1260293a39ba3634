import { parseInstance, toMatchingSolution } from './instance';
import { solveByCostScaling } from './scaling';
import type { IndexedInstance, IndexedSolution, MatchingInstance, MatchingSolution } from './types';

/** Counters a benchmark may ask for; the solver fills them in. */
export interface SolverStats {
  /** Units assigned straight to a need's best-priced resource that still had room. */
  directAssignments: number;
  /** Shortest-path searches run. */
  searches: number;
  /** Searches that found a profitable augmenting path. */
  augmentations: number;
  /** Nodes settled over all searches. */
  settledNodes: number;
  /** Cost-scaling phases, pushes and relabels, and labels corrected by its certification. */
  phases: number;
  pushes: number;
  relabels: number;
  certifyUpdates: number;
  /** Components the cost-scaling result could not be certified for, solved by solveComponent instead. */
  fallbacks: number;
}

/** Zeroed counters. */
export function emptyStats(): SolverStats {
  return { directAssignments: 0, searches: 0, augmentations: 0, settledNodes: 0, phases: 0, pushes: 0, relabels: 0, certifyUpdates: 0, fallbacks: 0 };
}

/** Adds one set of counters to another. */
export function addStats(total: SolverStats, part: SolverStats): void {
  for (const key of Object.keys(total) as (keyof SolverStats)[]) total[key] += part[key];
}

/** An exact solution together with the dual prices that certify it. */
export interface CertifiedSolution extends IndexedSolution {
  /** Dual price u of each need's demand row (≥ 0). */
  readonly needPrice: Float64Array;
  /** Dual price v of each resource's capacity row (≥ 0). */
  readonly resourcePrice: Float64Array;
}

/**
 * Exact max-weight b-matching (transportation problem without the obligation to ship):
 * maximise Σ w·x subject to Σ_resource x ≤ demand, Σ_need x ≤ capacity, x ≥ 0 integer.
 *
 * Primal–dual successive shortest paths, one need at a time (the Hungarian method with
 * capacities). The LP dual has a price u_i ≥ 0 per need and v_j ≥ 0 per resource with
 * u_i + v_j ≥ w_ij; a flow is optimal when complementary slackness holds (used edges are
 * tight, a need with u_i > 0 is full, a resource with v_j > 0 is full). Needs are added in
 * decreasing order of their current best net gain max_j (w_ij − v_j) (a lazy priority queue:
 * prices only rise, so a stale key is an upper bound), like bidders in an auction; most simply
 * take their best-priced resource while it has room (no search at all). When that resource
 * is full, a Dijkstra search over
 * the residual graph with reduced costs u_i + v_j − w_ij (never negative) looks for the
 * cheapest way to make room: move other needs' units to their next-best resources along an
 * alternating path ending at a resource with room, or drop a unit whose need values it less.
 * The path is taken, by its bottleneck, only while its cost is below u_i (the new need's
 * gain); otherwise u_i falls to 0 and the need keeps what it has. Only nodes the search
 * settled change price, so a search stays local. Every step keeps the invariant, so the
 * result is optimal for every need added: exact with real weights up to floating-point
 * rounding of the prices, which the final objective does not inherit (it is Σ w·x).
 */
export function solveComponent(instance: IndexedInstance, stats?: SolverStats): CertifiedSolution {
  const { needCount, resourceCount, demand, capacity, edgeNeed, edgeResource, edgeWeight } = instance;
  const edgeCount = edgeWeight.length;

  // Arcs: the edges regrouped by need (CSR), so a need's edges are contiguous in memory.
  const needStart = new Int32Array(needCount + 1);
  for (let edge = 0; edge < edgeCount; edge += 1) needStart[edgeNeed[edge] + 1] += 1;
  for (let need = 0; need < needCount; need += 1) needStart[need + 1] += needStart[need];
  const cursor = needStart.slice(0, needCount);
  const arcEdge = new Int32Array(edgeCount);
  const arcNeed = new Int32Array(edgeCount);
  const arcResource = new Int32Array(edgeCount);
  const arcWeight = new Float64Array(edgeCount);
  for (let edge = 0; edge < edgeCount; edge += 1) {
    const need = edgeNeed[edge];
    const arc = cursor[need]++;
    arcEdge[arc] = edge;
    arcNeed[arc] = need;
    arcResource[arc] = edgeResource[edge];
    arcWeight[arc] = edgeWeight[edge];
  }

  // Each need's arcs by weight descending: a search can stop scanning a need's arcs at the
  // first one whose weight is too low to be within reach (reduced cost ≥ u − w as v ≥ 0).
  for (let need = 0; need < needCount; need += 1) {
    for (let arc = needStart[need] + 1, end = needStart[need + 1]; arc < end; arc += 1) {
      const weight = arcWeight[arc];
      const edge = arcEdge[arc];
      const resource = arcResource[arc];
      let position = arc - 1;
      while (position >= needStart[need] && arcWeight[position] < weight) {
        arcWeight[position + 1] = arcWeight[position];
        arcEdge[position + 1] = arcEdge[position];
        arcResource[position + 1] = arcResource[position];
        position -= 1;
      }
      arcWeight[position + 1] = weight;
      arcEdge[position + 1] = edge;
      arcResource[position + 1] = resource;
    }
  }

  const flow = new Int32Array(edgeCount);
  // Per resource, a doubly linked list of its arcs that carry flow: the residual arcs back to needs.
  const flowHead = new Int32Array(resourceCount).fill(-1);
  const flowNext = new Int32Array(edgeCount);
  const flowPrev = new Int32Array(edgeCount);
  const needLoad = new Int32Array(needCount);
  const resourceLoad = new Int32Array(resourceCount);
  const needPrice = new Float64Array(needCount);
  const resourcePrice = new Float64Array(resourceCount);

  const addFlow = (arc: number, units: number): void => {
    const before = flow[arc];
    const after = before + units;
    flow[arc] = after;
    const resource = arcResource[arc];
    if (before === 0 && after > 0) {
      const head = flowHead[resource];
      flowNext[arc] = head;
      flowPrev[arc] = -1;
      if (head !== -1) flowPrev[head] = arc;
      flowHead[resource] = arc;
    } else if (before > 0 && after === 0) {
      const next = flowNext[arc];
      const previous = flowPrev[arc];
      if (previous === -1) flowHead[resource] = next;
      else flowNext[previous] = next;
      if (next !== -1) flowPrev[next] = previous;
    }
  };

  // Search state over nodes: needs 0..needCount-1, resources needCount..needCount+resourceCount-1.
  // Stamps instead of clearing arrays keep each search proportional to what it touches.
  const nodeCount = needCount + resourceCount;
  const dist = new Float64Array(nodeCount);
  const predArc = new Int32Array(nodeCount);
  const reachedIn = new Int32Array(nodeCount);
  const settledIn = new Int32Array(nodeCount);
  const settled = new Int32Array(nodeCount);
  const heap = new Int32Array(nodeCount);
  const heapPos = new Int32Array(nodeCount);
  let heapSize = 0;

  const siftUp = (start: number): void => {
    let position = start;
    const node = heap[position];
    const key = dist[node];
    while (position > 0) {
      const parentPos = (position - 1) >> 1;
      const parent = heap[parentPos];
      if (dist[parent] <= key) break;
      heap[position] = parent;
      heapPos[parent] = position;
      position = parentPos;
    }
    heap[position] = node;
    heapPos[node] = position;
  };

  const popMin = (): number => {
    const top = heap[0];
    heapSize -= 1;
    if (heapSize > 0) {
      const node = heap[heapSize];
      const key = dist[node];
      let position = 0;
      for (;;) {
        let child = 2 * position + 1;
        if (child >= heapSize) break;
        if (child + 1 < heapSize && dist[heap[child + 1]] < dist[heap[child]]) child += 1;
        const childNode = heap[child];
        if (dist[childNode] >= key) break;
        heap[position] = childNode;
        heapPos[childNode] = position;
        position = child;
      }
      heap[position] = node;
      heapPos[node] = position;
    }
    return top;
  };

  let search = 0;

  // When a resource fills, raise its price to what displacing its cheapest occupant would cost
  // (that occupant's smallest slack: its drop price or the reduced cost of its next-best arc),
  // lowering its occupants' prices by as much. Every reduced cost stays non-negative, and later
  // needs see the resource's true price at once, so fewer of them need a search.
  const raiseFullPrice = (resource: number): void => {
    let raise = Infinity;
    for (let arc = flowHead[resource]; arc !== -1 && raise > 0; arc = flowNext[arc]) {
      const need = arcNeed[arc];
      const price = needPrice[need];
      if (price < raise) raise = price;
      for (let other = needStart[need], end = needStart[need + 1]; other < end; other += 1) {
        const otherResource = arcResource[other];
        if (otherResource === resource) continue;
        const reduced = price + resourcePrice[otherResource] - arcWeight[other];
        if (reduced < raise) raise = reduced;
      }
    }
    if (!(raise > 0) || raise === Infinity) return;
    resourcePrice[resource] += raise;
    for (let arc = flowHead[resource]; arc !== -1; arc = flowNext[arc]) needPrice[arcNeed[arc]] -= raise;
  };

  // Nodes reached at the current distance (reduced cost 0, e.g. every arc back from a full
  // resource to its occupants) are settled from this stack without passing through the heap.
  const level = new Int32Array(nodeCount);
  let levelSize = 0;

  const relax = (node: number, distance: number, arc: number, current: number): void => {
    if (distance === current) {
      if (reachedIn[node] !== search) {
        reachedIn[node] = search;
        heapPos[node] = -1;
      } else if (distance < dist[node]) {
        if (heapPos[node] >= 0) {
          dist[node] = distance;
          siftUp(heapPos[node]);
        }
      } else return;
      dist[node] = distance;
      predArc[node] = arc;
      level[levelSize++] = node;
      return;
    }
    if (reachedIn[node] !== search) {
      reachedIn[node] = search;
      dist[node] = distance;
      predArc[node] = arc;
      heap[heapSize] = node;
      heapPos[node] = heapSize;
      heapSize += 1;
      siftUp(heapSize - 1);
    } else if (distance < dist[node]) {
      dist[node] = distance;
      predArc[node] = arc;
      if (heapPos[node] >= 0) siftUp(heapPos[node]);
      else {
        heap[heapSize] = node;
        heapPos[node] = heapSize;
        heapSize += 1;
        siftUp(heapSize - 1);
      }
    }
  };

  // Needs by decreasing best weight (ties: given order) seed the queue: the urgent fill
  // first, so later, cheaper needs rarely displace them and most searches are never run.
  const bestWeight = new Float64Array(needCount);
  let candidates = 0;
  for (let need = 0; need < needCount; need += 1) {
    let best = 0;
    for (let arc = needStart[need]; arc < needStart[need + 1]; arc += 1) if (arcWeight[arc] > best) best = arcWeight[arc];
    bestWeight[need] = best;
    if (best > 0 && demand[need] > 0) candidates += 1;
  }
  const order = new Int32Array(candidates);
  for (let need = 0, next = 0; need < needCount; need += 1) if (bestWeight[need] > 0 && demand[need] > 0) order[next++] = need;
  order.sort((left, right) => bestWeight[right] - bestWeight[left] || left - right);

  let directAssignments = 0;
  let searches = 0;
  let augmentations = 0;
  let settledNodes = 0;

  // Max-queue of needs keyed by best net gain; a need whose gain fell below the next key since
  // it was queued goes back in with its new gain (the queue is a binary heap in plain arrays).
  const queueKey: number[] = [];
  const queueNeed: number[] = [];
  const queuePush = (need: number, key: number): void => {
    let position = queueKey.length;
    queueKey.push(key);
    queueNeed.push(need);
    while (position > 0) {
      const parent = (position - 1) >> 1;
      if (queueKey[parent] >= key) break;
      queueKey[position] = queueKey[parent];
      queueNeed[position] = queueNeed[parent];
      position = parent;
    }
    queueKey[position] = key;
    queueNeed[position] = need;
  };
  const queuePop = (): number => {
    const top = queueNeed[0];
    const lastKey = queueKey.pop() as number;
    const lastNeed = queueNeed.pop() as number;
    const size = queueKey.length;
    if (size > 0) {
      let position = 0;
      for (;;) {
        let child = 2 * position + 1;
        if (child >= size) break;
        if (child + 1 < size && queueKey[child + 1] > queueKey[child]) child += 1;
        if (queueKey[child] <= lastKey) break;
        queueKey[position] = queueKey[child];
        queueNeed[position] = queueNeed[child];
        position = child;
      }
      queueKey[position] = lastKey;
      queueNeed[position] = lastNeed;
    }
    return top;
  };
  for (let position = 0; position < candidates; position += 1) queuePush(order[position], bestWeight[order[position]]);
  while (queueKey.length > 0) {
    const source = queuePop();
    const firstArc = needStart[source];
    const endArc = needStart[source + 1];
    // Prices rose since the need was queued: serve it now only if it still outbids the next one.
    let currentGain = 0;
    for (let arc = firstArc; arc < endArc; arc += 1) {
      const net = arcWeight[arc] - resourcePrice[arcResource[arc]];
      if (net > currentGain) currentGain = net;
    }
    if (currentGain <= 0) continue;
    if (queueKey.length > 0 && currentGain < queueKey[0] * (1 - 1e-12)) {
      queuePush(source, currentGain);
      continue;
    }
    while (needLoad[source] < demand[source]) {
      // The least price that keeps every arc out of the need non-negative: its best net gain.
      let gain = 0;
      let bestArc = -1;
      for (let arc = firstArc; arc < endArc; arc += 1) {
        const net = arcWeight[arc] - resourcePrice[arcResource[arc]];
        if (net > gain) {
          gain = net;
          bestArc = arc;
        }
      }
      needPrice[source] = gain;
      if (bestArc === -1) break;
      const bestResource = arcResource[bestArc];
      const room = capacity[bestResource] - resourceLoad[bestResource];
      if (room > 0) {
        const units = Math.min(room, demand[source] - needLoad[source]);
        addFlow(bestArc, units);
        needLoad[source] += units;
        resourceLoad[bestResource] += units;
        directAssignments += units;
        if (resourceLoad[bestResource] === capacity[bestResource]) raiseFullPrice(bestResource);
        continue;
      }

      // Dijkstra from the need; `cutoff` is the cheapest way found so far to close the cycle.
      search += 1;
      searches += 1;
      let cutoff = gain;
      let endNode = -1;
      let settledCount = 0;
      heapSize = 0;
      reachedIn[source] = search;
      dist[source] = 0;
      predArc[source] = -1;
      heap[0] = source;
      heapPos[source] = 0;
      heapSize = 1;
      levelSize = 0;
      for (;;) {
        let node: number;
        if (levelSize > 0) node = level[--levelSize];
        else if (heapSize > 0) {
          node = popMin();
          heapPos[node] = -1;
        } else break;
        if (settledIn[node] === search) continue;
        const distance = dist[node];
        if (distance >= cutoff) break;
        settledIn[node] = search;
        settled[settledCount++] = node;
        if (node < needCount) {
          const price = needPrice[node];
          for (let arc = needStart[node], end = needStart[node + 1]; arc < end; arc += 1) {
            if (price - arcWeight[arc] >= cutoff - distance) break;
            const resource = arcResource[arc];
            const target = needCount + resource;
            if (settledIn[target] === search) continue;
            let reduced = price + resourcePrice[resource] - arcWeight[arc];
            if (reduced < 0) reduced = 0;
            const next = distance + reduced;
            if (next >= cutoff) continue;
            relax(target, next, arc, distance);
            // A resource with room (price 0) ends a path: tighten the cutoff as soon as it is reached.
            if (resourceLoad[resource] < capacity[resource]) {
              cutoff = next;
              endNode = target;
            }
          }
        } else {
          const resource = node - needCount;
          const price = resourcePrice[resource];
          for (let arc = flowHead[resource]; arc !== -1; arc = flowNext[arc]) {
            const need = arcNeed[arc];
            if (settledIn[need] === search) continue;
            let reduced = arcWeight[arc] - needPrice[need] - price;
            if (reduced < 0) reduced = 0;
            const next = distance + reduced;
            if (next >= cutoff) continue;
            relax(need, next, arc, distance);
            if (next + needPrice[need] < cutoff) {
              cutoff = next + needPrice[need];
              endNode = need;
            }
          }
        }
      }
      settledNodes += settledCount;

      // New prices: π += min(dist, cutoff) − cutoff on the settled nodes, which keeps every
      // reduced cost non-negative and makes the path found tight.
      for (let index = 0; index < settledCount; index += 1) {
        const node = settled[index];
        const shift = cutoff - dist[node];
        if (shift <= 0) continue;
        if (node < needCount) needPrice[node] -= shift;
        else resourcePrice[node - needCount] += shift;
      }
      if (endNode === -1) {
        // No path cheaper than the need's gain: it keeps what it has, at price 0.
        needPrice[source] = 0;
        break;
      }

      let units = demand[source] - needLoad[source];
      if (endNode >= needCount) units = Math.min(units, capacity[endNode - needCount] - resourceLoad[endNode - needCount]);
      else units = Math.min(units, needLoad[endNode]);
      for (let node = endNode; node !== source; ) {
        const arc = predArc[node];
        if (node >= needCount) node = arcNeed[arc];
        else {
          units = Math.min(units, flow[arc]);
          node = needCount + arcResource[arc];
        }
      }
      if (endNode >= needCount) resourceLoad[endNode - needCount] += units;
      else needLoad[endNode] -= units;
      const filled = endNode >= needCount && resourceLoad[endNode - needCount] === capacity[endNode - needCount] ? endNode - needCount : -1;
      for (let node = endNode; node !== source; ) {
        const arc = predArc[node];
        if (node >= needCount) {
          addFlow(arc, units);
          node = arcNeed[arc];
        } else {
          addFlow(arc, -units);
          node = needCount + arcResource[arc];
        }
      }
      needLoad[source] += units;
      augmentations += 1;
      if (filled !== -1) raiseFullPrice(filled);
    }
  }

  const units = new Int32Array(edgeCount);
  for (let arc = 0; arc < edgeCount; arc += 1) units[arcEdge[arc]] = flow[arc];
  let objective = 0;
  for (let edge = 0; edge < edgeCount; edge += 1) if (units[edge] > 0) objective += edgeWeight[edge] * units[edge];
  if (stats) {
    stats.directAssignments += directAssignments;
    stats.searches += searches;
    stats.augmentations += augmentations;
    stats.settledNodes += settledNodes;
  }
  for (let need = 0; need < needCount; need += 1) {
    if (needPrice[need] < 0) needPrice[need] = 0;
    // A need without demand was never added; its price (free in the dual objective) covers its edges.
    if (demand[need] === 0) for (let arc = needStart[need]; arc < needStart[need + 1]; arc += 1) needPrice[need] = Math.max(needPrice[need], arcWeight[arc] - resourcePrice[arcResource[arc]]);
  }
  return { units, objective, needPrice, resourcePrice };
}

/**
 * One component's exact optimum: cost scaling (scaling.ts), whose final prices are checked to
 * leave no residual arc of negative reduced cost; when that check fails, successive shortest
 * paths (solveComponent) solve it again.
 */
export function solveComponentExact(instance: IndexedInstance, stats?: SolverStats): CertifiedSolution {
  const scaled = solveByCostScaling(instance, stats);
  if (scaled === null) {
    if (stats) stats.fallbacks += 1;
    return solveComponent(instance, stats);
  }
  let objective = 0;
  for (let edge = 0; edge < scaled.units.length; edge += 1) if (scaled.units[edge] > 0) objective += instance.edgeWeight[edge] * scaled.units[edge];
  return { ...scaled, objective };
}

/** One connected component as an instance of its own, with its local → global index maps. */
export interface InstanceComponent {
  readonly instance: IndexedInstance;
  /** Global edge index of each local edge. */
  readonly edges: Int32Array;
  readonly needs: Int32Array;
  readonly resources: Int32Array;
}

/**
 * The connected components of an instance (needs and resources without edges belong to none),
 * numbered by their first need. Edges never cross categories, so a city splits into at least
 * one component per category; the components' optima together are the whole optimum. A
 * component's needs and resources keep their order in the instance, and so do its edges.
 *
 * Found by union–find over the edges, then built in one more pass over them: on the city case
 * about 0.1 s for all components, where a breadth-first search over an adjacency of the whole
 * instance took 0.3 s before the first and 0.6 s in all, on the thread that hands them to the
 * workers. (Its breadth-first numbering, meant to keep a component's arrays in cache, made no
 * measurable difference to the solves: a component's node arrays fit in cache either way.)
 */
export function* eachComponent(instance: IndexedInstance): Generator<InstanceComponent> {
  const { needCount, resourceCount, edgeNeed, edgeResource, edgeWeight } = instance;
  const edgeCount = edgeWeight.length;
  // Needs, then resources, as nodes of one forest; a root is the least node of its tree.
  const nodeCount = needCount + resourceCount;
  const parent = new Int32Array(nodeCount);
  for (let node = 0; node < nodeCount; node += 1) parent[node] = node;
  const find = (start: number): number => {
    let node = start;
    while (parent[node] !== node) {
      parent[node] = parent[parent[node]];
      node = parent[node];
    }
    return node;
  };
  const linked = new Uint8Array(nodeCount);
  for (let edge = 0; edge < edgeCount; edge += 1) {
    const need = edgeNeed[edge];
    const resource = needCount + edgeResource[edge];
    linked[need] = 1;
    linked[resource] = 1;
    const needRoot = find(need);
    const resourceRoot = find(resource);
    if (needRoot < resourceRoot) parent[resourceRoot] = needRoot;
    else if (resourceRoot < needRoot) parent[needRoot] = resourceRoot;
  }
  // Every edge has a need, so each component's root is a need and numbering the components in
  // need order meets every root before any of its resources. A node's local index is its rank
  // among its component's nodes of its kind.
  const componentOf = new Int32Array(nodeCount).fill(-1);
  const local = new Int32Array(nodeCount);
  const needsIn: number[] = [];
  const resourcesIn: number[] = [];
  for (let node = 0; node < nodeCount; node += 1) {
    if (!linked[node]) continue;
    const root = find(node);
    if (node === root) {
      componentOf[node] = needsIn.length;
      needsIn.push(0);
      resourcesIn.push(0);
    } else componentOf[node] = componentOf[root];
    const component = componentOf[node];
    if (node < needCount) local[node] = needsIn[component]++;
    else local[node] = resourcesIn[component]++;
  }
  const components = needsIn.length;
  const edgesIn = new Int32Array(components);
  for (let edge = 0; edge < edgeCount; edge += 1) edgesIn[componentOf[edgeNeed[edge]]] += 1;
  const parts = Array.from({ length: components }, (_, component) => ({
    needs: new Int32Array(needsIn[component]),
    resources: new Int32Array(resourcesIn[component]),
    demand: new Int32Array(needsIn[component]),
    capacity: new Int32Array(resourcesIn[component]),
    edges: new Int32Array(edgesIn[component]),
    edgeNeed: new Int32Array(edgesIn[component]),
    edgeResource: new Int32Array(edgesIn[component]),
    edgeWeight: new Float64Array(edgesIn[component]),
    filled: 0,
  }));
  for (let node = 0; node < nodeCount; node += 1) {
    const component = componentOf[node];
    if (component < 0) continue;
    const part = parts[component];
    if (node < needCount) {
      part.needs[local[node]] = node;
      part.demand[local[node]] = instance.demand[node];
    } else {
      part.resources[local[node]] = node - needCount;
      part.capacity[local[node]] = instance.capacity[node - needCount];
    }
  }
  for (let edge = 0; edge < edgeCount; edge += 1) {
    const need = edgeNeed[edge];
    const part = parts[componentOf[need]];
    const index = part.filled++;
    part.edges[index] = edge;
    part.edgeNeed[index] = local[need];
    part.edgeResource[index] = local[needCount + edgeResource[edge]];
    part.edgeWeight[index] = edgeWeight[edge];
  }
  for (let component = 0; component < components; component += 1) {
    const part = parts[component];
    yield {
      instance: { needCount: part.needs.length, resourceCount: part.resources.length, demand: part.demand, capacity: part.capacity, edgeNeed: part.edgeNeed, edgeResource: part.edgeResource, edgeWeight: part.edgeWeight },
      edges: part.edges,
      needs: part.needs,
      resources: part.resources,
    };
  }
}

/** All the connected components of an instance at once (see eachComponent). */
export function splitComponents(instance: IndexedInstance): InstanceComponent[] {
  return [...eachComponent(instance)];
}

/** Room for a whole instance's solution, filled in component by component. */
export interface SolutionBuilder {
  /** Writes one component's solution into the whole. */
  add(component: InstanceComponent, solution: CertifiedSolution): void;
  /** The whole solution; its objective is Σ w·x in edge order, the same however the instance splits. */
  finish(): CertifiedSolution;
}

export function solutionBuilder(instance: IndexedInstance): SolutionBuilder {
  const units = new Int32Array(instance.edgeWeight.length);
  const needPrice = new Float64Array(instance.needCount);
  const resourcePrice = new Float64Array(instance.resourceCount);
  return {
    add(component, solution) {
      const { edges, needs, resources } = component;
      for (let index = 0; index < edges.length; index += 1) units[edges[index]] = solution.units[index];
      for (let index = 0; index < needs.length; index += 1) needPrice[needs[index]] = solution.needPrice[index];
      for (let index = 0; index < resources.length; index += 1) resourcePrice[resources[index]] = solution.resourcePrice[index];
    },
    finish() {
      let objective = 0;
      for (let edge = 0; edge < units.length; edge += 1) if (units[edge] > 0) objective += instance.edgeWeight[edge] * units[edge];
      return { units, objective, needPrice, resourcePrice };
    },
  };
}

/**
 * Exact optimum with its dual certificate, one connected component at a time: a component's
 * arrays are small enough to stay in the processor's cache, which on the city benchmark makes
 * the same searches three times faster than on the whole instance at once.
 */
export function solveIndexed(instance: IndexedInstance, stats?: SolverStats): CertifiedSolution {
  if (stats) Object.assign(stats, emptyStats());
  const whole = solutionBuilder(instance);
  for (const component of eachComponent(instance)) whole.add(component, solveComponentExact(component.instance, stats));
  return whole.finish();
}

/** Validates the instance (throws InstanceError) and returns its exact optimum with ids. */
export function solveAssignment(instance: MatchingInstance): MatchingSolution {
  const parsed = parseInstance(instance);
  return toMatchingSolution(parsed, solveIndexed(parsed.indexed));
}
