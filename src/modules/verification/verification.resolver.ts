import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../../server/context';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { requireIds } from '../common/ids';
import { loadOptional } from '../common/load';
import { toModel, toModels } from '../common/node.type';
import { Application } from '../applications/applications.types';
import { Household, Person } from '../households/households.types';
import { findVerificationRequestsByIds, listStandards, listVerificationRequests, type VerificationRequestRow } from './verification.repository';
import { DEPARTMENTS } from './verification.rules';
import { completeVerification, setVerificationStandard, submitVerificationFigures } from './verification.service';
import {
  CompleteVerificationInput,
  SetVerificationStandardInput,
  SubmitVerificationFiguresInput,
  SubmitVerificationFiguresPayload,
  VerificationDepartment,
  VerificationExplanationLine,
  VerificationFigure,
  VerificationRequest,
  VerificationRequestConnection,
  VerificationRequestFilter,
  VerificationRequestPayload,
  VerificationResult,
  VerificationReturn,
  VerificationStandard,
  VerificationStandardPayload,
} from './verification.types';

/** The request after a change, as the viewer may see it (a department may not see the verification it answered). */
async function visibleRequest(ctx: HubContext, row: VerificationRequestRow | null): Promise<VerificationRequest | null> {
  if (!row) return null;
  const [visible] = await findVerificationRequestsByIds(ctx.db, ctx.visible.VerificationRequest, [row.id]);
  return visible ? toModel(VerificationRequest, visible) : null;
}

