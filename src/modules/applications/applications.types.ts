import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { ConnectionType } from '../common/connection';
import { Node } from '../common/node.type';
import { UserError } from '../common/user-error.type';
import { maskAddress } from '../households/households.privacy';
import { ApplicationStatus, ApplicationType } from './applications.transitions';

export { ApplicationStatus, ApplicationType };

export enum MaterialState {
  MISSING = 'MISSING',
  PROVIDED = 'PROVIDED',
  FOUND_IN_HUB = 'FOUND_IN_HUB',
}

export enum DiscoveryReportStatus {
  NEW = 'NEW',
  INVESTIGATING = 'INVESTIGATING',
  CONVERTED = 'CONVERTED',
  CLOSED = 'CLOSED',
}

registerEnumType(ApplicationType, {
  name: 'ApplicationType',
  description: 'The national types of social assistance an application can ask for.',
  valuesConfig: {
    MINIMUM_LIVING_ALLOWANCE: { description: 'Minimum living allowance (最低生活保障, 低保); needs an economic-status verification.' },
    EXTREME_POVERTY_SUPPORT: { description: 'Support for people in extreme poverty (特困人员救助供养); needs an economic-status verification.' },
    DISASTER_RELIEF: { description: 'Disaster relief (受灾人员救助).' },
    MEDICAL: { description: 'Medical assistance (医疗救助).' },
    EDUCATION: { description: 'Education assistance (教育救助).' },
    HOUSING: { description: 'Housing assistance (住房救助).' },
    EMPLOYMENT: { description: 'Employment assistance (就业救助).' },
    TEMPORARY_ASSISTANCE: { description: 'Temporary assistance (临时救助) in an emergency.' },
  },
});

registerEnumType(ApplicationStatus, {
  name: 'ApplicationStatus',
  description: 'Where an application is in its lifecycle (one transition table).',
  valuesConfig: {
    RECEIVED: { description: 'Received at a window (收件); the one-time notice lists what is still missing.' },
    ACCEPTED: { description: 'Accepted (受理): every material of the notice is in hand.' },
    UNDER_VERIFICATION: { description: 'The household economic-status verification (经济状况核对) is under way.' },
    REVIEW: { description: 'Under review (审核) by the competent street.' },
    PUBLICITY: { description: 'Posted for publicity (公示) at a place for a period; objections may be raised.' },
    APPROVED: { description: 'Approved (审批通过): the household holds the assistance; its case and needs are updated.' },
    REJECTED: { description: 'Rejected (不予批准), with the reason.' },
    WITHDRAWN: { description: 'Withdrawn (撤回) by the applicant or closed by the handling office, with the reason.' },
  },
});

registerEnumType(MaterialState, {
  name: 'MaterialState',
  description: 'Where one material of an application stands.',
  valuesConfig: {
    MISSING: { description: 'The applicant still has to bring it.' },
    PROVIDED: { description: 'The applicant brought it.' },
    FOUND_IN_HUB: { description: 'The hub already holds it (数据多跑路): nobody asks the applicant for it.' },
  },
});

registerEnumType(DiscoveryReportStatus, {
  name: 'DiscoveryReportStatus',
  description: 'Where a discovery report (发现报告) stands.',
  valuesConfig: {
    NEW: { description: 'Reported by the committee, not yet taken up.' },
    INVESTIGATING: { description: 'A street officer is looking into it.' },
    CONVERTED: { description: 'It turned into an application, which it links to.' },
    CLOSED: { description: 'Closed without an application, with the reason.' },
  },
});

@ObjectType({ implements: Node, description: 'A kind of material an application may need (申请材料), e.g. 身份证明 or 收入证明.' })
export class MaterialKind extends Node {
  @Field({ description: 'Stable code, e.g. INCOME_PROOF.' })
  code!: string;

  @Field({ description: 'Chinese name, as the notice prints it.' })
  nameZh!: string;

  @Field({ description: 'English name.' })
  nameEn!: string;

  @Field(() => String, { nullable: true, description: 'What exactly is meant; null when the name says it all.' })
  description!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The hub data that can stand in for it (a finder's key such as IDENTITY, RESIDENCE, DISABILITY); null when only the applicant has it.",
  })
  hubSource!: string | null;
}

@ObjectType({ description: 'The checklist of one application type: every material it requires, in the order of the notice.' })
export class ApplicationChecklist {
  @Field(() => ApplicationType, { description: 'The application type.' })
  type!: ApplicationType;

