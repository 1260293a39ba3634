import { Field, ID, InputType } from 'type-graphql';
import { AssistanceStatus, HouseholdRelation, PersonAttribute } from './households.types';

export const MAX_ADDRESS_LENGTH = 200;
export const MAX_NAME_LENGTH = 50;
export const MAX_MEMBERS = 20;
export const MAX_SUMMARY_LENGTH = 2000;

@InputType({ description: 'A member of a household being registered (家庭成员).' })
export class PersonInput {
  @Field({ description: `Full name as on the resident ID card, 1 to ${MAX_NAME_LENGTH} characters.` })
  name!: string;

  @Field({ description: 'Resident ID number (身份证号), 18 characters with a valid GB 11643 check character. Sex and birth date are taken from it; a lower-case x is accepted.' })
  idNumber!: string;

  @Field(() => String, { nullable: true, description: 'Mainland phone number: a mobile (optionally +86) or a fixed line with area code, e.g. 021-12345678. Null or blank for none.' })
  phone?: string | null;

  @Field(() => HouseholdRelation, { description: 'Relation to the head of the household (与户主关系); exactly one member is HEAD.' })
  relation!: HouseholdRelation;

  @Field(() => [PersonAttribute], { defaultValue: [], description: 'Circumstances relevant to assistance. MINOR need not be given: it is derived from the birth date.' })
  attributes!: PersonAttribute[];
}

@InputType({ description: 'A household to register, with all its members.' })
export class RegisterHouseholdInput {
  @Field(() => ID, { description: "ID of the Committee (居委会 / 村委会) where the household actually lives; its street and district follow from it." })
  committee!: string;

  @Field(() => ID, { nullable: true, description: 'ID of the Committee of registered residence (户籍地), which decides the competent street. Defaults to `committee`.' })
  registeredCommittee?: string | null;

  @Field({ description: `Address of actual residence, 1 to ${MAX_ADDRESS_LENGTH} characters.` })
  address!: string;

  @Field(() => [AssistanceStatus], { defaultValue: [], description: 'Assistance statuses the household already holds (低保, 低收入, 特困, 支出型贫困).' })
  assistanceStatuses!: AssistanceStatus[];

  @Field(() => [PersonInput], { description: `The members, 1 to ${MAX_MEMBERS}, exactly one of them the head (户主). An ID number may be registered only once in the hub.` })
  members!: PersonInput[];
}

@InputType({ description: 'A case (个案) to open for a household.' })
export class OpenCaseInput {
  @Field(() => ID, { description: 'ID of the Household; it must not have an open case already.' })
  household!: string;

  @Field(() => ID, {
    description:
      "ID of the StaffMember who will own the case: an active caseworker or social worker of an organization in the household's competent street (the street of its registered residence).",
  })
  caseworker!: string;

  @Field(() => String, { nullable: true, description: `Short description of the situation, at most ${MAX_SUMMARY_LENGTH} characters. Do not write ID numbers into it.` })
  summary?: string | null;
}
