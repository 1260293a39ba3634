/**
 * The unique index or constraint a failed statement violated (SQLSTATE 23505), if any.
 * Drizzle wraps driver errors in `cause`; postgres.js names the index `constraint_name`,
 * PGlite and node-postgres `constraint`.
 */
export function violatedUniqueIndex(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, constraint, constraint_name: constraintName, cause } = current as { code?: unknown; constraint?: unknown; constraint_name?: unknown; cause?: unknown };
    if (code === '23505') {
      const name = constraintName ?? constraint;
      return typeof name === 'string' ? name : '';
    }
    current = cause;
  }
  return undefined;
}
