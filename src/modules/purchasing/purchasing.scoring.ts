/** One expert's score of one bid on one criterion (0–100). */
export interface ScoreEntry {
  readonly bidId: number;
  readonly expertId: number;
  readonly criterionId: number;
  readonly score: number;
}

export interface Criterion {
  readonly id: number;
  readonly weight: number;
}

export interface RankedBid {
  readonly bidId: number;
  /** Weighted average across the experts who scored the bid; null when none did. */
  readonly aggregate: number | null;
  readonly experts: number;
  /** 1 for the best; bids without an aggregate come last. */
  readonly rank: number;
}

/**
 * Each expert's weighted score of a bid is Σ weight × score / Σ weight over the criteria; the
 * bid's aggregate is the plain average of those across the experts who scored every criterion of it.
 * Sheets missing a criterion do not count (the award refuses incomplete sheets before this).
 */
export function aggregateOf(criteria: readonly Criterion[], entries: readonly ScoreEntry[], bidId: number): { aggregate: number | null; experts: number } {
  const totalWeight = criteria.reduce((sum, c) => sum + c.weight, 0);
  const byExpert = new Map<number, Map<number, number>>();
  for (const entry of entries) {
    if (entry.bidId !== bidId) continue;
    const sheet = byExpert.get(entry.expertId) ?? new Map<number, number>();
    sheet.set(entry.criterionId, entry.score);
    byExpert.set(entry.expertId, sheet);
  }
  const weighted = [...byExpert.values()]
    .filter((sheet) => criteria.every((c) => sheet.has(c.id)))
    .map((sheet) => criteria.reduce((sum, c) => sum + c.weight * sheet.get(c.id)!, 0) / totalWeight);
  if (weighted.length === 0 || totalWeight === 0) return { aggregate: null, experts: 0 };
  return { aggregate: weighted.reduce((a, b) => a + b, 0) / weighted.length, experts: weighted.length };
}

/** Aggregates are compared to 1/10,000 of a point, so float noise never decides an award. */
const rounded = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * Ranks bids by aggregate, highest first. Ties (equal to 1/10,000 of a point) go to the lower price
 * (the rule of the tender regulations: 得分相同的，按投标报价由低到高), then to the earlier bid.
 */
export function rankBids(criteria: readonly Criterion[], entries: readonly ScoreEntry[], bids: readonly { id: number; priceFen: number }[]): RankedBid[] {
  const scored = bids.map((bid) => ({ bid, ...aggregateOf(criteria, entries, bid.id) }));
  scored.sort((a, b) => {
    if (a.aggregate === null || b.aggregate === null) return a.aggregate === null ? (b.aggregate === null ? a.bid.id - b.bid.id : 1) : -1;
    return rounded(b.aggregate) - rounded(a.aggregate) || a.bid.priceFen - b.bid.priceFen || a.bid.id - b.bid.id;
  });
  return scored.map((s, i) => ({ bidId: s.bid.id, aggregate: s.aggregate === null ? null : rounded(s.aggregate), experts: s.experts, rank: i + 1 }));
}
