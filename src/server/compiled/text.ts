import { randomBytes } from 'node:crypto';
import { is, sql, type SQL } from 'drizzle-orm';
import { PgArray, type PgColumn } from 'drizzle-orm/pg-core';
import { getNamedType, getNullableType, isEnumType, isListType, isNonNullType, type GraphQLOutputType } from 'graphql';
import type { HubContext } from '../context';
import { Node } from '../../modules/common/node.type';

/**
 * Answers as text. On the lean HTTP path a compiled query's roots are written as JSON text by
 * PostgreSQL itself, byte for byte what graphql-js and JSON.stringify would write (compact, keys
 * in selection order, the same escapes), and that text goes into the response as it is. The
 * hub then parses no JSON, builds no models and serialises no answer: on the needs page that
 * was a third of the hub's time.
 *
 * Only leaves whose serialisation SQL can spell exactly are written so (below); a plan with any
 * other leaf is answered from models as before. Where the resolvers would report an error (a
 * null where the schema promises a value, a date JavaScript prints differently), the statement
 * writes FALLBACK_MARK instead, and the request falls back to the resolvers.
 */

/** A JSON object no answer can contain unescaped: `@` starts no GraphQL name, and quotes inside strings are escaped. */
export const FALLBACK_MARK = '{"@fallback"';
/** What a statement writes where the resolvers would report an error: the request then falls back. */
export const FALLBACK_TEXT: SQL = sql.raw(`'${FALLBACK_MARK}:1}'`);

/** JSON's null, as a SQL literal. */
export const NULL_TEXT: SQL = sql.raw(`'null'`);

/** A constant piece of JSON text, as a SQL literal. */
export function textLiteral(text: string): SQL {
  return sql.raw(`'${text.replace(/'/g, "''")}'`);
}

const INTEGER_COLUMNS = new Set(['PgInteger', 'PgSmallInt', 'PgSerial', 'PgSmallSerial']);
const STRING_COLUMNS = new Set(['PgText', 'PgVarchar']);

/**
 * Whether graphql-js writes the enum `type`'s values of `column` as their stored labels: each
 * name is its value, and every label the column can hold is a name.
 */
function writesLabels(type: GraphQLOutputType, column: PgColumn): boolean {
  const named = getNamedType(type);
  if (!isEnumType(named) || column.columnType !== 'PgEnumColumn') return false;
  const names = new Set(named.getValues().map((value) => value.name));
  const labels = (column as PgColumn & { enumValues?: readonly string[] }).enumValues;
  return named.getValues().every((value) => value.value === value.name) && labels !== undefined && labels.every((label) => names.has(label));
}

/**
 * The JSON text of a one-dimensional array of enum labels as the list type `[E!]` of the enum
 * column `element`, or undefined. A null element or an array of arrays is written as the mark:
 * graphql-js would report an error there. (`[E]` is left to the model path: what a null element
 * becomes before graphql-js sees it depends on the driver.)
 */
export function labelListText(type: GraphQLOutputType, element: PgColumn): ((array: SQL, from?: SQL) => SQL) | undefined {
  const list = getNullableType(type);
  if (!isListType(list) || !isNonNullType(list.ofType) || !writesLabels(list.ofType, element)) return undefined;
  // `from`, when given, is the stored array `array` is made of without adding nulls or dimensions: checked in its place.
  return (array, from = array) => {
    const malformed = sql`coalesce(array_ndims(${from}), 1) <> 1 or array_position(${from}, null) is not null`;
    return sql`case when ${malformed} then ${FALLBACK_TEXT} else array_to_json(${array})::text end`;
  };
}

/** The column of an array column's elements. */
export function elementOf(column: PgColumn): PgColumn | undefined {
  return is(column, PgArray) ? (column.baseColumn as PgColumn) : undefined;
}

/** The JSON text of a non-null value of `column` serialised as the GraphQL type `type`, or undefined. */
function valueText(type: GraphQLOutputType, column: PgColumn): ((value: SQL) => SQL) | undefined {
  if (isListType(getNullableType(type))) {
    // Enum arrays only: other lists are written element by element, which these texts are not.
    const element = elementOf(column);
    return element ? labelListText(type, element) : undefined;
  }
  const named = getNamedType(type);
  if (isEnumType(named)) {
    // graphql-js writes an enum value's name; the text is the stored label when each name is its value.
    return writesLabels(type, column) ? (value) => sql`to_json(${value})::text` : undefined;
  }
  switch (named.name) {
    case 'Int':
      return INTEGER_COLUMNS.has(column.columnType) ? (value) => sql`${value}::text` : undefined;
    case 'String':
      // PostgreSQL escapes as JSON.stringify does: \" \\ \b \f \n \r \t, other controls as \u00xx.
      return STRING_COLUMNS.has(column.columnType) ? (value) => sql`to_json(${value})::text` : undefined;
    case 'Boolean':
      return column.columnType === 'PgBoolean' ? (value) => sql`to_json(${value})::text` : undefined;
    case 'DateTime':
      // Date#toISOString: milliseconds, truncated like to_char's MS; years outside 1–9999 it writes otherwise.
      if (column.columnType !== 'PgTimestamp' || !(column as PgColumn & { withTimezone?: boolean }).withTimezone) return undefined;
      return (value) =>
        sql`case when extract(year from ${value} at time zone 'UTC') between 1 and 9999 then '"' || to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"' else ${FALLBACK_TEXT} end`;
    default:
      return undefined;
  }
}

