import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { maskPhone } from '../../common/phone';
import { maskResidentId } from '../../common/resident-id';
import { ConnectionType } from '../common/connection';
import { Node } from '../common/node.type';
import { UserError } from '../common/user-error.type';
import { AGE_OF_MAJORITY, ageOn, maskAddress, maskName } from './households.privacy';
import { todayInShanghai } from '../../common/dates';

// Enum values equal the pg enum values in src/db/schema/enums.ts, so rows need no mapping.

export enum AssistanceStatus {
  MINIMUM_LIVING_ALLOWANCE = 'MINIMUM_LIVING_ALLOWANCE',
  LOW_INCOME = 'LOW_INCOME',
  EXTREME_POVERTY_SUPPORT = 'EXTREME_POVERTY_SUPPORT',
  EXPENDITURE_POVERTY = 'EXPENDITURE_POVERTY',
}
registerEnumType(AssistanceStatus, {
  name: 'AssistanceStatus',
  description: 'A social-assistance status granted to a household.',
  valuesConfig: {
    MINIMUM_LIVING_ALLOWANCE: { description: 'Minimum living allowance (最低生活保障, 低保).' },
    LOW_INCOME: { description: 'Low-income household (低收入家庭).' },
    EXTREME_POVERTY_SUPPORT: { description: 'Support for people in extreme poverty (特困人员供养, 特困).' },
    EXPENDITURE_POVERTY: { description: 'Expenditure-type poverty (支出型贫困): made poor by essential spending such as medical costs.' },
  },
});

export enum PersonAttribute {
  DISABILITY = 'DISABILITY',
  ELDERLY_LIVING_ALONE = 'ELDERLY_LIVING_ALONE',
  MINOR = 'MINOR',
  SERIOUS_ILLNESS = 'SERIOUS_ILLNESS',
  UNEMPLOYED = 'UNEMPLOYED',
}
registerEnumType(PersonAttribute, {
  name: 'PersonAttribute',
  description: 'A circumstance of a person that assistance and resource eligibility take into account.',
  valuesConfig: {
    DISABILITY: { description: 'Has a disability (残疾人).' },
    ELDERLY_LIVING_ALONE: { description: 'Elderly person living alone (独居老人).' },
    MINOR: { description: 'Under 18 (未成年人); always derived from the birth date in the resident ID number.' },
    SERIOUS_ILLNESS: { description: 'Has a serious illness (重病 / 大病).' },
    UNEMPLOYED: { description: 'Unemployed (失业人员).' },
  },
});

export enum Sex {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
}
registerEnumType(Sex, {
  name: 'Sex',
  description: 'Sex as recorded in the resident ID number.',
  valuesConfig: { MALE: { description: 'Male (男).' }, FEMALE: { description: 'Female (女).' } },
});

export enum HouseholdRelation {
  HEAD = 'HEAD',
  SPOUSE = 'SPOUSE',
  CHILD = 'CHILD',
  PARENT = 'PARENT',
  GRANDCHILD = 'GRANDCHILD',
  SIBLING = 'SIBLING',
  OTHER = 'OTHER',
}
registerEnumType(HouseholdRelation, {
  name: 'HouseholdRelation',
  description: 'How a member is related to the head of the household (与户主关系).',
  valuesConfig: {
    HEAD: { description: 'The head of the household (户主); every household has exactly one.' },
    SPOUSE: { description: 'Spouse of the head (配偶).' },
    CHILD: { description: 'Child of the head (子女).' },
    PARENT: { description: 'Parent of the head (父母).' },
    GRANDCHILD: { description: 'Grandchild of the head (孙子女 / 外孙子女).' },
    SIBLING: { description: 'Brother or sister of the head (兄弟姐妹).' },
    OTHER: { description: 'Any other relation (其他).' },
  },
});

export enum CaseStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(CaseStatus, {
  name: 'CaseStatus',
  description: 'Whether a case (个案) is being worked on.',
  valuesConfig: {
    OPEN: { description: 'Open (在办): assistance is being coordinated; a household has at most one open case.' },
    CLOSED: { description: 'Closed (结案).' },
  },
});

@ObjectType({ implements: Node, description: 'A household (家庭) known to social assistance: where it lives, where it is registered, and its members.' })
export class Household extends Node {
  /** Committee of actual residence. */
  committeeId!: number;
  streetId!: number;
  districtId!: number;
  /** Committee of registered residence (户籍): decides the competent street. */
  registeredCommitteeId!: number;
  /** Clear text: personal data, never exposed until the access layer exists. */
  address!: string;

