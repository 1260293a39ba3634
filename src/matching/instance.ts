import type { IndexedInstance, IndexedSolution, MatchingAssignment, MatchingInstance, MatchingSolution } from './types';

/** An instance that cannot be solved as given; the message names the offending entry. */
export class InstanceError extends Error {
  override readonly name = 'InstanceError';
}

/** Demands, capacities and units live in Int32Arrays. */
const MAX_UNITS = 2 ** 31 - 1;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readList(root: Record<string, unknown>, key: string): readonly unknown[] {
  const list = root[key];
  if (!Array.isArray(list)) throw new InstanceError(`${key} must be an array, got ${describe(list)}`);
  return list;
}

function readEntry(list: readonly unknown[], key: string, index: number): Record<string, unknown> {
  const entry = list[index];
  if (!isRecord(entry)) throw new InstanceError(`${key}[${index}] must be an object, got ${describe(entry)}`);
  return entry;
}

function readId(entry: Record<string, unknown>, where: string, field: string): string {
  const id = entry[field];
  if (typeof id !== 'string' || id.length === 0) throw new InstanceError(`${where}.${field} must be a non-empty string, got ${describe(id)}`);
  return id;
}

function readUnits(entry: Record<string, unknown>, where: string, field: string): number {
  const units = entry[field];
  if (typeof units !== 'number' || !Number.isInteger(units) || units < 0 || units > MAX_UNITS) {
    throw new InstanceError(`${where}.${field} must be an integer from 0 to ${MAX_UNITS}, got ${describe(units)}`);
  }
  return units;
}

function readIds(root: Record<string, unknown>, key: 'needs' | 'resources', unitsField: 'demand' | 'capacity'): { ids: string[]; units: Int32Array; index: Map<string, number> } {
  const list = readList(root, key);
  const ids: string[] = new Array<string>(list.length);
  const units = new Int32Array(list.length);
  const index = new Map<string, number>();
  for (let position = 0; position < list.length; position += 1) {
    const where = `${key}[${position}]`;
    const entry = readEntry(list, key, position);
    const id = readId(entry, where, 'id');
    const first = index.get(id);
    if (first !== undefined) throw new InstanceError(`${where}.id ${describe(id)} repeats ${key}[${first}].id`);
    index.set(id, position);
    ids[position] = id;
    units[position] = readUnits(entry, where, unitsField);
  }
  return { ids, units, index };
}

/** A validated instance with its ids mapped to dense indices. */
export interface ParsedInstance {
  readonly needIds: readonly string[];
  readonly resourceIds: readonly string[];
  readonly indexed: IndexedInstance;
}

/**
 * Validates an instance (parsed JSON or a MatchingInstance) and maps it to indices.
 * Throws InstanceError naming the first bad entry: unknown ids on edges, duplicate ids,
 * duplicate (need, resource) edges, demands or capacities that are not non-negative
 * integers, weights that are not finite numbers > 0.
 */
export function parseInstance(value: unknown): ParsedInstance {
  if (!isRecord(value)) throw new InstanceError(`an instance must be an object with needs, resources and edges, got ${describe(value)}`);
  const needs = readIds(value, 'needs', 'demand');
  const resources = readIds(value, 'resources', 'capacity');
  const edges = readList(value, 'edges');
  const edgeNeed = new Int32Array(edges.length);
  const edgeResource = new Int32Array(edges.length);
  const edgeWeight = new Float64Array(edges.length);
  const resourceCount = resources.ids.length;
  const seenPairs = new Map<number, number>();
  for (let position = 0; position < edges.length; position += 1) {
    const where = `edges[${position}]`;
    const entry = readEntry(edges, 'edges', position);
    const needId = readId(entry, where, 'need');
    const need = needs.index.get(needId);
    if (need === undefined) throw new InstanceError(`${where}.need ${describe(needId)} is not a need id`);
    const resourceId = readId(entry, where, 'resource');
    const resource = resources.index.get(resourceId);
    if (resource === undefined) throw new InstanceError(`${where}.resource ${describe(resourceId)} is not a resource id`);
    const weight = entry.weight;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
      throw new InstanceError(`${where}.weight must be a finite number > 0, got ${describe(weight)}`);
    }
    const pair = need * resourceCount + resource;
    const first = seenPairs.get(pair);
    if (first !== undefined) throw new InstanceError(`${where} repeats the pair (need ${describe(needId)}, resource ${describe(resourceId)}) of edges[${first}]`);
    seenPairs.set(pair, position);
    edgeNeed[position] = need;
    edgeResource[position] = resource;
    edgeWeight[position] = weight;
  }
  return {
    needIds: needs.ids,
    resourceIds: resources.ids,
    indexed: { needCount: needs.ids.length, resourceCount, demand: needs.units, capacity: resources.units, edgeNeed, edgeResource, edgeWeight },
  };
}

function compareIds(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Back from indices to ids: edges with units > 0, sorted by need id then resource id. */
export function toMatchingSolution(parsed: ParsedInstance, solution: IndexedSolution): MatchingSolution {
  const { edgeNeed, edgeResource } = parsed.indexed;
  const assignments: MatchingAssignment[] = [];
  for (let edge = 0; edge < solution.units.length; edge += 1) {
    const units = solution.units[edge] as number;
    if (units > 0) {
      assignments.push({ need: parsed.needIds[edgeNeed[edge] as number] as string, resource: parsed.resourceIds[edgeResource[edge] as number] as string, units });
    }
  }
  assignments.sort((left, right) => compareIds(left.need, right.need) || compareIds(left.resource, right.resource));
  return { assignments, objective: solution.objective };
}

/** Ids N0…, R0… for an indexed instance, e.g. to write a generated one as JSON. */
export function toMatchingInstance(indexed: IndexedInstance): MatchingInstance {
  const needs = Array.from(indexed.demand, (demand, need) => ({ id: `N${need}`, demand }));
  const resources = Array.from(indexed.capacity, (capacity, resource) => ({ id: `R${resource}`, capacity }));
  const edges = Array.from(indexed.edgeWeight, (weight, edge) => ({ need: `N${indexed.edgeNeed[edge] as number}`, resource: `R${indexed.edgeResource[edge] as number}`, weight }));
  return { needs, resources, edges };
}

/** Σ weight × units, summed in edge order. */
export function objectiveOf(indexed: IndexedInstance, units: Int32Array): number {
  let objective = 0;
  for (let edge = 0; edge < units.length; edge += 1) objective += (indexed.edgeWeight[edge] as number) * (units[edge] as number);
  return objective;
}
