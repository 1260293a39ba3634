import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { checkYear, todayInShanghai } from '../../common/dates';
import type { HubContext } from '../../server/context';
import { reportVisibility } from '../capacity/capacity.service';
import { requireIds } from '../common/ids';
import { loadRequired } from '../common/load';
import { toModel } from '../common/node.type';
import { District } from '../geography/geography.types';
import { findCurrentFormula } from '../oversight/oversight.repository';
import { districtScorecards, openNeedCounts, referralCountsByState, type ScorecardRow } from './dashboard.repository';
import { DistrictScorecard, OpenNeedCount, ReferralStateCount, ScorecardRatio, ScorecardSatisfaction, ScorecardWait } from './dashboard.types';

const REPORT = 'DistrictPerformance';

const districtFilter = (values: string[] | undefined) => (values ? requireIds(values, 'District', ['districts']) : undefined);
const ratio = (numerator: number, denominator: number) => toModel(ScorecardRatio, { numerator, denominator });

function toScorecard(row: ScorecardRow, year: number, minRatings: number): DistrictScorecard {
  return toModel(DistrictScorecard, {
    districtId: row.districtId,
    year,
    onTimeHandling: ratio(row.stepsOnTime, row.stepsDue),
    matching: ratio(row.needsMatched, row.needsRaised),
    wait: toModel(ScorecardWait, {
      answeredNeeds: row.needsAnswered,
      stillWaiting: row.needsStillWaiting,
      medianDays: row.medianWaitDays === null ? null : Math.round(row.medianWaitDays * 10) / 10,
    }),
    satisfaction: toModel(ScorecardSatisfaction, { ratings: row.ratings, ratingsSum: row.ratingsSum, minRatings }),
    staffing: ratio(row.committeesStaffed, row.committees),
    training: ratio(row.workersTrained, row.workers),
  });
}

const districtsArg = { nullable: true, description: 'Only these districts, within those the viewer may see (others are left out).' } as const;

@Resolver()
export class DashboardResolver {
  @Query(() => [DistrictScorecard], {
    description:
      "Annual scorecards of districts (§4(1)): on-time handling, match rate, median wait, beneficiary satisfaction, staffing and training coverage, each with what it is counted from. One per district the viewer may see (by district code), zeros included. Needs the DistrictPerformance grant: the city bureau reads every district, a district bureau its own; refused to others.",
  })
  async districtScorecards(
    @Arg('year', () => Int, { description: 'Calendar year (Shanghai).' }) year: number,
    @Arg('districts', () => [ID], districtsArg) districts: string[] | undefined,
    @Ctx() ctx: HubContext,
  ): Promise<DistrictScorecard[]> {
    const visibility = reportVisibility(ctx.viewer, REPORT);
    const y = checkYear(year, 'year');
    // Independent reads: both in flight at once.
    const [rows, { minRatings }] = await Promise.all([districtScorecards(ctx.reportingDb, visibility, districtFilter(districts), y, todayInShanghai(ctx.now)), findCurrentFormula(ctx.reportingDb)]);
    return rows.map((row) => toScorecard(row, y, minRatings));
  }

  @Query(() => [OpenNeedCount], {
    description:
      'OPEN needs per district, urgency and waiting band, as of the request; groups without needs are left out. Needs the DistrictPerformance grant; the districts the viewer may see.',
  })
  async openNeedCounts(@Arg('districts', () => [ID], districtsArg) districts: string[] | undefined, @Ctx() ctx: HubContext): Promise<OpenNeedCount[]> {
    const visibility = reportVisibility(ctx.viewer, REPORT);
    const rows = await openNeedCounts(ctx.reportingDb, visibility, districtFilter(districts), ctx.now);
    return rows.map((row) => toModel(OpenNeedCount, row));
  }

  @Query(() => [ReferralStateCount], {
    description:
      "Referrals proposed in a year for needs in each district, by their status now; groups without referrals are left out. Needs the DistrictPerformance grant; the districts the viewer may see.",
  })
  async referralCountsByState(
    @Arg('year', () => Int, { description: 'Calendar year (Shanghai) the referrals were proposed in.' }) year: number,
    @Arg('districts', () => [ID], districtsArg) districts: string[] | undefined,
    @Ctx() ctx: HubContext,
  ): Promise<ReferralStateCount[]> {
    const visibility = reportVisibility(ctx.viewer, REPORT);
    const rows = await referralCountsByState(ctx.reportingDb, visibility, districtFilter(districts), checkYear(year, 'year'));
    return rows.map((row) => toModel(ReferralStateCount, row));
  }
}

@Resolver(() => DistrictScorecard)
export class DistrictScorecardResolver {
  @FieldResolver(() => District, { description: 'The district.' })
  district(@Root() card: DistrictScorecard, @Ctx() ctx: HubContext): Promise<District> {
    return loadRequired(ctx.loaders.district, card.districtId, District);
  }
}

@Resolver(() => OpenNeedCount)
export class OpenNeedCountResolver {
  @FieldResolver(() => District, { description: 'District the needs are located in.' })
  district(@Root() count: OpenNeedCount, @Ctx() ctx: HubContext): Promise<District> {
    return loadRequired(ctx.loaders.district, count.districtId, District);
  }
}

@Resolver(() => ReferralStateCount)
export class ReferralStateCountResolver {
  @FieldResolver(() => District, { description: 'District of the referred needs.' })
  district(@Root() count: ReferralStateCount, @Ctx() ctx: HubContext): Promise<District> {
    return loadRequired(ctx.loaders.district, count.districtId, District);
  }
}
