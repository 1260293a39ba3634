import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateResolver, SafeIntResolver } from 'graphql-scalars';
import { toGlobalId } from '../../common/global-id';
import { ConnectionType } from '../common/connection';
import { Node } from '../common/node.type';
import { UserError } from '../common/user-error.type';
import { KIND_RULES } from './verification.rules';

// Enum values equal the pg enum values in src/db/schema, so rows need no mapping.

export enum VerificationDepartment {
  HR_SOCIAL_SECURITY = 'HR_SOCIAL_SECURITY',
  HOUSING_FUND = 'HOUSING_FUND',
  REAL_ESTATE = 'REAL_ESTATE',
  VEHICLES = 'VEHICLES',
  BANKS_SECURITIES = 'BANKS_SECURITIES',
  MARKET_REGULATION = 'MARKET_REGULATION',
}
registerEnumType(VerificationDepartment, {
  name: 'VerificationDepartment',
  description: 'A department that reports figures to a household economic-status verification (经济状况核对).',
  valuesConfig: {
    HR_SOCIAL_SECURITY: { description: 'Human resources and social security (人社): wages, pensions, unemployment benefit.' },
    HOUSING_FUND: { description: 'Housing provident fund centre (公积金): fund balances.' },
    REAL_ESTATE: { description: 'Real estate registration (不动产登记): dwellings owned.' },
    VEHICLES: { description: 'Vehicle registration (车辆管理): vehicles owned.' },
    BANKS_SECURITIES: { description: 'Banks and securities firms (银行 / 证券): deposits and securities.' },
    MARKET_REGULATION: { description: 'Market regulation (市场监管): registered businesses, their capital and income.' },
  },
});

export enum VerificationFigureKind {
  WAGE_INCOME = 'WAGE_INCOME',
  PENSION = 'PENSION',
  UNEMPLOYMENT_BENEFIT = 'UNEMPLOYMENT_BENEFIT',
  BUSINESS_INCOME = 'BUSINESS_INCOME',
  HOUSING_FUND_BALANCE = 'HOUSING_FUND_BALANCE',
  DEPOSITS = 'DEPOSITS',
  SECURITIES = 'SECURITIES',
  REAL_ESTATE = 'REAL_ESTATE',
  VEHICLE = 'VEHICLE',
  BUSINESS_REGISTRATION = 'BUSINESS_REGISTRATION',
}
registerEnumType(VerificationFigureKind, {
  name: 'VerificationFigureKind',
  description: 'What a figure reports, and so which department reports it and how it counts.',
  valuesConfig: {
    WAGE_INCOME: { description: 'Monthly wage income (工资性收入); HR_SOCIAL_SECURITY; counts as income.' },
    PENSION: { description: 'Monthly pension (养老金); HR_SOCIAL_SECURITY; counts as income.' },
    UNEMPLOYMENT_BENEFIT: { description: 'Monthly unemployment benefit (失业保险金); HR_SOCIAL_SECURITY; counts as income.' },
    BUSINESS_INCOME: { description: 'Monthly business income (经营性收入); MARKET_REGULATION; counts as income.' },
    HOUSING_FUND_BALANCE: { description: 'Housing provident fund balance (公积金余额); HOUSING_FUND; reported but not counted (it can only be drawn for housing).' },
    DEPOSITS: { description: 'Bank deposits (存款); BANKS_SECURITIES; counts as assets.' },
    SECURITIES: { description: 'Securities held (证券); BANKS_SECURITIES; counts as assets.' },
    REAL_ESTATE: { description: 'Dwellings owned (房产), with their value and how many; REAL_ESTATE; measured by the dwellings rule.' },
    VEHICLE: { description: 'One vehicle owned (车辆), with its value; VEHICLES; measured against the vehicle limit.' },
    BUSINESS_REGISTRATION: { description: 'A registered business (工商登记) and the capital subscribed; MARKET_REGULATION; counts as assets.' },
  },
});

export enum FigureNature {
  MONTHLY_INCOME = 'MONTHLY_INCOME',
  ASSET = 'ASSET',
}
registerEnumType(FigureNature, {
  name: 'FigureNature',
  description: 'Whether a figure is an income per month or a stock of assets.',
  valuesConfig: { MONTHLY_INCOME: { description: 'An amount received every month.' }, ASSET: { description: 'A value held.' } },
});

