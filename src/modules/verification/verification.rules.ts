/**
 * The rules of a household economic-status verification (居民经济状况核对), as pure code: which
 * department reports which kind of figure, how each kind counts, and the computation of a result
 * against the standards of a year. No database, no GraphQL.
 */

export const DEPARTMENTS = ['HR_SOCIAL_SECURITY', 'HOUSING_FUND', 'REAL_ESTATE', 'VEHICLES', 'BANKS_SECURITIES', 'MARKET_REGULATION'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export type FigureKind =
  | 'WAGE_INCOME'
  | 'PENSION'
  | 'UNEMPLOYMENT_BENEFIT'
  | 'BUSINESS_INCOME'
  | 'HOUSING_FUND_BALANCE'
  | 'DEPOSITS'
  | 'SECURITIES'
  | 'REAL_ESTATE'
  | 'VEHICLE'
  | 'BUSINESS_REGISTRATION';

/** A monthly income, or a stock of assets held. */
export type FigureNature = 'MONTHLY_INCOME' | 'ASSET';

/**
 * How a figure counts: INCOME adds to the household's monthly income; ASSET adds to its counted
 * assets; DWELLING counts towards the dwellings rule; VEHICLE is measured on its own against the
 * vehicle limit; NOT_COUNTED is reported but counts nowhere.
 */
export type Counting = 'INCOME' | 'ASSET' | 'DWELLING' | 'VEHICLE' | 'NOT_COUNTED';

export interface KindRule {
  readonly nature: FigureNature;
  readonly department: Department;
  readonly counting: Counting;
}

/**
 * Each kind, the one department that reports it, and how it counts. The housing-fund balance is
 * reported but not counted: it can only be drawn for housing. Dwellings and vehicles have rules of
 * their own instead of adding their value to the assets.
 */
export const KIND_RULES: Readonly<Record<FigureKind, KindRule>> = {
  WAGE_INCOME: { nature: 'MONTHLY_INCOME', department: 'HR_SOCIAL_SECURITY', counting: 'INCOME' },
  PENSION: { nature: 'MONTHLY_INCOME', department: 'HR_SOCIAL_SECURITY', counting: 'INCOME' },
  UNEMPLOYMENT_BENEFIT: { nature: 'MONTHLY_INCOME', department: 'HR_SOCIAL_SECURITY', counting: 'INCOME' },
  BUSINESS_INCOME: { nature: 'MONTHLY_INCOME', department: 'MARKET_REGULATION', counting: 'INCOME' },
  HOUSING_FUND_BALANCE: { nature: 'ASSET', department: 'HOUSING_FUND', counting: 'NOT_COUNTED' },
  DEPOSITS: { nature: 'ASSET', department: 'BANKS_SECURITIES', counting: 'ASSET' },
  SECURITIES: { nature: 'ASSET', department: 'BANKS_SECURITIES', counting: 'ASSET' },
  REAL_ESTATE: { nature: 'ASSET', department: 'REAL_ESTATE', counting: 'DWELLING' },
  VEHICLE: { nature: 'ASSET', department: 'VEHICLES', counting: 'VEHICLE' },
  BUSINESS_REGISTRATION: { nature: 'ASSET', department: 'MARKET_REGULATION', counting: 'ASSET' },
};

export type Outcome = 'WITHIN_STANDARD' | 'ABOVE_STANDARD' | 'INCOMPLETE';

export type Rule = Counting | 'MEMBERS' | 'PER_CAPITA_INCOME' | 'PER_CAPITA_ASSETS' | 'DWELLING_COUNT' | 'MISSING_RETURN';

export interface FigureInput {
  readonly id: number;
  readonly department: Department;
  readonly kind: FigureKind;
  readonly sourceReference: string;
  readonly amountFen: number;
  readonly quantity: number;
}

export interface StandardInput {
  readonly year: number;
  readonly minimumLivingStandardFen: number;
  readonly assetLimitPerCapitaFen: number;
  readonly maxDwellings: number;
  readonly vehicleValueLimitFen: number;
}

/** One line of a result's explanation: which figure or rule, from which source, against which threshold. */
export interface ExplanationLine {
  readonly rule: Rule;
  readonly department: Department | null;
  readonly kind: FigureKind | null;
  readonly figureId: number | null;
  readonly sourceReference: string | null;
  readonly amountFen: number | null;
  readonly quantity: number | null;
  /** Fen, or a count for DWELLING_COUNT; null when the line is not measured. */
  readonly threshold: number | null;
  readonly within: boolean | null;
}

export interface VerificationResult {
  readonly outcome: Outcome;
  /** Rounded up to the whole fen; null when the household has no members. */
  readonly perCapitaMonthlyIncomeFen: number | null;
  readonly perCapitaAssetsFen: number | null;
  readonly lines: readonly ExplanationLine[];
}

export interface VerificationInput {
  readonly figures: readonly FigureInput[];
  /** Members of the household at the time of the computation. */
  readonly members: number;
  /** Departments that have answered, with or without figures. */
  readonly answered: readonly Department[];
  readonly standard: StandardInput;
}

/** ⌈total / members⌉ in exact integers. */
function perCapita(total: bigint, members: number): number {
  const n = BigInt(members);
  return Number((total + n - 1n) / n);
}

const line = (rule: Rule, values: Partial<ExplanationLine>): ExplanationLine => ({
  rule,
  department: null,
  kind: null,
  figureId: null,
  sourceReference: null,
  amountFen: null,
  quantity: null,
  threshold: null,
  within: null,
  ...values,
});

const departmentOrder = (d: Department): number => DEPARTMENTS.indexOf(d);

/**
 * Measures a household against a year's standards, in exact integer fen.
 *
 * Income: the sum of monthly income figures, per member. Assets: the sum of deposits, securities
 * and registered business capital, per member. The household is within the standard when its
 * total is at most the threshold times its members (⌈total / members⌉ ≤ threshold says the same,
 * since thresholds are whole fen, so the per-capita figures shown are rounded up); it owns at most
 * the allowed dwellings; and no vehicle is worth more than the vehicle limit. Received figures can
 * only add, so a household already above the standard is ABOVE_STANDARD even when departments
 * have not answered; otherwise a missing answer (or a household without members) is INCOMPLETE.
 */
export function computeVerification(input: VerificationInput): VerificationResult {
  const { standard, members } = input;
  const figures = [...input.figures].sort(
    (a, b) => departmentOrder(a.department) - departmentOrder(b.department) || a.kind.localeCompare(b.kind) || a.sourceReference.localeCompare(b.sourceReference) || a.id - b.id,
  );
  const lines: ExplanationLine[] = [];
  let income = 0n;
  let assets = 0n;
  let dwellings = 0;
  for (const figure of figures) {
    const counting = KIND_RULES[figure.kind].counting;
    const source = { department: figure.department, kind: figure.kind, figureId: figure.id, sourceReference: figure.sourceReference, amountFen: figure.amountFen };
    if (counting === 'INCOME') income += BigInt(figure.amountFen);
    if (counting === 'ASSET') assets += BigInt(figure.amountFen);
    if (counting === 'DWELLING') dwellings += figure.quantity;
    if (counting === 'VEHICLE') {
      lines.push(line('VEHICLE', { ...source, quantity: 1, threshold: standard.vehicleValueLimitFen, within: figure.amountFen <= standard.vehicleValueLimitFen }));
    } else {
      lines.push(line(counting, { ...source, quantity: counting === 'DWELLING' ? figure.quantity : null }));
    }
  }

  lines.push(line('MEMBERS', { quantity: members }));
  let perCapitaIncome: number | null = null;
  let perCapitaAssets: number | null = null;
  if (members > 0) {
    const n = BigInt(members);
    perCapitaIncome = perCapita(income, members);
    perCapitaAssets = perCapita(assets, members);
    lines.push(line('PER_CAPITA_INCOME', { amountFen: perCapitaIncome, threshold: standard.minimumLivingStandardFen, within: income <= BigInt(standard.minimumLivingStandardFen) * n }));
    lines.push(line('PER_CAPITA_ASSETS', { amountFen: perCapitaAssets, threshold: standard.assetLimitPerCapitaFen, within: assets <= BigInt(standard.assetLimitPerCapitaFen) * n }));
  }
  lines.push(line('DWELLING_COUNT', { quantity: dwellings, threshold: standard.maxDwellings, within: dwellings <= standard.maxDwellings }));

  const answered = new Set(input.answered);
  const missing = DEPARTMENTS.filter((d) => !answered.has(d));
  for (const department of missing) lines.push(line('MISSING_RETURN', { department }));

  const above = lines.some((l) => l.within === false);
  const outcome: Outcome = above ? 'ABOVE_STANDARD' : missing.length > 0 || members === 0 ? 'INCOMPLETE' : 'WITHIN_STANDARD';
  return { outcome, perCapitaMonthlyIncomeFen: perCapitaIncome, perCapitaAssetsFen: perCapitaAssets, lines };
}
