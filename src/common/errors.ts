import { GraphQLError } from 'graphql';

/** Codes a client can act on; everything else is masked as INTERNAL_SERVER_ERROR. */
export type HubErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CONFLICT';

/** An error whose message is safe to show: it never contains personal data. */
export class HubError extends GraphQLError {
  constructor(code: HubErrorCode, message: string, field?: readonly (string | number)[]) {
    super(message, { extensions: field ? { code, field } : { code } });
    this.name = 'HubError';
  }
}

export function badInput(field: readonly (string | number)[], message: string): HubError {
  return new HubError('BAD_USER_INPUT', message, field);
}
