import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { RequestLimits } from '../config';

/** The codes of a refused query; stable, so clients can tell a query to shrink from a bug. */
export type QueryLimitCode = 'QUERY_TOO_DEEP' | 'QUERY_TOO_COMPLEX' | 'TOO_MANY_ALIASES' | 'QUERY_TOO_LARGE';

export class QueryLimitError extends GraphQLError {
  constructor(code: QueryLimitCode, message: string) {
    super(message, { extensions: { code, http: { status: 400 } } });
    this.name = 'QueryLimitError';
  }
}

/** What an operation asks for, measured on its document before anything runs. */
export interface OperationMeasure {
  /** Deepest chain of nested fields; a top-level scalar is 1. Fragments add no level. */
  readonly depth: number;
  readonly aliases: number;
  readonly directives: number;
  /**
   * Objects the operation may resolve: each field with a selection counts 1, times the items
   * of every enclosing list. A paginated field holds `first` or `last` items (the default page
   * when neither is given), other lists of objects the length of their list argument or a default page.
   */
  readonly cost: number;
}

export interface PageSizes {
  /** Items of a page when the query gives neither `first` nor `last`. */
  readonly defaultSize: number;
  /** Most items of a page: larger requests are refused by the pagination layer, so they cost no more. */
  readonly maxSize: number;
}

const NOTHING: OperationMeasure = { depth: 0, aliases: 0, directives: 0, cost: 0 };
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

type FieldsOwner = GraphQLObjectType | GraphQLInterfaceType;

function fieldsOwner(type: GraphQLNamedType | null | undefined): FieldsOwner | undefined {
  return type && (isObjectType(type) || isInterfaceType(type)) ? type : undefined;
}

/** A connection type (`edges`, `nodes`, `pageInfo`): its lists hold the page its parent field counted. */
function isConnection(type: FieldsOwner | undefined): boolean {
  return type !== undefined && 'pageInfo' in type.getFields();
}

/**
 * Measures one operation of a validated document. Fragments are measured once each, so a
 * document that spreads fragments inside fragments is measured in linear time; the counts are of
 * the expanded operation, as the server would execute it. Variables give page sizes their values.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  pages: PageSizes,
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measuredFragments = new Map<string, OperationMeasure>();
  const inProgress = new Set<string>();

  function variableValue(name: string): unknown {
    const given = variables[name];
    if (given !== undefined && given !== null) return given;
    const definition = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
    return definition?.defaultValue ? literal(definition.defaultValue) : undefined;
  }

  function literal(node: ValueNode): unknown {
    switch (node.kind) {
      case Kind.INT:
        return Number.parseInt(node.value, 10);
      case Kind.LIST:
        return node.values.map(literal);
      case Kind.VARIABLE:
        return variableValue(node.name.value);
      default:
        return undefined;
    }
  }

  function argument(field: FieldNode, name: string): unknown {
    const node = field.arguments?.find((a) => a.name.value === name);
    return node ? literal(node.value) : undefined;
  }

  function clampPage(size: number): number {
    return Math.min(Math.max(size, 0), pages.maxSize);
  }

  /** How many times a field's selection is resolved for one parent object. */
  function itemsOf(field: FieldNode, definition: GraphQLField<unknown, unknown>, parent: FieldsOwner): number {
    const names = definition.args.map((a) => a.name);
    if (names.includes('first') || names.includes('last')) {
      const sizes = [argument(field, 'first'), argument(field, 'last')].filter((v): v is number => Number.isInteger(v));
      return clampPage(sizes.length > 0 ? Math.max(...sizes) : pages.defaultSize);
    }
    if (!isListType(getNullableType(definition.type)) || isConnection(parent)) return 1;
    // A list outside pagination, e.g. nodes(ids: […]): as long as its list argument, or a default page.
    for (const arg of definition.args) {
      if (!isListType(getNullableType(arg.type))) continue;
      const value = argument(field, arg.name);
      if (value !== undefined) return clampPage(Array.isArray(value) ? value.length : 1);
    }
    return pages.defaultSize;
  }

  function measureSet(selectionSet: SelectionSetNode, parent: FieldsOwner | undefined): OperationMeasure {
    let depth = 0;
    let aliases = 0;
    let directives = 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      const measure = measureSelection(selection, parent);
      depth = Math.max(depth, measure.depth);
      aliases += measure.aliases;
      directives += measure.directives;
      cost += measure.cost;
    }
    return { depth, aliases, directives, cost };
  }

  function measureSelection(selection: SelectionNode, parent: FieldsOwner | undefined): OperationMeasure {
    const own = selection.directives?.length ?? 0;
    if (selection.kind === Kind.FIELD) return measureField(selection, parent, own);
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT
        ? measureSet(selection.selectionSet, selection.typeCondition ? fieldsOwner(schema.getType(selection.typeCondition.name.value)) : parent)
        : measureFragment(selection.name.value);
    return { ...inner, directives: inner.directives + own };
  }

  function measureFragment(name: string): OperationMeasure {
    const known = measuredFragments.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Validation has already refused unknown and cyclic fragments; this only keeps the walk finite.
    if (!fragment || inProgress.has(name)) return NOTHING;
    inProgress.add(name);
    const inner = measureSet(fragment.selectionSet, fieldsOwner(schema.getType(fragment.typeCondition.name.value)));
    inProgress.delete(name);
    const measure = { ...inner, directives: inner.directives + (fragment.directives?.length ?? 0) };
    measuredFragments.set(name, measure);
    return measure;
  }

  function measureField(field: FieldNode, parent: FieldsOwner | undefined, directives: number): OperationMeasure {
    const aliases = field.alias ? 1 : 0;
    // Introspection is answered from memory (and is off in production): no depth or cost.
    if (!field.selectionSet || INTROSPECTION_ROOTS.has(field.name.value)) return { depth: 1, aliases, directives, cost: 0 };
    const definition = parent?.getFields()[field.name.value];
    const inner = measureSet(field.selectionSet, definition && fieldsOwner(getNamedType(definition.type)));
    const items = definition && parent ? itemsOf(field, definition, parent) : 1;
    return {
      depth: 1 + inner.depth,
      aliases: aliases + inner.aliases,
      directives: directives + inner.directives,
      cost: 1 + items * inner.cost,
    };
  }

  const root = schema.getRootType(operation.operation);
  return measureSet(operation.selectionSet, root ?? undefined);
}

