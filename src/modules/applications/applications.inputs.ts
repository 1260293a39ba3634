import { Field, ID, InputType, Int } from 'type-graphql';
import { Urgency } from '../needs/needs.types';
import { ApplicationStatus, ApplicationType } from './applications.transitions';
import { DiscoveryReportStatus } from './applications.types';

export const MAX_STATEMENT_LENGTH = 2000;
export const MAX_REASON_LENGTH = 1000;

@InputType({ description: 'An application received at a window (一门受理).' })
export class ReceiveApplicationInput {
  @Field(() => ApplicationType, { description: 'What is applied for.' })
  type!: ApplicationType;

  @Field(() => ID, { description: 'The Household, registered anywhere in the city (全市通办); its registered residence decides the competent street.' })
  household!: string;

  @Field(() => ID, { nullable: true, description: 'The Person who applies on the household’s behalf; a member of it.' })
  applicant?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "The service centre or sub-centre (Organization of kind SERVICE_CENTER) receiving it; default the officer's own. An officer receives only at their own centre.",
  })
  receivingCenter?: string | null;

  @Field(() => String, { nullable: true, description: `Why the household applies, at most ${MAX_STATEMENT_LENGTH} characters. Do not write ID numbers into it.` })
  statement?: string | null;

  @Field(() => ID, { nullable: true, description: 'The DiscoveryReport (NEW or INVESTIGATING) this application comes from; it becomes CONVERTED and links to the application.' })
  discoveryReport?: string | null;

  @Field(() => String, { nullable: true, description: 'A key of the client: retrying with the same key returns the first application instead of making a second.' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'A hand-on (移交) of an application to another organization or officer.' })
export class HandOnApplicationInput {
  @Field(() => ID, { description: 'The application.' })
  id!: string;

  @Field(() => ID, { description: 'The Organization that takes it over, e.g. the competent street office.' })
  toOrganization!: string;

  @Field(() => ID, { nullable: true, description: 'The StaffMember of that organization who takes it over; null for the organization as a whole.' })
  toOfficer?: string | null;

  @Field(() => String, { nullable: true, description: `What goes with it, at most ${MAX_REASON_LENGTH} characters.` })
  note?: string | null;
}

@InputType({ description: 'Materials the applicant brought.' })
export class ProvideMaterialsInput {
  @Field(() => ID, { description: 'The application.' })
  id!: string;

  @Field(() => [ID], { description: 'The MaterialKinds brought; each must be one the application asks for.' })
  materialKinds!: string[];
}

@InputType({ description: 'A material asked of the applicant after the first notice.' })
export class RequestMaterialInput {
  @Field(() => ID, { description: 'The application (not yet decided).' })
  id!: string;

  @Field(() => ID, { description: 'The MaterialKind asked for.' })
  materialKind!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Required when the first notice did not list the material as missing: why it must be asked for now. The request is then a recorded exception and appears in `noticeExceptions`.',
  })
  exceptionReason?: string | null;
}

@InputType({ description: 'A step of an application with an optional or required reason.' })
export class ApplicationStepInput {
  @Field(() => ID, { description: 'The application.' })
  id!: string;

  @Field(() => String, { nullable: true, description: `Why, at most ${MAX_REASON_LENGTH} characters (required to reject or withdraw).` })
  reason?: string | null;
}

@InputType({ description: 'Publicity (公示) of an application under review.' })
export class StartPublicityInput {
  @Field(() => ID, { description: 'The application in REVIEW.' })
  id!: string;

  @Field({ description: 'Where it is posted, e.g. the notice board of the residents’ committee (1–200 characters).' })
  place!: string;

  @Field(() => String, { nullable: true, description: 'First day (YYYY-MM-DD); default today in Shanghai.' })
  start?: string | null;

  @Field(() => String, { nullable: true, description: 'Last day (YYYY-MM-DD), not before the first; default the configured period (HUB_PUBLICITY_DAYS days including the first).' })
  end?: string | null;
}

@InputType({ description: 'A need to record on the case when an application is approved.' })
export class ApprovalNeedInput {
  @Field(() => ID, { description: 'The ServiceCategory (an active catalogue item).' })
  category!: string;

  @Field(() => Urgency, { description: 'How urgent.' })
  urgency!: Urgency;

  @Field(() => Int, { description: 'Units needed, 1 to 10,000.' })
  units!: number;

  @Field(() => String, { nullable: true, description: 'Earliest start (YYYY-MM-DD); default today in Shanghai.' })
  earliestStart?: string | null;

  @Field(() => String, { nullable: true, description: 'Notes, at most 2,000 characters.' })
  notes?: string | null;
}

@InputType({ description: 'Approval of an application whose publicity has ended with every objection answered.' })
export class ApproveApplicationInput {
  @Field(() => ID, { description: 'The application in PUBLICITY.' })
  id!: string;