export enum VerificationStatus {
  PENDING = 'PENDING',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(VerificationStatus, {
  name: 'VerificationStatus',
  description: 'Where a verification is.',
  valuesConfig: {
    PENDING: { description: 'Waiting for figures; departments submit to it.' },
    COMPLETED: { description: 'The result is computed and recorded; no more figures are taken.' },
    CANCELLED: { description: 'Cancelled with its application; no more figures are taken.' },
  },
});

export enum VerificationOutcome {
  WITHIN_STANDARD = 'WITHIN_STANDARD',
  ABOVE_STANDARD = 'ABOVE_STANDARD',
  INCOMPLETE = 'INCOMPLETE',
}
registerEnumType(VerificationOutcome, {
  name: 'VerificationOutcome',
  description: "The household's economic status against the standards of the year.",
  valuesConfig: {
    WITHIN_STANDARD: { description: 'Income, assets, dwellings and vehicles all within the standards, and every department answered.' },
    ABOVE_STANDARD: { description: 'Above at least one standard (the explanation says which); further figures could not change that.' },
    INCOMPLETE: { description: 'Within the standards so far, but a department has not answered (or the household has no members).' },
  },
});

export enum VerificationRule {
  INCOME = 'INCOME',
  ASSET = 'ASSET',
  NOT_COUNTED = 'NOT_COUNTED',
  DWELLING = 'DWELLING',
  VEHICLE = 'VEHICLE',
  MEMBERS = 'MEMBERS',
  PER_CAPITA_INCOME = 'PER_CAPITA_INCOME',
  PER_CAPITA_ASSETS = 'PER_CAPITA_ASSETS',
  DWELLING_COUNT = 'DWELLING_COUNT',
  MISSING_RETURN = 'MISSING_RETURN',
}
registerEnumType(VerificationRule, {
  name: 'VerificationRule',
  description: 'What a line of a verification result explains.',
  valuesConfig: {
    INCOME: { description: 'A monthly income figure added to the household income.' },
    ASSET: { description: 'An asset figure added to the counted assets.' },
    NOT_COUNTED: { description: 'A figure reported but not counted (the housing fund balance).' },
    DWELLING: { description: 'A real-estate record: its dwellings count towards the dwellings rule.' },
    VEHICLE: { description: 'A vehicle measured against the vehicle value limit.' },
    MEMBERS: { description: 'The members of the household the totals are divided by.' },
    PER_CAPITA_INCOME: { description: 'Monthly income per member against the minimum living standard.' },
    PER_CAPITA_ASSETS: { description: 'Counted assets per member against the per-capita asset limit.' },
    DWELLING_COUNT: { description: 'Dwellings owned against the most allowed.' },
    MISSING_RETURN: { description: 'A department that had not answered when the result was computed.' },
  },
});

@ObjectType({ implements: Node, description: 'A household economic-status verification (居民经济状况核对) for one application, its purpose.' })
export class VerificationRequest extends Node {
  applicationId!: number;
  householdId!: number;

  @Field(() => ID, { name: 'applicationId', description: 'Global ID of the application the verification serves; as X-Hub-Purpose it opens the figures in clear to those allowed.' })
  get applicationGlobalId(): string {
    return toGlobalId('Application', this.applicationId);
  }

  @Field(() => VerificationStatus, { description: 'Where the verification is.' })
  status!: VerificationStatus;

  @Field(() => String, { nullable: true, description: 'Who asked for it (the subject of their token).' })
  requestedBy!: string | null;

  @Field({ description: 'When it was asked for; the standards in force on that day (Shanghai time) apply.' })
  requestedAt!: Date;
}

@ObjectType({ implements: Node, description: "One figure a department reported for a verification. Amount, quantity and source are the household's personal data." })
export class VerificationFigure extends Node {
  requestId!: number;
  applicationId!: number;
  personId!: number | null;

  @Field(() => VerificationDepartment, { description: 'The department that reported it.' })
  department!: VerificationDepartment;

  @Field(() => VerificationFigureKind, { description: 'What it reports.' })
  kind!: VerificationFigureKind;

  @Field(() => FigureNature, { description: 'An income per month or a stock of assets (follows from the kind).' })
  get nature(): FigureNature {
    return KIND_RULES[this.kind].nature as FigureNature;
  }

  amountFen!: number;
  quantity!: number;
  sourceReference!: string;

  @Field(() => SafeIntResolver, {
    name: 'amountFen',
    nullable: true,
    description: 'The amount in fen (分): per month for incomes, the value held for assets. Null (masked) unless your role may read figures and X-Hub-Purpose names the application; each clear read is audited.',
  })
  get maskedAmountFen(): number | null {
    return null;
  }

  @Field(() => Int, { name: 'quantity', nullable: true, description: 'Dwellings the record covers (REAL_ESTATE; 1 otherwise). Masked like amountFen.' })
  get maskedQuantity(): number | null {
    return null;
  }

  @Field(() => String, { name: 'sourceReference', nullable: true, description: "The department's reference of the record it reported from. Masked like amountFen." })
  get maskedSourceReference(): string | null {
    return null;
  }

