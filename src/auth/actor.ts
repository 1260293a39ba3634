import type { Principal } from './principal';

/** Who performs a change, in which request and for what purpose: what services authorise and audit. A HubContext is one. */
export interface Actor {
  readonly viewer: Principal;
  readonly requestId: string;
  readonly purpose: string | undefined;
  /** The instant the request counts as; services default to the clock. */
  readonly now?: Date;
}
