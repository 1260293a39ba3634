/**
 * Deterministic PRNG (mulberry32) so demo and benchmark data are reproducible
 * from a seed. Not for anything security-related.
 */
export class SeededRandom {
  private state: number;

  /** Any integer; only its low 32 bits are used. */
  constructor(seed: number) {
    if (!Number.isInteger(seed)) {
      throw new RangeError(`seed must be an integer: ${seed}`);
    }
    // `% 2**32` before `>>> 0` keeps the low bits of seeds beyond 2^53 sane.
    this.state = (seed % 2 ** 32) >>> 0;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let mixed = this.state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  }

  /** Uniform integer in [minInclusive, maxInclusive]; the range may span at most 2^32 values. */
  int(minInclusive: number, maxInclusive: number): number {
    if (!Number.isSafeInteger(minInclusive) || !Number.isSafeInteger(maxInclusive)) {
      throw new RangeError('int bounds must be safe integers');
    }
    if (minInclusive > maxInclusive) {
      throw new RangeError(`int bounds reversed: ${minInclusive} > ${maxInclusive}`);
    }
    const span = maxInclusive - minInclusive + 1;
    // Beyond 2^32 a single 32-bit draw could not reach every value.
    if (span > 2 ** 32) {
      throw new RangeError('int range may span at most 2^32 values');
    }
    return minInclusive + Math.floor(this.next() * span);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) {
      throw new RangeError('cannot pick from an empty list');
    }
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Weights must be finite and non-negative with a positive total; zero-weight items are never picked. */
  weightedPick<T>(items: readonly T[], weight: (item: T) => number): T {
    // Call `weight` once per item so impure or costly weight functions stay consistent.
    const weights = items.map((item) => {
      const itemWeight = weight(item);
      if (!Number.isFinite(itemWeight) || itemWeight < 0) {
        throw new RangeError(`weights must be finite and non-negative: ${itemWeight}`);
      }
      return itemWeight;
    });
    const total = weights.reduce((sum, itemWeight) => sum + itemWeight, 0);
    if (!(total > 0)) {
      throw new RangeError('weightedPick needs at least one positive weight');
    }
    const target = this.next() * total;
    let cumulative = 0;
    let lastPositiveIndex = -1;
    for (let index = 0; index < items.length; index += 1) {
      const itemWeight = weights[index] ?? 0;
      if (itemWeight === 0) continue;
      cumulative += itemWeight;
      lastPositiveIndex = index;
      if (target < cumulative) return items[index] as T;
    }
    // Floating-point rounding can leave target just above the final sum.
    return items[lastPositiveIndex] as T;
  }

  /** True with the given probability in [0, 1]; chance(0) is never true, chance(1) always. */
  chance(probability: number): boolean {
    if (!(probability >= 0 && probability <= 1)) {
      throw new RangeError(`probability must be in [0, 1]: ${probability}`);
    }
    return this.next() < probability;
  }

  /** Fisher–Yates shuffle in place; returns the same array for chaining. */
  shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index -= 1) {
      const swapIndex = this.int(0, index);
      const current = items[index] as T;
      items[index] = items[swapIndex] as T;
      items[swapIndex] = current;
    }
    return items;
  }
}
