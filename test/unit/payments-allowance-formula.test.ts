import { computeAllowance, permilleOf, type AllowanceFormula, type MemberFacts } from '../../src/modules/payments/allowance-formula';
import { isMonth, monthInShanghai, nextMonth } from '../../src/modules/payments/months';

const GAP: AllowanceFormula = {
  id: 1,
  method: 'GAP_TO_STANDARD',
  effectiveFrom: '2024-07',
  standardMonthlyFen: 151_000,
  standardMultiplePermille: 1000,
  supplementPermille: { DISABILITY: 200, SERIOUS_ILLNESS: 200, ELDERLY: 100, MINOR: 100 },
};
const FIXED: AllowanceFormula = { ...GAP, id: 2, method: 'FIXED_PER_MEMBER', standardMultiplePermille: 1300, supplementPermille: {} };

const adult = (attributes: string[] = []): MemberFacts => ({ attributes, birthDate: '1980-05-01' });
const income = (perCapita: number) => ({ verificationId: 9, perCapitaMonthlyIncomeFen: perCapita });

describe('allowance amount', () => {
  it('pays the gap to the standard × members for a verified income', () => {
    // Three adults, 800 yuan per capita: 3 × 1,510 − 3 × 800 = 2,130 yuan.
    const result = computeAllowance(GAP, [adult(), adult(), adult()], '2026-01', income(80_000));
    expect(result.householdIncomeFen).toBe(240_000);
    expect(result.basicFen).toBe(213_000);
    expect(result.supplements).toEqual([]);
    expect(result.monthlyAmountFen).toBe(213_000);
    expect(result).toMatchObject({ method: 'GAP_TO_STANDARD', members: 3, standardMonthlyFen: 151_000, perCapitaIncomeFen: 80_000, verificationId: 9, formulaId: 1 });
  });

  it('pays no basic part when the income reaches the standard, but still the supplements', () => {
    const result = computeAllowance(GAP, [adult(['DISABILITY'])], '2026-01', income(160_000));
    expect(result.basicFen).toBe(0);
    expect(result.supplements).toEqual([{ category: 'DISABILITY', members: 1, perMemberFen: 30_200, amountFen: 30_200 }]);
    expect(result.monthlyAmountFen).toBe(30_200);
  });

  it('gives each member the single highest supplement: disability over age, minors and elderly by age on the first of the month', () => {
    const members: MemberFacts[] = [
      { attributes: ['DISABILITY'], birthDate: '1950-03-01' }, // elderly and disabled: disability (20 %)
      { attributes: [], birthDate: '1966-01-01' }, // turns 60 on 2026-01-01: elderly (10 %)
      { attributes: [], birthDate: '2008-01-02' }, // 17 on 2026-01-01: minor (10 %)
      { attributes: [], birthDate: '2008-01-01' }, // 18 on 2026-01-01: no supplement
    ];
    const result = computeAllowance(GAP, members, '2026-01', income(100_000));
    expect(result.basicFen).toBe(4 * 151_000 - 4 * 100_000);
    expect(result.supplements).toEqual([
      { category: 'DISABILITY', members: 1, perMemberFen: 30_200, amountFen: 30_200 },
      { category: 'ELDERLY', members: 1, perMemberFen: 15_100, amountFen: 15_100 },
      { category: 'MINOR', members: 1, perMemberFen: 15_100, amountFen: 15_100 },
    ]);
    expect(result.monthlyAmountFen).toBe(204_000 + 60_400);
  });

  it('pays a fixed multiple of the standard per member, rounded half up to the fen', () => {
    const formula = { ...FIXED, standardMonthlyFen: 151_005 }; // 1.3 × 1,510.05 yuan = 1,963.065 yuan
    const result = computeAllowance(formula, [adult(), adult()], '2026-01', null);
    expect(result.basicFen).toBe(2 * 196_307);
    expect(result.householdIncomeFen).toBeNull();
    expect(result.monthlyAmountFen).toBe(392_614);
  });

  it('rounds permille rates half up to the fen', () => {
    expect(permilleOf(151_005, 100)).toBe(15_101); // 15,100.5 → 15,101
    expect(permilleOf(151_004, 100)).toBe(15_100); // 15,100.4 → 15,100
    expect(permilleOf(151_000, 1300)).toBe(196_300);
  });

  it('refuses a gap formula without a verified income', () => {
    expect(() => computeAllowance(GAP, [adult()], '2026-01', null)).toThrow('verified income');
  });
});

describe('payment months', () => {
  it('accepts YYYY-MM only', () => {
    expect(isMonth('2026-01')).toBe(true);
    expect(isMonth('2026-12')).toBe(true);
    for (const bad of ['2026-13', '2026-00', '2026-1', '202601', '2026-01-01', '']) expect(isMonth(bad)).toBe(false);
  });

  it('steps to the next month across the year end and reads months on the Shanghai calendar', () => {
    expect(nextMonth('2026-11')).toBe('2026-12');
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(monthInShanghai(new Date('2026-01-31T16:30:00Z'))).toBe('2026-02');
  });
});