  @Field(() => [MaterialKind], { description: 'The required materials, in notice order.' })
  materials!: MaterialKind[];
}

@ObjectType({ description: 'Where the hub found a material: which data, which department. Never a personal value.' })
export class FoundIn {
  @Field({ description: 'The finder that found it (the material kind’s hubSource).' })
  source!: string;

  @Field({ description: 'Which data stands in for the material, e.g. "Resident ID numbers of every member on file".' })
  data!: string;

  @Field({ description: 'Which department holds that data.' })
  department!: string;
}

@ObjectType({ description: 'One material of an application: what the one-time notice (一次性告知) said of it, and where it stands now.' })
export class ApplicationMaterial {
  id!: number;
  applicationId!: number;
  materialKindId!: number;
  foundSource!: string | null;
  foundData!: string | null;
  foundDepartment!: string | null;

  @Field(() => MaterialState, { description: 'Where it stands now.' })
  state!: MaterialState;

  @Field(() => MaterialState, { nullable: true, description: 'What the first notice said of it (MISSING or FOUND_IN_HUB); null when the notice did not list it (a later exception).' })
  noticeState!: MaterialState | null;

  @Field({ description: 'True when the first notice listed it.' })
  get inFirstNotice(): boolean {
    return this.noticeState !== null;
  }

  @Field(() => FoundIn, { nullable: true, description: 'Where the hub found it; null unless the hub holds it.' })
  get foundIn(): FoundIn | null {
    return this.foundSource === null ? null : { source: this.foundSource, data: this.foundData ?? '', department: this.foundDepartment ?? '' };
  }

  @Field(() => String, { nullable: true, description: 'Why it was asked for after the first notice without being listed there (a recorded exception); null otherwise.' })
  exceptionReason!: string | null;

  @Field(() => String, { nullable: true, description: 'Subject of who asked for it after the notice; null when nobody did.' })
  requestedLaterBy!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was asked for after the notice; null when it was not.' })
  requestedLaterAt!: Date | null;

  @Field(() => Date, { description: 'When its state last changed.' })
  updatedAt!: Date;
}

@ObjectType({ implements: Node, description: 'An application for assistance (救助申请): received at any window in the city, handled by the competent street.' })
export class Application extends Node {
  householdId!: number;
  applicantId!: number | null;
  receivingOrganizationId!: number;
  receivingStreetId!: number;
  receivingOfficerId!: number | null;
  ownerOrganizationId!: number;
  ownerOfficerId!: number | null;
  competentStreetId!: number;
  competentDistrictId!: number;
  caseId!: number | null;

  @Field(() => ApplicationType, { description: 'What is applied for.' })
  type!: ApplicationType;

  @Field(() => ApplicationStatus, { description: 'Where it is in its lifecycle.' })
  status!: ApplicationStatus;

  @Field(() => Date, { description: 'When the current status was entered: step deadlines count from it.' })
  statusSince!: Date;

  @Field(() => Date, { description: 'When it was received.' })
  receivedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Why the household applies, as recorded at the window; null when not recorded.' })
  statement!: string | null;

  @Field(() => String, { nullable: true, description: 'The reason of a rejection or withdrawal, or the note of an approval.' })
  decisionReason!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was approved, rejected or withdrawn.' })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Where it is posted for publicity (公示), e.g. the committee notice board; null before publicity.' })
  publicityPlace!: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'First day of the publicity period.' })
  publicityStart!: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Last day of the publicity period; approval waits until it has passed.' })
  publicityEnd!: string | null;

  @Field(() => Date, { description: 'When it last changed.' })
  updatedAt!: Date;
}

@ObjectType({ description: 'One step in the history of an application: who, when, why.' })
export class ApplicationEvent {
  id!: number;

  @Field(() => ApplicationStatus, { nullable: true, description: 'Status before the step; null for the intake itself.' })
  fromStatus!: ApplicationStatus | null;

  @Field(() => ApplicationStatus, { description: 'Status after the step.' })
  toStatus!: ApplicationStatus;

  @Field(() => String, { nullable: true, description: 'Subject of who made the step.' })
  actor!: string | null;

  @Field(() => String, { nullable: true, description: 'Why.' })
  reason!: string | null;

  @Field({ description: 'When.' })
  at!: Date;
}

