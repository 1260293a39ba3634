import { SeededRandom } from '../../src/common/random';

// Canonical public-domain mulberry32, kept verbatim in shape, to check the class
// produces the standard stream rather than a homemade variant.
function referenceMulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draws(random: SeededRandom, count: number): number[] {
  return Array.from({ length: count }, () => random.next());
}

describe('SeededRandom construction and next()', () => {
  it('is deterministic for the same seed', () => {
    expect(draws(new SeededRandom(42), 1000)).toEqual(draws(new SeededRandom(42), 1000));
  });

  it('gives different sequences for different seeds', () => {
    expect(draws(new SeededRandom(1), 20)).not.toEqual(draws(new SeededRandom(2), 20));
    const firstValues = new Set<number>();
    for (let seed = 0; seed < 1000; seed += 1) firstValues.add(new SeededRandom(seed).next());
    expect(firstValues.size).toBe(1000);
  });

  it('matches the reference mulberry32 stream', () => {
    for (const seed of [0, 1, 42, 123456789, 0xffffffff]) {
      const reference = referenceMulberry32(seed);
      const random = new SeededRandom(seed);
      for (let i = 0; i < 200; i += 1) {
        expect(random.next()).toBe(reference());
      }
    }
  });

  it('does not repeat quickly within one stream', () => {
    const values = draws(new SeededRandom(7), 10000);
    expect(new Set(values).size).toBeGreaterThan(9990);
  });

  it('returns values in [0, 1) with a plausible mean', () => {
    const values = draws(new SeededRandom(2024), 50000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
  });

  it('uses only the low 32 bits of the seed', () => {
    expect(draws(new SeededRandom(2 ** 32 + 5), 10)).toEqual(draws(new SeededRandom(5), 10));
    expect(draws(new SeededRandom(-1), 10)).toEqual(draws(new SeededRandom(0xffffffff), 10));
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects seed %p', (seed) => {
    expect(() => new SeededRandom(seed)).toThrow(RangeError);
  });
});

describe('int', () => {
  it.each([
    [0, 9],
    [1, 6],
    [-5, 5],
    [-10, -3],
    [1900, 2024],
    [0, 1],
  ])('stays within [%p, %p] and reaches both ends', (min, max) => {
    const random = new SeededRandom(min * 31 + max);
    const values = Array.from({ length: 20000 }, () => random.int(min, max));
    expect(values.every(Number.isInteger)).toBe(true);
    expect(Math.min(...values)).toBe(min);
    expect(Math.max(...values)).toBe(max);
  });

  it('returns the only value of a one-value range', () => {
    const random = new SeededRandom(3);
    for (let i = 0; i < 100; i += 1) expect(random.int(5, 5)).toBe(5);
  });

  it('is roughly uniform', () => {
    const random = new SeededRandom(99);
    const counts = new Array<number>(10).fill(0);
    const total = 100000;
    for (let i = 0; i < total; i += 1) {
      const value = random.int(0, 9);
      counts[value] = (counts[value] ?? 0) + 1;
    }
    for (const count of counts) {
      expect(count).toBeGreaterThan(total / 10 * 0.95);
      expect(count).toBeLessThan(total / 10 * 1.05);
    }
  });

  it('supports the full 32-bit span', () => {
    const random = new SeededRandom(8);
    for (let i = 0; i < 1000; i += 1) {
      const value = random.int(0, 2 ** 32 - 1);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(2 ** 32 - 1);
    }
  });

  it('throws for reversed, fractional or oversized ranges', () => {
    const random = new SeededRandom(1);
    expect(() => random.int(5, 4)).toThrow(RangeError);
    expect(() => random.int(0.5, 4)).toThrow(RangeError);
    expect(() => random.int(0, Number.NaN)).toThrow(RangeError);
    expect(() => random.int(0, 2 ** 32)).toThrow(RangeError);
  });
});

describe('pick', () => {
  const items = ['Huangpu', 'Xuhui', 'Changning', 'Jing’an', 'Putuo'] as const;

  it('always returns an element and eventually every element', () => {
    const random = new SeededRandom(5);
    const seen = new Set<string>();
    for (let i = 0; i < 500; i += 1) {
      const picked = random.pick(items);
      expect(items).toContain(picked);
      seen.add(picked);
    }
    expect(seen.size).toBe(items.length);
  });

  it('is deterministic for the same seed', () => {
    const first = new SeededRandom(77);
    const second = new SeededRandom(77);
    for (let i = 0; i < 100; i += 1) expect(first.pick(items)).toBe(second.pick(items));
  });

  it('throws for an empty list', () => {
    expect(() => new SeededRandom(1).pick([])).toThrow(RangeError);
  });
});

describe('weightedPick', () => {
  it('never picks zero-weight items and follows the weights roughly', () => {
    const random = new SeededRandom(314);
    const items = [
      { name: 'never', weight: 0 },
      { name: 'rare', weight: 1 },
      { name: 'common', weight: 3 },
      { name: 'alsoNever', weight: 0 },
    ];
    const counts = new Map<string, number>();
    const total = 40000;
    for (let i = 0; i < total; i += 1) {
      const picked = random.weightedPick(items, (item) => item.weight);
      counts.set(picked.name, (counts.get(picked.name) ?? 0) + 1);
    }
    expect(counts.get('never')).toBeUndefined();
    expect(counts.get('alsoNever')).toBeUndefined();
    const commonShare = (counts.get('common') ?? 0) / total;
    expect(commonShare).toBeGreaterThan(0.73);
    expect(commonShare).toBeLessThan(0.77);
  });

  it('returns the single positive-weight item', () => {
    const random = new SeededRandom(2);
    for (let i = 0; i < 100; i += 1) {
      expect(random.weightedPick([1, 2, 3], (item) => (item === 2 ? 0.001 : 0))).toBe(2);
    }
  });

  it('calls the weight function once per item per pick', () => {
    const weight = jest.fn((item: number) => item);
    new SeededRandom(1).weightedPick([1, 2, 3], weight);
    expect(weight).toHaveBeenCalledTimes(3);
  });

  it('throws for empty lists, all-zero, negative or non-finite weights', () => {
    const random = new SeededRandom(1);
    expect(() => random.weightedPick([], () => 1)).toThrow(RangeError);
    expect(() => random.weightedPick([1, 2], () => 0)).toThrow(RangeError);
    expect(() => random.weightedPick([1, 2], (item) => (item === 1 ? -1 : 5))).toThrow(RangeError);
    expect(() => random.weightedPick([1, 2], () => Number.NaN)).toThrow(RangeError);
    expect(() => random.weightedPick([1, 2], () => Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('chance', () => {
  it('is never true at 0 and always true at 1', () => {
    const random = new SeededRandom(9);
    for (let i = 0; i < 1000; i += 1) {
      expect(random.chance(0)).toBe(false);
      expect(random.chance(1)).toBe(true);
    }
  });

  it('matches the probability roughly', () => {
    const random = new SeededRandom(10);
    let hits = 0;
    const total = 50000;
    for (let i = 0; i < total; i += 1) if (random.chance(0.3)) hits += 1;
    expect(hits / total).toBeGreaterThan(0.29);
    expect(hits / total).toBeLessThan(0.31);
  });

  it.each([-0.1, 1.1, Number.NaN])('rejects probability %p', (probability) => {
    expect(() => new SeededRandom(1).chance(probability)).toThrow(RangeError);
  });
});

describe('shuffle', () => {
  const original = Array.from({ length: 20 }, (_, index) => index);

  it('shuffles in place into a permutation and returns the same array', () => {
    const items = [...original];
    const result = new SeededRandom(12).shuffle(items);
    expect(result).toBe(items);
    expect([...result].sort((a, b) => a - b)).toEqual(original);
    expect(result).not.toEqual(original);
  });

  it('is deterministic for the same seed and differs between seeds', () => {
    const a = new SeededRandom(500).shuffle([...original]);
    const b = new SeededRandom(500).shuffle([...original]);
    const c = new SeededRandom(501).shuffle([...original]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('handles empty and single-element arrays', () => {
    const random = new SeededRandom(1);
    expect(random.shuffle([])).toEqual([]);
    expect(random.shuffle(['only'])).toEqual(['only']);
  });

  it('moves the first element to every position about equally often', () => {
    const random = new SeededRandom(4);
    const positionCounts = [0, 0, 0, 0];
    const total = 40000;
    for (let i = 0; i < total; i += 1) {
      const shuffled = random.shuffle(['a', 'b', 'c', 'd']);
      const position = shuffled.indexOf('a');
      positionCounts[position] = (positionCounts[position] ?? 0) + 1;
    }
    for (const count of positionCounts) {
      expect(count).toBeGreaterThan(total / 4 * 0.95);
      expect(count).toBeLessThan(total / 4 * 1.05);
    }
  });
});
