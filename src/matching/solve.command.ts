import fs from 'node:fs';
import { InstanceError, parseInstance, toMatchingSolution } from './instance';
import { solveIndexed } from './solver';

export const SOLVE_USAGE = 'Usage: hub solve <instance.json>   (format: README.md, "Matching supply to need")';

/**
 * `hub solve <file>`: reads an instance, prints the exact solution as JSON on stdout.
 * Returns the exit code: 0 solved, 2 for a missing, unreadable or invalid instance.
 */
export function solveCommand(args: readonly string[], out: (text: string) => void, err: (text: string) => void): number {
  const file = args[0];
  if (file === undefined || args.length > 1) {
    err(`${SOLVE_USAGE}\n`);
    return 2;
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    err(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    err(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  try {
    const parsed = parseInstance(value);
    out(`${JSON.stringify(toMatchingSolution(parsed, solveIndexed(parsed.indexed)))}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof InstanceError)) throw error;
    err(`invalid instance in ${file}: ${error.message}\n`);
    return 2;
  }
}