  @Field({ description: 'When the source recorded the figure.' })
  sourceTime!: Date;

  @Field(() => String, { nullable: true, description: 'Who submitted it last (the subject of their token).' })
  submittedBy!: string | null;

  @Field({ description: 'When it was last submitted.' })
  submittedAt!: Date;

  @Field({ description: 'When it was first submitted.' })
  createdAt!: Date;
}

@ObjectType({ description: 'That a department answered a verification (with figures, or with nothing on record).' })
export class VerificationReturn {
  @Field(() => VerificationDepartment, { description: 'The department.' })
  department!: VerificationDepartment;

  @Field(() => String, { nullable: true, description: 'Who submitted its answer last.' })
  submittedBy!: string | null;

  @Field({ description: 'When it last answered.' })
  submittedAt!: Date;
}

@ObjectType({ description: 'One line of the explanation of a result: which figure or rule, from which source, against which threshold.' })
export class VerificationExplanationLine {
  requestId!: number;
  applicationId!: number;
  amountFen!: number | null;
  quantity!: number | null;
  sourceReference!: string | null;

  @Field(() => VerificationRule, { description: 'What the line explains.' })
  rule!: VerificationRule;

  @Field(() => VerificationDepartment, { nullable: true, description: 'The department of the figure; for MISSING_RETURN, the department that had not answered.' })
  department!: VerificationDepartment | null;

  @Field(() => VerificationFigureKind, { nullable: true, description: 'The kind of the figure, for lines about one figure.' })
  kind!: VerificationFigureKind | null;

  @Field(() => SafeIntResolver, {
    name: 'amountFen',
    nullable: true,
    description: 'The figure, or the per-capita amount for PER_CAPITA_* lines, in fen. Masked (null) like VerificationFigure.amountFen.',
  })
  get maskedAmountFen(): number | null {
    return null;
  }

  @Field(() => Int, { name: 'quantity', nullable: true, description: 'Members (MEMBERS), dwellings (DWELLING, DWELLING_COUNT). Masked like amountFen.' })
  get maskedQuantity(): number | null {
    return null;
  }

  @Field(() => String, { name: 'sourceReference', nullable: true, description: 'The source reference of the figure. Masked like amountFen.' })
  get maskedSourceReference(): string | null {
    return null;
  }

  @Field(() => SafeIntResolver, { nullable: true, description: 'The standard the line was measured against: fen, or the most dwellings for DWELLING_COUNT; null for lines not measured on their own.' })
  threshold!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the line is within its threshold; null for lines not measured on their own.' })
  within!: boolean | null;
}

/** The result columns of a verification request, seen as their own object. */
@ObjectType({ description: 'The computed result of a verification, with its explanation.' })
export class VerificationResult {
  id!: number;
  applicationId!: number;
  perCapitaMonthlyIncomeFen!: number | null;
  perCapitaAssetsFen!: number | null;

  @Field(() => VerificationOutcome, { description: "The household's status against the standards." })
  outcome!: VerificationOutcome;

  @Field(() => SafeIntResolver, {
    name: 'perCapitaMonthlyIncomeFen',
    nullable: true,
    description: 'Monthly income per member in fen, rounded up to the fen. Masked (null) unless your role may read figures and X-Hub-Purpose names the application; audited.',
  })
  get maskedPerCapitaMonthlyIncomeFen(): number | null {
    return null;
  }

  @Field(() => SafeIntResolver, { name: 'perCapitaAssetsFen', nullable: true, description: 'Counted assets per member in fen, rounded up to the fen. Masked like perCapitaMonthlyIncomeFen.' })
  get maskedPerCapitaAssetsFen(): number | null {
    return null;
  }

  @Field(() => Int, { description: 'The year of the standards it was measured against.' })
  standardYear!: number;

  @Field({ description: 'When it was computed.' })
  computedAt!: Date;
}

@ObjectType({ implements: Node, description: 'The verification standards of one year (核对标准), in force from their effective date until the next year’s.' })
export class VerificationStandard extends Node {
  @Field(() => Int, { description: 'The year.' })
  year!: number;

  @Field(() => LocalDateResolver, { description: 'First day the standards apply (by the day a verification is requested).' })
  effectiveFrom!: string;

  @Field(() => SafeIntResolver, { description: 'Minimum living standard (最低生活保障标准) per person per month, in fen.' })
  minimumLivingStandardFen!: number;

  @Field(() => SafeIntResolver, { description: 'Most counted assets (deposits, securities, business capital) per member, in fen.' })
  assetLimitPerCapitaFen!: number;

  @Field(() => Int, { description: 'Most dwellings a household may own.' })
  maxDwellings!: number;