/** The first limit an operation exceeds, as the error to refuse it with; undefined within all limits. */
export function limitExceeded(measure: OperationMeasure, limits: RequestLimits): QueryLimitError | undefined {
  if (measure.depth > limits.maxDepth) {
    return new QueryLimitError('QUERY_TOO_DEEP', `The query nests fields ${measure.depth} deep; the hub accepts at most ${limits.maxDepth}.`);
  }
  if (measure.aliases > limits.maxAliases) {
    return new QueryLimitError('TOO_MANY_ALIASES', `The query has ${measure.aliases} aliases; the hub accepts at most ${limits.maxAliases}.`);
  }
  if (measure.directives > limits.maxDirectives) {
    return new QueryLimitError('QUERY_TOO_COMPLEX', `The query has ${measure.directives} directives; the hub accepts at most ${limits.maxDirectives}.`);
  }
  if (measure.cost > limits.maxCost) {
    return new QueryLimitError(
      'QUERY_TOO_COMPLEX',
      `The query could resolve about ${Math.round(measure.cost)} objects; the hub accepts at most ${limits.maxCost}. Ask for smaller pages (first/last) or fewer nested lists.`,
    );
  }
  return undefined;
}

/** graphql-js's own refusal when parsing passes `maxTokens` (ParseOptions); 16.x spells it "more that". */
const TOKEN_LIMIT_MESSAGE = /Document contains more th(?:at|an) \d+ tokens/;

/**
 * Refuses, before execution, a query beyond the configured limits. Measuring needs the parsed,
 * validated operation and the request's variables (for page sizes), so the check runs when Apollo
 * has resolved the operation: after validation, before any resolver or SQL statement.
 * The token limit is enforced by the parser itself (`parseOptionsFor`), so a huge document is
 * never fully parsed; Apollo reports that as GRAPHQL_PARSE_FAILED, which this plugin re-codes.
 */
export function queryLimitsPlugin(limits: RequestLimits, pages: PageSizes): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ source, document, operation, request, schema }) {
          const bytes = Buffer.byteLength(source, 'utf8');
          if (bytes > limits.maxQueryBytes) {
            throw new QueryLimitError('QUERY_TOO_LARGE', `The query is ${bytes} bytes long; the hub accepts at most ${limits.maxQueryBytes}.`);
          }
          // Without a resolvable operation execution fails at once, before any resolver runs.
          if (!operation) return;
          const refusal = limitExceeded(measureOperation(schema, document, operation, request.variables ?? {}, pages), limits);
          if (refusal) throw refusal;
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (error.extensions.code === 'GRAPHQL_PARSE_FAILED' && TOKEN_LIMIT_MESSAGE.test(error.message)) {
              error.extensions.code = 'QUERY_TOO_LARGE';
              error.message = `The query has more than ${limits.maxTokens} tokens; the hub accepts at most ${limits.maxTokens}.`;
            }
          }
        },
      };
    },
  };
}

