import type { AllowanceExplanation, SupplementRates } from '../../db/schema/payments';
import { AGE_OF_MAJORITY, ageOn } from '../households/households.privacy';

/**
 * The amount of a monthly allowance: a pure function of the formula in force, the household's
 * members and its verified income. Everything is integer fen. Rounding: the only fractions come
 * from permille rates (a multiple of the standard, a supplement), and each is rounded half up to
 * the fen once, per member, before it is multiplied by the number of members it applies to.
 */

export interface AllowanceFormula {
  readonly id: number;
  readonly method: 'GAP_TO_STANDARD' | 'FIXED_PER_MEMBER';
  readonly effectiveFrom: string;
  readonly standardMonthlyFen: number;
  readonly standardMultiplePermille: number;
  readonly supplementPermille: SupplementRates;
}

export interface MemberFacts {
  readonly attributes: readonly string[];
  /** YYYY-MM-DD. */
  readonly birthDate: string;
}

export interface VerifiedIncome {
  readonly verificationId: number;
  readonly perCapitaMonthlyIncomeFen: number;
}

export type SupplementCategory = keyof SupplementRates;

/** Age from which a member counts as elderly (老年人, Law on the Protection of the Rights of the Elderly). */
export const ELDERLY_AGE = 60;

/** Categories in the order that breaks ties between equal rates. */
const CATEGORIES: readonly SupplementCategory[] = ['DISABILITY', 'SERIOUS_ILLNESS', 'ELDERLY', 'MINOR'];

/** x × permille / 1000, rounded half up to the fen (inputs are non-negative integers). */
export function permilleOf(fen: number, permille: number): number {
  return Math.floor((fen * permille + 500) / 1000);
}

/** The categories a member falls in on the first day of the month. */
function categoriesOf(member: MemberFacts, month: string): SupplementCategory[] {
  const age = ageOn(member.birthDate, `${month}-01`);
  const found: SupplementCategory[] = [];
  if (member.attributes.includes('DISABILITY')) found.push('DISABILITY');
  if (member.attributes.includes('SERIOUS_ILLNESS')) found.push('SERIOUS_ILLNESS');
  if (age >= ELDERLY_AGE) found.push('ELDERLY');
  if (age < AGE_OF_MAJORITY || member.attributes.includes('MINOR')) found.push('MINOR');
  return found;
}

/** A member receives the single highest supplement they qualify for: supplements do not stack. */
function supplementOf(member: MemberFacts, month: string, rates: SupplementRates): SupplementCategory | undefined {
  const qualifies = categoriesOf(member, month);
  let best: SupplementCategory | undefined;
  for (const category of CATEGORIES) {
    if (!qualifies.includes(category)) continue;
    if ((rates[category] ?? 0) > (best === undefined ? 0 : (rates[best] ?? 0))) best = category;
  }
  return best;
}

/**
 * GAP_TO_STANDARD (低保): max(0, standard × members − per-capita income × members) plus supplements.
 * FIXED_PER_MEMBER (特困): round(standard × multiple) × members plus supplements.
 * A GAP_TO_STANDARD formula needs the verified income; `income` is ignored otherwise.
 */
export function computeAllowance(formula: AllowanceFormula, members: readonly MemberFacts[], month: string, income: VerifiedIncome | null): AllowanceExplanation {
  const count = members.length;
  let basicFen: number;
  let householdIncomeFen: number | null = null;
  if (formula.method === 'GAP_TO_STANDARD') {
    if (income === null) throw new Error('A gap-to-standard allowance needs a verified income');
    householdIncomeFen = income.perCapitaMonthlyIncomeFen * count;
    basicFen = Math.max(0, formula.standardMonthlyFen * count - householdIncomeFen);
  } else {
    basicFen = permilleOf(formula.standardMonthlyFen, formula.standardMultiplePermille) * count;
  }
  const counts = new Map<SupplementCategory, number>();
  for (const member of members) {
    const category = supplementOf(member, month, formula.supplementPermille);
    if (category) counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  const supplements = CATEGORIES.filter((c) => counts.has(c)).map((category) => {
    const perMemberFen = permilleOf(formula.standardMonthlyFen, formula.supplementPermille[category]!);
    return { category, members: counts.get(category)!, perMemberFen, amountFen: perMemberFen * counts.get(category)! };
  });
  return {
    method: formula.method,
    formulaId: formula.id,
    formulaEffectiveFrom: formula.effectiveFrom,
    standardMonthlyFen: formula.standardMonthlyFen,
    members: count,
    perCapitaIncomeFen: formula.method === 'GAP_TO_STANDARD' ? income!.perCapitaMonthlyIncomeFen : null,
    householdIncomeFen,
    verificationId: formula.method === 'GAP_TO_STANDARD' ? income!.verificationId : null,
    basicFen,
    supplements,
    monthlyAmountFen: basicFen + supplements.reduce((sum, s) => sum + s.amountFen, 0),
  };
}
