import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { addStats, emptyStats, mergeComponents, solveIndexed, splitComponents, type CertifiedSolution, type SolverStats } from './solver';
import type { IndexedInstance } from './types';

/**
 * solveIndexed with the connected components shared out among worker threads, largest first
 * to whichever worker is free. The result is the same; only the wall time changes. Falls back
 * to solveIndexed when there is one component or one core, or when the compiled worker is not
 * beside this file (running from TypeScript sources, as under ts-jest).
 */
export async function solveIndexedParallel(instance: IndexedInstance, stats?: SolverStats, threads = os.availableParallelism()): Promise<CertifiedSolution> {
  const workerFile = path.join(__dirname, 'solve.worker.js');
  const components = splitComponents(instance);
  const workerCount = Math.min(threads, components.length);
  if (workerCount <= 1 || !fs.existsSync(workerFile)) return solveIndexed(instance, stats);
  if (stats) Object.assign(stats, emptyStats());
  const order = components.map((_, index) => index).sort((left, right) => (components[right]?.edges.length ?? 0) - (components[left]?.edges.length ?? 0));
  const solutions: CertifiedSolution[] = new Array<CertifiedSolution>(components.length);
  let next = 0;
  const workers = Array.from({ length: workerCount }, () => new Worker(workerFile));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let current = -1;
            const sendNext = (): void => {
              if (next >= order.length) {
                resolve();
                return;
              }
              current = order[next++] as number;
              const part = (components[current] as (typeof components)[number]).instance;
              const buffers = [part.demand.buffer, part.capacity.buffer, part.edgeNeed.buffer, part.edgeResource.buffer, part.edgeWeight.buffer] as ArrayBuffer[];
              worker.postMessage(part, buffers);
            };
            worker.on('message', (message: { solution: CertifiedSolution; stats: SolverStats }) => {
              solutions[current] = message.solution;
              if (stats) addStats(stats, message.stats);
              sendNext();
            });
            worker.on('error', reject);
            sendNext();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return mergeComponents(instance, components, solutions);
}