  @Field(() => [AssistanceStatus], { description: 'Assistance statuses the household holds (低保, 低收入, 特困, 支出型贫困); empty when none.' })
  assistanceStatuses!: AssistanceStatus[];

  @Field(() => String, {
    name: 'address',
    description:
      'Address of actual residence (实际居住地址), masked: the first 6 characters, then one * per further character. ' +
      'Clear text will need the access layer that comes with the permissions work.',
  })
  get maskedAddress(): string {
    return maskAddress(this.address);
  }

  @Field(() => Date, { description: 'When the household was registered in the hub.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'When the household record last changed.' })
  updatedAt!: Date;
}

@ObjectType({ implements: Node, description: 'A member of a household (家庭成员). Personal data is masked; the birth date is never exposed, only the age.' })
export class Person extends Node {
  householdId!: number;
  /** Clear-text personal data from the row: never exposed as is. */
  name!: string;
  idNumber!: string;
  phone!: string | null;
  /** YYYY-MM-DD; only the age derived from it is exposed. */
  birthDate!: string;
  /** As stored; MINOR in it reflects the age at registration. */
  attributes!: PersonAttribute[];

  @Field(() => HouseholdRelation, { description: 'Relation to the head of the household (与户主关系).' })
  relation!: HouseholdRelation;

  @Field(() => String, { name: 'name', description: 'Name, masked: the first character (usually the surname), then one * per further character, e.g. 张**.' })
  get maskedName(): string {
    return maskName(this.name);
  }

  @Field(() => String, { name: 'idNumber', description: 'Resident ID number (身份证号), masked: the first 3 and last 4 characters, e.g. 310***********123X.' })
  get maskedIdNumber(): string {
    return maskResidentId(this.idNumber);
  }

  @Field(() => String, { name: 'phone', nullable: true, description: 'Phone number, masked (mobile 138****5678, fixed line 021-******78); null when none was given.' })
  get maskedPhone(): string | null {
    return this.phone === null ? null : maskPhone(this.phone);
  }

  @Field(() => Sex, { description: 'Sex (性别), as encoded in the resident ID number.' })
  sex!: Sex;

  @Field(() => Int, { description: 'Age in completed years today in Shanghai, from the birth date in the resident ID number.' })
  get age(): number {
    return ageOn(this.birthDate, todayInShanghai());
  }

  @Field(() => [PersonAttribute], {
    name: 'attributes',
    description: 'Circumstances relevant to assistance (残疾, 独居老人, 未成年人, …). MINOR follows the current age, so it drops away at 18 without a data change.',
  })
  get currentAttributes(): PersonAttribute[] {
    const others = this.attributes.filter((attribute) => attribute !== PersonAttribute.MINOR);
    return this.age < AGE_OF_MAJORITY ? [...others, PersonAttribute.MINOR] : others;
  }

  @Field(() => Date, { description: 'When the person was registered in the hub.' })
  createdAt!: Date;
}

@ObjectType({ implements: Node, description: "A case (个案): the hub's record of assisting one household, owned by the competent street and a named caseworker." })
export class Case extends Node {
  householdId!: number;
  ownerStreetId!: number;
  ownerOrganizationId!: number | null;
  caseworkerId!: number;

  @Field(() => CaseStatus, { description: 'Open (在办) or closed (结案).' })
  status!: CaseStatus;

  @Field(() => String, { nullable: true, description: 'Short description of the situation and the plan; null when none was written. Must not repeat ID numbers.' })
  summary!: string | null;

  @Field(() => Date, { description: 'When the case was opened.' })
  openedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the case was closed; null while it is open.' })
  closedAt!: Date | null;
}

export const HouseholdConnection = ConnectionType(Household, 'Household', 'households');
export const PersonConnection = ConnectionType(Person, 'Person', 'household members');
export const CaseConnection = ConnectionType(Case, 'Case', 'cases');

@ObjectType({ description: 'Result of registerHousehold: the new household, or the reasons nothing was written.' })
export class RegisterHouseholdPayload {
  @Field(() => Household, { nullable: true, description: 'The registered household; null when the input was refused.' })
  household!: Household | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. All problems are listed at once.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of openCase: the new case, or the reasons nothing was written.' })
export class OpenCasePayload {
  @Field(() => Case, { nullable: true, description: 'The opened case; null when the input was refused.' })
  case!: Case | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. All problems are listed at once.' })
  userErrors!: UserError[];
}
