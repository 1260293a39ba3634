import type { Principal } from './principal';
import { readScopes, type RowScope, type ScopedType } from './policy';

/** What a principal may see of one type: the policy's scopes with the principal's own values. */
export interface Visibility {
  readonly scopes: readonly RowScope[];
  readonly districtIds: readonly number[];
  readonly streetIds: readonly number[];
  readonly staffMemberId: number | null;
  readonly organizationId: number | null;
}

export function visibilityOf(principal: Principal, type: ScopedType): Visibility {
  return {
    scopes: readScopes(principal, type),
    districtIds: principal.districtIds,
    streetIds: principal.streetIds,
    staffMemberId: principal.staffMemberId,
    organizationId: principal.organizationId,
  };
}

/** Every scoped type's visibility for one request. */
export type Visibilities = Readonly<Record<ScopedType, Visibility>>;

const SCOPED_TYPES: readonly ScopedType[] = ['Household', 'Person', 'Case', 'Need', 'Resource', 'StaffMember', 'Referral', 'Allowance', 'Disbursement', 'Application', 'PublicityObjection', 'DiscoveryReport', 'VerificationRequest', 'PurchaseProject', 'Bid', 'Contract'];

/** Principals of verified tokens are reused from request to request (tokens.ts), and so are their visibilities. */
const visibilitiesByPrincipal = new WeakMap<Principal, Visibilities>();

export function visibilitiesOf(principal: Principal): Visibilities {
  let visible = visibilitiesByPrincipal.get(principal);
  if (!visible) {
    visible = Object.freeze(Object.fromEntries(SCOPED_TYPES.map((type) => [type, Object.freeze(visibilityOf(principal, type))]))) as unknown as Visibilities;
    visibilitiesByPrincipal.set(principal, visible);
  }
  return visible;
}
