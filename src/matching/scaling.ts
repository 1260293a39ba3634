import type { IndexedInstance } from './types';

/** Counters of the cost-scaling solver; a benchmark may ask for them. */
export interface ScalingStats {
  phases: number;
  pushes: number;
  relabels: number;
  /** Node labels corrected while certifying the final flow. */
  certifyUpdates: number;
}

/** A flow with exact dual prices, or null when the final flow could not be certified optimal. */
export interface ScalingResult {
  readonly units: Int32Array;
  readonly needPrice: Float64Array;
  readonly resourcePrice: Float64Array;
}

/** Price divisor between phases (Goldberg's α). */
const ALPHA = 8;
/** The last phase's ε, relative to the largest weight. */
const FINAL_EPSILON = 2 ** -40;
/** From this ε on (relative to the largest weight), each phase ends with an attempt to certify the flow optimal. */
const CERTIFY_FROM = 2 ** -27;

/**
 * Goldberg's cost scaling (push–relabel on ε-optimal pseudoflows) for the same problem as
 * solveComponent, as a min-cost circulation: a hub z sends up to demand into each need, a need
 * sends any units to a resource at cost −w, a resource sends up to capacity back to z. Node
 * prices p give reduced costs c + p(tail) − p(head); a need's dual price is u = p(need) − p(z)
 * and a resource's v = p(z) − p(resource). Each phase divides ε by ALPHA, empties the flow,
 * sets each need's price to its best offer (so the empty flow is 0-optimal) and pushes units
 * along arcs of negative reduced cost, relabelling a node by ε below its best residual arc
 * when it has none: needs bid for resources, an overfull resource gives back its least
 * valued units, like an auction. After the last phase (ε ≈ 2⁻⁴⁰ of the largest weight) a
 * label-correcting shortest-path pass over the residual graph turns the prices into exact
 * ones (every residual arc of non-negative reduced cost, so the flow is optimal with real
 * weights up to floating-point rounding); if the residual graph has a negative cycle (the
 * flow is within n·ε of the optimum but not at it), the result is null and the caller falls
 * back to the exact successive-shortest-paths solver.
 */
export function solveByCostScaling(instance: IndexedInstance, stats?: ScalingStats): ScalingResult | null {
  const solver = new CostScaling(instance);
  const certified = solver.run();
  if (stats) {
    stats.phases += solver.phases;
    stats.pushes += solver.pushes;
    stats.relabels += solver.relabels;
    stats.certifyUpdates += solver.updates;
  }
  return certified ? solver.result() : null;
}

/**
 * The state of one solve, and its steps as methods. A class rather than closures inside
 * solveByCostScaling: closures made afresh on every call made V8 throw away the optimised code
 * of their callers at each new component ("wrong call target"), and one long function was
 * optimised piecemeal (on-stack replacement, a deoptimisation at each part not yet run), so a
 * fresh worker spent its first two or three components, about twice their steady time, warming
 * up. Methods are shared by every instance and each step is optimised on its own.
 */
class CostScaling {
  private readonly needCount: number;
  private readonly resourceCount: number;
  private readonly edgeCount: number;
  private readonly hub: number;
  private readonly nodeCount: number;
  private readonly demand: Int32Array;
  private readonly capacity: Int32Array;
  private readonly maxWeight: number;
  // Arcs grouped by need (CSR).
  private readonly needStart: Int32Array;
  private readonly arcEdge: Int32Array;
  private readonly arcHead: Int32Array;
  private readonly arcWeight: Float64Array;
  private readonly flow: Int32Array;
  // Per resource, the arcs that carry its flow (its residual arcs back to needs), packed in its
  // own segment of a pool with each arc's need and weight beside it, so a resource's pass over
  // its occupants reads memory in order. A segment that fills moves to the pool's end at twice
  // its size; a pool that fills is rebuilt twice as large.
  private readonly degree: Int32Array;
  private readonly occupantStart: Int32Array;
  private readonly occupantCount: Int32Array;
  private readonly occupantRoom: Int32Array;
  private poolTop: number;
  private occupantArc: Int32Array;
  private occupantNeed: Int32Array;
  private occupantWeight: Float64Array;
  private readonly slotOf: Int32Array;

