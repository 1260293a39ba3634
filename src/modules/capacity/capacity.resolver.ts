import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { reportScopes } from '../../auth/policy';
import { checkYear, todayInShanghai } from '../../common/dates';
import { badInput } from '../../common/errors';
import type { HubContext } from '../../server/context';
import { ServiceCategory } from '../catalogue/catalogue.types';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { requireIds } from '../common/ids';
import { loadOptional, loadRequired } from '../common/load';
import { toModel } from '../common/node.type';
import { Committee, CommitteeConnection, District, Street } from '../geography/geography.types';
import { Household } from '../households/households.types';
import { Organization, StaffMember, StaffMemberConnection } from '../organizations/organizations.types';
import { countGraduateHires, listCommitteesWithoutAssistanceStaff, listOverdueReviews, listTrainingSessions, listUntrainedAssistanceWorkers, type PlaceFilter } from './capacity.repository';
import { createStaffMember, createTrainingSession, recordHouseholdReview, recordTrainingAttendance, reportVisibility, updateStaffMember } from './capacity.service';
import {
  CreateStaffMemberInput,
  CreateTrainingSessionInput,
  GraduateHireCount,
  HouseholdReview,
  HouseholdReviewPayload,
  HouseholdReviewSchedule,
  HouseholdReviewScheduleConnection,
  RecordHouseholdReviewInput,
  RecordTrainingAttendanceInput,
  StaffMemberPayload,
  TrainingAttendance,
  TrainingAttendanceConnection,
  TrainingAttendancePayload,
  TrainingSession,
  TrainingSessionConnection,
  TrainingSessionPayload,
  UpdateStaffMemberInput,
} from './capacity.types';

const MAX_YEARS = 10;
const DAY_MS = 86_400_000;

function placeFilter(districts: string[] | undefined, streets: string[] | undefined): PlaceFilter {
  return { districtIds: districts ? requireIds(districts, 'District', ['districts']) : undefined, streetIds: streets ? requireIds(streets, 'Street', ['streets']) : undefined };
}

const currentYear = (): number => Number(todayInShanghai().slice(0, 4));

const districtsArg = { nullable: true, description: 'Only these districts (within what the viewer may see).' } as const;
const streetsArg = { nullable: true, description: 'Only these streets or towns (within what the viewer may see).' } as const;

