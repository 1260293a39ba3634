import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { Node } from '../common/node.type';
import { ConnectionType } from '../common/connection';
import { UserError } from '../common/user-error.type';
import { StaffMember, StaffPosition } from '../organizations/organizations.types';
import { AssistanceRole, ReviewOutcome } from './capacity.enums';

export { AssistanceRole, ReviewOutcome };

@ObjectType({ implements: Node, description: 'A training session for assistance staff (§2(5): caseworkers are trained at least once a year). Sessions are reference data; who attended is seen within staff scope.' })
export class TrainingSession extends Node {
  categoryId!: number | null;
  organizerId!: number;
  districtId!: number | null;
  streetId!: number | null;

  @Field({ description: 'Title, e.g. 社会救助政策解读.' })
  title!: string;

  @Field(() => LocalDateResolver, { description: 'Day the session was (or will be) held, Shanghai calendar.' })
  heldOn!: string;

  @Field(() => Float, { description: 'Length in hours, to one decimal.' })
  hours!: number;

  @Field({ description: 'When the session was recorded in the hub.' })
  createdAt!: Date;
}

@ObjectType({ description: 'One staff member’s attendance at one training session.' })
export class TrainingAttendance {
  sessionId!: number;
  staffMemberId!: number;

  @Field({ description: 'When the attendance was recorded.' })
  recordedAt!: Date;
}

@ObjectType({ description: 'Graduate hires (高校毕业生) of one district in one year.' })
export class GraduateHireCount {
  districtId!: number;

  @Field(() => Int, { description: 'Calendar year of the hire dates.' })
  year!: number;

  @Field(() => Int, { description: 'Staff hired as recent graduates that year, whether or not still in post.' })
  hires!: number;

  @Field(() => Int, { description: 'Of those, how many are still in post (active).' })
  stillActive!: number;
}

@ObjectType({ description: 'When an assisted household is next due for its periodic review (动态管理). Carries a household reference only.' })
export class HouseholdReviewSchedule {
  householdId!: number;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Day the next review is due; null when assistance ended (TERMINATED) and none is due.' })
  nextReviewOn!: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Day of the last recorded review; null before the first.' })
  lastReviewedOn!: string | null;
}

@ObjectType({ description: 'A completed periodic review of an assisted household.' })
export class HouseholdReview {
  id!: number;
  householdId!: number;
  reviewerId!: number | null;

  @Field(() => LocalDateResolver, { description: 'Day of the review.' })
  reviewedOn!: string;

  @Field(() => ReviewOutcome, { description: 'What the review decided.' })
  outcome!: ReviewOutcome;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Next review date this review set; null when assistance ended.' })
  nextReviewOn!: string | null;

  @Field({ description: 'When the review was recorded.' })
  recordedAt!: Date;
}

export const TrainingSessionConnection = ConnectionType(TrainingSession, 'TrainingSession', 'training sessions');
export const TrainingAttendanceConnection = ConnectionType(TrainingAttendance, 'TrainingAttendance', 'training attendances');
export const HouseholdReviewScheduleConnection = ConnectionType(HouseholdReviewSchedule, 'HouseholdReviewSchedule', 'household review schedules');

@InputType({ description: 'A new staff member.' })
export class CreateStaffMemberInput {
  @Field(() => ID, { description: 'Organization the person works for.' })
  organization!: string;

  @Field(() => ID, { nullable: true, description: 'Committee the person serves; required for a COORDINATOR (协理员). It must lie in the organization’s street or district.' })
  committee?: string | null;

  @Field(() => StaffPosition, { description: 'What the person does.' })
  position!: StaffPosition;

  @Field({ description: 'Full name, at most 50 characters.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Work phone (mainland mobile or fixed line).' })
  phone?: string | null;

  @Field(() => AssistanceRole, { nullable: true, description: 'Assistance work assigned; omit when the person does none.' })
  assistanceRole?: AssistanceRole | null;

  @Field(() => Boolean, { nullable: true, description: 'Hired as a recent university graduate (高校毕业生); needs hiredOn. Default false.' })
  graduateHire?: boolean | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Day the person was hired; not in the future.' })
  hiredOn?: string | null;
}