  private readonly price: Float64Array;
  private readonly excess: Float64Array;
  /** Units from the hub into each need, and from each resource back to the hub. */
  private readonly hubToNeed: Int32Array;
  private readonly resourceToHub: Int32Array;
  private hubCurrent: number;
  // An upper bound on the prices of the nodes the hub has residual arcs to (needs with room,
  // resources with units sent back) among those its pointer passed since its last relabel, or
  // that gained such an arc since: what the relabel needs, without another pass over all nodes.
  // A node gains the arc by pushing to the hub, which it does only while priced below the hub,
  // so the bound never exceeds the hub's price.
  private hubPassed: number;

  // Nodes with positive excess, last in first out: a node a discharge just made active is
  // discharged next, while the prices it saw are still current. Measured against first in first
  // out: 15 % fewer pushes on the city case, 27 % on the hard one.
  private readonly active: Int32Array;
  private readonly isActive: Uint8Array;
  private activeCount: number;
  // The certificate's first-in-first-out queue of nodes whose label changed (label correcting
  // in LIFO order can take exponential time).
  private readonly queue: Int32Array;
  private readonly queued: Uint8Array;
  private queueHead: number;
  private queueTail: number;
  private queueSize: number;

  // A need's memory of its last pass over its edges (see dischargeNeed).
  private readonly knownArc: Int32Array;
  private readonly otherOffers: Float64Array;

  // The certificate's shortest distances and path lengths, the rounding it ignores, and whether
  // it found a negative cycle.
  private readonly distance: Float64Array;
  private readonly length: Int32Array;
  private certifyTolerance: number;
  private cycle: boolean;

  private epsilon: number;
  phases: number;
  pushes: number;
  relabels: number;
  /** Node labels corrected by certificates. */
  updates: number;

  constructor(instance: IndexedInstance) {
    const { needCount, resourceCount, demand, capacity, edgeNeed, edgeResource, edgeWeight } = instance;
    const edgeCount = edgeWeight.length;
    this.needCount = needCount;
    this.resourceCount = resourceCount;
    this.edgeCount = edgeCount;
    this.hub = needCount + resourceCount;
    this.nodeCount = this.hub + 1;
    this.demand = demand;
    this.capacity = capacity;

    const needStart = new Int32Array(needCount + 1);
    for (let edge = 0; edge < edgeCount; edge += 1) needStart[edgeNeed[edge] + 1] += 1;
    for (let need = 0; need < needCount; need += 1) needStart[need + 1] += needStart[need];
    const fill = needStart.slice(0, needCount);
    const arcEdge = new Int32Array(edgeCount);
    const arcHead = new Int32Array(edgeCount);
    const arcWeight = new Float64Array(edgeCount);
    let maxWeight = 0;
    for (let edge = 0; edge < edgeCount; edge += 1) {
      const need = edgeNeed[edge];
      const arc = fill[need]++;
      arcEdge[arc] = edge;
      arcHead[arc] = needCount + edgeResource[edge];
      arcWeight[arc] = edgeWeight[edge];
      if (edgeWeight[edge] > maxWeight) maxWeight = edgeWeight[edge];
    }
    this.needStart = needStart;
    this.arcEdge = arcEdge;
    this.arcHead = arcHead;
    this.arcWeight = arcWeight;
    this.maxWeight = maxWeight;
    this.flow = new Int32Array(edgeCount);

    const degree = new Int32Array(resourceCount);
    for (let arc = 0; arc < edgeCount; arc += 1) degree[arcHead[arc] - needCount] += 1;
    const occupantStart = new Int32Array(resourceCount);
    const occupantRoom = new Int32Array(resourceCount);
    let poolTop = 0;
    for (let resource = 0; resource < resourceCount; resource += 1) {
      occupantStart[resource] = poolTop;
      occupantRoom[resource] = Math.min(degree[resource], capacity[resource] + 2);
      poolTop += occupantRoom[resource];
    }
    this.degree = degree;
    this.occupantStart = occupantStart;
    this.occupantCount = new Int32Array(resourceCount);
    this.occupantRoom = occupantRoom;
    this.poolTop = poolTop;
    this.occupantArc = new Int32Array(2 * poolTop + 16);
    this.occupantNeed = new Int32Array(this.occupantArc.length);
    this.occupantWeight = new Float64Array(this.occupantArc.length);
    this.slotOf = new Int32Array(edgeCount);

    this.price = new Float64Array(this.nodeCount);
    this.excess = new Float64Array(this.nodeCount);
    this.hubToNeed = new Int32Array(needCount);
    this.resourceToHub = new Int32Array(resourceCount);
    this.hubCurrent = 0;
    this.hubPassed = -Infinity;
    this.active = new Int32Array(this.nodeCount);
    this.isActive = new Uint8Array(this.nodeCount);
    this.activeCount = 0;
    this.queue = new Int32Array(this.nodeCount + 1);
    this.queued = new Uint8Array(this.nodeCount);
    this.queueHead = 0;
    this.queueTail = 0;
    this.queueSize = 0;
    this.knownArc = new Int32Array(2 * needCount).fill(-1);
    this.otherOffers = new Float64Array(needCount).fill(Infinity);
    this.distance = new Float64Array(this.nodeCount);
    this.length = new Int32Array(this.nodeCount);
    this.certifyTolerance = 0;
    this.cycle = false;
    this.epsilon = 0;
    this.phases = 0;
    this.pushes = 0;
    this.relabels = 0;
    this.updates = 0;
  }

