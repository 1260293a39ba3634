/** The five procurement methods (政府采购方式); the values equal the `procurement_method` database enum. */
export enum ProcurementMethod {
  OPEN_TENDER = 'OPEN_TENDER',
  INVITED_TENDER = 'INVITED_TENDER',
  COMPETITIVE_NEGOTIATION = 'COMPETITIVE_NEGOTIATION',
  COMPETITIVE_CONSULTATION = 'COMPETITIVE_CONSULTATION',
  SINGLE_SOURCE = 'SINGLE_SOURCE',
}

export interface Threshold {
  readonly minBudgetFen: number;
  readonly allowedMethods: readonly string[];
}

/** The threshold in force for a budget: the one with the largest minimum not above it. */
export function thresholdFor(thresholds: readonly Threshold[], budgetFen: number): Threshold | undefined {
  let found: Threshold | undefined;
  for (const threshold of thresholds) if (threshold.minBudgetFen <= budgetFen && (!found || threshold.minBudgetFen > found.minBudgetFen)) found = threshold;
  return found;
}

const yuan = (fen: number): string => `${(fen / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })} yuan`;

/**
 * Why a method needs a recorded justification for this budget, or null when it does not. Single
 * source (单一来源) always does; otherwise a method the threshold in force does not list.
 */
export function methodNeedsJustification(thresholds: readonly Threshold[], budgetFen: number, method: ProcurementMethod): string | null {
  if (method === ProcurementMethod.SINGLE_SOURCE) return 'SINGLE_SOURCE always needs a recorded justification (methodJustification)';
  const threshold = thresholdFor(thresholds, budgetFen);
  if (!threshold || threshold.allowedMethods.includes(method)) return null;
  return `A budget of ${yuan(budgetFen)} is at or above the threshold of ${yuan(threshold.minBudgetFen)}, which allows ${threshold.allowedMethods.join(', ')}: ${method} needs a recorded justification (methodJustification)`;
}