  @Field(() => String, { nullable: true, description: `A note on the decision, at most ${MAX_REASON_LENGTH} characters.` })
  reason?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The StaffMember who owns the case when a new one is opened: an active caseworker in the competent street. Default the officer who owns the application.',
  })
  caseworker?: string | null;

  @Field(() => [ApprovalNeedInput], { defaultValue: [], description: 'Needs to record on the household’s case (at most 20).' })
  needs!: ApprovalNeedInput[];
}

@InputType({ description: 'An objection raised during publicity.' })
export class RecordObjectionInput {
  @Field(() => ID, { description: 'The application in PUBLICITY.' })
  application!: string;

  @Field({ description: 'What the objection says (1–2,000 characters).' })
  content!: string;

  @Field(() => String, { nullable: true, description: 'Who objected, as they wish to be named; null or blank for an anonymous objection.' })
  objector?: string | null;
}

@InputType({ description: 'The answer to an objection.' })
export class AnswerObjectionInput {
  @Field(() => ID, { description: 'The PublicityObjection.' })
  id!: string;

  @Field({ description: 'The answer (1–2,000 characters).' })
  answer!: string;
}

@InputType({ description: 'Which applications to list; all given conditions must hold.' })
export class ApplicationFilter {
  @Field(() => [ApplicationStatus], { nullable: true, description: 'Applications in any of these statuses.' })
  statuses?: ApplicationStatus[] | null;

  @Field(() => [ApplicationType], { nullable: true, description: 'Applications of any of these types.' })
  types?: ApplicationType[] | null;

  @Field(() => [ID], { nullable: true, description: 'Applications whose competent district is any of these Districts.' })
  districts?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Applications whose competent street is any of these Streets.' })
  streets?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Applications received at any of these service centres (Organizations).' })
  receivingCenters?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Applications of any of these Households.' })
  households?: string[] | null;
}

@InputType({ description: 'Which notice exceptions to list; all given conditions must hold.' })
export class NoticeExceptionFilter {
  @Field(() => [ID], { nullable: true, description: 'Of applications whose competent district is any of these Districts.' })
  districts?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Of applications whose competent street is any of these Streets.' })
  streets?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Of applications received at any of these service centres (Organizations).' })
  receivingCenters?: string[] | null;
}

@InputType({ description: 'A new material kind.' })
export class CreateMaterialKindInput {
  @Field({ description: 'Stable code: 3–40 upper-case letters, digits or underscores, starting with a letter.' })
  code!: string;

  @Field({ description: 'Chinese name (1–50 characters).' })
  nameZh!: string;

  @Field({ description: 'English name (1–100 characters).' })
  nameEn!: string;

  @Field(() => String, { nullable: true, description: 'What exactly is meant (at most 1,000 characters).' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'The finder that looks for it in the hub (see MaterialKind.hubSource); null when only the applicant has it.' })
  hubSource?: string | null;
}

@InputType({ description: 'Changes to a material kind; omitted fields stay as they are.' })
export class UpdateMaterialKindInput {
  @Field(() => ID, { description: 'The MaterialKind.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'New Chinese name.' })
  nameZh?: string | null;

  @Field(() => String, { nullable: true, description: 'New English name.' })
  nameEn?: string | null;

  @Field(() => String, { nullable: true, description: 'New description.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'New finder key; give an empty string to remove it.' })
  hubSource?: string | null;
}

@InputType({ description: 'The whole checklist of one application type.' })
export class SetApplicationChecklistInput {
  @Field(() => ApplicationType, { description: 'The application type.' })
  type!: ApplicationType;

  @Field(() => [ID], { description: 'The MaterialKinds it requires, in notice order, each once. Applications already received keep their notice.' })
  materialKinds!: string[];
}

@InputType({ description: 'A discovery report (发现报告) from a committee.' })
export class ReportDiscoveryInput {
  @Field(() => ID, { description: 'The Committee where the household lives.' })
  committee!: string;

  @Field(() => ID, { nullable: true, description: 'The Household when it is already registered in the hub.' })
  household?: string | null;

  @Field({ description: 'What was seen (1–2,000 characters).' })
  description!: string;

  @Field(() => String, { nullable: true, description: 'The address, when the household is not registered (at most 200 characters). Personal data: shown masked.' })
  address?: string | null;
}

@InputType({ description: 'A step on a discovery report.' })
export class DiscoveryStepInput {
  @Field(() => ID, { description: 'The DiscoveryReport.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'Why (required to close).' })
  reason?: string | null;
}

@InputType({ description: 'Which discovery reports to list; all given conditions must hold.' })
export class DiscoveryReportFilter {
  @Field(() => [DiscoveryReportStatus], { nullable: true, description: 'Reports in any of these statuses.' })
  statuses?: DiscoveryReportStatus[] | null;

  @Field(() => [ID], { nullable: true, description: 'Reports in any of these Districts.' })
  districts?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Reports in any of these Streets.' })
  streets?: string[] | null;
}
