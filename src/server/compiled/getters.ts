import { sql, type SQL } from 'drizzle-orm';
import type { GraphQLOutputType } from 'graphql';
import { isIsoDate } from '../../common/dates';
import { households, persons } from '../../db/schema';
import { AGE_OF_MAJORITY } from '../../modules/households/households.privacy';
import { PersonAttribute } from '../../modules/households/households.types';
import { dateConstant, elementOf, FALLBACK_TEXT, labelListText, NULL_TEXT, type RowText } from './text';

/**
 * Getters as text. Masked personal data and ages are getters of the model classes (a name is
 * shown as 张**, a birth date as an age); here is each one's twin in SQL, so that a compiled
 * answer with them is written as text too (text.ts). A twin must give the getter's value for
 * every value its columns can hold, or NULL where it cannot, which becomes the fallback mark:
 * test/integration/compiled-getters.test.ts runs both over values chosen to tell them apart.
 * A getter with no twin here keeps its answer on the model path.
 */

/**
 * What String.prototype.trim removes: WhiteSpace (tab, vertical tab, form feed, space, no-break
 * space, BOM and the other space separators) and LineTerminator. btrim removes the same set.
 */
export const JS_WHITESPACE = '\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** The set as an escaped string constant: a statement with it stays one printable line. */
const WHITESPACE_CONSTANT = sql.raw(`E'${[...JS_WHITESPACE].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}'`);

const jsTrim = (value: SQL): SQL => sql`btrim(${value}, ${WHITESPACE_CONSTANT})`;

/** `'*'.repeat(n)` */
const stars = (count: SQL): SQL => sql`repeat('*', ${count})`;

/**
 * String#length, in UTF-16 code units: a character beyond the Basic Multilingual Plane counts
 * twice. Text in PostgreSQL holds no lone surrogates and no NUL, so what the pattern leaves is
 * exactly the characters beyond it.
 */
const utf16Length = (value: SQL): SQL => sql`(char_length(${value}) + char_length(regexp_replace(${value}, '[\\u0001-\\uffff]', '', 'g')))`;

/** maskTail (households.privacy.ts): the first `visible` characters, then one * per further character. */
const maskTail = (value: SQL, visible: SQL): SQL => sql`(left(${value}, ${visible}) || ${stars(sql`greatest(char_length(${value}) - ${visible}, 0)`)})`;

/** maskAddress (households.privacy.ts). */
export const maskAddressSql = (address: SQL): SQL => maskTail(address, sql`least(6, char_length(${address}) / 2)`);

/** maskName (households.privacy.ts): the trimmed name's first character, or all stars for one character. */
export function maskNameSql(name: SQL): SQL {
  const trimmed = jsTrim(name);
  return sql`case when char_length(${trimmed}) <= 1 then ${stars(sql`char_length(${trimmed})`)} else ${maskTail(trimmed, sql`1`)} end`;
}

/**
 * maskResidentId (common/resident-id.ts): the first 3 and last 4 characters of the trimmed,
 * upper-cased number. Where the number is malformed it writes as many stars as the upper-cased
 * text is long, which this knows only for ASCII text (upper-casing keeps its length): NULL else.
 */
export function maskResidentIdSql(id: SQL): SQL {
  const trimmed = jsTrim(id);
  return sql`case when ${trimmed} ~ '^[0-9]{17}[0-9Xx]$' then left(${trimmed}, 3) || '***********' || upper(right(${trimmed}, 4))
    when octet_length(${trimmed}) = char_length(${trimmed}) then ${stars(sql`char_length(${trimmed})`)} end`;
}

/**
 * maskPhone (common/phone.ts): a mobile keeps its first 3 and last 4 digits; a fixed line its
 * area code and last 2 digits; anything else is all stars, one per UTF-16 unit of the trimmed text.
 * The patterns are the same; where JavaScript's and PostgreSQL's regular expressions could part
 * (which alternative a group takes), the alternatives here cannot both match.
 */
export function maskPhoneSql(phone: SQL): SQL {
  const trimmed = jsTrim(phone);
  const fixed = sql`regexp_match(${trimmed}, '^(0[12][0-9]|0[3-9][0-9]{2})[- ]?([0-9]{7,8})$')`;
  return sql`case when ${trimmed} ~ '^(\\+?86[- ]?)?1[3-9][0-9]{9}$' then left(right(${trimmed}, 11), 3) || '****' || right(${trimmed}, 4)
    when ${trimmed} ~ '^(0[12][0-9]|0[3-9][0-9]{2})[- ]?[0-9]{7,8}$' then (${fixed})[1] || '-' || ${stars(sql`char_length((${fixed})[2]) - 2`)} || right(${trimmed}, 2)
    else ${stars(utf16Length(trimmed))} end`;
}

