import { computeVerification, DEPARTMENTS, KIND_RULES, type FigureInput, type StandardInput } from '../../src/modules/verification/verification.rules';

const STANDARD: StandardInput = { year: 2026, minimumLivingStandardFen: 151_000, assetLimitPerCapitaFen: 15_000_000, maxDwellings: 1, vehicleValueLimitFen: 5_000_000 };
const ALL = [...DEPARTMENTS];

let nextId = 0;
function figure(kind: FigureInput['kind'], amountFen: number, extra: Partial<FigureInput> = {}): FigureInput {
  nextId += 1;
  return { id: nextId, department: KIND_RULES[kind].department, kind, sourceReference: `REF-${nextId}`, amountFen, quantity: 1, ...extra };
}

describe('computeVerification', () => {
  it('sums monthly income per member and compares it with the minimum living standard', () => {
    const result = computeVerification({ figures: [figure('WAGE_INCOME', 200_000), figure('PENSION', 100_000)], members: 2, answered: ALL, standard: STANDARD });
    expect(result.outcome).toBe('WITHIN_STANDARD');
    expect(result.perCapitaMonthlyIncomeFen).toBe(150_000);
    const summary = result.lines.find((l) => l.rule === 'PER_CAPITA_INCOME')!;
    expect(summary).toMatchObject({ amountFen: 150_000, threshold: 151_000, within: true });
  });

  it('is within at exactly the standard and above one fen over it, however the fen divide', () => {
    const at = computeVerification({ figures: [figure('WAGE_INCOME', 151_000 * 3)], members: 3, answered: ALL, standard: STANDARD });
    expect(at.outcome).toBe('WITHIN_STANDARD');
    expect(at.perCapitaMonthlyIncomeFen).toBe(151_000);
    // 453,001 fen over 3 members is 151,000.33 each: above, and shown rounded up.
    const over = computeVerification({ figures: [figure('WAGE_INCOME', 151_000 * 3 + 1)], members: 3, answered: ALL, standard: STANDARD });
    expect(over.outcome).toBe('ABOVE_STANDARD');
    expect(over.perCapitaMonthlyIncomeFen).toBe(151_001);
    expect(over.lines.find((l) => l.rule === 'PER_CAPITA_INCOME')).toMatchObject({ within: false, threshold: 151_000 });
  });

  it('counts deposits, securities and business capital as assets, not the housing fund', () => {
    const figures = [figure('DEPOSITS', 10_000_000), figure('SECURITIES', 5_000_000), figure('BUSINESS_REGISTRATION', 15_000_000), figure('HOUSING_FUND_BALANCE', 99_000_000)];
    const result = computeVerification({ figures, members: 2, answered: ALL, standard: STANDARD });
    expect(result.perCapitaAssetsFen).toBe(15_000_000);
    expect(result.outcome).toBe('WITHIN_STANDARD');
    expect(result.lines.find((l) => l.kind === 'HOUSING_FUND_BALANCE')).toMatchObject({ rule: 'NOT_COUNTED', amountFen: 99_000_000 });
    const more = computeVerification({ figures: [...figures, figure('DEPOSITS', 1)], members: 2, answered: ALL, standard: STANDARD });
    expect(more.outcome).toBe('ABOVE_STANDARD');
    expect(more.lines.find((l) => l.rule === 'PER_CAPITA_ASSETS')).toMatchObject({ amountFen: 15_000_001, within: false });
  });

  it('allows the standard number of dwellings and no more', () => {
    expect(computeVerification({ figures: [figure('REAL_ESTATE', 300_000_000)], members: 1, answered: ALL, standard: STANDARD }).outcome).toBe('WITHIN_STANDARD');
    const two = computeVerification({ figures: [figure('REAL_ESTATE', 500_000_000, { quantity: 2 })], members: 1, answered: ALL, standard: STANDARD });
    expect(two.outcome).toBe('ABOVE_STANDARD');
    expect(two.lines.find((l) => l.rule === 'DWELLING_COUNT')).toMatchObject({ quantity: 2, threshold: 1, within: false });
  });

  it('measures each vehicle against the vehicle limit', () => {
    const result = computeVerification({ figures: [figure('VEHICLE', 5_000_000), figure('VEHICLE', 5_000_001)], members: 1, answered: ALL, standard: STANDARD });
    expect(result.outcome).toBe('ABOVE_STANDARD');
    expect(result.lines.filter((l) => l.rule === 'VEHICLE').map((l) => l.within)).toEqual([true, false]);
  });

  it('is incomplete while a department has not answered, unless the figures are already above', () => {
    const answered = ALL.filter((d) => d !== 'VEHICLES');
    const partial = computeVerification({ figures: [figure('WAGE_INCOME', 100_000)], members: 1, answered, standard: STANDARD });
    expect(partial.outcome).toBe('INCOMPLETE');
    expect(partial.lines.filter((l) => l.rule === 'MISSING_RETURN').map((l) => l.department)).toEqual(['VEHICLES']);
    const above = computeVerification({ figures: [figure('WAGE_INCOME', 900_000)], members: 1, answered, standard: STANDARD });
    expect(above.outcome).toBe('ABOVE_STANDARD');
  });

  it('is incomplete for a household without members, with no per-capita figures', () => {
    const result = computeVerification({ figures: [], members: 0, answered: ALL, standard: STANDARD });
    expect(result).toMatchObject({ outcome: 'INCOMPLETE', perCapitaMonthlyIncomeFen: null, perCapitaAssetsFen: null });
  });

  it('stays exact beyond 2^53 fen in total', () => {
    const huge = Number.MAX_SAFE_INTEGER;
    const result = computeVerification({ figures: [figure('DEPOSITS', huge), figure('SECURITIES', huge)], members: 2, answered: ALL, standard: STANDARD });
    expect(result.perCapitaAssetsFen).toBe(huge);
  });

  it('lists figures by department, kind and source, then the rules', () => {
    const result = computeVerification({ figures: [figure('DEPOSITS', 1, { sourceReference: 'B' }), figure('WAGE_INCOME', 1), figure('DEPOSITS', 1, { sourceReference: 'A' })], members: 1, answered: ALL, standard: STANDARD });
    expect(result.lines.map((l) => l.rule)).toEqual(['INCOME', 'ASSET', 'ASSET', 'MEMBERS', 'PER_CAPITA_INCOME', 'PER_CAPITA_ASSETS', 'DWELLING_COUNT']);
    expect(result.lines.slice(1, 3).map((l) => l.sourceReference)).toEqual(['A', 'B']);
  });
});
