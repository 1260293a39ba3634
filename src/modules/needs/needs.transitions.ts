import { NeedStatus } from './needs.types';

/** The need's life, written once: every status change goes through `canMoveNeed`. */
export const NEED_TRANSITIONS: Readonly<Record<NeedStatus, readonly NeedStatus[]>> = {
  [NeedStatus.OPEN]: [NeedStatus.MATCHED, NeedStatus.WITHDRAWN],
  // A referral that ends without service (declined, expired, cancelled) reopens the need.
  [NeedStatus.MATCHED]: [NeedStatus.OPEN, NeedStatus.FULFILLED, NeedStatus.WITHDRAWN],
  [NeedStatus.FULFILLED]: [],
  [NeedStatus.WITHDRAWN]: [],
};

export function canMoveNeed(from: NeedStatus, to: NeedStatus): boolean {
  return NEED_TRANSITIONS[from].includes(to);
}