  @Field(() => SafeIntResolver, { description: 'Most a single vehicle may be worth, in fen.' })
  vehicleValueLimitFen!: number;

  @Field(() => String, { nullable: true, description: 'A note, e.g. the notice that set the standards.' })
  note!: string | null;

  @Field(() => String, { nullable: true, description: 'Who last changed them (the subject of their token); null for the seed.' })
  updatedBy!: string | null;

  @Field({ description: 'When they last changed.' })
  updatedAt!: Date;
}

export const VerificationRequestConnection = ConnectionType(VerificationRequest, 'VerificationRequest', 'verification requests');

@InputType({ description: 'Which verification requests to list; all given conditions must hold.' })
export class VerificationRequestFilter {
  @Field(() => [VerificationStatus], { nullable: true, description: 'Requests in any of these statuses.' })
  statuses?: VerificationStatus[] | null;

  @Field(() => [ID], { nullable: true, description: "Requests whose application's competent district (of registered residence) is any of these." })
  districts?: string[] | null;
}

@InputType({ description: 'One figure of a submission.' })
export class VerificationFigureInput {
  @Field(() => VerificationFigureKind, { description: 'What it reports; the kind must be one the submitting department reports.' })
  kind!: VerificationFigureKind;

  @Field(() => ID, { nullable: true, description: 'The member of the household it is about; omit for the household as a whole.' })
  person?: string | null;

  @Field(() => SafeIntResolver, { description: 'Amount in fen (分), 0 or more: per month for incomes, the value held for assets.' })
  amountFen!: number;

  @Field(() => Int, { defaultValue: 1, description: 'Dwellings the record covers (REAL_ESTATE only; 1 for every other kind).' })
  quantity!: number;

  @Field({ description: "The department's reference of the record (1–200 characters). Submitting the same reference again updates the figure." })
  sourceReference!: string;

  @Field({ description: 'When the source recorded the figure; not in the future. An older copy never overwrites a newer one.' })
  sourceTime!: Date;
}

@InputType({ description: "A department's answer to a verification: its figures, or none (nothing on record)." })
export class SubmitVerificationFiguresInput {
  @Field(() => ID, { description: 'The verification request.' })
  request!: string;

  @Field(() => VerificationDepartment, { description: 'The department answering; your role must be allowed to report for it.' })
  department!: VerificationDepartment;

  @Field(() => [VerificationFigureInput], { description: 'The figures, at most 200, each with its own source reference; empty when the department has nothing on record.' })
  figures!: VerificationFigureInput[];
}

@InputType({ description: 'Completion of a verification.' })
export class CompleteVerificationInput {
  @Field(() => ID, { description: 'The verification request.' })
  id!: string;
}

@InputType({ description: 'The verification standards of a year; replaces those of the same year.' })
export class SetVerificationStandardInput {
  @Field(() => Int, { description: 'The year, 2000 to 2100.' })
  year!: number;

  @Field(() => LocalDateResolver, { description: 'First day they apply; within the year.' })
  effectiveFrom!: string;

  @Field(() => SafeIntResolver, { description: 'Minimum living standard per person per month, in fen; more than 0.' })
  minimumLivingStandardFen!: number;

  @Field(() => SafeIntResolver, { description: 'Most counted assets per member, in fen; 0 or more.' })
  assetLimitPerCapitaFen!: number;

  @Field(() => Int, { description: 'Most dwellings a household may own; 0 or more.' })
  maxDwellings!: number;

  @Field(() => SafeIntResolver, { description: 'Most a single vehicle may be worth, in fen; 0 or more.' })
  vehicleValueLimitFen!: number;

  @Field(() => String, { nullable: true, description: 'A note, e.g. the notice that set them (at most 500 characters).' })
  note?: string | null;
}

@ObjectType({ description: "Result of a department's submission." })
export class SubmitVerificationFiguresPayload {
  @Field(() => VerificationRequest, { nullable: true, description: 'The verification after the submission; null when refused or when you may not see it.' })
  verificationRequest!: VerificationRequest | null;

  @Field(() => [VerificationFigure], { description: 'The figures on record for the submitted source references (masked unless you may read them).' })
  figures!: VerificationFigure[];

  @Field(() => [UserError], { description: 'Why the submission was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of a change to a verification.' })
export class VerificationRequestPayload {
  @Field(() => VerificationRequest, { nullable: true, description: 'The verification after the change; null when refused.' })
  verificationRequest!: VerificationRequest | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of setting the standards of a year.' })
export class VerificationStandardPayload {
  @Field(() => VerificationStandard, { nullable: true, description: 'The standards after the change; null when refused.' })
  verificationStandard!: VerificationStandard | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
