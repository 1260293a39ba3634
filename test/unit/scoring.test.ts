import { explainScore, scorePair, type PairFacts } from '../../src/modules/matching/scoring';

const base: PairFacts = { urgency: 'HIGH', nearness: 'COMMITTEE', quality: 1, continuing: true, waitingDays: 365 };

describe('pair scoring', () => {
  it('gives the urgency tier plus a fit below 1', () => {
    const best = scorePair(base);
    expect(best.urgency).toBe(100);
    expect(best.fit).toBeLessThan(1);
    expect(best.fit).toBeGreaterThan(0.99);
    expect(best.total).toBeCloseTo(100 + best.fit, 12);
  });

  it('never lets any fit lift a unit above the next urgency tier', () => {
    const bestNormal = scorePair({ ...base, urgency: 'NORMAL' });
    const worstHigh = scorePair({ urgency: 'HIGH', nearness: 'DISTRICT', quality: 0, continuing: false, waitingDays: 0 });
    expect(bestNormal.total).toBeLessThan(worstHigh.total);
    expect(scorePair({ ...base, urgency: 'HIGH' }).total).toBeLessThan(scorePair({ ...base, urgency: 'CRITICAL', nearness: 'DISTRICT', quality: 0, continuing: false, waitingDays: 0 }).total);
  });

  it('prefers nearer, better, continuing and longer-waiting pairs within a tier', () => {
    const worse = (change: Partial<PairFacts>) => expect(scorePair({ ...base, ...change }).total).toBeLessThan(scorePair(base).total);
    worse({ nearness: 'STREET' });
    worse({ nearness: 'DISTRICT' });
    worse({ quality: 0.5 });
    worse({ continuing: false });
    worse({ waitingDays: 10 });
    expect(scorePair({ ...base, nearness: 'STREET' }).total).toBeGreaterThan(scorePair({ ...base, nearness: 'DISTRICT' }).total);
  });

  it('explains the score in its own parts', () => {
    const text = explainScore(scorePair(base), base);
    expect(text).toContain('紧急程度 HIGH (100)');
    expect(text).toContain('同一社区');
    expect(text).toContain('延续既有服务');
  });
});