  private moveSegment(resource: number, to: number, room: number): void {
    const { occupantStart, occupantCount, occupantArc, slotOf } = this;
    const from = occupantStart[resource];
    occupantArc.copyWithin(to, from, from + occupantCount[resource]);
    this.occupantNeed.copyWithin(to, from, from + occupantCount[resource]);
    this.occupantWeight.copyWithin(to, from, from + occupantCount[resource]);
    for (let index = 0; index < occupantCount[resource]; index += 1) slotOf[occupantArc[to + index]] = to + index;
    occupantStart[resource] = to;
    this.occupantRoom[resource] = room;
  }

  private growSegment(resource: number): void {
    const room = Math.min(this.degree[resource], Math.max(4, 2 * this.occupantRoom[resource]));
    if (this.poolTop + room > this.occupantArc.length) {
      // Rebuild: every segment packed again from the start of a pool twice as large.
      const { occupantStart, occupantCount, occupantRoom, slotOf } = this;
      const arcs = this.occupantArc;
      const needs = this.occupantNeed;
      const weights = this.occupantWeight;
      const occupantArc = new Int32Array(2 * arcs.length + room);
      const occupantNeed = new Int32Array(occupantArc.length);
      const occupantWeight = new Float64Array(occupantArc.length);
      let poolTop = 0;
      for (let other = 0; other < this.resourceCount; other += 1) {
        const from = occupantStart[other];
        const count = occupantCount[other];
        occupantArc.set(arcs.subarray(from, from + count), poolTop);
        occupantNeed.set(needs.subarray(from, from + count), poolTop);
        occupantWeight.set(weights.subarray(from, from + count), poolTop);
        for (let index = 0; index < count; index += 1) slotOf[occupantArc[poolTop + index]] = poolTop + index;
        occupantStart[other] = poolTop;
        poolTop += occupantRoom[other];
      }
      this.occupantArc = occupantArc;
      this.occupantNeed = occupantNeed;
      this.occupantWeight = occupantWeight;
      this.poolTop = poolTop;
    }
    this.moveSegment(resource, this.poolTop, room);
    this.poolTop += room;
  }

  // Flow changes keep the resource's occupants in step. The callers pass the need and resource
  // they already hold: looking them up by arc cost a cache miss on most pushes.