@ObjectType({ description: 'A hand-on (移交): ownership of an application moving from one organization or officer to another.' })
export class ApplicationHandoff {
  id!: number;
  fromOrganizationId!: number;
  fromOfficerId!: number | null;
  toOrganizationId!: number;
  toOfficerId!: number | null;

  @Field(() => String, { nullable: true, description: 'What was said with it.' })
  note!: string | null;

  @Field(() => String, { nullable: true, description: 'Subject of who handed it on.' })
  actor!: string | null;

  @Field({ description: 'When.' })
  at!: Date;
}

@ObjectType({ implements: Node, description: 'An objection (异议) raised during publicity. Sensitive: only officials whose scope reaches the application read it.' })
export class PublicityObjection extends Node {
  applicationId!: number;

  @Field(() => String, { nullable: true, description: 'Who objected, as they gave it; null when anonymous.' })
  objector!: string | null;

  @Field({ description: 'What the objection says.' })
  content!: string;

  @Field(() => String, { nullable: true, description: 'Subject of who recorded it.' })
  recordedBy!: string | null;

  @Field({ description: 'When it was recorded.' })
  recordedAt!: Date;

  @Field(() => String, { nullable: true, description: 'The answer; null while unanswered (approval waits for it).' })
  answer!: string | null;

  @Field(() => String, { nullable: true, description: 'Subject of who answered.' })
  answeredBy!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was answered.' })
  answeredAt!: Date | null;
}

@ObjectType({ implements: Node, description: "A discovery report (发现报告): a committee's word that a household may be in difficulty, for the street to investigate." })
export class DiscoveryReport extends Node {
  committeeId!: number;
  streetId!: number;
  districtId!: number;
  householdId!: number | null;
  applicationId!: number | null;
  reporterStaffId!: number | null;
  /** Clear text: personal data. */
  addressText!: string | null;

  @Field({ description: 'What the committee saw.' })
  description!: string;

  @Field(() => String, { name: 'address', nullable: true, description: 'The address as reported, masked like household addresses; null when none was given.' })
  get maskedAddress(): string | null {
    return this.addressText === null ? null : maskAddress(this.addressText);
  }

  @Field(() => DiscoveryReportStatus, { description: 'Where it stands.' })
  status!: DiscoveryReportStatus;

  @Field(() => Date, { description: 'When the current status was entered.' })
  statusSince!: Date;

  @Field(() => String, { nullable: true, description: 'Subject of who reported it.' })
  reportedBy!: string | null;

  @Field(() => String, { nullable: true, description: 'Subject of the officer who took it up.' })
  investigatedBy!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was closed without an application.' })
  closeReason!: string | null;

  @Field({ description: 'When it was reported.' })
  createdAt!: Date;
}

export const ApplicationConnection = ConnectionType(Application, 'Application', 'applications');
export const ApplicationEventConnection = ConnectionType(ApplicationEvent, 'ApplicationEvent', 'application history steps');
export const ApplicationHandoffConnection = ConnectionType(ApplicationHandoff, 'ApplicationHandoff', 'hand-ons of an application');
export const NoticeExceptionConnection = ConnectionType(ApplicationMaterial, 'NoticeException', 'materials asked for outside the first notice');
export const DiscoveryReportConnection = ConnectionType(DiscoveryReport, 'DiscoveryReport', 'discovery reports');

@ObjectType({ description: 'Result of an application mutation.' })
export class ApplicationPayload {
  @Field(() => Application, { nullable: true, description: 'The application after the change; null when refused.' })
  application!: Application | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of recording or answering a publicity objection.' })
export class PublicityObjectionPayload {
  @Field(() => PublicityObjection, { nullable: true, description: 'The objection after the change; null when refused.' })
  objection!: PublicityObjection | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of a material-kind mutation.' })
export class MaterialKindPayload {
  @Field(() => MaterialKind, { nullable: true, description: 'The material kind after the change; null when refused.' })
  materialKind!: MaterialKind | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of setting a checklist.' })
export class ApplicationChecklistPayload {
  @Field(() => ApplicationChecklist, { nullable: true, description: 'The checklist after the change; null when refused.' })
  checklist!: ApplicationChecklist | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of a discovery-report mutation.' })
export class DiscoveryReportPayload {
  @Field(() => DiscoveryReport, { nullable: true, description: 'The report after the change; null when refused.' })
  discoveryReport!: DiscoveryReport | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
