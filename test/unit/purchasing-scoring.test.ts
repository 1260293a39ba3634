import { methodNeedsJustification, ProcurementMethod, thresholdFor } from '../../src/modules/purchasing/purchasing.methods';
import { aggregateOf, rankBids } from '../../src/modules/purchasing/purchasing.scoring';

const criteria = [
  { id: 1, weight: 70 },
  { id: 2, weight: 30 },
];
const sheet = (bidId: number, expertId: number, a: number, b: number) => [
  { bidId, expertId, criterionId: 1, score: a },
  { bidId, expertId, criterionId: 2, score: b },
];

describe('award by aggregate', () => {
  it('averages the experts’ weighted scores and ignores incomplete sheets', () => {
    const entries = [...sheet(1, 10, 80, 60), ...sheet(1, 11, 90, 90), { bidId: 1, expertId: 12, criterionId: 1, score: 0 }];
    // Expert 10: 0.7·80 + 0.3·60 = 74; expert 11: 90; expert 12 has no price score and does not count.
    expect(aggregateOf(criteria, entries, 1)).toEqual({ aggregate: 82, experts: 2 });
    expect(aggregateOf(criteria, entries, 2)).toEqual({ aggregate: null, experts: 0 });
  });

  it('breaks ties by the lower price, then by the earlier bid, and puts unscored bids last', () => {
    const entries = [...sheet(1, 10, 80, 80), ...sheet(2, 10, 80, 80), ...sheet(3, 10, 80, 80), ...sheet(4, 10, 90, 90)];
    const bids = [
      { id: 5, priceFen: 1 },
      { id: 1, priceFen: 300 },
      { id: 3, priceFen: 200 },
      { id: 2, priceFen: 200 },
      { id: 4, priceFen: 999 },
    ];
    expect(rankBids(criteria, entries, bids).map((r) => [r.bidId, r.rank])).toEqual([
      [4, 1],
      [2, 2],
      [3, 3],
      [1, 4],
      [5, 5],
    ]);
  });
});

describe('procurement method thresholds', () => {
  const thresholds = [
    { minBudgetFen: 0, allowedMethods: ['OPEN_TENDER', 'COMPETITIVE_NEGOTIATION'] },
    { minBudgetFen: 1000, allowedMethods: ['OPEN_TENDER'] },
  ];

  it('applies the threshold with the largest minimum not above the budget', () => {
    expect(thresholdFor(thresholds, 999)?.minBudgetFen).toBe(0);
    expect(thresholdFor(thresholds, 1000)?.minBudgetFen).toBe(1000);
  });

  it('asks a justification for a method the threshold does not list, and always for single source', () => {
    expect(methodNeedsJustification(thresholds, 999, ProcurementMethod.COMPETITIVE_NEGOTIATION)).toBeNull();
    expect(methodNeedsJustification(thresholds, 1000, ProcurementMethod.COMPETITIVE_NEGOTIATION)).toContain('10 yuan');
    expect(methodNeedsJustification(thresholds, 5, ProcurementMethod.SINGLE_SOURCE)).toContain('SINGLE_SOURCE');
  });
});