  /** Adds units to a need's arc into a resource (the pool may be rebuilt when the arc joins it). */
  private addUnits(arc: number, need: number, resource: number, units: number): void {
    const { flow, occupantStart, occupantCount } = this;
    const before = flow[arc];
    flow[arc] = before + units;
    if (before === 0) {
      if (occupantCount[resource] === this.occupantRoom[resource]) this.growSegment(resource);
      const slot = occupantStart[resource] + occupantCount[resource]++;
      this.occupantArc[slot] = arc;
      this.occupantNeed[slot] = need;
      this.occupantWeight[slot] = this.arcWeight[arc];
      this.slotOf[arc] = slot;
    }
  }

  /** Takes units off an arc into a resource (never more than it carries). */
  private removeUnits(arc: number, resource: number, units: number): void {
    const { flow, occupantStart, occupantCount, slotOf } = this;
    const after = flow[arc] - units;
    flow[arc] = after;
    if (after === 0) {
      // The last occupant takes the leaving one's slot.
      const { occupantArc, occupantNeed, occupantWeight } = this;
      const slot = slotOf[arc];
      const last = occupantStart[resource] + --occupantCount[resource];
      if (slot !== last) {
        occupantArc[slot] = occupantArc[last];
        occupantNeed[slot] = occupantNeed[last];
        occupantWeight[slot] = occupantWeight[last];
        slotOf[occupantArc[slot]] = slot;
      }
    }
  }

  private activate(node: number): void {
    if (this.isActive[node]) return;
    this.isActive[node] = 1;
    this.active[this.activeCount++] = node;
  }

  private enqueue(node: number): void {
    if (this.queued[node]) return;
    this.queued[node] = 1;
    this.queue[this.queueTail] = node;
    this.queueTail = this.queueTail === this.nodeCount ? 0 : this.queueTail + 1;
    this.queueSize += 1;
  }

  private clearQueue(): void {
    this.queued.fill(0);
    this.queueHead = 0;
    this.queueTail = 0;
    this.queueSize = 0;
  }

  /** The next node off the queue. */
  private dequeue(): number {
    const node = this.queue[this.queueHead];
    this.queueHead = this.queueHead === this.nodeCount ? 0 : this.queueHead + 1;
    this.queueSize -= 1;
    this.queued[node] = 0;
    return node;
  }

  /**
   * The first phase's ε (times ALPHA, as each phase divides first): half the widest spread of
   * weights among one need's edges (a need only compares its own offers; the price levels of
   * whole urgency tiers are reached by bids that jump to the next-best offer, not by steps of
   * ε), at most the largest weight.
   */
  private firstEpsilon(): number {
    const { needStart, arcWeight, maxWeight } = this;
    let spread = 0;
    for (let need = 0; need < this.needCount; need += 1) {
      let low = Infinity;
      let high = 0;
      for (let arc = needStart[need], end = needStart[need + 1]; arc < end; arc += 1) {
        if (arcWeight[arc] < low) low = arcWeight[arc];
        if (arcWeight[arc] > high) high = arcWeight[arc];
      }
      if (high - low > spread) spread = high - low;
    }
    // Measured on the benchmark: from half that spread, the city case needs half the pushes of
    // starting from the largest weight / 8, and the single-tier case about as many.
    return ALPHA * (spread > 0 && spread < maxWeight ? Math.max(spread / 2, maxWeight * 2 ** -12) : maxWeight / ALPHA);
  }