/** An integer's JSON text as GraphQL's Int writes it: the mark outside 32 bits, where graphql-js reports an error, and for NULL. */
export function intText(value: SQL): SQL {
  return sql`case when ${value} between -2147483648 and 2147483647 then (${value})::text else ${FALLBACK_TEXT} end`;
}

/**
 * What a leaf's text reads of its row: a column under the row's alias (`"q3"."name_zh"`; a
 * report's rows name their columns), and today in Shanghai (YYYY-MM-DD), the day the getters read.
 */
export interface RowText {
  readonly column: (column: PgColumn | string) => SQL;
  readonly today: string;
}

/** A YYYY-MM-DD day as a date constant: PostgreSQL folds what is computed of it once, when it plans. */
export function dateConstant(day: string): SQL {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error('A day is written YYYY-MM-DD');
  return sql.raw(`date '${day}'`);
}

/**
 * The JSON text of a leaf field that reads `property` of `model`'s rows, or undefined when SQL
 * cannot write it exactly as graphql-js would. `columns` are the model's columns by property.
 */
export function leafText(
  model: abstract new (...args: never[]) => object,
  property: string,
  type: GraphQLOutputType,
  columns: ReadonlyMap<string, PgColumn>,
): ((row: RowText) => SQL) | undefined {
  if (property === 'globalId') return globalIdText(model, columns.get('id'));
  const column = columns.get(property);
  // A property the class defines itself (a getter) is not the column's value.
  if (!column || descriptorOf(model, property)) return undefined;
  const text = valueText(type, column);
  if (!text) return undefined;
  if (column.notNull) return (row) => text(row.column(column));
  const absent = isNonNullType(type) ? FALLBACK_TEXT : NULL_TEXT;
  return (row) => sql`case when ${row.column(column)} is null then ${absent} else ${text(row.column(column))} end`;
}

/** Node's `id`: base64url of "Type:key" without padding, as toGlobalId writes it. */
function globalIdText(model: abstract new (...args: never[]) => object, id: PgColumn | undefined): ((row: RowText) => SQL) | undefined {
  const getter = Object.getOwnPropertyDescriptor(Node.prototype, 'globalId')?.get;
  if (!id || !INTEGER_COLUMNS.has(id.columnType) || descriptorOf(model, 'globalId')?.get !== getter) return undefined;
  // Short enough for one line of base64 (PostgreSQL breaks lines after 76 characters).
  if (!/^[A-Za-z]{1,40}$/.test(model.name)) return undefined;
  return (row) => sql`'"' || translate(encode(convert_to(${textLiteral(`${model.name}:`)} || ${row.column(id)}, 'UTF8'), 'base64'), '+/=', '-_') || '"'`;
}

/** The descriptor of `property` on a class's prototype chain, if the class defines it. */
export function descriptorOf(target: unknown, property: string): PropertyDescriptor | undefined {
  for (let proto = (target as { prototype?: object }).prototype; proto; proto = Object.getPrototypeOf(proto) as object) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, property);
    if (descriptor) return descriptor;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Splicing: Apollo serialises the response; the roots' texts replace their placeholders after.

/** Stands in no answer: a random word held by this process only, after a NUL that JSON escapes. */
const NONCE = randomBytes(12).toString('base64url');

/**
 * The texts of one response's roots. Each root's value in the data is a placeholder string, and
 * once Apollo has written the response, `splice` puts each text where its placeholder's JSON is.
 * Placeholders are never reused within a response: operations of one request share this object.
 */
export class SplicedAnswers {
  private readonly texts = new Map<number, string>();
  private next = 0;

  /** How many roots are waiting for their place. */
  get size(): number {
    return this.texts.size;
  }

  /** Places a root's text; `placed` collects the placeholder's number. */
  placeholder(text: string, placed: number[]): string {
    const id = this.next++;
    this.texts.set(id, text);
    placed.push(id);
    return `\u0000${NONCE}:${id}`;
  }

  /** Forgets the texts of an answer that was not given (its operation fell back). */
  discard(placed: readonly number[]): void {
    for (const id of placed) this.texts.delete(id);
  }

  splice(body: string): string {
    let spliced = body;
    for (const [id, text] of this.texts) {
      const placeholder = JSON.stringify(`\u0000${NONCE}:${id}`);
      const at = spliced.indexOf(placeholder);
      if (at < 0) throw new Error('A compiled answer lost its place in the response');
      spliced = spliced.slice(0, at) + text + spliced.slice(at + placeholder.length);
    }
    return spliced;
  }
}

/** On the context itself: Apollo runs each operation on a shallow copy of it. */
const SPLICED = Symbol('splicedAnswers');

/** Lets compiled queries answer this request's roots as text; the caller splices the response. */
export function answerAsText(ctx: HubContext): SplicedAnswers {
  const answers = new SplicedAnswers();
  (ctx as unknown as Record<symbol, SplicedAnswers>)[SPLICED] = answers;
  return answers;
}

/** The spliced answers of a request that takes text, or undefined. */
export function splicedAnswersOf(ctx: HubContext): SplicedAnswers | undefined {
  return (ctx as unknown as Record<symbol, SplicedAnswers | undefined>)[SPLICED];
}
