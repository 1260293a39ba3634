import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Urgency } from '../needs/needs.types';
import { ReferralStatus } from '../referrals/referrals.transitions';

/** How long an open need has waited since it was raised, in whole elapsed days. */
export enum WaitingBand {
  DAYS_0_7 = 'DAYS_0_7',
  DAYS_8_30 = 'DAYS_8_30',
  DAYS_31_90 = 'DAYS_31_90',
  DAYS_OVER_90 = 'DAYS_OVER_90',
}
registerEnumType(WaitingBand, {
  name: 'WaitingBand',
  description: 'How long an open need has waited: whole days (24-hour periods) elapsed from its creation to the moment of the request.',
  valuesConfig: {
    DAYS_0_7: { description: 'Up to 7 whole days.' },
    DAYS_8_30: { description: '8 to 30 whole days.' },
    DAYS_31_90: { description: '31 to 90 whole days.' },
    DAYS_OVER_90: { description: 'More than 90 whole days.' },
  },
});

/** The bands in order, with the largest whole-day count each holds (null: no upper end). */
export const WAITING_BANDS: readonly { readonly band: WaitingBand; readonly upTo: number | null }[] = [
  { band: WaitingBand.DAYS_0_7, upTo: 7 },
  { band: WaitingBand.DAYS_8_30, upTo: 30 },
  { band: WaitingBand.DAYS_31_90, upTo: 90 },
  { band: WaitingBand.DAYS_OVER_90, upTo: null },
];

@ObjectType({ description: 'A measure given as numerator over denominator, so a department can check it against its own records.' })
export class ScorecardRatio {
  @Field(() => Int, { description: 'What counted as a success (see the measure).' })
  numerator!: number;

  @Field(() => Int, { description: 'What the measure is taken over (see the measure).' })
  denominator!: number;

  @Field(() => Float, { nullable: true, description: 'numerator / denominator, from 0 to 1; null when the denominator is 0.' })
  get rate(): number | null {
    return this.denominator === 0 ? null : this.numerator / this.denominator;
  }
}

@ObjectType({ description: 'Waiting time from a need being raised to the first answer of a provider (accepted referral or start of service).' })
export class ScorecardWait {
  @Field(() => Int, {
    description: 'Needs raised in the year (Shanghai calendar) in the district that have had a referral ACCEPTED or put IN_SERVICE, by the time of the request: what the median is taken over.',
  })
  answeredNeeds!: number;

  @Field(() => Int, { description: 'Needs raised in the year in the district that are still OPEN with no referral ever accepted: waiting, and not in the median.' })
  stillWaiting!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Median over answeredNeeds of the days (elapsed time / 24 h, to one decimal) from the need’s creation to the earliest moment any of its referrals entered ACCEPTED or IN_SERVICE; the mean of the two middle values for an even count. Null when answeredNeeds is 0.',
  })
  medianDays!: number | null;
}

@ObjectType({ description: "Beneficiaries' satisfaction ratings (1–5) given on completed referrals." })
export class ScorecardSatisfaction {
  @Field(() => Int, {
    description: 'Ratings of referrals completed in the year (the moment they entered COMPLETED, Shanghai calendar) whose need lies in the district.',
  })
  ratings!: number;

  @Field(() => Int, { description: 'Fewest ratings for which the mean is shown: the minRatings of the evaluation formula in force (see evaluationFormula).' })
  minRatings!: number;

  ratingsSum!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean of the ratings, 1–5, to two decimals; null without ratings and with fewer than minRatings (a mean of one or two ratings would disclose what single beneficiaries said).',
  })
  get mean(): number | null {
    if (this.ratings === 0 || this.ratings < this.minRatings) return null;
    return Math.round((this.ratingsSum / this.ratings) * 100) / 100;
  }
}

@ObjectType({ description: "A district's annual scorecard (§4(1)): how its assistance work went in one calendar year. Every measure gives what it is counted from." })
export class DistrictScorecard {
  districtId!: number;

  @Field(() => Int, { description: 'The calendar year (Shanghai).' })
  year!: number;

  @Field(() => ScorecardRatio, {
    description:
      'On-time handling (按时办结率, 限时办理). Denominator: steps of applications whose competent district is this one, with a time limit whose deadline (dueOn) falls in the year, and that are either completed or past their deadline as of the request (open steps not yet due are not judged). Numerator: those completed on or before their deadline.',
  })
  onTimeHandling!: ScorecardRatio;

  @Field(() => ScorecardRatio, {
    description:
      'Match rate. Denominator: needs located in the district and raised (created) in the year, whatever their status now, withdrawn included. Numerator: those now MATCHED (a live referral) or FULFILLED.',
  })
  matching!: ScorecardRatio;

  @Field(() => ScorecardWait, { description: 'Waiting time of the needs raised in the year (see its fields).' })
  wait!: ScorecardWait;

  @Field(() => ScorecardSatisfaction, { description: "Beneficiaries' satisfaction with services completed in the year (§3(5)4)." })
  satisfaction!: ScorecardSatisfaction;

  @Field(() => ScorecardRatio, {
    description:
      "Staffing coverage (§2(3)). Denominator: residents' and villagers' committees in the district. Numerator: those with at least one active staff member assigned assistance work (助理员 / 协理员). Read as of the request: the hub keeps no history of assignments.",
  })
  staffing!: ScorecardRatio;

  @Field(() => ScorecardRatio, {
    description:
      "Training coverage (§2(5)). Denominator: active staff doing assistance work (caseworkers, and anyone assigned 助理员 / 协理员 work) of organizations in the district, as of the request. Numerator: those who attended a training session held in the year.",
  })
  training!: ScorecardRatio;
}

@ObjectType({ description: 'Open needs of one district, urgency and waiting band.' })
export class OpenNeedCount {
  districtId!: number;

  @Field(() => Urgency, { description: 'Urgency of the needs.' })
  urgency!: Urgency;

  @Field(() => WaitingBand, { description: 'How long they have waited since raised.' })
  waitingBand!: WaitingBand;

  @Field(() => Int, { description: 'Needs with status OPEN (no live referral yet).' })
  needs!: number;

  @Field(() => Int, { description: 'Their units.' })
  units!: number;
}

@ObjectType({ description: 'Referrals of one district in one state.' })
export class ReferralStateCount {
  districtId!: number;

  @Field(() => ReferralStatus, { description: 'Their status now.' })
  status!: ReferralStatus;

  @Field(() => Int, { description: 'Referrals proposed in the year (Shanghai calendar) for needs located in the district, in this status now.' })
  referrals!: number;
}