  // A need bids like an auction bidder: it finds its best and second-best offers (an edge's
  // offer is p(resource) + w, giving units back to the hub offers p(z)); the units go to the
  // best (its reduced cost is negative once the need is priced ε below it), and when the best
  // edge is then full, the need's price drops to ε below its next-best offer.
  //
  // Offers never rise: a resource's price only falls (relabels and look-ahead lower it, and a
  // certificate's distances are ≤ 0). So a need remembers what its last pass over its edges
  // found: its two best edges and the third-best offer, an upper bound on every other edge's.
  // While one of the two edges, priced afresh, or the hub offers at least that bound, the need
  // knows its best offer without another pass. The second-best it then uses may be the bound,
  // above the true one: the need drops its price less far, which keeps ε-optimality (its
  // residual edges stay within ε of its price) and at worst costs a later bid.
  private dischargeNeed(need: number): void {
    const { price, excess, flow, arcHead, arcWeight, knownArc, otherOffers, hubToNeed, needStart, epsilon } = this;
    const hub = this.hub;
    // An edge carries at most the need's demand: redundant, but a need whose units all went to
    // one resource then bids with its next-best offer, as in an auction, not ε below the best.
    const cap = this.demand[need];
    while (excess[need] > 0) {
      let arcA = knownArc[2 * need];
      let arcB = knownArc[2 * need + 1];
      let offerA = arcA >= 0 && flow[arcA] < cap ? price[arcHead[arcA]] + arcWeight[arcA] : -Infinity;
      let offerB = arcB >= 0 && flow[arcB] < cap ? price[arcHead[arcB]] + arcWeight[arcB] : -Infinity;
      let bound = otherOffers[need];
      const hubOffer = hubToNeed[need] > 0 ? price[hub] : -Infinity;
      if (offerA < bound && offerB < bound && hubOffer < bound) {
        offerA = -Infinity;
        offerB = -Infinity;
        bound = -Infinity;
        arcA = -1;
        arcB = -1;
        for (let arc = needStart[need], end = needStart[need + 1]; arc < end; arc += 1) {
          if (flow[arc] >= cap) continue;
          const offer = price[arcHead[arc]] + arcWeight[arc];
          if (offer > offerA) {
            bound = offerB;
            offerB = offerA;
            arcB = arcA;
            offerA = offer;
            arcA = arc;
          } else if (offer > offerB) {
            bound = offerB;
            offerB = offer;
            arcB = arc;
          } else if (offer > bound) bound = offer;
        }
        knownArc[2 * need] = arcA;
        knownArc[2 * need + 1] = arcB;
        otherOffers[need] = bound;
      }
      // The best of the hub and the two edges; the second-best of them and the bound.
      let best = hubOffer;
      let bestArc = -1;
      let second = bound;
      if (offerA > best) {
        if (best > second) second = best;
        best = offerA;
        bestArc = arcA;
      } else if (offerA > second) second = offerA;
      if (offerB > best) {
        if (best > second) second = best;
        best = offerB;
        bestArc = arcB;
      } else if (offerB > second) second = offerB;
      if (price[need] >= best) {
        price[need] = best - epsilon;
        this.relabels += 1;
      }
      this.pushes += 1;
      let full: boolean;
      if (bestArc === -1) {
        const units = Math.min(excess[need], hubToNeed[need]);
        hubToNeed[need] -= units;
        if (price[need] > this.hubPassed) this.hubPassed = price[need];
        excess[need] -= units;
        excess[hub] += units;
        if (excess[hub] > 0) this.activate(hub);
        full = hubToNeed[need] === 0;
      } else {
        const head = arcHead[bestArc];
        const units = Math.min(excess[need], cap - flow[bestArc]);
        this.addUnits(bestArc, need, head - this.needCount, units);
        excess[need] -= units;
        excess[head] += units;
        if (excess[head] > 0) this.activate(head);
        full = flow[bestArc] >= cap;
      }
      if (full && second > -Infinity && second - epsilon < price[need]) price[need] = second - epsilon;
    }
  }

