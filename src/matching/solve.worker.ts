import { parentPort } from 'node:worker_threads';
import { emptyStats, solveComponentExact } from './solver';
import type { IndexedInstance } from './types';

/** Worker side of solveIndexedParallel: solves the components it is sent, one message each. */
parentPort?.on('message', (instance: IndexedInstance) => {
  const stats = emptyStats();
  const solution = solveComponentExact(instance, stats);
  parentPort?.postMessage({ solution, stats }, [solution.units.buffer, solution.needPrice.buffer, solution.resourcePrice.buffer] as ArrayBuffer[]);
});
