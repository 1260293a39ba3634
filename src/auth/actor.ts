import type { AuditEntryInput } from '../modules/audit/audit.service';
import type { Principal } from './principal';

/** Who performs a change, in which request and for what purpose: what services authorise and audit. A HubContext is one. */
export interface Actor {
  readonly viewer: Principal;
  readonly requestId: string;
  readonly purpose: string | undefined;
  /** The instant the request counts as; services default to the clock. */
  readonly now?: Date;
  /**
   * When set, a mutation's audit entry is put here instead of being appended at once, and the
   * caller appends the entries in the same transaction: a bulk write then takes the audit
   * chain's lock once, at its end, rather than from its first row until it commits.
   */
  readonly deferredAudit?: AuditEntryInput[];
}
