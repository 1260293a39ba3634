import fs from 'node:fs';
import path from 'node:path';
import DataLoader from 'dataloader';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The hub's Prometheus metrics, one set per process (the deep code that feeds them, loaders and
 * matching runs, has no handle on a server). Kept in their own registry, not prom-client's global
 * one, so nothing else in the process can add to what /metrics shows.
 */
export const metricsRegistry = new Registry();

/** Distinct values a label may take before further new values are counted as `other`. */
const OPERATION_LABEL_CAP = 100;
const ERROR_CODE_LABEL_CAP = 50;

/**
 * Bounds a label's cardinality: values it has seen keep their label; past `cap` new values, any
 * further new one becomes `overflow`. Values listed as known are always kept and do not count.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();
  constructor(
    private readonly cap: number,
    private readonly overflow: string,
    private readonly known: () => ReadonlySet<string> = () => new Set(),
  ) {}

  of(value: string): string {
    if (this.seen.has(value) || this.known().has(value)) return value;
    if (this.seen.size >= this.cap) return this.overflow;
    this.seen.add(value);
    return value;
  }
}

let exampleOperations: ReadonlySet<string> | undefined;

/**
 * Names of the operations in schema/operations: the front ends' own queries, which keep their
 * label however many other names clients invent first.
 */
function knownOperationNames(): ReadonlySet<string> {
  if (exampleOperations) return exampleOperations;
  const names = new Set<string>();
  const folder = path.resolve(__dirname, '../../schema/operations');
  try {
    for (const file of fs.readdirSync(folder).filter((name) => name.endsWith('.graphql'))) {
      for (const match of fs.readFileSync(path.join(folder, file), 'utf8').matchAll(/^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/gm)) names.add(match[1]!);
    }
  } catch {
    // A deployment without the folder only loses the reservation; the cap still bounds the label.
  }
  exampleOperations = names;
  return names;
}

const operationLabels = new BoundedLabel(OPERATION_LABEL_CAP, 'other', knownOperationNames);
const errorCodeLabels = new BoundedLabel(ERROR_CODE_LABEL_CAP, 'OTHER');

/** The `operation` label of a request: its operation's name, `anonymous` without one, `other` past the cap. */
export function operationLabel(name: string | undefined | null): string {
  return name ? operationLabels.of(name) : 'anonymous';
}

const graphqlRequests = new Counter({
  name: 'hub_graphql_requests_total',
  help: 'GraphQL requests over HTTP, by operation name.',
  labelNames: ['operation'] as const,
  registers: [metricsRegistry],
});

const graphqlDuration = new Histogram({
  name: 'hub_graphql_request_duration_seconds',
  help: 'Time from a GraphQL request arriving to its response being sent, by operation name.',
  labelNames: ['operation'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

const graphqlErrors = new Counter({
  name: 'hub_graphql_errors_total',
  help: 'Errors in GraphQL responses, by extensions.code (INTERNAL_SERVER_ERROR for masked ones).',
  labelNames: ['code'] as const,
  registers: [metricsRegistry],
});

const loaderBatchSize = new Histogram({
  name: 'hub_dataloader_batch_size',
  help: 'Keys per DataLoader batch (one SQL statement each), by loader.',
  labelNames: ['loader'] as const,
  buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
  registers: [metricsRegistry],
});

const matchingRunDuration = new Histogram({
  name: 'hub_matching_run_duration_seconds',
  help: 'Wall time of matching runs (reading, solving, writing the referrals), by kind: a run over a scope, or one need matched now.',
  labelNames: ['kind', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [metricsRegistry],
});

export function recordGraphqlRequest(operation: string, seconds: number): void {
  graphqlRequests.inc({ operation });
  graphqlDuration.observe({ operation }, seconds);
}

export function recordGraphqlError(code: string): void {
  graphqlErrors.inc({ code: errorCodeLabels.of(/^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'OTHER') });
}

/** Times a matching run; the outcome label tells failed runs (refused, rolled back) apart. */
export async function timeMatchingRun<T>(kind: 'scope' | 'need', run: () => Promise<T>): Promise<T> {
  const stop = matchingRunDuration.startTimer({ kind });
  try {
    const result = await run();
    stop({ outcome: 'ok' });
    return result;
  } catch (error) {
    stop({ outcome: 'error' });
    throw error;
  }
}

type BatchLoadFn = (keys: readonly unknown[]) => PromiseLike<ArrayLike<unknown>>;

/**
 * Wraps the batch function of every DataLoader in `loaders` to record its batch sizes under the
 * loader's key. DataLoader has no hook for this; its batch function is the `_batchLoadFn` field
 * (dataloader 2.x). Should an upgrade rename it, this throws on the first request, so every
 * test fails rather than the metric going quiet.
 */
export function measureBatches<T extends object>(loaders: T): T {
  for (const [name, loader] of Object.entries(loaders)) {
    if (!(loader instanceof DataLoader)) continue;
    const internal = loader as unknown as { _batchLoadFn: BatchLoadFn };
    const batch = internal._batchLoadFn;
    if (typeof batch !== 'function') throw new Error('dataloader no longer keeps its batch function in _batchLoadFn: update measureBatches');
    internal._batchLoadFn = function (this: unknown, keys) {
      loaderBatchSize.observe({ loader: name }, keys.length);
      return batch.call(this, keys);
    };
  }
  return loaders;
}

let defaultsCollected = false;

/** Adds the process metrics (CPU, memory, event loop lag, handles, GC) once per process. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry });
}