@Resolver()
export class CapacityReportResolver {
  @Query(() => CommitteeConnection, {
    description:
      "Report (§2(3)): residents' and villagers' committees where no active staff member is assigned assistance work (助理员 / 协理员), by ID. Needs the StaffingReport grant; scoped to the viewer's districts or streets.",
  })
  async committeesWithoutAssistanceStaff(
    @Arg('districts', () => [ID], districtsArg) districts: string[] | undefined,
    @Arg('streets', () => [ID], streetsArg) streets: string[] | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<Committee>> {
    const visibility = reportVisibility(ctx.viewer, 'StaffingReport');
    return toConnection(CommitteeConnection, Committee, await listCommitteesWithoutAssistanceStaff(ctx.db, visibility, placeFilter(districts, streets), page, ctx.config.maxPageSize));
  }

  @Query(() => StaffMemberConnection, {
    description:
      'Report (§2(5)): active caseworkers and staff assigned assistance work who attended no training session held in the year, by ID; a staff member’s place is its organization’s. Needs the StaffingReport grant.',
  })
  async untrainedAssistanceStaff(
    @Arg('year', () => Int, { nullable: true, description: 'Calendar year; default the current year in Shanghai.' }) year: number | undefined,
    @Arg('districts', () => [ID], districtsArg) districts: string[] | undefined,
    @Arg('streets', () => [ID], streetsArg) streets: string[] | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<StaffMember>> {
    const visibility = reportVisibility(ctx.viewer, 'StaffingReport');
    const y = checkYear(year ?? currentYear(), 'year');
    const rows = await listUntrainedAssistanceWorkers(ctx.db, visibility, placeFilter(districts, streets), `${y}-01-01`, `${y + 1}-01-01`, page, ctx.config.maxPageSize);
    return toConnection(StaffMemberConnection, StaffMember, rows);
  }

  @Query(() => [GraduateHireCount], {
    description:
      'Report (§2(2)): staff hired as recent graduates (高校毕业生) per district of the hiring organization and year of hire, by year then district; districts and years without hires are left out. At most 10 years. Needs the GraduateHireCounts grant (HR and social security reads it city-wide).',
  })
  async graduateHiresByDistrict(
    @Arg('fromYear', () => Int, { nullable: true, description: 'First year; default four years before toYear.' }) fromYear: number | undefined,
    @Arg('toYear', () => Int, { nullable: true, description: 'Last year; default the current year in Shanghai.' }) toYear: number | undefined,
    @Arg('districts', () => [ID], districtsArg) districts: string[] | undefined,
    @Arg('streets', () => [ID], streetsArg) streets: string[] | undefined,
    @Ctx() ctx: HubContext,
  ): Promise<GraduateHireCount[]> {
    const visibility = reportVisibility(ctx.viewer, 'GraduateHireCounts');
    const last = checkYear(toYear ?? currentYear(), 'toYear');
    const first = checkYear(fromYear ?? last - 4, 'fromYear');
    if (first > last || last - first >= MAX_YEARS) throw badInput(['fromYear'], `fromYear must be at most toYear and at most ${MAX_YEARS - 1} years before it`);
    const rows = await countGraduateHires(ctx.db, visibility, placeFilter(districts, streets), first, last);
    return rows.map((row) => toModel(GraduateHireCount, row));
  }

  @Query(() => HouseholdReviewScheduleConnection, {
    description:
      'Assisted households whose periodic review (动态管理) is overdue (its day has passed, Shanghai calendar), most overdue first. Household references only. Needs the HouseholdReviews grant; scoped like households.',
  })
  async overdueHouseholdReviews(
    @Arg('districts', () => [ID], { nullable: true, description: 'Only households living in these districts (within what the viewer may see).' }) districts: string[] | undefined,
    @Arg('streets', () => [ID], { nullable: true, description: 'Only households living in these streets or towns (within what the viewer may see).' }) streets: string[] | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<HouseholdReviewSchedule>> {
    const visibility = reportVisibility(ctx.viewer, 'HouseholdReviews');
    const rows = await listOverdueReviews(ctx.db, visibility, placeFilter(districts, streets), todayInShanghai(), page, ctx.config.maxPageSize);
    return toConnection(HouseholdReviewScheduleConnection, HouseholdReviewSchedule, rows);
  }

  @Query(() => TrainingSessionConnection, { description: 'Training sessions for assistance staff, by day held then ID. Sessions are reference data, open to all.' })
  async trainingSessions(
    @Arg('districts', () => [ID], { nullable: true, description: 'Only sessions for these districts.' }) districts: string[] | undefined,
    @Arg('streets', () => [ID], { nullable: true, description: 'Only sessions for these streets or towns.' }) streets: string[] | undefined,
    @Arg('heldFrom', () => LocalDateResolver, { nullable: true, description: 'Only sessions held on or after this day.' }) heldFrom: string | undefined,
    @Arg('heldUntil', () => LocalDateResolver, { nullable: true, description: 'Only sessions held on or before this day.' }) heldUntil: string | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<TrainingSession>> {
    const filter = { ...placeFilter(districts, streets), heldFrom, heldUntil };
    return toConnection(TrainingSessionConnection, TrainingSession, await listTrainingSessions(ctx.db, filter, page, ctx.config.maxPageSize));
  }

  @Mutation(() => StaffMemberPayload, { description: 'Records a new staff member, with any assistance work and graduate-hire flag.' })
  async createStaffMember(@Arg('input', () => CreateStaffMemberInput, { description: 'The staff member.' }) input: CreateStaffMemberInput, @Ctx() ctx: HubContext): Promise<StaffMemberPayload> {
    const result = await createStaffMember(ctx.db, ctx, input);
    return { staffMember: result.row ? toModel(StaffMember, result.row) : null, userErrors: result.userErrors };
  }

  @Mutation(() => StaffMemberPayload, { description: 'Changes a staff member: assistance work, committee, graduate-hire flag, whether still in post.' })
  async updateStaffMember(@Arg('input', () => UpdateStaffMemberInput, { description: 'The changes.' }) input: UpdateStaffMemberInput, @Ctx() ctx: HubContext): Promise<StaffMemberPayload> {
    const result = await updateStaffMember(ctx.db, ctx, input);
    return { staffMember: result.row ? toModel(StaffMember, result.row) : null, userErrors: result.userErrors };
  }

  @Mutation(() => TrainingSessionPayload, { description: 'Records a training session for assistance staff.' })
  async createTrainingSession(@Arg('input', () => CreateTrainingSessionInput, { description: 'The session.' }) input: CreateTrainingSessionInput, @Ctx() ctx: HubContext): Promise<TrainingSessionPayload> {
    const result = await createTrainingSession(ctx.db, ctx, input);
    return { trainingSession: result.row ? toModel(TrainingSession, result.row) : null, userErrors: result.userErrors };
  }

  @Mutation(() => TrainingAttendancePayload, { description: 'Records who attended a training session; idempotent per staff member and session.' })
  async recordTrainingAttendance(
    @Arg('input', () => RecordTrainingAttendanceInput, { description: 'The session and who attended.' }) input: RecordTrainingAttendanceInput,
    @Ctx() ctx: HubContext,
  ): Promise<TrainingAttendancePayload> {
    const { result, newlyRecorded } = await recordTrainingAttendance(ctx.db, ctx, input);
    return { trainingSession: result.row ? toModel(TrainingSession, result.row) : null, newlyRecorded, userErrors: result.userErrors };
  }

  @Mutation(() => HouseholdReviewPayload, { description: 'Records a completed periodic review of an assisted household and sets its next review date.' })
  async recordHouseholdReview(
    @Arg('input', () => RecordHouseholdReviewInput, { description: 'The review.' }) input: RecordHouseholdReviewInput,
    @Ctx() ctx: HubContext,
  ): Promise<HouseholdReviewPayload> {
    const { result, schedule } = await recordHouseholdReview(ctx.db, ctx, input);
    return { review: result.row ? toModel(HouseholdReview, result.row) : null, schedule: schedule ? toModel(HouseholdReviewSchedule, schedule) : null, userErrors: result.userErrors };
  }
}

@Resolver(() => TrainingSession)
export class TrainingSessionResolver {
  @FieldResolver(() => Organization, { description: 'Organization that runs the session.' })
  organizer(@Root() session: TrainingSession, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, session.organizerId, Organization);
  }

  @FieldResolver(() => ServiceCategory, { nullable: true, description: 'Catalogue item it was bought under, if purchased.' })
  category(@Root() session: TrainingSession, @Ctx() ctx: HubContext): Promise<ServiceCategory | null> {
    return loadOptional(ctx.loaders.serviceCategory, session.categoryId, ServiceCategory);
  }

  @FieldResolver(() => District, { nullable: true, description: 'District it is for; null for a city-wide session.' })
  district(@Root() session: TrainingSession, @Ctx() ctx: HubContext): Promise<District | null> {
    return loadOptional(ctx.loaders.district, session.districtId, District);
  }

  @FieldResolver(() => Street, { nullable: true, description: 'Street or town it is for; null for a district or city-wide session.' })
  street(@Root() session: TrainingSession, @Ctx() ctx: HubContext): Promise<Street | null> {
    return loadOptional(ctx.loaders.street, session.streetId, Street);
  }

  @FieldResolver(() => TrainingAttendanceConnection, { description: 'Who attended, among the staff the viewer may see, by staff member.' })
  async attendance(@Root() session: TrainingSession, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<TrainingAttendance>> {
    return toConnection(TrainingAttendanceConnection, TrainingAttendance, await ctx.loaders.attendanceOfSession.load({ parentId: session.id, request: page }));
  }
}

@Resolver(() => TrainingAttendance)
export class TrainingAttendanceResolver {
  @FieldResolver(() => TrainingSession, { description: 'The session.' })
  session(@Root() attendance: TrainingAttendance, @Ctx() ctx: HubContext): Promise<TrainingSession> {
    return loadRequired(ctx.loaders.trainingSession, attendance.sessionId, TrainingSession);
  }

  @FieldResolver(() => StaffMember, { nullable: true, description: 'Who attended; null when the viewer may not see the staff member.' })
  staffMember(@Root() attendance: TrainingAttendance, @Ctx() ctx: HubContext): Promise<StaffMember | null> {
    return loadOptional(ctx.loaders.staffMember, attendance.staffMemberId, StaffMember);
  }
}

@Resolver(() => StaffMember)
export class StaffCapacityResolver {
  @FieldResolver(() => Street, { nullable: true, description: 'Street or town the person works in: their organization’s; null for district- and city-level bodies.' })
  async street(@Root() staff: StaffMember, @Ctx() ctx: HubContext): Promise<Street | null> {
    const organization = await ctx.loaders.organization.load(staff.organizationId);
    return loadOptional(ctx.loaders.street, organization?.streetId, Street);
  }

  @FieldResolver(() => District, { nullable: true, description: 'District the person works in: their organization’s; null for city-level bodies.' })
  async district(@Root() staff: StaffMember, @Ctx() ctx: HubContext): Promise<District | null> {
    const organization = await ctx.loaders.organization.load(staff.organizationId);
    return loadOptional(ctx.loaders.district, organization?.districtId, District);
  }

  @FieldResolver(() => TrainingAttendanceConnection, { description: 'Training sessions the person attended, latest recorded session first.' })
  async trainings(@Root() staff: StaffMember, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<TrainingAttendance>> {
    return toConnection(TrainingAttendanceConnection, TrainingAttendance, await ctx.loaders.attendanceOfStaff.load({ parentId: staff.id, request: page }));
  }
}

@Resolver(() => HouseholdReviewSchedule)
export class HouseholdReviewScheduleResolver {
  @FieldResolver(() => Household, { nullable: true, description: 'The household; null when the viewer may not see it. Personal fields follow the household rules.' })
  household(@Root() schedule: HouseholdReviewSchedule, @Ctx() ctx: HubContext): Promise<Household | null> {
    return loadOptional(ctx.loaders.household, schedule.householdId, Household);
  }

  @FieldResolver(() => Int, { description: 'Whole days the review is overdue (Shanghai calendar); 0 when not yet due or none is due.' })
  daysOverdue(@Root() schedule: HouseholdReviewSchedule): number {
    if (schedule.nextReviewOn === null) return 0;
    return Math.max(0, Math.round((Date.parse(todayInShanghai()) - Date.parse(schedule.nextReviewOn)) / DAY_MS));
  }
}

@Resolver(() => GraduateHireCount)
export class GraduateHireCountResolver {
  @FieldResolver(() => District, { description: 'District of the hiring organizations.' })
  district(@Root() row: GraduateHireCount, @Ctx() ctx: HubContext): Promise<District> {
    return loadRequired(ctx.loaders.district, row.districtId, District);
  }
}

@Resolver(() => HouseholdReview)
export class HouseholdReviewResolver {
  @FieldResolver(() => StaffMember, { nullable: true, description: 'Staff member who did the review, if recorded and visible to the viewer.' })
  reviewer(@Root() review: HouseholdReview, @Ctx() ctx: HubContext): Promise<StaffMember | null> {
    return loadOptional(ctx.loaders.staffMember, review.reviewerId, StaffMember);
  }

  @FieldResolver(() => Household, { nullable: true, description: 'The household reviewed; null when the viewer may not see it.' })
  household(@Root() review: HouseholdReview, @Ctx() ctx: HubContext): Promise<Household | null> {
    return loadOptional(ctx.loaders.household, review.householdId, Household);
  }
}

@Resolver(() => Household)
export class HouseholdReviewScheduleFieldResolver {
  @FieldResolver(() => HouseholdReviewSchedule, { nullable: true, description: 'When the household is next due for review (动态管理); null without assistance statuses or without the HouseholdReviews grant.' })
  async reviewSchedule(@Root() household: Household, @Ctx() ctx: HubContext): Promise<HouseholdReviewSchedule | null> {
    if (reportScopes(ctx.viewer, 'HouseholdReviews').length === 0) return null;
    return loadOptional(ctx.loaders.reviewScheduleOfHousehold, household.id, HouseholdReviewSchedule);
  }
}