  // An overfull resource gives units back, the least attached first, in one pass over the arcs
  // that carry its flow: the pass pushes along every admissible arc while excess remains and
  // finds the best offer among what stays (an occupant's offer is p(need) − w; the hub's, while
  // the resource has capacity left, is p(z)). With no excess left, the resource drops to ε below
  // that offer (look-ahead relabel: it keeps ε-optimality, as it only raises the reduced costs
  // of arcs into the resource, and makes a full resource's price its marginal occupant's at once,
  // so the next bid raises it by the bidder's margin over its next-best offer rather than by ε);
  // with excess left, the same value is its relabel.
  private dischargeResource(node: number): void {
    const { price, excess, flow, capacity, resourceToHub, occupantStart, occupantCount, epsilon } = this;
    const hub = this.hub;
    const resource = node - this.needCount;
    // Giving units back never grows the pool, so its arrays stay the same during the pass.
    const { occupantArc, occupantNeed, occupantWeight } = this;
    for (;;) {
      const p = price[node];
      let best = -Infinity;
      if (resourceToHub[resource] < capacity[resource]) {
        if (price[hub] > p) {
          const units = Math.min(excess[node], capacity[resource] - resourceToHub[resource]);
          resourceToHub[resource] += units;
          if (p > this.hubPassed) this.hubPassed = p;
          excess[node] -= units;
          excess[hub] += units;
          if (excess[hub] > 0) this.activate(hub);
          this.pushes += 1;
        }
        if (resourceToHub[resource] < capacity[resource]) best = price[hub];
      }
      // A leaving occupant's slot is taken by the last one, not yet seen: the slot is read again.
      for (let slot = occupantStart[resource]; slot < occupantStart[resource] + occupantCount[resource]; ) {
        const arc = occupantArc[slot];
        const need = occupantNeed[slot];
        const offer = price[need] - occupantWeight[slot];
        if (offer > p && excess[node] > 0) {
          const units = Math.min(excess[node], flow[arc]);
          this.removeUnits(arc, resource, units);
          excess[node] -= units;
          excess[need] += units;
          this.activate(need);
          this.pushes += 1;
          if (flow[arc] === 0) continue;
          if (offer > best) best = offer;
        } else if (offer > best) best = offer;
        slot += 1;
      }
      if (excess[node] <= 0) {
        // No residual arc at all (a resource without capacity or units): nothing to drop to.
        if (best > -Infinity && best - epsilon < p) price[node] = best - epsilon;
        return;
      }
      price[node] = best - epsilon;
      this.relabels += 1;
    }
  }

  private dischargeHub(): void {
    const { price, excess, demand, hubToNeed, resourceToHub, needCount, epsilon } = this;
    const hub = this.hub;
    for (;;) {
      const p = price[hub];
      for (; this.hubCurrent < hub; this.hubCurrent += 1) {
        const current = this.hubCurrent;
        let room: number;
        if (current < needCount) room = demand[current] - hubToNeed[current];
        else room = resourceToHub[current - needCount];
        if (room <= 0) continue;
        const q = price[current];
        if (p - q >= 0) {
          if (q > this.hubPassed) this.hubPassed = q;
          continue;
        }
        const units = Math.min(excess[hub], room);
        if (current < needCount) hubToNeed[current] += units;
        else resourceToHub[current - needCount] -= units;
        excess[hub] -= units;
        excess[current] += units;
        if (excess[current] > 0) this.activate(current);
        this.pushes += 1;
        if (excess[hub] <= 0) return;
      }
      price[hub] = this.hubPassed - epsilon;
      this.hubPassed = -Infinity;
      this.hubCurrent = 0;
      this.relabels += 1;
    }
  }

