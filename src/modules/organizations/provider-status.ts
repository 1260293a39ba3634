import { todayInShanghai } from '../../common/dates';
import { ProviderStatus } from './organizations.types';

/** A ban whose last day has passed no longer stops a provider. */
export function effectiveProviderStatus(status: ProviderStatus | null, bannedUntil: string | null, today: string = todayInShanghai()): ProviderStatus | null {
  if (status === ProviderStatus.BANNED && bannedUntil !== null && bannedUntil < today) return ProviderStatus.ACTIVE;
  return status;
}
