import { SeededRandom } from '../common/random';
import type { IndexedInstance } from './types';

/** Urgency tiers, most urgent first; their index is what CityInstance.needTier holds. */
export const URGENCY_TIERS = ['CRITICAL', 'HIGH', 'NORMAL', 'LOW'] as const;
export type UrgencyTier = (typeof URGENCY_TIERS)[number];
/** A unit for a more urgent tier outweighs any number of fit points below it (fit < 1). */
export const URGENCY_WEIGHT: Readonly<Record<UrgencyTier, number>> = { CRITICAL: 1000, HIGH: 100, NORMAL: 10, LOW: 1 };

export interface CityInstanceOptions {
  readonly needs: number;
  readonly resources: number;
  /** Each need gets between min and max candidate edges (fewer where the category is thin nearby). */
  readonly edgesPerNeed: readonly [min: number, max: number];
  readonly seed: number;
  /** Put every need in this tier (the hard case: no urgency gaps to separate the needs). */
  readonly singleTier?: UrgencyTier;
  /** Share of each need's candidates drawn first from neighbouring districts (default 0.15); 0 keeps districts apart unless a need is short of candidates. */
  readonly acrossBorderShare?: number;
  /**
   * Share of streets that are hotspots (default 0.12): 1.5× the needs, a more urgent mix
   * (HOTSPOT_TIER_SHARE), 0.6× the resources, and needs there have fewer candidates and none
   * across the district line, so urgent needs compete for scarce nearby resources. 0 gives
   * every street the same mix and supply.
   */
  readonly hotspotShare?: number;
  readonly districts?: number;
  readonly streets?: number;
  readonly categories?: number;
}

/** A generated city-scale instance with the attributes the benchmark reports by. */
export interface CityInstance {
  readonly instance: IndexedInstance;
  /** Index into URGENCY_TIERS per need. */
  readonly needTier: Uint8Array;
}

const TIER_SHARE = [0.05, 0.15, 0.45, 0.35];
/** Tier mix on hotspot streets (e.g. estates of elderly residents living alone). */
const HOTSPOT_TIER_SHARE = [0.15, 0.45, 0.3, 0.1];
/** How much more need, and how much less supply, a hotspot street has than others. */
const HOTSPOT_NEED_FACTOR = 1.5;
const HOTSPOT_SUPPLY_FACTOR = 0.6;
/** Share of the usual number of candidates a need on a hotspot street has. */
const HOTSPOT_EDGE_FACTOR = 0.85;

/**
 * Shanghai-like clustered instance, deterministic from the seed: streets spread unevenly over
 * districts on a 4×4 grid (neighbours share a side), 10 categories, needs crowded into some
 * streets and resources spread more evenly, supply ≈ 85 % of demand overall, with hotspot
 * streets where urgent needs with few candidates meet scarce supply (local shortages in the
 * HIGH tier, which greedy handles badly). A need's
 * candidates are resources of its category on its street, then in its district, then in a
 * neighbouring district; weight = urgency weight + fit, fit in [0, 1) from nearness and the
 * resource's quality.
 */
