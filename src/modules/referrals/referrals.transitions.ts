/** A referral's states (转介状态). */
export enum ReferralStatus {
  PROPOSED = 'PROPOSED',
  ACCEPTED = 'ACCEPTED',
  IN_SERVICE = 'IN_SERVICE',
  COMPLETED = 'COMPLETED',
  DECLINED = 'DECLINED',
  EXPIRED = 'EXPIRED',
  CANCELLED = 'CANCELLED',
  TRANSFERRED = 'TRANSFERRED',
}

/** Which side of a referral may make a transition. */
export type ReferralSide = 'PROVIDER' | 'REFERRER' | 'SYSTEM';

/** The closed loop, written once: every status change goes through `referralTransition`. */
export const REFERRAL_TRANSITIONS: Readonly<Record<ReferralStatus, Partial<Record<ReferralStatus, readonly ReferralSide[]>>>> = {
  [ReferralStatus.PROPOSED]: {
    [ReferralStatus.ACCEPTED]: ['PROVIDER'],
    [ReferralStatus.DECLINED]: ['PROVIDER'],
    [ReferralStatus.EXPIRED]: ['SYSTEM'],
    [ReferralStatus.CANCELLED]: ['REFERRER', 'SYSTEM'],
    [ReferralStatus.TRANSFERRED]: ['SYSTEM'],
  },
  [ReferralStatus.ACCEPTED]: {
    [ReferralStatus.IN_SERVICE]: ['PROVIDER'],
    [ReferralStatus.CANCELLED]: ['REFERRER', 'PROVIDER', 'SYSTEM'],
    [ReferralStatus.TRANSFERRED]: ['SYSTEM'],
  },
  [ReferralStatus.IN_SERVICE]: {
    [ReferralStatus.COMPLETED]: ['PROVIDER'],
    [ReferralStatus.CANCELLED]: ['REFERRER', 'PROVIDER', 'SYSTEM'],
    [ReferralStatus.TRANSFERRED]: ['SYSTEM'],
  },
  [ReferralStatus.COMPLETED]: {},
  [ReferralStatus.DECLINED]: {},
  [ReferralStatus.EXPIRED]: {},
  [ReferralStatus.CANCELLED]: {},
  [ReferralStatus.TRANSFERRED]: {},
};

/** Live referrals hold units of their resource; the others hold none. */
export const LIVE_REFERRAL_STATUSES: readonly ReferralStatus[] = [ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE];

export function isLive(status: ReferralStatus): boolean {
  return LIVE_REFERRAL_STATUSES.includes(status);
}

/** The sides allowed to move a referral from one status to another; empty when the move is not in the table. */
export function referralTransition(from: ReferralStatus, to: ReferralStatus): readonly ReferralSide[] {
  return REFERRAL_TRANSITIONS[from][to] ?? [];
}
