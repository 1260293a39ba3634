import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { SafeIntResolver } from 'graphql-scalars';
import { badInput, HubError } from '../../common/errors';
import type { HubContext } from '../../server/context';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { requireId, requireIds } from '../common/ids';
import { loadOptional, loadRequired } from '../common/load';
import { toModel, toModels } from '../common/node.type';
import { District, Street } from '../geography/geography.types';
import { Household } from '../households/households.types';
import { isMonth } from './months';
import { disbursementVisibleIn, findBatchOf, listAllowances, listBatches, reconciliationFigures } from './payments.repository';
import {
  approveDisbursementBatch,
  changeAllowance,
  grantAllowance,
  recordReturnedPayment,
  runDisbursementBatch,
  type AllowanceResult,
  type BatchResult,
  type BatchRunResult,
} from './payments.service';
import {
  Allowance,
  AllowanceComputation,
  AllowanceConnection,
  AllowanceFilter,
  AllowancePayload,
  AllowanceStatus,
  AllowanceStatusChange,
  AllowanceStatusInput,
  ApproveDisbursementBatchInput,
  DisbursementBatch,
  DisbursementBatchConnection,
  DisbursementBatchFilter,
  DisbursementBatchPayload,
  DisbursementLine,
  DisbursementLineConnection,
  DisbursementLinePayload,
  DisbursementReconciliation,
  GrantAllowanceInput,
  RecordReturnedPaymentInput,
  RunDisbursementBatchInput,
} from './payments.types';

function allowancePayload(result: AllowanceResult): AllowancePayload {
  return { allowance: result.row ? toModel(Allowance, result.row) : null, userErrors: result.userErrors };
}

function batchPayload(result: BatchRunResult | BatchResult): DisbursementBatchPayload {
  const row = result.row as (BatchRunResult['row'] & object) | null;
  return { batch: row ? toModel(DisbursementBatch, row) : null, linesAdded: row?.linesAdded ?? 0, linesRemoved: row?.linesRemoved ?? 0, userErrors: result.userErrors };
}

function requireMonth(value: string, path: readonly (string | number)[]): string {
  if (!isMonth(value)) throw badInput(path, `${path[path.length - 1]} must be a month written YYYY-MM`);
  return value;
}

