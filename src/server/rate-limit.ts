import { performance } from 'node:perf_hooks';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { Request } from 'express';
import { GraphQLError } from 'graphql';
import type { HubContext } from './context';

export interface RateLimitOptions {
  /** Requests a key may send per minute, sustained; must be positive. */
  readonly perMinute: number;
  /** Requests a key may send at once; a key that has been quiet may spend this many in a row. */
  readonly burst: number;
  /** Most keys kept; past it the least recently seen key is forgotten (and starts afresh). */
  readonly maxKeys?: number;
  /** Milliseconds on a clock that never goes back; injectable for tests. */
  readonly now?: () => number;
}

export type RateDecision = { readonly allowed: true; readonly remaining: number } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets in memory, one per key: each holds up to `burst` tokens, refilled at
 * `perMinute` a minute, and a request spends one. A bucket that has been idle long enough to
 * be full again is the same as no bucket, so idle buckets are dropped; with `maxKeys` as well,
 * memory stays bounded however many keys come and go.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMinute: number;
  private readonly burst: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  /** Time in which an empty bucket fills up: a bucket idle this long can be forgotten. */
  private readonly refillMs: number;
  private lastSweep: number;

  constructor(options: RateLimitOptions) {
    if (!(options.perMinute > 0)) throw new RangeError('perMinute must be positive');
    if (!(options.burst >= 1)) throw new RangeError('burst must be at least 1');
    this.perMinute = options.perMinute;
    this.burst = options.burst;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? (() => performance.now());
    this.refillMs = (this.burst * 60_000) / this.perMinute;
    this.lastSweep = this.now();
  }

  /** Spends one token of `key`'s bucket, or says how long until one is there. */
  take(key: string): RateDecision {
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(key);
    // Multiplying before dividing keeps whole-second refills exact.
    const tokens = bucket ? Math.min(this.burst, bucket.tokens + ((now - bucket.updatedAt) * this.perMinute) / 60_000) : this.burst;
    // Re-inserting keeps the map in order of last use, oldest first, for sweep and eviction.
    this.buckets.delete(key);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, updatedAt: now });
      if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
      return { allowed: true, remaining: Math.floor(tokens - 1) };
    }
    this.buckets.set(key, { tokens, updatedAt: now });
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - tokens) * 60) / this.perMinute)) };
  }

  /** Keys currently tracked. */
  get size(): number {
    return this.buckets.size;
  }

  /** Drops buckets that have refilled; they are in last-use order, so stop at the first recent one. */
  private sweep(now: number): void {
    if (now - this.lastSweep < Math.min(this.refillMs, 60_000)) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedAt < this.refillMs) break;
      this.buckets.delete(key);
    }
  }
}

/**
 * The client's address rides on the request's context under a symbol only this file holds (Apollo
 * copies the context object, symbol keys included). An AsyncLocalStorage would do too, but on
 * Node 20–22 it turns on promise hooks for every promise of every request.
 */
const CLIENT_ADDRESS = Symbol('clientAddress');

/**
 * Makes the client's address known to the rate limit for the request of this context. A bare
 * Node request (the lean /graphql path) has no `ip`: its socket's address is what Express's
 * `req.ip` is too, as the hub does not set "trust proxy".
 */
export function rememberClientAddress<Context extends object>(context: Context, req: { readonly ip?: string; readonly socket: Pick<Request['socket'], 'remoteAddress'> }): Context {
  (context as Record<symbol, unknown>)[CLIENT_ADDRESS] = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  return context;
}

function clientAddressOf(context: object): string | undefined {
  const address = (context as Record<symbol, unknown>)[CLIENT_ADDRESS];
  return typeof address === 'string' ? address : undefined;
}

/** The key a request is counted under: the verified subject, or the client address for the public. */
export function rateLimitKey(context: Pick<HubContext, 'viewer'>, clientAddress: string | undefined): string {
  return context.viewer.subject !== null ? `subject:${context.viewer.subject}` : `address:${clientAddress ?? 'unknown'}`;
}

/**
 * Counts every operation against its principal, taken from the context's `viewer` (built from a
 * verified token, never from a header the client could set). Apollo lets a plugin refuse a
 * request only once the operation is resolved, so a refused request is parsed (bounded by the
 * query limits) but never executed: 429 RATE_LIMITED with Retry-After.
 */
export function rateLimitPlugin(limiter: TokenBucketLimiter): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart({ contextValue }) {
      const decision = limiter.take(rateLimitKey(contextValue, clientAddressOf(contextValue)));
      if (decision.allowed) return undefined;
      return {
        async didResolveOperation() {
          throw new GraphQLError(`Too many requests: try again in ${decision.retryAfterSeconds} s.`, {
            extensions: {
              code: 'RATE_LIMITED',
              retryAfterSeconds: decision.retryAfterSeconds,
              http: { status: 429, headers: new HeaderMap([['retry-after', String(decision.retryAfterSeconds)]]) },
            },
          });
        },
      };
    },
  };
}
