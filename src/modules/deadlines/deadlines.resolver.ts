import { LocalDateResolver } from 'graphql-scalars';
import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { todayInShanghai } from '../../common/dates';
import { badInput } from '../../common/errors';
import type { HubContext } from '../../server/context';
import { Application } from '../applications/applications.types';
import { WHOLE_CALENDAR } from '../calendar/calendar.loaders';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { requireIds } from '../common/ids';
import { loadOptional, loadRequired } from '../common/load';
import { toModel, toModels } from '../common/node.type';
import { District, Street } from '../geography/geography.types';
import { Organization } from '../organizations/organizations.types';
import { listOpenDeadlines, listStepLimits, summarizeDeadlines, type DeadlinePlaceFilter, type StepLimitRow } from './deadlines.repository';
import { deadlineDays, requireDeadlineReader, requireDueSoonWindow, setApplicationStepLimit, stepState, workingDaysLeft } from './deadlines.service';
import {
  ApplicationDeadlineFilter,
  ApplicationDeadlineGroup,
  ApplicationDeadlineSummaryFilter,
  ApplicationEscalation,
  ApplicationStep,
  ApplicationStepConnection,
  ApplicationStepLimit,
  ApplicationStepLimitPayload,
  DeadlineGroupBy,
  OpenStepState,
  SetApplicationStepLimitInput,
  StepState,
} from './deadlines.types';

const ids = (values: string[] | null | undefined, type: string, field: string[]) => (values ? requireIds(values, type, field) : undefined);

function placeFilter(filter: ApplicationDeadlineSummaryFilter | undefined): DeadlinePlaceFilter {
  return {
    districtIds: ids(filter?.districts, 'District', ['filter', 'districts']),
    streetIds: ids(filter?.streets, 'Street', ['filter', 'streets']),
    receivingOrganizationIds: ids(filter?.receivingCenters, 'Organization', ['filter', 'receivingCenters']),
  };
}

/** The reading's days: today in Shanghai as of the request, and the end of its "nearly due" window. */
async function daysOf(ctx: HubContext, filter: ApplicationDeadlineSummaryFilter | undefined) {
  const window = requireDueSoonWindow(filter?.dueSoonWithinWorkingDays, ['filter', 'dueSoonWithinWorkingDays']);
  return deadlineDays(await ctx.loaders.workingCalendar.load(WHOLE_CALENDAR), ctx.now, window);
}

const toLimit = (row: StepLimitRow): ApplicationStepLimit => toModel(ApplicationStepLimit, row);

@Resolver(() => Application)
export class ApplicationStepsResolver {
  @FieldResolver(() => ApplicationStep, { nullable: true, description: 'The open step, with its deadline; null once the application is decided.' })
  async currentStep(@Root() application: Application, @Ctx() ctx: HubContext): Promise<ApplicationStep | null> {
    const steps = await ctx.loaders.stepsOfApplication.load(application.id);
    const last = steps[steps.length - 1];
    return last && last.completedAt === null ? toModel(ApplicationStep, last) : null;
  }

  @FieldResolver(() => [ApplicationStep], { description: 'The steps of the application, oldest first, each with its deadline and how it was met (the newest 20).' })
  async steps(@Root() application: Application, @Ctx() ctx: HubContext): Promise<ApplicationStep[]> {
    return toModels(ApplicationStep, await ctx.loaders.stepsOfApplication.load(application.id));
  }
}