  /**
   * Starts a phase. The first: empty flow, made 0-optimal, each need priced at its best offer
   * and filled from the hub. Later ones keep the flow and make it ε-optimal for the new ε: a
   * need's price rises to within ε of its best offer; then every residual arc still more than ε
   * negative is saturated (units taken off an edge, or the arc to or from the hub filled or
   * emptied).
   */
  private startPhase(): void {
    const { needCount, resourceCount, hub, price, excess, demand, capacity, hubToNeed, resourceToHub, needStart, arcHead, arcWeight, flow, occupantStart, occupantCount, epsilon } = this;
    this.isActive.fill(0);
    this.activeCount = 0;
    this.hubCurrent = 0;
    this.hubPassed = -Infinity;
    const hubPrice = price[hub];
    if (this.phases === 1) {
      for (let need = 0; need < needCount; need += 1) {
        let best = hubPrice;
        for (let arc = needStart[need], end = needStart[need + 1]; arc < end; arc += 1) {
          const offer = price[arcHead[arc]] + arcWeight[arc];
          if (offer > best) best = offer;
        }
        price[need] = best;
        hubToNeed[need] = demand[need];
        excess[need] = demand[need];
        excess[hub] -= demand[need];
        if (demand[need] > 0) this.activate(need);
      }
    } else {
      for (let need = 0; need < needCount; need += 1) {
        let best = -Infinity;
        for (let arc = needStart[need], end = needStart[need + 1]; arc < end; arc += 1) {
          if (flow[arc] >= demand[need]) continue;
          const offer = price[arcHead[arc]] + arcWeight[arc];
          if (offer > best) best = offer;
        }
        if (price[need] < best - epsilon) price[need] = best;
        const p = price[need];
        if (hubToNeed[need] < demand[need] && hubPrice - p < -epsilon) {
          excess[need] += demand[need] - hubToNeed[need];
          excess[hub] -= demand[need] - hubToNeed[need];
          hubToNeed[need] = demand[need];
        } else if (hubToNeed[need] > 0 && p - hubPrice < -epsilon) {
          excess[need] -= hubToNeed[need];
          excess[hub] += hubToNeed[need];
          hubToNeed[need] = 0;
        }
      }
      // Taking units off never grows the pool, so its arrays stay the same during the pass.
      const { occupantArc, occupantNeed, occupantWeight } = this;
      for (let resource = 0; resource < resourceCount; resource += 1) {
        const node = needCount + resource;
        const p = price[node];
        for (let slot = occupantStart[resource]; slot < occupantStart[resource] + occupantCount[resource]; ) {
          const need = occupantNeed[slot];
          if (occupantWeight[slot] + p - price[need] < -epsilon) {
            const arc = occupantArc[slot];
            const units = flow[arc];
            this.removeUnits(arc, resource, units);
            excess[node] -= units;
            excess[need] += units;
          } else slot += 1;
        }
        if (resourceToHub[resource] < capacity[resource] && p - hubPrice < -epsilon) {
          excess[node] -= capacity[resource] - resourceToHub[resource];
          excess[hub] += capacity[resource] - resourceToHub[resource];
          resourceToHub[resource] = capacity[resource];
        } else if (resourceToHub[resource] > 0 && hubPrice - p < -epsilon) {
          excess[node] += resourceToHub[resource];
          excess[hub] -= resourceToHub[resource];
          resourceToHub[resource] = 0;
        }
      }
      for (let node = 0; node < hub; node += 1) if (excess[node] > 0) this.activate(node);
    }
    if (excess[hub] > 0) this.activate(hub);
  }

  /** Discharges active nodes until none is left: the flow is then an ε-optimal circulation. */
  private refine(): void {
    const { excess, needCount, hub } = this;
    const { active, isActive } = this;
    while (this.activeCount > 0) {
      const node = active[--this.activeCount];
      isActive[node] = 0;
      if (excess[node] <= 0) continue;
      if (node < needCount) this.dischargeNeed(node);
      else if (node < hub) this.dischargeResource(node);
      else this.dischargeHub();
    }
  }

