import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { Node } from '../common/node.type';
import { ConnectionType } from '../common/connection';
import { UserError } from '../common/user-error.type';
import { AssistanceStatus } from '../households/households.types';

export enum ResourceStatus {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
  CLOSED = 'CLOSED',
}
registerEnumType(ResourceStatus, {
  name: 'ResourceStatus',
  description: 'Whether a resource takes referrals.',
  valuesConfig: {
    ACTIVE: { description: 'Open for matching.' },
    PAUSED: { description: 'Temporarily not taking referrals.' },
    CLOSED: { description: 'Closed for good, with a reason; kept for history.' },
  },
});

export enum CapacityPeriod {
  ONCE = 'ONCE',
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
  YEAR = 'YEAR',
}
registerEnumType(CapacityPeriod, {
  name: 'CapacityPeriod',
  description: 'The period a capacity renews over.',
  valuesConfig: {
    ONCE: { description: 'A one-off stock that does not renew.' },
    DAY: { description: 'Per day.' },
    WEEK: { description: 'Per week.' },
    MONTH: { description: 'Per month.' },
    YEAR: { description: 'Per year.' },
  },
});

export enum ResourceCost {
  FREE = 'FREE',
  CONTRACT_FUNDED = 'CONTRACT_FUNDED',
  SUBSIDISED = 'SUBSIDISED',
}
registerEnumType(ResourceCost, {
  name: 'ResourceCost',
  description: 'Who pays for the service.',
  valuesConfig: {
    FREE: { description: 'Free capacity (often community organisations and volunteers).' },
    CONTRACT_FUNDED: { description: 'Paid by a government purchase-of-services contract.' },
    SUBSIDISED: { description: 'Partly paid by the beneficiary, partly subsidised.' },
  },
});

export enum AreaLevel {
  DISTRICT = 'DISTRICT',
  STREET = 'STREET',
  COMMITTEE = 'COMMITTEE',
}
registerEnumType(AreaLevel, {
  name: 'AreaLevel',
  description: 'The level of an entry of a service area.',
  valuesConfig: {
    DISTRICT: { description: 'A whole district.' },
    STREET: { description: 'A whole street or town.' },
    COMMITTEE: { description: 'One committee (community).' },
  },
});

@ObjectType({ implements: Node, description: 'A resource (救助资源): supply a provider or community organisation posts for matching.' })
export class Resource extends Node {
  providerId!: number;
  categoryId!: number;
  @Field({ description: 'Short title, e.g. "助餐送餐服务".' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'What the service is and how it is delivered.' })
  description!: string | null;

  @Field(() => Int, { description: 'Units available per capacity period (0 = none at the moment).' })
  capacity!: number;

  @Field(() => CapacityPeriod, { description: 'The period the capacity renews over.' })
  capacityPeriod!: CapacityPeriod;

  @Field(() => Int, { description: 'Units held by live referrals (proposed, accepted, in service); never above capacity.' })
  heldUnits!: number;

  @Field(() => Int, { description: 'Units free for new referrals: capacity minus held units.' })
  get freeUnits(): number {
    return this.capacity - this.heldUnits;
  }

  @Field(() => [AssistanceStatus], { description: 'Households must hold one of these statuses; empty means open to all.' })
  eligibleStatuses!: AssistanceStatus[];

  @Field(() => Int, { nullable: true, description: 'Youngest age served, if limited.' })
  minAge!: number | null;

  @Field(() => Int, { nullable: true, description: 'Oldest age served, if limited.' })
  maxAge!: number | null;

  @Field(() => LocalDateResolver, { description: 'First day the resource is available.' })
  availableFrom!: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Last day the resource is available; null when open-ended.' })
  availableUntil!: string | null;

  @Field(() => ResourceStatus, { description: 'Whether it takes referrals.' })
  status!: ResourceStatus;

  @Field(() => ResourceCost, { description: 'Who pays.' })
  cost!: ResourceCost;

  @Field(() => String, { nullable: true, description: 'Contact person at the provider.' })
  contactName!: string | null;

  @Field(() => String, { nullable: true, description: "Contact telephone of the service: the provider's work number, not personal data." })
  contactPhone!: string | null;

  @Field({ description: 'Listed in the public resource directory.' })
  isPublic!: boolean;

  @Field(() => Date, { nullable: true, description: 'When it was closed; null unless CLOSED.' })
  closedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was closed.' })
  closureReason!: string | null;

  @Field({ description: 'When it was posted.' })
  createdAt!: Date;

  @Field({ description: 'When it last changed.' })
  updatedAt!: Date;
}

@ObjectType({ description: 'One entry of a service area: a district, a street or town, or a committee.' })
export class ServiceAreaEntry {
  districtId!: number;
  streetId!: number | null;
  committeeId!: number | null;

  @Field(() => AreaLevel, { description: 'Which level this entry covers.' })
  level!: AreaLevel;
}

export const ResourceConnection = ConnectionType(Resource, 'Resource', 'resources');

@InputType({ description: 'Which resources to list; all given conditions must hold.' })
export class ResourceFilter {
  @Field(() => [ID], { nullable: true, description: 'Resources of any of these catalogue items.' })
  categories?: string[] | null;

