import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { addStats, eachComponent, emptyStats, solutionBuilder, solveIndexed, type CertifiedSolution, type InstanceComponent, type SolverStats } from './solver';
import type { IndexedInstance } from './types';

/**
 * solveIndexed with the connected components shared out among worker threads. The workers
 * start first (their start overlaps the split) and each component goes to the worker with the
 * fewest edges so far. The result is the same; only the wall time changes. Falls back to solveIndexed on one core, or when the compiled worker is
 * not beside this file (running from TypeScript sources, as under ts-jest).
 */
export async function solveIndexedParallel(instance: IndexedInstance, stats?: SolverStats, threads = os.availableParallelism()): Promise<CertifiedSolution> {
  const workerFile = path.join(__dirname, 'solve.worker.js');
  if (threads <= 1 || !fs.existsSync(workerFile)) return solveIndexed(instance, stats);
  if (stats) Object.assign(stats, emptyStats());
  const whole = solutionBuilder(instance);
  const workers = Array.from({ length: threads }, () => ({ thread: new Worker(workerFile), edges: 0, pending: [] as InstanceComponent[] }));
  try {
    // Any worker that fails, or exits with components still to answer, fails the whole solve.
    const failed = new Promise<never>((_, reject) => {
      for (const worker of workers) {
        worker.thread.on('error', reject);
        worker.thread.on('messageerror', reject);
        worker.thread.on('exit', (code) => {
          if (worker.pending.length > 0) reject(new Error(`a solver worker exited with code ${code} before answering`));
        });
      }
    });
    // Observed by the race below; a failure after the race (none is expected) must not go unhandled.
    failed.catch(() => undefined);
    const finished = workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          worker.thread.on('message', (message: { solution: CertifiedSolution; stats: SolverStats }) => {
            whole.add(worker.pending.shift() as InstanceComponent, message.solution);
            if (stats) addStats(stats, message.stats);
            if (worker.pending.length === 0) resolve();
          });
        }),
    );
    for (const component of eachComponent(instance)) {
      const worker = workers.reduce((least, candidate) => (candidate.edges < least.edges ? candidate : least));
      worker.edges += component.edges.length;
      worker.pending.push(component);
      const part = component.instance;
      worker.thread.postMessage(part, [part.demand.buffer, part.capacity.buffer, part.edgeNeed.buffer, part.edgeResource.buffer, part.edgeWeight.buffer] as ArrayBuffer[]);
    }
    // Dispatch above never waits, so no answer is read before every component is sent.
    await Promise.race([Promise.all(finished.filter((_, index) => workers[index]?.edges)), failed]);
  } finally {
    await Promise.all(workers.map((worker) => worker.thread.terminate()));
  }
  return whole.finish();
}