@Resolver(() => ApplicationStep)
export class ApplicationStepResolver {
  @Query(() => ApplicationStepConnection, {
    description:
      'Open steps with a time limit (限时办理) of applications the viewer may see, by deadline then ID: by default those overdue or nearly due, as of today in Shanghai. Refused to viewers who may see no application.',
  })
  async applicationDeadlines(
    @Arg('filter', () => ApplicationDeadlineFilter, { nullable: true, description: 'Which steps to list.' }) filter: ApplicationDeadlineFilter | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<ApplicationStep>> {
    const visibility = requireDeadlineReader(ctx.visible.Application);
    const days = await daysOf(ctx, filter);
    const states = new Set(filter?.states?.length ? filter.states : [OpenStepState.OVERDUE, OpenStepState.DUE_SOON]);
    const rows = await listOpenDeadlines(ctx.db, visibility, placeFilter(filter), states, days, page, ctx.config.maxPageSize);
    const connection = toConnection(ApplicationStepConnection, ApplicationStep, rows);
    for (const step of connection.nodes) step.dueSoonBy = days.dueSoonBy;
    return connection;
  }

  @Query(() => [ApplicationDeadlineGroup], {
    description:
      'Per district, street or receiving centre: open steps with a time limit, how many are overdue, nearly due and escalated, and the steps completed in a period with how many on time (按时办结率, §4(1)). Applications the viewer may see; groups without any such step are left out. Refused to viewers who may see no application.',
  })
  async applicationDeadlineSummary(
    @Arg('groupBy', () => DeadlineGroupBy, { description: 'How to group the applications.' }) groupBy: DeadlineGroupBy,
    @Arg('filter', () => ApplicationDeadlineSummaryFilter, { nullable: true, description: 'Which applications to count.' }) filter: ApplicationDeadlineSummaryFilter | undefined,
    @Arg('completedFrom', () => LocalDateResolver, { nullable: true, description: 'Count completed steps from this day (inclusive); default no lower bound.' }) completedFrom: string | undefined,
    @Arg('completedTo', () => LocalDateResolver, { nullable: true, description: 'Count completed steps up to this day (inclusive); default no upper bound.' }) completedTo: string | undefined,
    @Ctx() ctx: HubContext,
  ): Promise<ApplicationDeadlineGroup[]> {
    const visibility = requireDeadlineReader(ctx.visible.Application);
    if (completedFrom != null && completedTo != null && completedTo < completedFrom) throw badInput(['completedTo'], 'completedTo must not be before completedFrom');
    const days = await daysOf(ctx, filter);
    const rows = await summarizeDeadlines(ctx.db, visibility, groupBy, placeFilter(filter), days, { from: completedFrom ?? undefined, to: completedTo ?? undefined });
    return rows.map((row) => toModel(ApplicationDeadlineGroup, { ...row, groupBy, onTimeRate: row.completedSteps === 0 ? null : row.completedOnTime / row.completedSteps }));
  }

  @FieldResolver(() => Application, { nullable: true, description: 'The application; null when the viewer may not see it.' })
  application(@Root() step: ApplicationStep, @Ctx() ctx: HubContext): Promise<Application | null> {
    return loadOptional(ctx.loaders.application, step.applicationId, Application);
  }

  @FieldResolver(() => StepState, { description: 'Where the step stands against its deadline, as of today in Shanghai.' })
  async state(@Root() step: ApplicationStep, @Ctx() ctx: HubContext): Promise<StepState> {
    const days = deadlineDays(await ctx.loaders.workingCalendar.load(WHOLE_CALENDAR), ctx.now);
    return StepState[stepState(step, step.dueSoonBy ? { ...days, dueSoonBy: step.dueSoonBy } : days)];
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Working days from today (Shanghai) to the deadline: 0 on the day, negative once overdue; null without a limit or once completed.' })
  async workingDaysLeft(@Root() step: ApplicationStep, @Ctx() ctx: HubContext): Promise<number | null> {
    return workingDaysLeft(step, todayInShanghai(ctx.now), await ctx.loaders.workingCalendar.load(WHOLE_CALENDAR));
  }

  @FieldResolver(() => ApplicationEscalation, { nullable: true, description: 'The escalation (督办) raised when the step went overdue; null when none.' })
  async escalation(@Root() step: ApplicationStep, @Ctx() ctx: HubContext): Promise<ApplicationEscalation | null> {
    const row = await ctx.loaders.escalationOfStep.load(step.id);
    return row ? toModel(ApplicationEscalation, row) : null;
  }
}

@Resolver(() => ApplicationEscalation)
export class ApplicationEscalationResolver {
  @FieldResolver(() => Organization, { nullable: true, description: "The competent district's civil affairs bureau it went to; null when the hub does not know that bureau." })
  toOrganization(@Root() escalation: ApplicationEscalation, @Ctx() ctx: HubContext): Promise<Organization | null> {
    return loadOptional(ctx.loaders.organization, escalation.toOrganizationId, Organization);
  }
}

@Resolver(() => ApplicationDeadlineGroup)
export class ApplicationDeadlineGroupResolver {
  @FieldResolver(() => District, { nullable: true, description: 'The district, when grouped by DISTRICT.' })
  async district(@Root() group: ApplicationDeadlineGroup, @Ctx() ctx: HubContext): Promise<District | null> {
    return group.groupBy === DeadlineGroupBy.DISTRICT ? loadRequired(ctx.loaders.district, group.groupId, District) : null;
  }

  @FieldResolver(() => Street, { nullable: true, description: 'The street or town, when grouped by STREET.' })
  async street(@Root() group: ApplicationDeadlineGroup, @Ctx() ctx: HubContext): Promise<Street | null> {
    return group.groupBy === DeadlineGroupBy.STREET ? loadRequired(ctx.loaders.street, group.groupId, Street) : null;
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The receiving service centre, when grouped by CENTER.' })
  async receivingCenter(@Root() group: ApplicationDeadlineGroup, @Ctx() ctx: HubContext): Promise<Organization | null> {
    return group.groupBy === DeadlineGroupBy.CENTER ? loadRequired(ctx.loaders.organization, group.groupId, Organization) : null;
  }
}

@Resolver(() => ApplicationStepLimit)
export class ApplicationStepLimitResolver {
  @Query(() => [ApplicationStepLimit], { description: 'How many working days each status may take (限时办理), by status. Public: these are published service commitments.' })
  async applicationStepLimits(@Ctx() ctx: HubContext): Promise<ApplicationStepLimit[]> {
    return (await listStepLimits(ctx.db)).map(toLimit);
  }

  @Mutation(() => ApplicationStepLimitPayload, { description: "Sets a status's time limit in working days (city civil affairs); the deadlines of open steps follow at once." })
  async setApplicationStepLimit(@Arg('input', () => SetApplicationStepLimitInput, { description: 'The status and its limit.' }) input: SetApplicationStepLimitInput, @Ctx() ctx: HubContext): Promise<ApplicationStepLimitPayload> {
    const result = await setApplicationStepLimit(ctx.db, ctx, input);
    return { stepLimit: result.row && toLimit(result.row), movedSteps: result.row?.movedSteps ?? null, userErrors: result.userErrors };
  }
}
