import { LocalDateResolver } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ApplicationStatus } from '../applications/applications.transitions';
import { ConnectionType } from '../common/connection';
import { Node } from '../common/node.type';
import { UserError } from '../common/user-error.type';

/** Mirrors `StepStateValue` of the service. */
export enum StepState {
  ON_TIME = 'ON_TIME',
  DUE_SOON = 'DUE_SOON',
  OVERDUE = 'OVERDUE',
  COMPLETED_ON_TIME = 'COMPLETED_ON_TIME',
  COMPLETED_LATE = 'COMPLETED_LATE',
  NO_LIMIT = 'NO_LIMIT',
}
registerEnumType(StepState, {
  name: 'StepState',
  description: 'Where a step of an application stands against its time limit (限时办理), as of today in Shanghai.',
  valuesConfig: {
    ON_TIME: { description: 'Open, and its deadline is further off than the "nearly due" window.' },
    DUE_SOON: { description: 'Open, and due today or within the "nearly due" window (default two working days).' },
    OVERDUE: { description: 'Open past its deadline (超期).' },
    COMPLETED_ON_TIME: { description: 'Completed on or before its deadline.' },
    COMPLETED_LATE: { description: 'Completed after its deadline.' },
    NO_LIMIT: { description: 'Its status has no time limit.' },
  },
});

/** The states of an open timed step, the ones the deadlines list filters on. */
export enum OpenStepState {
  OVERDUE = 'OVERDUE',
  DUE_SOON = 'DUE_SOON',
  ON_TIME = 'ON_TIME',
}
registerEnumType(OpenStepState, {
  name: 'OpenStepState',
  description: 'Where an open step with a time limit stands, as of today in Shanghai.',
  valuesConfig: {
    OVERDUE: { description: 'Past its deadline.' },
    DUE_SOON: { description: 'Due today or within the "nearly due" window.' },
    ON_TIME: { description: 'Due after the "nearly due" window.' },
  },
});

export enum DeadlineGroupBy {
  DISTRICT = 'DISTRICT',
  STREET = 'STREET',
  CENTER = 'CENTER',
}
registerEnumType(DeadlineGroupBy, {
  name: 'DeadlineGroupBy',
  description: 'How the deadline summary groups applications.',
  valuesConfig: {
    DISTRICT: { description: 'By competent district (户籍地).' },
    STREET: { description: 'By competent street or town (户籍地).' },
    CENTER: { description: 'By the service centre that received the application (首问负责).' },
  },
});

@ObjectType({ implements: Node, description: 'One step of an application: the time it spent in one status, with the deadline in working days it had there (限时办理).' })
export class ApplicationStep extends Node {
  applicationId!: number;
  /** Set by the deadlines list: its own "nearly due" window; otherwise the default applies. */
  dueSoonBy?: string;

  @Field(() => ApplicationStatus, { description: 'The status of the step.' })
  status!: ApplicationStatus;

  @Field(() => Date, { description: 'When the application entered the status.' })
  enteredAt!: Date;

  @Field(() => LocalDateResolver, { description: 'The Shanghai date the step began; its deadline counts working days after it (the day itself not counted).' })
  enteredOn!: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'The last day of the time limit; null when the status has no limit.' })
  dueOn!: string | null;

  @Field({ description: 'True when the deadline reaches a year whose official calendar is not loaded yet: counted by the weekend rule alone, it moves once the year is loaded.' })
  provisional!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the application left the status; null while the step is open.' })
  completedAt!: Date | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'The Shanghai date the step was completed; null while open.' })
  completedOn!: string | null;
}

export const ApplicationStepConnection = ConnectionType(ApplicationStep, 'ApplicationStep', 'application steps with their deadlines');

@ObjectType({ description: 'An escalation (督办): the step went past its deadline and the district civil affairs bureau was told. Raised once per step.' })
export class ApplicationEscalation {
  toOrganizationId!: number | null;

  @Field(() => LocalDateResolver, { description: 'The day it was raised: the first day after the deadline that the escalation job ran.' })
  escalatedOn!: string;

  @Field(() => LocalDateResolver, { description: 'The deadline that was missed.' })
  dueOn!: string;
}

@InputType({ description: 'Which applications the deadlines are read for; all given conditions must hold, within what the viewer may see.' })
export class ApplicationDeadlineSummaryFilter {
  @Field(() => [ID], { nullable: true, description: 'Applications whose competent district is any of these Districts.' })
  districts?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Applications whose competent street is any of these Streets.' })
  streets?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Applications received at any of these service centres (Organizations).' })
  receivingCenters?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'A step is nearly due when due today or within this many working days (0–30; default 2).' })
  dueSoonWithinWorkingDays?: number | null;
}

@InputType({ description: 'Which open steps to list; all given conditions must hold, within what the viewer may see.' })
export class ApplicationDeadlineFilter extends ApplicationDeadlineSummaryFilter {
  @Field(() => [OpenStepState], { nullable: true, description: 'Steps in any of these states; default OVERDUE and DUE_SOON.' })
  states?: OpenStepState[] | null;
}

@ObjectType({ description: "One group of the deadline summary: a district, street or centre's open steps against their deadlines, and its on-time handling rate over a period (§4(1))." })
export class ApplicationDeadlineGroup {
  groupBy!: DeadlineGroupBy;
  groupId!: number;

  @Field(() => Int, { description: 'Open steps with a time limit.' })
  openSteps!: number;

  @Field(() => Int, { description: 'Open steps past their deadline.' })
  overdue!: number;

  @Field(() => Int, { description: 'Open steps due today or within the "nearly due" window.' })
  dueSoon!: number;

  @Field(() => Int, { description: 'Open steps an escalation (督办) was raised for.' })
  escalated!: number;

  @Field(() => Int, { description: 'Steps with a time limit completed in the period.' })
  completedSteps!: number;

  @Field(() => Int, { description: 'Of those, the steps completed on or before their deadline.' })
  completedOnTime!: number;

  @Field(() => Float, { nullable: true, description: 'completedOnTime / completedSteps (按时办结率), from 0 to 1; null when no step was completed in the period.' })
  onTimeRate!: number | null;
}

@ObjectType({ description: 'How many working days an application may spend in a status (限时办理): a published service commitment.' })
export class ApplicationStepLimit {
  @Field(() => ApplicationStatus, { description: 'The status.' })
  status!: ApplicationStatus;

  @Field(() => Int, { description: 'Working days a step in this status may take, counted after the day it begins.' })
  workingDays!: number;

  @Field(() => Date, { description: 'When the limit was last set.' })
  updatedAt!: Date;
}

@InputType({ description: 'The time limit of a status.' })
export class SetApplicationStepLimitInput {
  @Field(() => ApplicationStatus, { description: 'A status before a decision (not APPROVED, REJECTED or WITHDRAWN).' })
  status!: ApplicationStatus;

  @Field(() => Int, { description: 'Working days, 0–200.' })
  workingDays!: number;
}

@ObjectType({ description: 'The result of setApplicationStepLimit.' })
export class ApplicationStepLimitPayload {
  @Field(() => ApplicationStepLimit, { nullable: true, description: 'The limit as set; null when refused.' })
  stepLimit!: ApplicationStepLimit | null;

  @Field(() => Int, { nullable: true, description: 'How many open steps had their deadline moved by the change; null when refused.' })
  movedSteps!: number | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success.' })
  userErrors!: UserError[];
}
