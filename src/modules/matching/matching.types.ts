import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AreaLevel } from '../resources/resources.types';
import { ServiceCategory } from '../catalogue/catalogue.types';
import { District } from '../geography/geography.types';

@ObjectType({ description: 'The weight of one unit on a (need, resource) pair and its parts: urgency tier, then a fit below 1 (nearness 0.4, provider quality 0.3, continuity 0.2, waiting 0.1, scaled by 0.999).' })
export class ScoreBreakdown {
  @Field(() => Float, { description: 'Urgency tier: CRITICAL 1000, HIGH 100, NORMAL 10, LOW 1.' })
  urgency!: number;

  @Field(() => Float, { description: 'Nearness share: same committee 0.4, same street 0.24, same district 0.12.' })
  nearness!: number;

  @Field(() => Float, { description: "Provider quality share: 0.3 × the provider's quality (its latest contract evaluation total / 100; 0.5 for a provider never evaluated)." })
  quality!: number;

  @Field(() => Float, { description: 'Continuity share: 0.2 when the provider already serves or served the household.' })
  continuity!: number;

  @Field(() => Float, { description: 'Waiting share: 0.1 × days waited / 90, at most 0.1.' })
  waiting!: number;

  @Field(() => Float, { description: 'The whole weight: urgency plus 0.999 × the sum of the shares.' })
  total!: number;
}

@ObjectType({ description: 'A compatible resource for a need, with why: where their areas meet, free units, and the score.' })
export class MatchCandidate {
  resourceId!: number;

  @Field(() => AreaLevel, { description: "The nearest level at which the resource's area covers the need's community." })
  coveredAt!: AreaLevel;

  @Field(() => Int, { description: 'Units the resource has free now.' })
  freeUnits!: number;

  @Field({ description: 'The provider already serves or served this household.' })
  continuing!: boolean;

  @Field(() => ScoreBreakdown, { description: 'The weight of one unit on this pair.' })
  score!: ScoreBreakdown;
}

@InputType({ description: 'Where a matching run looks; empty means everywhere the caller may run it.' })
export class RunMatchingInput {
  @Field(() => [ID], { nullable: true, description: 'Only needs in these districts (a district bureau: its own by default).' })
  districts?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only needs of these catalogue items.' })
  categories?: string[] | null;
}

@ObjectType({ description: 'What a matching run did.' })
export class MatchingRunPayload {
  @Field(() => Int, { description: 'Needs in scope that still wanted units.' })
  needsConsidered!: number;

  @Field(() => Int, { description: 'Needs that got at least one referral.' })
  needsServed!: number;

  @Field(() => Int, { description: 'Referrals proposed.' })
  proposed!: number;

  @Field(() => Int, { description: 'Units reserved by them.' })
  unitsProposed!: number;

  @Field(() => Float, { description: 'Σ weight × units of the proposals: the optimum over the compatible pairs in scope.' })
  objective!: number;

  @Field(() => Int, { description: 'CRITICAL and HIGH needs no compatible resource had room for: where supply is short.' })
  urgentNeedsUnserved!: number;

  @Field(() => Int, { description: 'Resources skipped because a concurrent referral took their units first.' })
  conflicts!: number;

  @Field(() => [ID], { description: 'IDs of the referrals proposed, in the order written.' })
  referralIds!: string[];
}

@ObjectType({ description: 'Open need against free supply for one district and catalogue item.' })
export class SupplyDemandCell {
  // The cell's district and catalogue item come in the balance's own statement and ride on the
  // cell: graphql reads them as properties, with no resolver call or loader for each of 40–160 cells.
  @Field(() => District, { description: 'The district.' })
  district!: District;

  @Field(() => ServiceCategory, { description: 'The catalogue item.' })
  category!: ServiceCategory;

  @Field(() => Int, { description: 'Units of OPEN needs located in the district.' })
  openUnits!: number;

  @Field(() => Int, { description: 'Free units of ACTIVE resources of ACTIVE providers serving (part of) the district; a resource serving several districts counts in each.' })
  freeUnits!: number;

  // Compiled answers write it in SQL as well (REPORT_ROOTS in src/server/compiled/relations.ts).
  @Field(() => Int, { description: 'Open units beyond the free supply (0 when supply covers the need).' })
  get shortfall(): number {
    return Math.max(0, this.openUnits - this.freeUnits);
  }
}

export enum IncompatibilityReason {
  OUTSIDE_AREA = 'OUTSIDE_AREA',
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  NO_FREE_UNITS = 'NO_FREE_UNITS',
  RESOURCE_NOT_ACTIVE = 'RESOURCE_NOT_ACTIVE',
  PROVIDER_NOT_ACTIVE = 'PROVIDER_NOT_ACTIVE',
  OUTSIDE_WINDOW = 'OUTSIDE_WINDOW',
  DECLINED_BEFORE = 'DECLINED_BEFORE',
}
registerEnumType(IncompatibilityReason, {
  name: 'IncompatibilityReason',
  description: 'Why a resource is not a candidate for a need.',
  valuesConfig: {
    OUTSIDE_AREA: { description: "Its service area does not cover the need's community." },
    NOT_ELIGIBLE: { description: 'The household holds none of the assistance statuses it requires.' },
    NO_FREE_UNITS: { description: 'Live referrals hold all its capacity.' },
    RESOURCE_NOT_ACTIVE: { description: 'It is paused or closed.' },
    PROVIDER_NOT_ACTIVE: { description: 'Its provider is suspended or banned.' },
    OUTSIDE_WINDOW: { description: "Its availability ends before today or starts after the need's deadline." },
    DECLINED_BEFORE: { description: 'Its provider declined this need before.' },
  },
});

@ObjectType({ description: 'A resource of the same catalogue item in the need\'s district, and whether it is a candidate and why not.' })
export class CandidateCheck {
  resourceId!: number;

  @Field({ description: 'True when every compatibility rule holds.' })
  compatible!: boolean;

  @Field(() => [IncompatibilityReason], { description: 'Every rule that fails; empty when compatible.' })
  reasons!: IncompatibilityReason[];

  @Field(() => Int, { description: 'Units free now.' })
  freeUnits!: number;
}