@Resolver(() => VerificationRequest)
export class VerificationRequestResolver {
  @Query(() => VerificationRequestConnection, { description: 'Household economic-status verifications the viewer may see, oldest first.' })
  async verificationRequests(
    @Arg('filter', () => VerificationRequestFilter, { nullable: true, description: 'Which verifications to list.' }) filter: VerificationRequestFilter | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<VerificationRequest>> {
    const listFilter = {
      statuses: filter?.statuses ?? undefined,
      districtIds: filter?.districts ? requireIds(filter.districts, 'District', ['filter', 'districts']) : undefined,
    };
    return toConnection(VerificationRequestConnection, VerificationRequest, await listVerificationRequests(ctx.db, ctx.visible.VerificationRequest, listFilter, page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => Application, { nullable: true, description: 'The application the verification serves (its purpose); null when the viewer may not see it.' })
  application(@Root() request: VerificationRequest, @Ctx() ctx: HubContext): Promise<Application | null> {
    return loadOptional(ctx.loaders.application, request.applicationId, Application);
  }

  @FieldResolver(() => Household, { nullable: true, description: 'The household verified; null when the viewer may not see it.' })
  household(@Root() request: VerificationRequest, @Ctx() ctx: HubContext): Promise<Household | null> {
    return loadOptional(ctx.loaders.household, request.householdId, Household);
  }

  @FieldResolver(() => [VerificationFigure], { description: 'The figures the departments reported, by department, kind and source reference.' })
  async figures(@Root() request: VerificationRequest, @Ctx() ctx: HubContext): Promise<VerificationFigure[]> {
    return toModels(VerificationFigure, await ctx.loaders.figuresOfVerification.load(request.id));
  }

  @FieldResolver(() => [VerificationReturn], { description: 'The departments that have answered, and when.' })
  async departmentReturns(@Root() request: VerificationRequest, @Ctx() ctx: HubContext): Promise<VerificationReturn[]> {
    return toModels(VerificationReturn, await ctx.loaders.returnsOfVerification.load(request.id));
  }

  @FieldResolver(() => [VerificationDepartment], { description: 'The departments that have not answered yet.' })
  async missingDepartments(@Root() request: VerificationRequest, @Ctx() ctx: HubContext): Promise<VerificationDepartment[]> {
    const answered = new Set<string>((await ctx.loaders.returnsOfVerification.load(request.id)).map((r) => r.department));
    return DEPARTMENTS.filter((d) => !answered.has(d)) as VerificationDepartment[];
  }

  @FieldResolver(() => VerificationResult, { nullable: true, description: 'The result, once the verification is COMPLETED; null before.' })
  result(@Root() request: VerificationRequest): VerificationResult | null {
    return request.status === 'COMPLETED' ? toModel(VerificationResult, request) : null;
  }

  @Mutation(() => SubmitVerificationFiguresPayload, {
    description: "A department's figures for a verification (or none: nothing on record). Resubmitting a source reference updates its figure; refused once the verification is COMPLETED or CANCELLED.",
  })
  async submitVerificationFigures(
    @Arg('input', () => SubmitVerificationFiguresInput, { description: 'The department, the verification and the figures.' }) input: SubmitVerificationFiguresInput,
    @Ctx() ctx: HubContext,
  ): Promise<SubmitVerificationFiguresPayload> {
    const result = await submitVerificationFigures(ctx.db, ctx, input);
    if (!result.row) return { verificationRequest: null, figures: [], userErrors: result.userErrors };
    const { request, figures } = result.row;
    return {
      verificationRequest: await visibleRequest(ctx, request),
      figures: figures.map((figure) => toModel(VerificationFigure, { ...figure, applicationId: request.applicationId })),
      userErrors: [],
    };
  }

  @Mutation(() => VerificationRequestPayload, { description: 'Computes the result against the standards in force on the day of the request, records it with its explanation and completes the verification.' })
  async completeVerification(
    @Arg('input', () => CompleteVerificationInput, { description: 'The verification.' }) input: CompleteVerificationInput,
    @Ctx() ctx: HubContext,
  ): Promise<VerificationRequestPayload> {
    const result = await completeVerification(ctx.db, ctx, input);
    return { verificationRequest: await visibleRequest(ctx, result.row), userErrors: result.userErrors };
  }
}

@Resolver(() => VerificationFigure)
export class VerificationFigureResolver {
  @FieldResolver(() => Person, { nullable: true, description: 'The member the figure is about; null for the household as a whole, or when the viewer may not see the member.' })
  person(@Root() figure: VerificationFigure, @Ctx() ctx: HubContext): Promise<Person | null> {
    return loadOptional(ctx.loaders.person, figure.personId, Person);
  }
}

@Resolver(() => VerificationResult)
export class VerificationResultResolver {
  @FieldResolver(() => [VerificationExplanationLine], { description: 'Why: every figure and how it counted, then each rule against its threshold, then the departments missing.' })
  async explanation(@Root() result: VerificationResult, @Ctx() ctx: HubContext): Promise<VerificationExplanationLine[]> {
    const lines = await ctx.loaders.explanationOfVerification.load(result.id);
    return lines.map((line) => toModel(VerificationExplanationLine, { ...line, applicationId: result.applicationId }));
  }

  @FieldResolver(() => VerificationStandard, { nullable: true, description: 'The standards of the year it was measured against, as they stand now; the explanation keeps the thresholds that were applied.' })
  standard(@Root() result: VerificationResult, @Ctx() ctx: HubContext): Promise<VerificationStandard | null> {
    return loadOptional(ctx.loaders.verificationStandardOfYear, result.standardYear, VerificationStandard);
  }
}

@Resolver(() => VerificationStandard)
export class VerificationStandardResolver {
  @Query(() => [VerificationStandard], { description: 'The verification standards of every year, newest first (public: they are published policy).' })
  async verificationStandards(@Ctx() ctx: HubContext): Promise<VerificationStandard[]> {
    return toModels(VerificationStandard, await listStandards(ctx.db));
  }

  @Mutation(() => VerificationStandardPayload, { description: 'Sets the verification standards of a year (administrators); results already computed keep the standards they were measured against.' })
  async setVerificationStandard(
    @Arg('input', () => SetVerificationStandardInput, { description: 'The standards.' }) input: SetVerificationStandardInput,
    @Ctx() ctx: HubContext,
  ): Promise<VerificationStandardPayload> {
    const result = await setVerificationStandard(ctx.db, ctx, input);
    return { verificationStandard: result.row ? toModel(VerificationStandard, result.row) : null, userErrors: result.userErrors };
  }
}

@Resolver(() => Application)
export class ApplicationVerificationResolver {
  @FieldResolver(() => VerificationRequest, { nullable: true, description: 'Its economic-status verification (经济状况核对), unless cancelled; null when none, or the viewer may not see it.' })
  async verification(@Root() application: Application, @Ctx() ctx: HubContext): Promise<VerificationRequest | null> {
    return loadOptional(ctx.loaders.verificationOfApplication, application.id, VerificationRequest);
  }
}