  // Certify: shortest distances over the residual graph with reduced costs as lengths (all
  // ≥ −ε), from a virtual source joined to every node. Adding them to the prices leaves no
  // residual arc of negative reduced cost, unless a negative cycle exists (a path longer than
  // the node count), in which case the flow is not optimal yet.
  private certify(budgetUpdates: number): boolean {
    const { nodeCount, needCount, resourceCount, hub, price, flow, demand, capacity, needStart, arcHead, arcWeight, hubToNeed, resourceToHub, occupantStart, occupantCount, occupantNeed, occupantWeight, distance } = this;
    let largestPrice = 0;
    for (let node = 0; node < nodeCount; node += 1) largestPrice = Math.max(largestPrice, Math.abs(price[node]));
    if (!Number.isFinite(largestPrice)) return false;
    this.certifyTolerance = (this.maxWeight + largestPrice) * 2 ** -46;
    this.cycle = false;
    distance.fill(0);
    this.length.fill(0);
    this.clearQueue();
    for (let node = 0; node < nodeCount; node += 1) this.enqueue(node);
    const budget = this.updates + budgetUpdates;
    while (this.queueSize > 0 && !this.cycle && this.updates < budget) {
      const node = this.dequeue();
      const p = price[node];
      if (node < needCount) {
        for (let arc = needStart[node], end = needStart[node + 1]; arc < end; arc += 1) if (flow[arc] < demand[node]) this.relax(node, arcHead[arc], p - arcWeight[arc] - price[arcHead[arc]]);
        if (hubToNeed[node] > 0) this.relax(node, hub, p - price[hub]);
      } else if (node < hub) {
        const resource = node - needCount;
        for (let slot = occupantStart[resource], end = slot + occupantCount[resource]; slot < end; slot += 1) this.relax(node, occupantNeed[slot], occupantWeight[slot] + p - price[occupantNeed[slot]]);
        if (resourceToHub[resource] < capacity[resource]) this.relax(node, hub, p - price[hub]);
      } else {
        for (let need = 0; need < needCount; need += 1) if (hubToNeed[need] < demand[need]) this.relax(hub, need, p - price[need]);
        for (let resource = 0; resource < resourceCount; resource += 1) if (resourceToHub[resource] > 0) this.relax(hub, needCount + resource, p - price[needCount + resource]);
      }
    }
    if (this.cycle || this.queueSize > 0) return false;
    for (let node = 0; node < nodeCount; node += 1) price[node] += distance[node];
    return true;
  }

  private relax(from: number, to: number, reduced: number): void {
    const { distance, length } = this;
    const candidate = distance[from] + reduced;
    if (candidate < distance[to] - this.certifyTolerance) {
      distance[to] = candidate;
      length[to] = length[from] + 1;
      if (length[to] > this.nodeCount) this.cycle = true;
      this.updates += 1;
      this.enqueue(to);
    }
  }

  /** Runs the phases; true when the final flow was certified optimal. */
  run(): boolean {
    if (this.edgeCount === 0) return true;
    const finalEpsilon = this.maxWeight * FINAL_EPSILON;
    // Certification is tried once ε is below the weights' last meaningful digits of a fit.
    const certifyFrom = this.maxWeight * CERTIFY_FROM;
    this.epsilon = this.firstEpsilon();
    for (;;) {
      this.epsilon = Math.max(this.epsilon / ALPHA, finalEpsilon);
      this.phases += 1;
      this.startPhase();
      this.refine();
      // Before the last phase a certificate gets a budget of one label correction per node: an
      // optimal flow certifies in far fewer (≈ 10,000 on a 300,000-edge city component), while a
      // flow that is not optimal yet would use up a budget of 4·(n + m) before the cycle shows.
      const last = this.epsilon <= finalEpsilon;
      if (this.epsilon <= certifyFrom && this.certify(last ? 4 * (this.nodeCount + this.edgeCount) : this.nodeCount)) return true;
      if (last) return false;
    }
  }

  /** The flow per edge and the dual prices u, v of a certified solve. */
  result(): ScalingResult {
    const { needCount, resourceCount, edgeCount, needStart, arcEdge, arcHead, arcWeight, flow, price, hub } = this;
    const units = new Int32Array(edgeCount);
    for (let arc = 0; arc < edgeCount; arc += 1) units[arcEdge[arc]] = flow[arc];
    const needPrice = new Float64Array(needCount);
    const resourcePrice = new Float64Array(resourceCount);
    for (let resource = 0; resource < resourceCount; resource += 1) resourcePrice[resource] = Math.max(0, price[hub] - price[needCount + resource]);
    // u = the need's best gain max(0, w − v): equal to p(need) − p(z) up to rounding where the
    // need has a residual edge, and it also covers an edge that carries the whole demand (the
    // edge's capacity is not a constraint of the problem, so its dual must not be needed).
    for (let need = 0; need < needCount; need += 1) {
      let gain = 0;
      for (let arc = needStart[need], end = needStart[need + 1]; arc < end; arc += 1) gain = Math.max(gain, arcWeight[arc] - resourcePrice[arcHead[arc] - needCount]);
      needPrice[need] = gain;
    }
    return { units, needPrice, resourcePrice };
  }
}