/** Parser options that stop parsing a document at the token limit. */
export function parseOptionsFor(limits: RequestLimits): { maxTokens: number } {
  return { maxTokens: limits.maxTokens };
}

/** What body-parser attaches to the errors it raises (`http-errors`). */
interface BodyParserError {
  readonly status?: number;
  readonly type?: string;
  readonly limit?: number;
}

/** A body refused before GraphQL sees it, as body-parser describes it. */
export interface UnreadableBody {
  readonly status: number;
  readonly type: string;
  readonly limit?: number;
}

/** A body as read for the lean /graphql path: the parsed JSON, or why it was refused. */
export type BodyRead = { readonly body: unknown } | { readonly refusal: UnreadableBody };

/** A refused body's answer: its status and a body in the shape of a GraphQL response. */
export function unreadableBodyAnswer({ status, type, limit }: UnreadableBody): { status: number; body: { errors: { message: string; extensions: { code: string } }[] } } {
  const [code, message] =
    status === 413
      ? ['QUERY_TOO_LARGE', `The request body is larger than the hub accepts${typeof limit === 'number' ? ` (at most ${limit} bytes)` : ''}.`]
      : type === 'entity.parse.failed'
        ? ['BAD_REQUEST', 'The request body is not valid JSON.']
        : ['BAD_REQUEST', 'The request body could not be read.'];
  return { status, body: { errors: [{ message, extensions: { code } }] } };
}

/**
 * Express error handler for bodies the JSON parser refused: over the size limit (413
 * QUERY_TOO_LARGE), not JSON (400), an unsupported charset (415). Answers in the shape of a
 * GraphQL response, as clients expect from a GraphQL endpoint; other errors pass on.
 */
export function refuseUnreadableBody(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const { status, type, limit } = (error ?? {}) as BodyParserError;
  if (res.headersSent || typeof type !== 'string' || typeof status !== 'number' || status < 400 || status > 499) {
    next(error);
    return;
  }
  const answer = unreadableBodyAnswer({ status, type, limit });
  res.status(answer.status).json(answer.body);
}

/** `application/json`, bare or with the charset UTF-8: the bodies express.json reads as they come. */
const PLAIN_JSON = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$/i;

/**
 * Whether express.json would read this request's body as plain UTF-8 JSON: a body (a length
 * or chunked), `application/json` with no charset but UTF-8, no content encoding. Other
 * bodies (another charset, gzip, another type) are left to express.json and its answers.
 */
export function isPlainJsonBody(req: IncomingMessage): boolean {
  const { headers } = req;
  const encoding = headers['content-encoding'];
  return (
    (headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) &&
    PLAIN_JSON.test(headers['content-type'] ?? '') &&
    (encoding === undefined || encoding.toLowerCase() === 'identity')
  );
}

/** What express.json's strict mode accepts first: an object or an array, after JSON's whitespace. */
const FIRST_CHARACTER = /^[ \t\n\r]*([^ \t\n\r]|$)/;

/**
 * Reads a plain JSON body (isPlainJsonBody) as express.json does, for the lean /graphql path:
 * at most `limit` bytes (a longer body is read to its end, then refused with 413, so the client
 * hears the answer rather than a reset), a byte-order mark dropped, an empty body as `{}`, only an
 * object or an array at the top. A refusal comes as body-parser's error would, for unreadableBodyAnswer.
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    let tooLarge = declared > limit;
    let received = 0;
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (outcome: BodyRead) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) tooLarge = true;
      if (tooLarge) chunks.length = 0;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) settle({ refusal: { status: 413, type: 'entity.too.large', limit } });
      else settle(parseJsonBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)));
    });
    // The client went away before the end of its body: body-parser's "request aborted".
    req.on('close', () => settle({ refusal: tooLarge ? { status: 413, type: 'entity.too.large', limit } : { status: 400, type: 'request.aborted' } }));
    // An abort's error needs no answer of its own: 'close' has settled the read.
    req.on('error', () => undefined);
  });
}

function parseJsonBody(bytes: Buffer): BodyRead {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length === 0) return { body: {} };
  const first = FIRST_CHARACTER.exec(text)?.[1];
  if (first === '{' || first === '[') {
    try {
      return { body: JSON.parse(text) as unknown };
    } catch {
      // Answered below, as body-parser does.
    }
  }
  return { refusal: { status: 400, type: 'entity.parse.failed' } };
}
