import { Role } from './roles';

/** Who is asking: built from a verified token, or anonymous (the public). */
export interface Principal {
  /** The token's subject; null for the public. */
  readonly subject: string | null;
  readonly organizationId: number | null;
  readonly staffMemberId: number | null;
  readonly roles: readonly Role[];
  /** Districts the principal's district-level roles cover. */
  readonly districtIds: readonly number[];
  /** Streets the principal's street-level roles cover. */
  readonly streetIds: readonly number[];
}

export const PUBLIC_PRINCIPAL: Principal = Object.freeze({
  subject: null,
  organizationId: null,
  staffMemberId: null,
  roles: [],
  districtIds: [],
  streetIds: [],
});

export function isAuthenticated(principal: Principal): boolean {
  return principal.subject !== null;
}

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return roles.some((role) => principal.roles.includes(role));
}