/** The dates the getters read as YYYY-MM-DD text: the years 1 to 9999 (not BC, not infinity). */
const writtenAsIsoDate = (date: SQL): SQL => sql`${date} between date '0001-01-01' and date '9999-12-31'`;

/** ageOn (households.privacy.ts) of a date column: completed years on `today`; NULL where the getter reads no YYYY-MM-DD date. */
export function ageOnSql(birthDate: SQL, today: SQL): SQL {
  const part = (field: 'year' | 'month' | 'day', date: SQL) => sql`date_part('${sql.raw(field)}', ${date})::int`;
  const before = sql`(${part('month', today)}, ${part('day', today)}) < (${part('month', birthDate)}, ${part('day', birthDate)})`;
  return sql`case when ${writtenAsIsoDate(birthDate)} then ${part('year', today)} - ${part('year', birthDate)} - case when ${before} then 1 else 0 end end`;
}

/**
 * The last birth date of someone of age (18) on `today`, both YYYY-MM-DD: ageOn(b, today) < 18
 * exactly when b is later. Where the day 18 years back does not exist (29 February), the day before it.
 */
export function majorityCutoff(today: string): string {
  const year = String(Number(today.slice(0, 4)) - AGE_OF_MAJORITY).padStart(4, '0');
  const day = `${year}${today.slice(4)}`;
  return isIsoDate(day) ? day : `${year}-02-28`;
}

/** A string's JSON text, or the mark where the twin gave NULL. */
const stringText = (value: SQL): SQL => sql`coalesce(to_json(${value})::text, ${FALLBACK_TEXT})`;

type GetterText = (row: RowText) => SQL;

/** Each twin by `Model.property`, with the GraphQL type it writes (another type keeps the model path). */
const GETTERS: Readonly<Record<string, { readonly type: string; readonly text: (type: GraphQLOutputType) => GetterText | undefined }>> = {
  'Household.maskedAddress': { type: 'String!', text: () => (row) => stringText(maskAddressSql(row.column(households.address))) },
  'Person.maskedName': { type: 'String!', text: () => (row) => stringText(maskNameSql(row.column(persons.name))) },
  'Person.maskedIdNumber': { type: 'String!', text: () => (row) => stringText(maskResidentIdSql(row.column(persons.idNumber))) },
  'Person.maskedPhone': {
    type: 'String',
    text: () => (row) => sql`case when ${row.column(persons.phone)} is null then ${NULL_TEXT} else ${stringText(maskPhoneSql(row.column(persons.phone)))} end`,
  },
  'Person.age': { type: 'Int!', text: () => (row) => sql`coalesce((${ageOnSql(row.column(persons.birthDate), dateConstant(row.today))})::text, ${FALLBACK_TEXT})` },
  // The stored attributes without MINOR, and MINOR last while the age is under 18.
  'Person.currentAttributes': {
    type: '[PersonAttribute!]!',
    text: (type) => {
      const element = elementOf(persons.attributes);
      const list = element && labelListText(type, element);
      if (!list) return undefined;
      return (row) => {
        const stored = row.column(persons.attributes);
        const birthDate = row.column(persons.birthDate);
        const minor = sql.raw(`'${PersonAttribute.MINOR}'`);
        const others = sql`array_remove(${stored}, ${minor})`;
        // Under 18 is born after the day 18 years ago: one comparison with a constant.
        const current = sql`case when ${birthDate} > ${dateConstant(majorityCutoff(row.today))} then array_append(${others}, ${minor}) else ${others} end`;
        // The age the getter reads is written YYYY-MM-DD for the years 1 to 9999 only; array_remove
        // refuses an array of arrays, which is the mark (checked on the stored array) before it is read.
        return sql`case when not ${writtenAsIsoDate(birthDate)} or coalesce(array_ndims(${stored}), 1) <> 1 then ${FALLBACK_TEXT} else ${list(current, stored)} end`;
      };
    },
  },
};

/** The text of a getter of `model` as the field type `type`, or undefined when it has no twin for it. */
export function getterText(model: abstract new (...args: never[]) => object, property: string, type: GraphQLOutputType): GetterText | undefined {
  const getter = GETTERS[`${model.name}.${property}`];
  return getter && String(type) === getter.type ? getter.text(type) : undefined;
}
