import { HubError } from '../common/errors';
import { isAuthenticated, type Principal } from './principal';
import { writeScopes, type WriteOperation } from './policy';

/** Where the row a mutation touches lies, and who owns it; what a write scope is checked against. */
export interface WriteTarget {
  readonly districtIds?: readonly number[];
  readonly streetIds?: readonly number[];
  readonly organizationId?: number;
  readonly caseworkerIds?: readonly number[];
}

/**
 * Refuses a write the policy does not grant. Called by services once they have loaded the row a
 * mutation touches, inside its transaction, so a refusal writes nothing.
 */
export function authorizeWrite(principal: Principal, operation: WriteOperation, target?: WriteTarget): void {
  if (!isAuthenticated(principal)) throw new HubError('UNAUTHENTICATED', 'Sign in to change data: send a bearer token');
  if (!mayWrite(principal, operation, target)) throw new HubError('FORBIDDEN', `Your roles do not allow ${operation} here`);
}

/** Whether the policy grants the write, without throwing. */
export function mayWrite(principal: Principal, operation: WriteOperation, target?: WriteTarget): boolean {
  if (!isAuthenticated(principal)) return false;
  const scopes = writeScopes(principal, operation);
  // Without a target yet (before the row is loaded), any grant for the operation lets it proceed.
  const granted = target === undefined ? scopes.length > 0 : scopes.some((scope) => {
    switch (scope) {
      case 'ALL':
        return true;
      case 'MY_DISTRICTS':
        return (target.districtIds ?? []).some((id) => principal.districtIds.includes(id));
      case 'MY_STREETS':
        return (target.streetIds ?? []).some((id) => principal.streetIds.includes(id));
      case 'MY_CASES':
        return principal.staffMemberId !== null && (target.caseworkerIds ?? []).includes(principal.staffMemberId);
      case 'MY_ORGANIZATION':
        return principal.organizationId !== null && target.organizationId === principal.organizationId;
      case 'PUBLIC_ONLY':
      case 'REFERRED_TO_MY_ORGANIZATION':
      case 'RECEIVED_BY_MY_ORGANIZATION':
      case 'UNDER_PUBLICITY_IN_MY_STREETS':
      case 'PENDING_VERIFICATION':
        return false;
    }
  });
  return granted;
}