@Resolver(() => Allowance)
export class AllowanceResolver {
  @Query(() => AllowanceConnection, { description: 'Monthly allowances the viewer may see (civil affairs in scope), oldest first.' })
  async allowances(
    @Arg('filter', () => AllowanceFilter, { nullable: true, description: 'Which allowances to list.' }) filter: AllowanceFilter | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<Allowance>> {
    const listFilter = {
      districtIds: filter?.districts ? requireIds(filter.districts, 'District', ['filter', 'districts']) : undefined,
      streetIds: filter?.streets ? requireIds(filter.streets, 'Street', ['filter', 'streets']) : undefined,
      householdIds: filter?.households ? requireIds(filter.households, 'Household', ['filter', 'households']) : undefined,
      statuses: filter?.statuses ?? undefined,
      types: filter?.types ?? undefined,
    };
    return toConnection(AllowanceConnection, Allowance, await listAllowances(ctx.db, ctx.visible.Allowance, listFilter, page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => Household, { nullable: true, description: 'The household paid; null when the viewer may not see it.' })
  household(@Root() allowance: Allowance, @Ctx() ctx: HubContext): Promise<Household | null> {
    return loadOptional(ctx.loaders.household, allowance.householdId, Household);
  }

  @FieldResolver(() => Street, { description: "The competent street (the household's registered residence) that manages it." })
  street(@Root() allowance: Allowance, @Ctx() ctx: HubContext): Promise<Street> {
    return loadRequired(ctx.loaders.street, allowance.streetId, Street);
  }

  @FieldResolver(() => District, { description: 'The competent district, whose monthly batch pays it.' })
  district(@Root() allowance: Allowance, @Ctx() ctx: HubContext): Promise<District> {
    return loadRequired(ctx.loaders.district, allowance.districtId, District);
  }

  @FieldResolver(() => AllowanceComputation, { description: 'How the monthly amount was computed, with the figures used.' })
  computation(@Root() allowance: Allowance): AllowanceComputation {
    return toModel(AllowanceComputation, allowance.explanation);
  }

  @FieldResolver(() => [AllowanceStatusChange], { description: 'Every status change, oldest first, starting with the grant (ACTIVE from the start month).' })
  async history(@Root() allowance: Allowance, @Ctx() ctx: HubContext): Promise<AllowanceStatusChange[]> {
    return toModels(AllowanceStatusChange, await ctx.loaders.allowanceHistory.load(allowance.id));
  }

  @Mutation(() => AllowancePayload, { description: 'Grants the monthly allowance of an APPROVED application of a paid type; granting again returns the same allowance.' })
  async grantAllowance(@Arg('input', () => GrantAllowanceInput, { description: 'The application.' }) input: GrantAllowanceInput, @Ctx() ctx: HubContext): Promise<AllowancePayload> {
    return allowancePayload(await grantAllowance(ctx.db, ctx, input));
  }

  @Mutation(() => AllowancePayload, { description: 'Suspends an ACTIVE allowance from a month on, with a reason; its pending lines from that month leave draft batches.' })
  async suspendAllowance(@Arg('input', () => AllowanceStatusInput, { description: 'The allowance, month and reason.' }) input: AllowanceStatusInput, @Ctx() ctx: HubContext): Promise<AllowancePayload> {
    return allowancePayload(await changeAllowance(ctx.db, ctx, AllowanceStatus.SUSPENDED, input));
  }

  @Mutation(() => AllowancePayload, { description: 'Resumes a SUSPENDED allowance from a month on; the next batch run lists it again.' })
  async resumeAllowance(@Arg('input', () => AllowanceStatusInput, { description: 'The allowance and month.' }) input: AllowanceStatusInput, @Ctx() ctx: HubContext): Promise<AllowancePayload> {
    return allowancePayload(await changeAllowance(ctx.db, ctx, AllowanceStatus.ACTIVE, input));
  }

  @Mutation(() => AllowancePayload, { description: 'Ends an allowance from a month on, with a reason: nothing is paid from that month.' })
  async endAllowance(@Arg('input', () => AllowanceStatusInput, { description: 'The allowance, month and reason.' }) input: AllowanceStatusInput, @Ctx() ctx: HubContext): Promise<AllowancePayload> {
    return allowancePayload(await changeAllowance(ctx.db, ctx, AllowanceStatus.ENDED, input));
  }
}

@Resolver(() => DisbursementBatch)
export class DisbursementBatchResolver {
  @Query(() => DisbursementBatchConnection, { description: 'Monthly disbursement batches the viewer may see, newest month first.' })
  async disbursementBatches(
    @Arg('filter', () => DisbursementBatchFilter, { nullable: true, description: 'Which batches to list.' }) filter: DisbursementBatchFilter | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<DisbursementBatch>> {
    const listFilter = {
      districtIds: filter?.districts ? requireIds(filter.districts, 'District', ['filter', 'districts']) : undefined,
      months: filter?.months?.map((month, i) => requireMonth(month, ['filter', 'months', i])),
      statuses: filter?.statuses ?? undefined,
    };
    return toConnection(DisbursementBatchConnection, DisbursementBatch, await listBatches(ctx.db, ctx.visible.Disbursement, listFilter, page, ctx.config.maxPageSize));
  }

  @Query(() => DisbursementReconciliation, { description: 'Reconciliation of a district and month: approved (due), paid, returned, pending and unlisted amounts. For civil affairs and finance in scope.' })
  async disbursementReconciliation(
    @Arg('district', () => ID, { description: 'The district.' }) district: string,
    @Arg('month', { description: 'The month (YYYY-MM).' }) month: string,
    @Ctx() ctx: HubContext,
  ): Promise<DisbursementReconciliation> {
    const districtId = requireId(district, 'District', ['district']);
    requireMonth(month, ['month']);
    if (!disbursementVisibleIn(ctx.visible.Disbursement, districtId)) throw new HubError('FORBIDDEN', 'Your roles do not allow reading the disbursements of this district');
    const figures = await reconciliationFigures(ctx.db, districtId, month);
    const batch = await findBatchOf(ctx.db, ctx.visible.Disbursement, districtId, month);
    return toModel(DisbursementReconciliation, {
      districtId,
      batchId: batch?.id ?? null,
      month,
      approvedCount: figures.approvedCount,
      approvedAmountFen: figures.approvedFen,
      paidCount: figures.paidCount,
      paidAmountFen: figures.paidFen,
      returnedCount: figures.returnedCount,
      returnedAmountFen: figures.returnedFen,
      pendingCount: figures.pendingCount,
      pendingAmountFen: figures.pendingFen,
      notListedCount: figures.notListedCount,
      notListedAmountFen: figures.notListedFen,
      differenceFen: figures.approvedFen - figures.paidFen,
    });
  }

  @FieldResolver(() => District, { description: 'The district paid.' })
  district(@Root() batch: DisbursementBatch, @Ctx() ctx: HubContext): Promise<District> {
    return loadRequired(ctx.loaders.district, batch.districtId, District);
  }

  @FieldResolver(() => DisbursementLineConnection, { description: 'Its payment lines, in the order they were listed.' })
  async lines(@Root() batch: DisbursementBatch, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<DisbursementLine>> {
    return toConnection(DisbursementLineConnection, DisbursementLine, await ctx.loaders.linesOfBatch.load({ parentId: batch.id, request: page }));
  }

  @FieldResolver(() => Int, { description: 'Number of lines now.' })
  async lineCount(@Root() batch: DisbursementBatch, @Ctx() ctx: HubContext): Promise<number> {
    return (await ctx.loaders.batchTotals.load(batch.id)).lineCount;
  }

  @FieldResolver(() => SafeIntResolver, { description: 'Total of the lines now, in fen (returned ones included).' })
  async totalAmountFen(@Root() batch: DisbursementBatch, @Ctx() ctx: HubContext): Promise<number> {
    return (await ctx.loaders.batchTotals.load(batch.id)).totalFen;
  }

  @Mutation(() => DisbursementBatchPayload, { description: "Creates or refreshes a district's DRAFT batch of a month; running again changes nothing, and an APPROVED batch takes no new lines." })
  async runDisbursementBatch(@Arg('input', () => RunDisbursementBatchInput, { description: 'District and month.' }) input: RunDisbursementBatchInput, @Ctx() ctx: HubContext): Promise<DisbursementBatchPayload> {
    return batchPayload(await runDisbursementBatch(ctx.db, ctx, input));
  }

  @Mutation(() => DisbursementBatchPayload, { description: 'Finance approves a DRAFT batch: its lines become PAID. Approving again changes nothing.' })
  async approveDisbursementBatch(@Arg('input', () => ApproveDisbursementBatchInput, { description: 'The batch.' }) input: ApproveDisbursementBatchInput, @Ctx() ctx: HubContext): Promise<DisbursementBatchPayload> {
    return batchPayload(await approveDisbursementBatch(ctx.db, ctx, input));
  }
}

@Resolver(() => DisbursementLine)
export class DisbursementLineResolver {
  @FieldResolver(() => DisbursementBatch, { nullable: true, description: 'The batch it belongs to.' })
  batch(@Root() line: DisbursementLine, @Ctx() ctx: HubContext): Promise<DisbursementBatch | null> {
    return loadOptional(ctx.loaders.disbursementBatch, line.batchId, DisbursementBatch);
  }

  @FieldResolver(() => Allowance, { nullable: true, description: 'The allowance paid; null when the viewer may not see allowances (finance).' })
  allowance(@Root() line: DisbursementLine, @Ctx() ctx: HubContext): Promise<Allowance | null> {
    return loadOptional(ctx.loaders.allowance, line.allowanceId, Allowance);
  }

  @FieldResolver(() => Household, { nullable: true, description: 'The household paid; null when the viewer may not see households (finance sees `householdId` only).' })
  household(@Root() line: DisbursementLine, @Ctx() ctx: HubContext): Promise<Household | null> {
    return loadOptional(ctx.loaders.household, line.householdId, Household);
  }

  @Mutation(() => DisbursementLinePayload, { description: 'Records that a PAID amount came back (e.g. a closed bank account), with the reason.' })
  async recordReturnedPayment(@Arg('input', () => RecordReturnedPaymentInput, { description: 'The line and the reason.' }) input: RecordReturnedPaymentInput, @Ctx() ctx: HubContext): Promise<DisbursementLinePayload> {
    const result = await recordReturnedPayment(ctx.db, ctx, input);
    return { line: result.row ? toModel(DisbursementLine, result.row) : null, userErrors: result.userErrors };
  }
}

@Resolver(() => DisbursementReconciliation)
export class DisbursementReconciliationResolver {
  @FieldResolver(() => District, { description: 'The district.' })
  district(@Root() report: DisbursementReconciliation, @Ctx() ctx: HubContext): Promise<District> {
    return loadRequired(ctx.loaders.district, report.districtId, District);
  }

  @FieldResolver(() => DisbursementBatch, { nullable: true, description: 'The batch of the month, if one was run.' })
  batch(@Root() report: DisbursementReconciliation, @Ctx() ctx: HubContext): Promise<DisbursementBatch | null> {
    return loadOptional(ctx.loaders.disbursementBatch, report.batchId, DisbursementBatch);
  }
}