export function generateCityInstance(options: CityInstanceOptions): CityInstance {
  const random = new SeededRandom(options.seed);
  const districtCount = options.districts ?? 16;
  const streetCount = options.streets ?? 215;
  const categoryCount = options.categories ?? 10;
  const [minEdges, maxEdges] = options.edgesPerNeed;
  const acrossBorderShare = options.acrossBorderShare ?? 0.15;
  const gridSide = Math.ceil(Math.sqrt(districtCount));

  // Streets to districts: every district gets one, the rest by uneven shares.
  const streetDistrict = new Int32Array(streetCount);
  const districtShare = Array.from({ length: districtCount }, () => 0.4 + random.next());
  for (let street = 0; street < streetCount; street += 1) {
    streetDistrict[street] = street < districtCount ? street : random.weightedPick(districtShare.map((_, index) => index), (index) => districtShare[index] ?? 0);
  }
  const neighbours: number[][] = Array.from({ length: districtCount }, (_, district) => {
    const row = Math.floor(district / gridSide);
    const column = district % gridSide;
    const around = [
      [row - 1, column],
      [row + 1, column],
      [row, column - 1],
      [row, column + 1],
    ];
    return around.filter(([r, c]) => r! >= 0 && c! >= 0 && c! < gridSide && r! * gridSide + c! < districtCount).map(([r, c]) => r! * gridSide + c!);
  });
  // Needs gather where the assisted live; resources follow less closely, and avoid hotspots.
  const hotspotShare = options.hotspotShare ?? 0.12;
  const hotspot = Array.from({ length: streetCount }, () => random.next() < hotspotShare);
  const needStreetWeight = Array.from({ length: streetCount }, (_, street) => (random.next() ** 2 + 0.05) * (hotspot[street] ? HOTSPOT_NEED_FACTOR : 1));
  const needStreets = cumulative(needStreetWeight);
  const resourceStreets = cumulative(hotspot.map((hot) => (hot ? HOTSPOT_SUPPLY_FACTOR : 1)));

  const resourceCount = options.resources;
  const needCount = options.needs;
  const demand = new Int32Array(needCount);
  const needTier = new Uint8Array(needCount);
  const needStreet = new Int32Array(needCount);
  const needCategory = new Int32Array(needCount);
  let totalDemand = 0;
  for (let need = 0; need < needCount; need += 1) {
    const roll = random.next();
    demand[need] = roll < 0.6 ? 1 : roll < 0.85 ? 2 : 3;
    totalDemand += demand[need];
    needStreet[need] = drawCumulative(needStreets, random.next());
    needTier[need] = options.singleTier ? URGENCY_TIERS.indexOf(options.singleTier) : pickShare(hotspot[needStreet[need]] ? HOTSPOT_TIER_SHARE : TIER_SHARE, random.next());
    needCategory[need] = random.int(0, categoryCount - 1);
  }

  const capacity = new Int32Array(resourceCount);
  const quality = new Float64Array(resourceCount);
  const resourceStreet = new Int32Array(resourceCount);
  const resourceCategory = new Int32Array(resourceCount);
  const meanCapacity = (0.85 * totalDemand) / Math.max(1, resourceCount);
  for (let resource = 0; resource < resourceCount; resource += 1) {
    capacity[resource] = random.int(1, Math.max(1, Math.round(2 * meanCapacity - 1)));
    quality[resource] = random.next();
    resourceStreet[resource] = drawCumulative(resourceStreets, random.next());
    resourceCategory[resource] = random.int(0, categoryCount - 1);
  }
  // Resources bucketed by (category, street) and (category, district).
  const byStreet = bucket(resourceCount, categoryCount * streetCount, (resource) => resourceCategory[resource]! * streetCount + resourceStreet[resource]!);
  const byDistrict = bucket(resourceCount, categoryCount * districtCount, (resource) => resourceCategory[resource]! * districtCount + streetDistrict[resourceStreet[resource]!]!);

  const edgeNeed = new Int32Array(needCount * maxEdges);
  const edgeResource = new Int32Array(needCount * maxEdges);
  const edgeWeight = new Float64Array(needCount * maxEdges);
  const chosenBy = new Int32Array(resourceCount).fill(-1);
  let edgeCount = 0;
  for (let need = 0; need < needCount; need += 1) {
    const category = needCategory[need]!;
    const street = needStreet[need]!;
    // The assisted on a hotspot street (housebound, mostly) can use only services close by:
    // fewer candidates, and none across the district line unless the district has too few.
    const local = hotspot[street]!;
    const wanted = local ? Math.max(1, Math.round(random.int(minEdges, maxEdges) * HOTSPOT_EDGE_FACTOR)) : random.int(minEdges, maxEdges);
    const district = streetDistrict[street]!;
    const tierWeight = URGENCY_WEIGHT[URGENCY_TIERS[needTier[need]!]!];
    let taken = 0;
    const take = (resource: number, nearness: number): void => {
      chosenBy[resource] = need;
      const fit = Math.min(0.999999, nearness + 0.4 * (0.6 * quality[resource]! + 0.4 * random.next()));
      edgeNeed[edgeCount] = need;
      edgeResource[edgeCount] = resource;
      edgeWeight[edgeCount] = tierWeight + fit;
      edgeCount += 1;
      taken += 1;
    };
    const sample = (list: Int32Array, start: number, end: number, nearness: number, attempts: number): void => {
      for (let attempt = 0; attempt < attempts && taken < wanted && end > start; attempt += 1) {
        const resource = list[random.int(start, end - 1)]!;
        if (chosenBy[resource] !== need && resourceStreet[resource] !== street) take(resource, nearness);
      }
    };
    const streetKey = category * streetCount + street;
    for (let index = byStreet.start[streetKey]!; index < byStreet.start[streetKey + 1]! && taken < wanted; index += 1) take(byStreet.items[index]!, 0.55);
    // A few candidates across the district line for every need (services do not stop at it),
    // so a category forms one connected market over the city, then the own district, then
    // more from neighbouring districts if that is still short.
    const around = neighbours[district]!;
    const acrossBorder = (limit: number): void => {
      for (let attempt = 0; attempt < 2 * wanted && taken < limit && around.length > 0; attempt += 1) {
        const key = category * districtCount + around[random.int(0, around.length - 1)]!;
        sample(byDistrict.items, byDistrict.start[key]!, byDistrict.start[key + 1]!, 0, 1);
      }
    };
    if (acrossBorderShare > 0 && !local) acrossBorder(Math.min(wanted, taken + Math.max(1, Math.round(acrossBorderShare * wanted))));
    const districtKey = category * districtCount + district;
    sample(byDistrict.items, byDistrict.start[districtKey]!, byDistrict.start[districtKey + 1]!, 0.25, 2 * wanted);
    acrossBorder(wanted);
  }
  return {
    instance: {
      needCount,
      resourceCount,
      demand,
      capacity,
      edgeNeed: edgeNeed.slice(0, edgeCount),
      edgeResource: edgeResource.slice(0, edgeCount),
      edgeWeight: edgeWeight.slice(0, edgeCount),
    },
    needTier,
  };
}

function pickShare(shares: readonly number[], roll: number): number {
  let total = 0;
  for (let tier = 0; tier < shares.length; tier += 1) {
    total += shares[tier]!;
    if (roll < total) return tier;
  }
  return shares.length - 1;
}

function cumulative(weights: readonly number[]): Float64Array {
  const sums = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, index) => {
    total += weight;
    sums[index] = total;
  });
  return sums.map((sum) => sum / total);
}

function drawCumulative(sums: Float64Array, roll: number): number {
  let low = 0;
  let high = sums.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sums[middle]! > roll) high = middle;
    else low = middle + 1;
  }
  return low;
}

function bucket(count: number, keys: number, keyOf: (item: number) => number): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(keys + 1);
  for (let item = 0; item < count; item += 1) start[keyOf(item) + 1] += 1;
  for (let key = 0; key < keys; key += 1) start[key + 1] += start[key]!;
  const cursor = start.slice(0, keys);
  const items = new Int32Array(count);
  for (let item = 0; item < count; item += 1) items[cursor[keyOf(item)]!++] = item;
  return { start, items };
}