  @Field(() => [ResourceStatus], { nullable: true, description: 'Resources in any of these statuses.' })
  statuses?: ResourceStatus[] | null;

  @Field(() => [ID], { nullable: true, description: 'Resources of any of these providers.' })
  providers?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'Resources that serve at least part of this area: a District, Street or Committee ID.' })
  servesArea?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Resources available on this day.' })
  availableOn?: string | null;

  @Field(() => AssistanceStatus, { nullable: true, description: 'Resources a household with this status is eligible for (including those open to all).' })
  eligibleFor?: AssistanceStatus | null;

  @Field(() => Boolean, { nullable: true, description: 'Only public (true) or only non-public (false) resources.' })
  isPublic?: boolean | null;
}

@InputType({ description: 'A service-area entry: the ID of a District, a Street or a Committee.' })
export class ServiceAreaInput {
  @Field(() => ID, { description: 'A District, Street or Committee ID.' })
  area!: string;
}

@InputType({ description: 'A new resource.' })
export class CreateResourceInput {
  @Field(() => ID, { description: 'The ACTIVE provider that offers it.' })
  provider!: string;

  @Field(() => ID, { description: 'An active catalogue item.' })
  category!: string;

  @Field({ description: 'Short title, 1–100 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Description, at most 2,000 characters.' })
  description?: string | null;

  @Field(() => Int, { description: 'Units per period, 0 to 1,000,000.' })
  capacity!: number;

  @Field(() => CapacityPeriod, { description: 'The period the capacity renews over.' })
  capacityPeriod!: CapacityPeriod;

  @Field(() => [AssistanceStatus], { defaultValue: [], description: 'Eligible assistance statuses; empty for all.' })
  eligibleStatuses!: AssistanceStatus[];

  @Field(() => Int, { nullable: true, description: 'Youngest age served, 0 to 150.' })
  minAge?: number | null;

  @Field(() => Int, { nullable: true, description: 'Oldest age served, 0 to 150, not below minAge.' })
  maxAge?: number | null;

  @Field(() => LocalDateResolver, { description: 'First available day.' })
  availableFrom!: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Last available day; not before availableFrom.' })
  availableUntil?: string | null;

  @Field(() => ResourceCost, { defaultValue: ResourceCost.FREE, description: 'Who pays.' })
  cost!: ResourceCost;

  @Field(() => String, { nullable: true, description: 'Contact person.' })
  contactName?: string | null;

  @Field(() => String, { nullable: true, description: 'Contact phone: a mainland mobile or fixed-line number.' })
  contactPhone?: string | null;

  @Field({ defaultValue: false, description: 'List it in the public directory.' })
  isPublic!: boolean;

  @Field(() => [ServiceAreaInput], { description: 'Where it is offered: 1 to 200 districts, streets or committees.' })
  serviceArea!: ServiceAreaInput[];
}

@InputType({ description: 'Changes to a resource that is not CLOSED; omitted fields stay as they are.' })
export class UpdateResourceInput {
  @Field(() => ID, { description: 'The resource to change.' })
  id!: string;

  @Field(() => ID, { nullable: true, description: 'Another active catalogue item.' })
  category?: string | null;

  @Field(() => String, { nullable: true, description: 'New title.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'New description (an empty string clears it).' })
  description?: string | null;

  @Field(() => Int, { nullable: true, description: 'New capacity, 0 to 1,000,000.' })
  capacity?: number | null;

  @Field(() => CapacityPeriod, { nullable: true, description: 'New capacity period.' })
  capacityPeriod?: CapacityPeriod | null;

  @Field(() => [AssistanceStatus], { nullable: true, description: 'New eligible statuses (empty for all).' })
  eligibleStatuses?: AssistanceStatus[] | null;

  @Field(() => Int, { nullable: true, description: 'New youngest age served.' })
  minAge?: number | null;

  @Field(() => Int, { nullable: true, description: 'New oldest age served.' })
  maxAge?: number | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'New first available day.' })
  availableFrom?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'New last available day.' })
  availableUntil?: string | null;

  @Field(() => ResourceCost, { nullable: true, description: 'New cost.' })
  cost?: ResourceCost | null;

  @Field(() => String, { nullable: true, description: 'New contact person.' })
  contactName?: string | null;

  @Field(() => String, { nullable: true, description: 'New contact phone.' })
  contactPhone?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'List in, or remove from, the public directory.' })
  isPublic?: boolean | null;

  @Field(() => [ServiceAreaInput], { nullable: true, description: 'A new service area, replacing the old one whole.' })
  serviceArea?: ServiceAreaInput[] | null;
}

@InputType({ description: 'Closing a resource for good.' })
export class CloseResourceInput {
  @Field(() => ID, { description: 'The resource to close.' })
  id!: string;

  @Field({ description: 'Why it closes (1–500 characters).' })
  reason!: string;
}

@ObjectType({ description: 'Result of a change to a resource.' })
export class ResourcePayload {
  @Field(() => Resource, { nullable: true, description: 'The resource after the change; null when refused.' })
  resource!: Resource | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
