import { GraphQLError } from 'graphql';
import { createLogger } from '../../src/common/logger';
import { maskError } from '../../src/server/http';

describe('error masking', () => {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
  afterEach(() => lines.splice(0));

  it('passes errors with a safe code through, without a stack trace', () => {
    const formatted = { message: 'first must be an integer from 0 to 100', extensions: { code: 'BAD_USER_INPUT', field: ['first'], stacktrace: ['at x'] } };
    expect(maskError(formatted, new GraphQLError(formatted.message), logger)).toEqual({ message: formatted.message, extensions: { code: 'BAD_USER_INPUT', field: ['first'] } });
    expect(lines).toEqual([]);
  });

  it('replaces anything else by a generic message with an id, and logs neither the message nor the data in it', () => {
    const leak = 'duplicate key value violates unique constraint: (id_number)=(11010519491231002X)';
    const original = new GraphQLError(leak, { originalError: Object.assign(new Error(leak), { code: '23505' }) });
    const masked = maskError({ message: leak, path: ['registerHousehold'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, original, logger);
    expect(masked.message).toBe('Internal server error');
    expect(masked.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(masked.extensions?.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(masked)).not.toContain('11010519491231002X');
    expect(lines).toHaveLength(1);
    const logged = lines.join('');
    expect(JSON.parse(logged)).toMatchObject({ level: 'error', event: 'graphql.internal_error', errorId: masked.extensions?.errorId, sqlState: '23505' });
    expect(logged).not.toContain('11010519491231002X');
  });
});
