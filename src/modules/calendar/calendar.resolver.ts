import { LocalDateResolver } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../../server/context';
import { WHOLE_CALENDAR } from './calendar.loaders';
import { findWorkingCalendarYear, type WorkingCalendarYearRow } from './calendar.repository';
import { requireCalendarYear, setWorkingCalendarYear, workingDayDeadline } from './calendar.service';
import { CalendarDayKind, SetWorkingCalendarYearInput, SetWorkingCalendarYearPayload, WorkingCalendarDay, WorkingCalendarYear, WorkingDayDeadline } from './calendar.types';

function toYear(year: number, row: WorkingCalendarYearRow | undefined): WorkingCalendarYear {
  return { year, covered: row !== undefined, notice: row?.notice ?? null, updatedAt: row?.updatedAt ?? null };
}

/** The working calendar is reference data, like the notices it comes from: anyone may read it. */
@Resolver(() => WorkingCalendarYear)
export class WorkingCalendarResolver {
  @Query(() => WorkingCalendarYear, { description: 'The working calendar of one year: its official holidays and make-up working days, and whether they are loaded. Public.' })
  async workingCalendar(@Arg('year', () => Int, { description: 'The year, 2000–2100.' }) year: number, @Ctx() ctx: HubContext): Promise<WorkingCalendarYear> {
    return toYear(year, await findWorkingCalendarYear(ctx.db, requireCalendarYear(year, ['year'])));
  }

  @Query(() => WorkingDayDeadline, { description: 'The deadline a number of working days after a day, by the working calendar (限时办理). Public.' })
  async workingDayDeadline(
    @Arg('start', () => LocalDateResolver, { description: 'The day the time limit starts from, e.g. the day of intake (a Shanghai date); not counted itself.' }) start: string,
    @Arg('workingDays', () => Int, { description: 'The time limit in working days, 0–1000.' }) workingDays: number,
    @Ctx() ctx: HubContext,
  ): Promise<WorkingDayDeadline> {
    return workingDayDeadline(await ctx.loaders.workingCalendar.load(WHOLE_CALENDAR), start, workingDays);
  }

  @Mutation(() => SetWorkingCalendarYearPayload, { description: "Loads or replaces a year's official days from the State Council's notice, all at once (city civil affairs)." })
  async setWorkingCalendarYear(@Arg('input', () => SetWorkingCalendarYearInput, { description: "The year's notice and days." }) input: SetWorkingCalendarYearInput, @Ctx() ctx: HubContext): Promise<SetWorkingCalendarYearPayload> {
    const result = await setWorkingCalendarYear(ctx.db, ctx, input);
    return { workingCalendarYear: result.row ? toYear(result.row.year, result.row) : null, userErrors: result.userErrors };
  }

  @FieldResolver(() => [WorkingCalendarDay], { description: 'The official days of the year, by date; empty when the year is not covered.' })
  async days(@Root() year: WorkingCalendarYear, @Ctx() ctx: HubContext): Promise<WorkingCalendarDay[]> {
    if (!year.covered) return [];
    const rows = await ctx.loaders.workingCalendarDays.load(year.year);
    return rows.map((row) => ({ date: row.date, kind: CalendarDayKind[row.kind], nameZh: row.nameZh, nameEn: row.nameEn }));
  }
}
