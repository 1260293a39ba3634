/**
 * The final performance evaluation (§3(5)4) as pure arithmetic: beneficiary satisfaction from the
 * referral ratings, and the weighted total of the four parts. Weights come from the formula row.
 */
export interface EvaluationWeights {
  readonly satisfactionWeight: number;
  readonly serviceEffectWeight: number;
  readonly managementWeight: number;
  readonly socialImpactWeight: number;
  /** Below this many ratings the satisfaction is drawn toward the neutral middle. */
  readonly minRatings: number;
}

export interface EvaluationParts {
  /** Scored 0–100 by the evaluating department. */
  readonly serviceEffect: number;
  readonly management: number;
  readonly socialImpact: number;
}

/** The middle rating of the 1–5 scale, which counts for the ratings missing below the minimum. */
export const NEUTRAL_RATING = 3;

/** A rating of 1–5 on the 0–100 scale of the other parts. */
export const ratingToScore = (rating: number): number => ((rating - 1) / 4) * 100;

/**
 * Satisfaction 0–100 from `count` ratings summing to `sum`. With fewer than `minRatings`, the
 * missing ones count as neutral (3 → 50): two glowing ratings do not make a perfect score, and a
 * contract nobody rated scores 50 instead of 0 or 100.
 */
export function satisfactionScore(count: number, sum: number, minRatings: number): number {
  const neutral = Math.max(0, minRatings - count);
  if (count + neutral === 0) return ratingToScore(NEUTRAL_RATING);
  return round2(ratingToScore((sum + NEUTRAL_RATING * neutral) / (count + neutral)));
}

/** The weighted total 0–100, to two decimals. */
export function evaluationTotal(weights: EvaluationWeights, parts: EvaluationParts, satisfaction: number): number {
  return round2(
    weights.satisfactionWeight * satisfaction +
      weights.serviceEffectWeight * parts.serviceEffect +
      weights.managementWeight * parts.management +
      weights.socialImpactWeight * parts.socialImpact,
  );
}

/** What is wrong with a set of weights, in words; empty when it is a valid formula. */
export function weightProblems(weights: EvaluationWeights): { field: keyof EvaluationWeights; message: string }[] {
  const problems: { field: keyof EvaluationWeights; message: string }[] = [];
  const names = ['satisfactionWeight', 'serviceEffectWeight', 'managementWeight', 'socialImpactWeight'] as const;
  for (const name of names) if (!Number.isFinite(weights[name]) || weights[name] < 0 || weights[name] > 1) problems.push({ field: name, message: `${name} must be from 0 to 1` });
  if (problems.length > 0) return problems;
  const sum = names.reduce((total, name) => total + weights[name], 0);
  if (Math.abs(sum - 1) >= 1e-6) problems.push({ field: 'satisfactionWeight', message: `The weights must add up to 1 (they add up to ${round2(sum)})` });
  if (weights.satisfactionWeight < Math.max(weights.serviceEffectWeight, weights.managementWeight, weights.socialImpactWeight)) {
    problems.push({ field: 'satisfactionWeight', message: "Beneficiary satisfaction is weighted heavily (§3(5)4): its weight must not be below any other part's" });
  }
  return problems;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;
