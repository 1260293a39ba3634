import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../common/node.type';
import { ConnectionType } from '../common/connection';
import { UserError } from '../common/user-error.type';

export enum CatalogueGroup {
  ADMINISTRATIVE = 'ADMINISTRATIVE',
  DIRECT_SERVICE = 'DIRECT_SERVICE',
}
registerEnumType(CatalogueGroup, {
  name: 'CatalogueGroup',
  description: 'The two groups of the service catalogue (policy §3(2)).',
  valuesConfig: {
    ADMINISTRATIVE: { description: 'Administrative work (事务性工作): screening, means investigation, training, outreach, evaluation, research.' },
    DIRECT_SERVICE: { description: 'Direct services to beneficiaries (服务性工作): case assessment, care, capability development, counselling.' },
  },
});

@ObjectType({ implements: Node, description: 'An item of the service catalogue (项目目录): the category that needs, resources and purchase projects refer to.' })
export class ServiceCategory extends Node {
  @Field({ description: 'Stable code, e.g. "CARE_NURSING"; never changes once created.' })
  code!: string;

  @Field(() => CatalogueGroup, { description: 'Administrative work or direct service.' })
  group!: CatalogueGroup;

  @Field({ description: 'Chinese name, e.g. "照料护理".' })
  nameZh!: string;

  @Field({ description: 'English name, e.g. "Care and nursing".' })
  nameEn!: string;

  @Field(() => String, { nullable: true, description: 'What the item covers.' })
  description!: string | null;

  @Field({ description: 'False once retired: kept for history, but new needs and resources cannot use it.' })
  get active(): boolean {
    return this.retiredAt === null;
  }

  @Field(() => Date, { nullable: true, description: 'When the item was retired; null while active.' })
  retiredAt!: Date | null;
}

export const ServiceCategoryConnection = ConnectionType(ServiceCategory, 'ServiceCategory', 'service catalogue items');

@InputType({ description: 'A new catalogue item.' })
export class CreateServiceCategoryInput {
  @Field({ description: 'Stable code: upper-case letters, digits and underscores, 3–40 characters, unique.' })
  code!: string;

  @Field(() => CatalogueGroup, { description: 'Administrative work or direct service.' })
  group!: CatalogueGroup;

  @Field({ description: 'Chinese name (1–50 characters).' })
  nameZh!: string;

  @Field({ description: 'English name (1–100 characters).' })
  nameEn!: string;

  @Field(() => String, { nullable: true, description: 'What the item covers (at most 1000 characters).' })
  description?: string | null;
}

@InputType({ description: 'Changes to a catalogue item; omitted fields stay as they are. The code never changes.' })
export class UpdateServiceCategoryInput {
  @Field(() => ID, { description: 'ID of the ServiceCategory.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'New Chinese name.' })
  nameZh?: string | null;

  @Field(() => String, { nullable: true, description: 'New English name.' })
  nameEn?: string | null;

  @Field(() => String, { nullable: true, description: 'New description.' })
  description?: string | null;
}

@ObjectType({ description: 'Result of a catalogue change.' })
export class ServiceCategoryPayload {
  @Field(() => ServiceCategory, { nullable: true, description: 'The item after the change; null when refused.' })
  serviceCategory!: ServiceCategory | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