@InputType({ description: 'Changes to a staff member; omitted fields stay as they are.' })
export class UpdateStaffMemberInput {
  @Field(() => ID, { description: 'The staff member.' })
  id!: string;

  @Field(() => ID, { nullable: true, description: 'New committee the person serves.' })
  committee?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'True to detach the person from their committee.' })
  clearCommittee?: boolean | null;

  @Field(() => StaffPosition, { nullable: true, description: 'New position.' })
  position?: StaffPosition | null;

  @Field(() => String, { nullable: true, description: 'New full name.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'New work phone.' })
  phone?: string | null;

  @Field(() => AssistanceRole, { nullable: true, description: 'New assistance work.' })
  assistanceRole?: AssistanceRole | null;

  @Field(() => Boolean, { nullable: true, description: 'True when the person no longer does assistance work.' })
  clearAssistanceRole?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Hired as a recent university graduate.' })
  graduateHire?: boolean | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Day the person was hired.' })
  hiredOn?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'False once the person has left the post.' })
  active?: boolean | null;
}

@ObjectType({ description: 'Result of creating or changing a staff member.' })
export class StaffMemberPayload {
  @Field(() => StaffMember, { nullable: true, description: 'The staff member as stored; null when refused.' })
  staffMember!: StaffMember | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A new training session.' })
export class CreateTrainingSessionInput {
  @Field({ description: 'Title, at most 200 characters.' })
  title!: string;

  @Field(() => ID, { nullable: true, description: 'Catalogue item it was bought under (e.g. STAFF_TRAINING, 业务培训), if purchased.' })
  category?: string | null;

  @Field(() => ID, { description: 'Organization that runs it.' })
  organizer!: string;

  @Field(() => LocalDateResolver, { description: 'Day it is held.' })
  heldOn!: string;

  @Field(() => ID, { nullable: true, description: 'District it is for; omit with street for a city-wide session.' })
  district?: string | null;

  @Field(() => ID, { nullable: true, description: 'Street or town it is for; its district is implied.' })
  street?: string | null;

  @Field(() => Float, { description: 'Length in hours: more than 0, at most 200, to one decimal.' })
  hours!: number;
}

@ObjectType({ description: 'Result of creating a training session.' })
export class TrainingSessionPayload {
  @Field(() => TrainingSession, { nullable: true, description: 'The session; null when refused.' })
  trainingSession!: TrainingSession | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Staff who attended a session. Recording someone twice changes nothing.' })
export class RecordTrainingAttendanceInput {
  @Field(() => ID, { description: 'The session; it must have been held (not after today).' })
  session!: string;

  @Field(() => [ID], { description: 'Staff members who attended, 1 to 200.' })
  staffMembers!: string[];
}

@ObjectType({ description: 'Result of recording attendance.' })
export class TrainingAttendancePayload {
  @Field(() => TrainingSession, { nullable: true, description: 'The session; null when refused.' })
  trainingSession!: TrainingSession | null;

  @Field(() => Int, { description: 'Attendances newly recorded by this call (those already recorded are not counted again).' })
  newlyRecorded!: number;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A completed periodic review of an assisted household.' })
export class RecordHouseholdReviewInput {
  @Field(() => ID, { description: 'The household reviewed.' })
  household!: string;

  @Field(() => LocalDateResolver, { description: 'Day of the review: not in the future, not before the last recorded review.' })
  reviewedOn!: string;

  @Field(() => ReviewOutcome, { description: 'What the review decided.' })
  outcome!: ReviewOutcome;

  @Field(() => ID, { nullable: true, description: 'Staff member who did the review.' })
  reviewer?: string | null;

  @Field(() => LocalDateResolver, {
    nullable: true,
    description: 'Next review date, when not the default (the review day plus the shortest interval of the household’s statuses); after the review day, within 24 months. Not allowed with TERMINATED.',
  })
  nextReviewOn?: string | null;
}

@ObjectType({ description: 'Result of recording a review.' })
export class HouseholdReviewPayload {
  @Field(() => HouseholdReview, { nullable: true, description: 'The review recorded; null when refused.' })
  review!: HouseholdReview | null;

  @Field(() => HouseholdReviewSchedule, { nullable: true, description: 'The household’s schedule after the review; null when refused.' })
  schedule!: HouseholdReviewSchedule | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success.' })
  userErrors!: UserError[];
}
