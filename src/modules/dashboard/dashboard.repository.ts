import { and, inArray, sql, type SQL } from 'drizzle-orm';
import type { Visibility } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { scopeCondition, within } from '../../db/scope';
import { applications, applicationSteps, committees, districts, needs, organizations, referralEvents, referrals, staffMembers, trainingAttendance, trainingSessions } from '../../db/schema';
import { WAITING_BANDS } from './dashboard.types';

/**
 * The aggregates behind the districts' scorecards and the dashboard. Each reads the districts a
 * report visibility grants (narrowed by the caller's filter) and groups by district in SQL: one
 * statement per call, whatever the number of districts.
 */

/** Districts in the report's scope, narrowed to `filter` when given. */
function districtsIn(v: Visibility, filter: readonly number[] | undefined): SQL {
  const condition = and(
    scopeCondition(v, { MY_DISTRICTS: ({ districtIds }) => within(districts.id, districtIds) }),
    filter?.length ? inArray(districts.id, [...filter]) : undefined,
  );
  return sql`select ${districts.id} as id, ${districts.code} as code from ${districts} where ${condition ?? sql`true`}`;
}

/** A calendar year of the Shanghai calendar, as dates and as instants. */
export interface YearBounds {
  /** First day of the year, YYYY-MM-DD. */
  readonly from: string;
  /** First day of the next year. */
  readonly until: string;
}

export function yearBounds(year: number): YearBounds {
  return { from: `${year}-01-01`, until: `${year + 1}-01-01` };
}

/** Midnight in Shanghai (UTC+8, no daylight saving) of a day, as a timestamptz literal. */
const shanghaiMidnight = (day: string): SQL => sql`${`${day}T00:00:00+08:00`}::timestamptz`;

export interface ScorecardRow {
  readonly districtId: number;
  readonly stepsDue: number;
  readonly stepsOnTime: number;
  readonly needsRaised: number;
  readonly needsMatched: number;
  readonly needsAnswered: number;
  readonly needsStillWaiting: number;
  readonly medianWaitDays: number | null;
  readonly ratings: number;
  readonly ratingsSum: number;
  readonly committees: number;
  readonly committeesStaffed: number;
  readonly workers: number;
  readonly workersTrained: number;
}

/*
 * districtScorecards: every measure of the scorecard per district in scope, zeros included, in
 * one statement of per-measure aggregates joined on the district (the README gives the
 * definitions). `today` is the Shanghai date of the request: open steps due before it are late.
 */
export async function districtScorecards(db: Database, v: Visibility, filter: readonly number[] | undefined, year: number, today: string): Promise<ScorecardRow[]> {
  const { from, until } = yearBounds(year);
  const fromAt = shanghaiMidnight(from);
  const untilAt = shanghaiMidnight(until);
  const result = await db.execute(sql`
    with scope as (${districtsIn(v, filter)}),
    steps as (
      select a.competent_district_id as district_id,
        count(*) as due,
        count(*) filter (where s.completed_on is not null and s.completed_on <= s.due_on) as on_time
      from ${applicationSteps} s
      join ${applications} a on a.id = s.application_id
      where s.due_on >= ${from} and s.due_on < ${until}
        and (s.completed_on is not null or s.due_on < ${today})
        and a.competent_district_id in (select id from scope)
      group by 1
    ), raised as materialized (
      select n.id, n.district_id, n.status, n.created_at
      from ${needs} n
      where n.created_at >= ${fromAt} and n.created_at < ${untilAt} and n.district_id in (select id from scope)
    ), answered as (
      -- The first moment a provider took the need on: through the need's referrals, then their history.
      select r.need_id, min(e.at) as answered_at
      from raised
      join ${referrals} r on r.need_id = raised.id
      join ${referralEvents} e on e.referral_id = r.id
      where e.to_status in ('ACCEPTED', 'IN_SERVICE')
      group by 1
    ), needs_year as (
      select raised.district_id,
        count(*) as raised,
        count(*) filter (where raised.status in ('MATCHED', 'FULFILLED')) as matched,
        count(answered.answered_at) as answered,
        count(*) filter (where raised.status = 'OPEN' and answered.answered_at is null) as still_waiting,
        percentile_cont(0.5) within group (order by extract(epoch from (answered.answered_at - raised.created_at)) / 86400.0)
          filter (where answered.answered_at is not null) as median_days
      from raised left join answered on answered.need_id = raised.id
      group by 1
    ), ratings as (
      select n.district_id, count(*) as ratings, sum(r.satisfaction) as ratings_sum
      from ${referralEvents} e
      join ${referrals} r on r.id = e.referral_id
      join ${needs} n on n.id = r.need_id
      where e.to_status = 'COMPLETED' and e.at >= ${fromAt} and e.at < ${untilAt}
        and r.satisfaction is not null and n.district_id in (select id from scope)
      group by 1
    ), staffing as (
      select c.district_id, count(*) as committees,
        count(*) filter (where exists (select 1 from ${staffMembers} sm
          where sm.committee_id = c.id and sm.active and sm.assistance_role is not null)) as staffed
      from ${committees} c where c.district_id in (select id from scope)
      group by 1
    ), training as (
      select o.district_id, count(*) as workers,
        count(*) filter (where exists (select 1 from ${trainingAttendance} ta join ${trainingSessions} ts on ts.id = ta.session_id
          where ta.staff_member_id = sm.id and ts.held_on >= ${from} and ts.held_on < ${until})) as trained
      from ${staffMembers} sm join ${organizations} o on o.id = sm.organization_id
      where sm.active and (sm.position = 'CASEWORKER' or sm.assistance_role is not null)
        and o.district_id in (select id from scope)
      group by 1
    )
    select scope.id as "districtId",
      coalesce(steps.due, 0) as "stepsDue", coalesce(steps.on_time, 0) as "stepsOnTime",
      coalesce(needs_year.raised, 0) as "needsRaised", coalesce(needs_year.matched, 0) as "needsMatched",
      coalesce(needs_year.answered, 0) as "needsAnswered", coalesce(needs_year.still_waiting, 0) as "needsStillWaiting",
      needs_year.median_days as "medianWaitDays",
      coalesce(ratings.ratings, 0) as "ratings", coalesce(ratings.ratings_sum, 0) as "ratingsSum",
      coalesce(staffing.committees, 0) as "committees", coalesce(staffing.staffed, 0) as "committeesStaffed",
      coalesce(training.workers, 0) as "workers", coalesce(training.trained, 0) as "workersTrained"
    from scope
    left join steps on steps.district_id = scope.id
    left join needs_year on needs_year.district_id = scope.id
    left join ratings on ratings.district_id = scope.id
    left join staffing on staffing.district_id = scope.id
    left join training on training.district_id = scope.id
    order by scope.code, scope.id`);
  return rowsOf<Record<keyof ScorecardRow, unknown>>(result).map((r) => ({
    districtId: Number(r.districtId),
    stepsDue: Number(r.stepsDue),
    stepsOnTime: Number(r.stepsOnTime),
    needsRaised: Number(r.needsRaised),
    needsMatched: Number(r.needsMatched),
    needsAnswered: Number(r.needsAnswered),
    needsStillWaiting: Number(r.needsStillWaiting),
    medianWaitDays: r.medianWaitDays === null || r.medianWaitDays === undefined ? null : Number(r.medianWaitDays),
    ratings: Number(r.ratings),
    ratingsSum: Number(r.ratingsSum),
    committees: Number(r.committees),
    committeesStaffed: Number(r.committeesStaffed),
    workers: Number(r.workers),
    workersTrained: Number(r.workersTrained),
  }));
}

