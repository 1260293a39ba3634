import { LocalDateResolver } from 'graphql-scalars';
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../common/user-error.type';

/** Mirrors the `calendar_day_kind` database enum. */
export enum CalendarDayKind {
  HOLIDAY = 'HOLIDAY',
  MAKEUP_WORKDAY = 'MAKEUP_WORKDAY',
}
registerEnumType(CalendarDayKind, {
  name: 'CalendarDayKind',
  description: 'How an official day departs from the Monday-to-Friday week.',
  valuesConfig: {
    HOLIDAY: { description: 'A public holiday (放假), including the weekend days inside a holiday span: not a working day.' },
    MAKEUP_WORKDAY: { description: 'A weekend day declared a working day (调休上班).' },
  },
});

@ObjectType({ description: 'An official day of the working calendar, from the State Council notice of its year.' })
export class WorkingCalendarDay {
  @Field(() => LocalDateResolver, { description: 'The day.' })
  date!: string;

  @Field(() => CalendarDayKind, { description: 'Holiday or make-up working day.' })
  kind!: CalendarDayKind;

  @Field({ description: 'The festival it belongs to, in Chinese, e.g. "春节".' })
  nameZh!: string;

  @Field({ description: 'The festival it belongs to, in English, e.g. "Spring Festival".' })
  nameEn!: string;
}

@ObjectType({ description: 'The working calendar of one year: the official holidays and make-up working days (调休) that deadlines in working days follow.' })
export class WorkingCalendarYear {
  @Field(() => Int, { description: 'The year.' })
  year!: number;

  @Field({ description: "True when the year's official days are loaded. Otherwise deadlines in this year follow the weekend rule alone and are provisional." })
  covered!: boolean;

  @Field(() => String, { nullable: true, description: 'The notice the days come from (国务院办公厅关于…年部分节假日安排的通知); null when not covered.' })
  notice!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the year was last loaded or replaced; null when not covered.' })
  updatedAt!: Date | null;
}

@ObjectType({ description: 'A deadline in working days (限时办理).' })
export class WorkingDayDeadline {
  @Field(() => LocalDateResolver, { description: 'The day the time limit starts from (e.g. the day of intake); it is not counted itself.' })
  start!: string;

  @Field(() => Int, { description: 'The time limit in working days.' })
  workingDays!: number;

  @Field(() => LocalDateResolver, { description: 'The last day of the time limit: the n-th working day after start (for 0, start itself when a working day, else the next working day).' })
  dueDate!: string;

  @Field({ description: 'True when the count crossed a year whose official days are not loaded yet: computed by the weekend rule alone, and it may move once the year is loaded.' })
  provisional!: boolean;
}

@InputType({ description: 'An official day of the year being set.' })
export class WorkingCalendarDayInput {
  @Field(() => LocalDateResolver, { description: 'The day; it must lie in the year being set.' })
  date!: string;

  @Field({ description: 'The festival in Chinese, e.g. "春节" (1–50 characters).' })
  nameZh!: string;

  @Field({ description: 'The festival in English, e.g. "Spring Festival" (1–100 characters).' })
  nameEn!: string;
}

@InputType({ description: "A year's official days as the State Council's notice publishes them; they replace whatever the year held." })
export class SetWorkingCalendarYearInput {
  @Field(() => Int, { description: 'The year, 2000–2100.' })
  year!: number;

  @Field({ description: 'The notice the days come from: its title, document number and date (1–200 characters).' })
  notice!: string;

  @Field(() => [WorkingCalendarDayInput], { description: 'Every day of every holiday span, weekends inside the span included; each date once.' })
  holidays!: WorkingCalendarDayInput[];

  @Field(() => [WorkingCalendarDayInput], { description: 'The weekend days declared working days (调休上班); each a Saturday or Sunday, none also a holiday.' })
  makeUpWorkdays!: WorkingCalendarDayInput[];
}

@ObjectType({ description: 'Result of setting a year of the working calendar.' })
export class SetWorkingCalendarYearPayload {
  @Field(() => WorkingCalendarYear, { nullable: true, description: 'The year as now stored; null when refused.' })
  workingCalendarYear!: WorkingCalendarYear | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
