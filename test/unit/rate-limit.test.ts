import { PUBLIC_PRINCIPAL } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { rateLimitKey, TokenBucketLimiter, type RateLimitOptions } from '../../src/server/rate-limit';

/** A limiter on a clock the test moves by hand. */
function limiterAt(options: Omit<RateLimitOptions, 'now'>): { limiter: TokenBucketLimiter; advance: (ms: number) => void } {
  let now = 1_000_000;
  return { limiter: new TokenBucketLimiter({ ...options, now: () => now }), advance: (ms) => (now += ms) };
}

function takeMany(limiter: TokenBucketLimiter, key: string, times: number): boolean[] {
  return Array.from({ length: times }, () => limiter.take(key).allowed);
}

describe('TokenBucketLimiter', () => {
  it('allows a burst, then refuses with the seconds until the next token', () => {
    const { limiter } = limiterAt({ perMinute: 60, burst: 3 });
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 2 });
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 1 });
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 0 });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the configured rate, one token at a time', () => {
    const { limiter, advance } = limiterAt({ perMinute: 6, burst: 2 });
    expect(takeMany(limiter, 'a', 3)).toEqual([true, true, false]);
    advance(5_000);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 5 });
    advance(5_000);
    expect(takeMany(limiter, 'a', 2)).toEqual([true, false]);
  });

  it('does not count refused requests against the key', () => {
    const { limiter, advance } = limiterAt({ perMinute: 60, burst: 1 });
    expect(limiter.take('a').allowed).toBe(true);
    for (let i = 0; i < 10; i += 1) expect(limiter.take('a').allowed).toBe(false);
    advance(1_000);
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('never saves up more than the burst, however long a key was quiet', () => {
    const { limiter, advance } = limiterAt({ perMinute: 600, burst: 5 });
    limiter.take('a');
    advance(24 * 3_600_000);
    expect(takeMany(limiter, 'a', 6)).toEqual([true, true, true, true, true, false]);
  });

  it('keeps one bucket per key', () => {
    const { limiter } = limiterAt({ perMinute: 1, burst: 2 });
    expect(takeMany(limiter, 'a', 3)).toEqual([true, true, false]);
    expect(takeMany(limiter, 'b', 2)).toEqual([true, true]);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('forgets keys once their buckets have refilled, so idle keys take no memory', () => {
    // 60 a minute with a burst of 10: an empty bucket is full again after 10 s.
    const { limiter, advance } = limiterAt({ perMinute: 60, burst: 10 });
    for (let i = 0; i < 1000; i += 1) limiter.take(`idle-${i}`);
    advance(5_000);
    limiter.take('recent');
    expect(limiter.size).toBe(1001);
    advance(5_000);
    limiter.take('active');
    expect(limiter.size).toBe(2);
    // A forgotten key starts with a full bucket, exactly as if it had been kept.
    expect(takeMany(limiter, 'idle-0', 11).filter(Boolean)).toHaveLength(10);
  });

  it('holds at most maxKeys, forgetting the least recently seen', () => {
    const { limiter } = limiterAt({ perMinute: 1, burst: 1, maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) limiter.take(key);
    limiter.take('a');
    limiter.take('d');
    expect(limiter.size).toBe(3);
    // b was least recently seen and was forgotten (it starts afresh); a was kept (still empty).
    expect(limiter.take('b').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it.each([
    { perMinute: 0, burst: 1 },
    { perMinute: -5, burst: 1 },
    { perMinute: 60, burst: 0 },
    { perMinute: Number.NaN, burst: 1 },
  ])('refuses options %j', (options) => {
    expect(() => new TokenBucketLimiter(options)).toThrow(RangeError);
  });
});

describe('rateLimitKey', () => {
  it('counts a signed-in principal by its verified subject, wherever it connects from', () => {
    const viewer = { ...PUBLIC_PRINCIPAL, subject: 'caseworker-17', roles: [Role.CASEWORKER] };
    expect(rateLimitKey({ viewer }, '10.0.0.1')).toBe('subject:caseworker-17');
    expect(rateLimitKey({ viewer }, '10.0.0.2')).toBe('subject:caseworker-17');
  });

  it('counts the public by client address', () => {
    expect(rateLimitKey({ viewer: PUBLIC_PRINCIPAL }, '10.0.0.1')).toBe('address:10.0.0.1');
    expect(rateLimitKey({ viewer: PUBLIC_PRINCIPAL }, undefined)).toBe('address:unknown');
  });

  it('keeps a subject that looks like an address apart from that address', () => {
    const viewer = { ...PUBLIC_PRINCIPAL, subject: 'address:10.0.0.1', roles: [Role.AUDITOR] };
    expect(rateLimitKey({ viewer }, undefined)).not.toBe(rateLimitKey({ viewer: PUBLIC_PRINCIPAL }, '10.0.0.1'));
  });
});