export interface OpenNeedCountRow {
  readonly districtId: number;
  readonly urgency: string;
  readonly waitingBand: string;
  readonly needs: number;
  readonly units: number;
}

/** The band of a whole-day count, as a SQL case over the bands in order. */
function bandOf(days: SQL): SQL {
  const cases = WAITING_BANDS.map(({ band, upTo }) => (upTo === null ? sql`else ${band}` : sql`when ${days} <= ${upTo} then ${band}`));
  return sql`case ${sql.join(cases, sql` `)} end`;
}

/*
 * openNeedCounts: OPEN needs in scope per district, urgency and waiting band as of `now`; groups
 * without needs are left out. Reads the (status, created_at) index of needs.
 */
export async function openNeedCounts(db: Database, v: Visibility, filter: readonly number[] | undefined, now: Date): Promise<OpenNeedCountRow[]> {
  const days = sql`floor(extract(epoch from (${now.toISOString()}::timestamptz - n.created_at)) / 86400)`;
  const result = await db.execute(sql`
    with scope as (${districtsIn(v, filter)})
    select n.district_id as "districtId", n.urgency as "urgency", ${bandOf(days)} as "waitingBand",
      count(*) as "needs", sum(n.units) as "units"
    from ${needs} n
    where n.status = 'OPEN' and n.district_id in (select id from scope)
    group by 1, 2, 3
    order by 1, 2, 3`);
  return rowsOf<Record<keyof OpenNeedCountRow, unknown>>(result).map((r) => ({
    districtId: Number(r.districtId),
    urgency: String(r.urgency),
    waitingBand: String(r.waitingBand),
    needs: Number(r.needs),
    units: Number(r.units),
  }));
}

export interface ReferralStateCountRow {
  readonly districtId: number;
  readonly status: string;
  readonly referrals: number;
}

/*
 * referralCountsByState: referrals proposed in the year (Shanghai calendar) for needs in scope,
 * per district of the need and status now; empty groups are left out. Reads referrals_created_idx.
 */
export async function referralCountsByState(db: Database, v: Visibility, filter: readonly number[] | undefined, year: number): Promise<ReferralStateCountRow[]> {
  const { from, until } = yearBounds(year);
  const result = await db.execute(sql`
    with scope as (${districtsIn(v, filter)})
    select n.district_id as "districtId", r.status as "status", count(*) as "referrals"
    from ${referrals} r join ${needs} n on n.id = r.need_id
    where r.created_at >= ${shanghaiMidnight(from)} and r.created_at < ${shanghaiMidnight(until)}
      and n.district_id in (select id from scope)
    group by 1, 2
    order by 1, 2`);
  return rowsOf<Record<keyof ReferralStateCountRow, unknown>>(result).map((r) => ({ districtId: Number(r.districtId), status: String(r.status), referrals: Number(r.referrals) }));
}
