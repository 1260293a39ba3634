import { parentPort } from 'node:worker_threads';
import { solveComponent, type SolverStats } from './solver';
import type { IndexedInstance } from './types';

/** Worker side of solveIndexedParallel: solves the components it is sent, one message each. */
parentPort?.on('message', (instance: IndexedInstance) => {
  const stats: SolverStats = { directAssignments: 0, searches: 0, augmentations: 0, settledNodes: 0 };
  const solution = solveComponent(instance, stats);
  parentPort?.postMessage({ solution, stats }, [solution.units.buffer, solution.needPrice.buffer, solution.resourcePrice.buffer] as ArrayBuffer[]);
});
