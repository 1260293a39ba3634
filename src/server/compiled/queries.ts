import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields';
import { getMetadataStorage } from 'type-graphql';
import type { ApolloServerPlugin, GraphQLRequestContextResponseForOperation } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { todayInShanghai } from '../../common/dates';
import { fromGlobalId } from '../../common/global-id';
import { resolvePageRequest, type ChildList, type SortKey } from '../../db/paginate';
import { jsonColumnsOf, jsonKey, jsonObject, rowOfJson, type RowColumn } from '../../db/json-rows';
import type { Database } from '../../db/client';
import { cachedStatement, filterKey, type Preparable } from '../../db/prepared';
import type { HubContext } from '../context';
import { toModel } from '../../modules/common/node.type';
import { getterText } from './getters';
import { ENTITIES, RELATIONS, REPORT_ROOTS, ROOT_LISTS, type Entity, type ReportRoot } from './relations';
import { descriptorOf, FALLBACK_MARK, FALLBACK_TEXT, leafText, splicedAnswersOf, textLiteral, type RowText, type SplicedAnswers } from './text';

/**
 * Compiled queries: a read whose every field the hub knows how to fetch in SQL is answered by one
 * statement that builds the whole tree as JSON (like PostGraphile's plans or a hand-written
 * query), instead of one statement per level and a resolver call per field.
 *
 * What makes it the same answer as the resolvers':
 * - rows are read with the same row scopes, lists with the same filters, order and page sizes as
 *   the loaders (relations.ts names them from the repositories);
 * - each row becomes the same model (`toModel`), and every leaf is that model's property read and
 *   serialised by the field's GraphQL type, exactly what graphql-js does with a default resolver
 *   (or, as text, what SQL writes for the same value, byte for byte: text.ts);
 * - anything else makes the request fall back to ordinary execution: a field with a resolver of
 *   its own, middleware or roles, `edges`, `pageInfo`, `totalCount`, cursors, `last`, directives,
 *   an abstract type other than `node`'s, a stated purpose (clear personal data is read and
 *   audited by the guard), a null where the schema promises a value, a mutation.
 * Falling back costs the statement already run, if any; a failure of the statement falls back too,
 * so it is reported like any other. On the lean HTTP path, a root whose every leaf SQL can
 * serialise exactly is written as JSON text by the statement itself (text.ts; getters by their
 * twins, getters.ts), and so is a report root (relations.ts: the supply–demand balance).
 * test/integration/compiled-queries.test.ts checks all three paths against each other for every
 * role's viewer.
 */

/** A selected field, ready to be read from the statement's JSON. */
type PlannedField =
  | { readonly kind: 'typename'; readonly key: string; readonly name: string }
  | { readonly kind: 'leaf'; readonly key: string; readonly property: string; readonly type: GraphQLOutputType; readonly text: ((row: RowText) => SQL) | undefined }
  | { readonly kind: 'reference'; readonly key: string; readonly object: PlannedObject; readonly foreignKey: PgColumn | string; readonly required: boolean; readonly nullable: boolean }
  | { readonly kind: 'children'; readonly key: string; readonly list: (visible: HubContext['visible']) => ChildList; readonly args: ArgumentsOf; readonly connection: ConnectionPlan };

/** The `nodes` (and `__typename`) of a connection: all a compiled query reads of one. */
interface ConnectionPlan {
  readonly fields: readonly ({ readonly kind: 'typename'; readonly key: string; readonly name: string } | { readonly kind: 'nodes'; readonly key: string })[];
  readonly object: PlannedObject;
}

interface PlannedObject {
  readonly typeName: string;
  readonly entity: Entity;
  readonly fields: readonly PlannedField[];
  /** The columns read: those the selected fields are, or every column when a getter is selected. */
  readonly columns: readonly RowColumn[];
  /** Whether SQL can write this object's JSON text exactly (text.ts): every leaf below can be. */
  readonly textable: boolean;
}

type ArgumentsOf = (variables: Record<string, unknown>) => Record<string, unknown>;

type PlannedRoot =
  | { readonly kind: 'list'; readonly key: string; readonly args: ArgumentsOf; readonly fieldName: string; readonly connection: ConnectionPlan }
  | { readonly kind: 'report'; readonly key: string; readonly args: ArgumentsOf; readonly report: ReportRoot; readonly fields: readonly PlannedField[] }
  | { readonly kind: 'node'; readonly key: string; readonly args: ArgumentsOf; readonly nullable: boolean; readonly objects: ReadonlyMap<string, PlannedObject> }
  | { readonly kind: 'typename'; readonly key: string; readonly name: string };

interface Plan {
  /** Tells this plan's statements apart in the statement cache. */
  readonly id: number;
  readonly roots: readonly PlannedRoot[];
}

let planCount = 0;

/** Thrown where a compiled query cannot give the resolvers' answer; the request is then executed. */
class Fallback extends Error {}

const fallback = (): never => {
  throw new Fallback();
};

/** What a planning step gives, or null where it falls back. */
function unlessFallback<T>(step: () => T): T | null {
  try {
    return step();
  } catch (error) {
    if (error instanceof Fallback) return null;
    throw error;
  }
}

/**
 * The model property behind each field that graphql resolves by reading one property (a column or
 * a getter of the model class), by `Type.field`. Left out: fields with a resolver-class field
 * resolver, arguments, middlewares or roles, and methods.
 */
function plainProperties(schema: GraphQLSchema): Map<string, string> {
  const storage = getMetadataStorage();
  const properties = new Map<string, string>();
  for (const objectType of storage.objectTypes) {
    if (!(ENTITIES[objectType.name] || REPORT_TYPES.has(objectType.name)) || !isObjectType(schema.getType(objectType.name))) continue;
    const chain: unknown[] = [];
    for (let target: unknown = objectType.target; typeof target === 'function' && target !== Function.prototype; target = Object.getPrototypeOf(target)) chain.push(target);
    const inChain = (resolver: { getObjectType?: () => unknown }) => chain.includes(resolver.getObjectType?.());
    const external = new Set(storage.fieldResolvers.filter((r) => r.kind === 'external' && inChain(r)).map((r) => r.schemaName));
    const guarded = new Set(storage.fieldResolvers.filter((r) => inChain(r) && ((r.middlewares?.length ?? 0) > 0 || (r.roles?.length ?? 0) > 0 || (r.params?.length ?? 0) > 0)).map((r) => r.schemaName));
    for (const field of storage.fields) {
      if (!chain.includes(field.target) || external.has(field.schemaName) || guarded.has(field.schemaName)) continue;
      if ((field.middlewares?.length ?? 0) > 0 || (field.roles?.length ?? 0) > 0 || (field.params?.length ?? 0) > 0) continue;
      // A method (not a getter) would be called by its resolver with arguments: not a property read.
      if (isMethod(objectType.target, field.name)) continue;
      properties.set(`${objectType.name}.${field.schemaName}`, field.name);
    }
  }
  return properties;
}

const REPORT_TYPES = new Set(Object.values(REPORT_ROOTS).map((report) => report.type));

const isMethod = (target: unknown, property: string) => typeof descriptorOf(target, property)?.value === 'function';
const isGetter = (target: unknown, property: string) => descriptorOf(target, property)?.get !== undefined;

/** Plans operations of one schema; a plan is kept per document (Apollo caches parsed documents). */
export class QueryCompiler {
  private readonly properties: Map<string, string>;
  private readonly plans = new WeakMap<DocumentNode, Map<string | undefined, Plan | null>>();

  constructor(private readonly schema: GraphQLSchema) {
    this.properties = plainProperties(schema);
  }

  /** The plan of an operation, or null when some part of it needs the resolvers. */
  planOf(document: DocumentNode, operation: OperationDefinitionNode): Plan | null {
    let byName = this.plans.get(document);
    if (!byName) this.plans.set(document, (byName = new Map()));
    const name = operation.name?.value;
    if (byName.has(name)) return byName.get(name)!;
    const plan = unlessFallback(() => this.plan(document, operation));
    byName.set(name, plan);
    return plan;
  }

  private plan(document: DocumentNode, operation: OperationDefinitionNode): Plan {
    if (operation.operation !== 'query' || hasDirectives(document)) fallback();
    const fragments: Record<string, FragmentDefinitionNode> = Object.create(null) as Record<string, FragmentDefinitionNode>;
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    const query = this.schema.getQueryType()!;
    const fields = collectFields(this.schema, fragments, {}, query, operation.selectionSet);
    const roots: PlannedRoot[] = [];
    for (const [key, nodes] of fields) {
      const fieldName = nodes[0]!.name.value;
      if (fieldName === '__typename') {
        roots.push({ kind: 'typename', key, name: query.name });
        continue;
      }
      const field = query.getFields()[fieldName] ?? fallback();
      const args = argumentsOf(field, nodes[0]!);
      if (fieldName === 'node') {
        // One plan per type `node` may return; a type whose selection needs the resolvers has none.
        const objects = new Map<string, PlannedObject>();
        for (const typeName of Object.keys(ENTITIES)) {
          const type = this.schema.getType(typeName);
          const object = isObjectType(type) ? unlessFallback(() => this.object(type, collectSubfields(this.schema, fragments, {}, type, nodes), fragments)) : null;
          if (object) objects.set(typeName, object);
        }
        roots.push({ kind: 'node', key, args, nullable: !isNonNullType(field.type), objects });
      } else if (REPORT_ROOTS[fieldName]) {
        roots.push({ kind: 'report', key, args, report: REPORT_ROOTS[fieldName], fields: this.reportFields(REPORT_ROOTS[fieldName], field.type, nodes, fragments) });
      } else if (ROOT_LISTS[fieldName]) {
        roots.push({ kind: 'list', key, args, fieldName, connection: this.connection(field.type, nodes, fragments, ROOT_LISTS[fieldName].target) });
      } else {
        fallback();
      }
    }
    return { id: ++planCount, roots };
  }

  private object(type: GraphQLObjectType, selection: Map<string, readonly FieldNode[]>, fragments: Record<string, FragmentDefinitionNode>): PlannedObject {
    const entity = ENTITIES[type.name] ?? fallback();
    const fields: PlannedField[] = [];
    for (const [key, nodes] of selection) {
      const fieldName = nodes[0]!.name.value;
      if (fieldName === '__typename') {
        fields.push({ kind: 'typename', key, name: type.name });
        continue;
      }
      const field = type.getFields()[fieldName] ?? fallback();
      const relation = RELATIONS[`${type.name}.${fieldName}`];
      if (relation?.kind === 'reference') {
        const target = this.schema.getType(relation.target);
        if (!isObjectType(target) || getNamedType(field.type) !== target) fallback();
        const object = this.object(target as GraphQLObjectType, collectSubfields(this.schema, fragments, {}, target as GraphQLObjectType, nodes), fragments);
        fields.push({ kind: 'reference', key, object, foreignKey: relation.foreignKey, required: relation.required, nullable: !isNonNullType(field.type) });
      } else if (relation?.kind === 'children') {
        fields.push({ kind: 'children', key, list: relation.list, args: argumentsOf(field, nodes[0]!), connection: this.connection(field.type, nodes, fragments, relation.target) });
      } else {
        const property = this.properties.get(`${type.name}.${fieldName}`);
        if (property === undefined || !isLeafType(getNamedType(field.type)) || nodes.some((node) => node.arguments?.length)) fallback();
        // A property that is neither a column nor a getter would come from a loader's row: not here.
        if (!columnsByProperty(entity.table).has(property!) && !isGetter(entity.type, property!)) fallback();
        const text = leafText(entity.type, property!, field.type, columnsByProperty(entity.table)) ?? getterText(entity.type, property!, field.type);
        fields.push({ kind: 'leaf', key, property: property!, type: field.type, text });
      }
    }
    const textable = fields.every((f) => (f.kind === 'leaf' ? f.text !== undefined : f.kind === 'reference' ? f.object.textable : f.kind === 'children' ? f.connection.object.textable : true));
    return { typeName: type.name, entity, fields, columns: columnsRead(entity.table, fields), textable };
  }

  /** The fields of a report's rows: leaves its statement writes, and objects it joins by id. */
  private reportFields(report: ReportRoot, type: GraphQLOutputType, nodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): PlannedField[] {
    const cell = this.schema.getType(report.type);
    if (!isObjectType(cell) || String(type) !== `[${report.type}!]!`) return fallback();
    const fields: PlannedField[] = [];
    for (const [key, fieldNodes] of collectSubfields(this.schema, fragments, {}, cell, nodes)) {
      const fieldName = fieldNodes[0]!.name.value;
      if (fieldName === '__typename') {
        fields.push({ kind: 'typename', key, name: cell.name });
        continue;
      }
      const field = cell.getFields()[fieldName] ?? fallback();
      const property = this.properties.get(`${cell.name}.${fieldName}`) ?? fallback();
      if (fieldNodes.some((node) => node.arguments?.length)) fallback();
      const leaf = report.leaves[property];
      const reference = report.references[property];
      if (leaf && String(field.type) === leaf.type) {
        fields.push({ kind: 'leaf', key, property, type: field.type, text: leaf.text });
      } else if (reference && getNamedType(field.type).name === reference.target) {
        const target = this.schema.getType(reference.target) as GraphQLObjectType;
        const object = this.object(target, collectSubfields(this.schema, fragments, {}, target, fieldNodes), fragments);
        if (!object.textable) fallback();
        fields.push({ kind: 'reference', key, object, foreignKey: reference.column, required: true, nullable: !isNonNullType(field.type) });
      } else {
        fallback();
      }
    }
    return fields;
  }

  /** A connection of which only `nodes` and `__typename` are read. */
  private connection(type: GraphQLOutputType, nodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>, targetName: string): ConnectionPlan {
    const connectionType = getNamedType(type);
    const target = this.schema.getType(targetName);
    if (!isObjectType(connectionType) || !isObjectType(target)) return fallback();
    const fields: ConnectionPlan['fields'][number][] = [];
    let object: PlannedObject | undefined;
    for (const [key, fieldNodes] of collectSubfields(this.schema, fragments, {}, connectionType, nodes)) {
      const fieldName = fieldNodes[0]!.name.value;
      if (fieldName === '__typename') {
        fields.push({ kind: 'typename', key, name: connectionType.name });
      } else if (fieldName === 'nodes' && getNamedType(connectionType.getFields().nodes!.type) === target) {
        // Two aliases of `nodes` would need one object plan each; one is what clients send.
        if (object) fallback();
        object = this.object(target, collectSubfields(this.schema, fragments, {}, target, fieldNodes), fragments);
        fields.push({ kind: 'nodes', key });
      } else {
        fallback();
      }
    }
    return { fields, object: object ?? this.object(target, new Map(), fragments) };
  }
}

function hasDirectives(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Directive() {
      found = true;
    },
  });
  return found;
}

function argumentsOf(field: GraphQLField<unknown, unknown>, node: FieldNode): ArgumentsOf {
  return (variables) => getArgumentValues(field, node, variables);
}

// ---------------------------------------------------------------------------------------------
// SQL: one statement per request, each object a json_build_object of its table's columns.

/** Every column of an entity's table (planning falls back when one has no exact JSON form). */
function columnsOf(table: PgTable): readonly RowColumn[] {
  return jsonColumnsOf(table) ?? fallback();
}

const columnMaps = new WeakMap<PgTable, ReadonlyMap<string, PgColumn>>();

/** An entity's columns by property. */
function columnsByProperty(table: PgTable): ReadonlyMap<string, PgColumn> {
  let columns = columnMaps.get(table);
  if (!columns) columnMaps.set(table, (columns = new Map(columnsOf(table))));
  return columns;
}

/**
 * The columns a selection needs: the id (global IDs are made of it) and each selected column;
 * a getter (a masked name, an age) may read any column of its row, so it gets them all.
 */
function columnsRead(table: PgTable, fields: readonly PlannedField[]): readonly RowColumn[] {
  const all = columnsOf(table);
  const byProperty = new Map(all);
  const wanted = new Set(['id']);
  for (const field of fields) {
    if (field.kind !== 'leaf' || field.property === 'globalId') continue;
    if (!byProperty.has(field.property)) return all;
    wanted.add(field.property);
  }
  return all.filter(([property]) => wanted.has(property));
}

/** JSON keys of relations: never a column's property name. */
const relationKey = (key: string) => `@${key}`;

/**
 * What one request's statement is built from: the viewer's scopes, the page size of every nested
 * list, and a count that names its tables.
 */
interface Statement {
  readonly ctx: HubContext;
  /** Today in Shanghai, written into text statements as a constant (their keys name the day): the day the getters (ages) read. */
  readonly today: string;
  readonly pageSizes: ReadonlyMap<PlannedField, number>;
  tables: number;
}

/**
 * Every table of a compiled statement is read under an alias of its own (q0, q1, …): a table may
 * be joined more than once, and a row scope is written against the table's own name, which the
 * alias leaves free inside each table's subquery.
 */
function nextAlias(at: Statement): string {
  return `q${at.tables++}`;
}

const aliased = (alias: string, column: PgColumn | string): SQL => sql`${sql.identifier(alias)}.${sql.identifier(typeof column === 'string' ? column : column.name)}`;

const whereOf = (condition: SQL | undefined): SQL => (condition ? sql` where ${condition}` : sql``);

function orderBy(keys: readonly SortKey[], alias?: string): SQL {
  return sql.join(
    keys.map((k) => {
      const column = alias === undefined ? sql`${k.column}` : aliased(alias, k.column);
      return k.descending ? sql`${column} desc` : sql`${column} asc`;
    }),
    sql`, `,
  );
}

/** The JSON of an object read under `alias`; the joins its references need are added to `joins`. */
function objectJson(object: PlannedObject, alias: string, at: Statement, joins: SQL[]): SQL {
  const relations: SQL[] = [];
  for (const field of object.fields) {
    if (field.kind === 'reference') relations.push(sql`${jsonKey(relationKey(field.key))}, ${referenceJson(field, alias, at, joins)}`);
    else if (field.kind === 'children') relations.push(sql`${jsonKey(relationKey(field.key))}, ${childrenJson(field, object, alias, at)}`);
  }
  return jsonObject(object.columns, relations, alias);
}

/**
 * A reference is a left join of the target's visible rows on the foreign key. PostgreSQL plans
 * the joins of a whole page together, with an index or memoized probe per row; a subquery per
 * reference is costed for one row, and on a small table (streets, districts) that is a full scan
 * repeated for every row of the page.
 */
function referenceJson(field: Extract<PlannedField, { kind: 'reference' }>, from: string, at: Statement, joins: SQL[]): SQL {
  const alias = joinReference(field, from, at, joins);
  return sql`case when ${aliased(alias, field.object.entity.table.id)} is null then null else ${objectJson(field.object, alias, at, joins)} end`;
}

/** Adds the join of a reference's target (its visible rows) to `joins`; returns the target's alias. */
function joinReference(field: Extract<PlannedField, { kind: 'reference' }>, from: string, at: Statement, joins: SQL[]): string {
  const { table, scope } = field.object.entity;
  const alias = nextAlias(at);
  joins.push(sql` left join (select * from ${table}${whereOf(scope?.(at.ctx.visible))}) as ${sql.identifier(alias)} on ${aliased(alias, table.id)} = ${aliased(from, field.foreignKey)}`);
  return alias;
}

/** The first page of a child list, as the child-page loader reads it. */
function childPage(field: Extract<PlannedField, { kind: 'children' }>, list: ChildList, parent: TextedObject, from: string, at: Statement): SQL {
  const parentId = parent.entity?.table.id ?? fallback();
  const limit = sql.raw(String(at.pageSizes.get(field)!));
  return sql`select * from ${list.table}${whereOf(and(eq(list.parentColumn, aliased(from, parentId)), list.where))} order by ${orderBy(list.keys)} limit ${limit}`;
}

/** A child list's first page as a JSON array, its rows' references joined. */
function childrenJson(field: Extract<PlannedField, { kind: 'children' }>, parent: PlannedObject, from: string, at: Statement): SQL {
  const list = field.list(at.ctx.visible);
  const alias = nextAlias(at);
  const joins: SQL[] = [];
  const item = objectJson(field.connection.object, alias, at, joins);
  return sql`(select coalesce(json_agg(${item} order by ${orderBy(list.keys, alias)}), '[]'::json) from (${childPage(field, list, parent, from, at)}) as ${sql.identifier(alias)}${sql.join(joins)})`;
}

// Text (text.ts): the same statements, writing each object as graphql-js would serialise it.

/** `'{"key":' || value || ',"other":' || … || '}'`: each part a text that is never null. */
function objectTextOf(entries: readonly (readonly [key: string, value: SQL])[]): SQL {
  if (entries.length === 0) return textLiteral('{}');
  const parts = entries.flatMap(([key, value], i) => [textLiteral(`${i === 0 ? '{' : ','}${JSON.stringify(key)}:`), value]);
  return sql`(${sql.join([...parts, textLiteral('}')], sql` || `)})`;
}

/** What an object's text is written from: its fields, and the entity whose rows they are (a report's rows are none). */
type TextedObject = Pick<PlannedObject, 'fields'> & { readonly entity?: Entity };

/** The JSON text of an object read under `alias`; the joins its references need are added to `joins`. */
function objectText(object: TextedObject, alias: string, at: Statement, joins: SQL[]): SQL {
  const row: RowText = { column: (column) => aliased(alias, column), today: at.today };
  return objectTextOf(
    object.fields.map((field): readonly [string, SQL] => {
      switch (field.kind) {
        case 'typename':
          return [field.key, textLiteral(JSON.stringify(field.name))];
        case 'leaf':
          return [field.key, field.text!(row)];
        case 'reference':
          return [field.key, referenceText(field, alias, at, joins)];
        case 'children':
          return [field.key, childrenText(field, object, alias, at)];
      }
    }),
  );
}

function referenceText(field: Extract<PlannedField, { kind: 'reference' }>, from: string, at: Statement, joins: SQL[]): SQL {
  const alias = joinReference(field, from, at, joins);
  // Where the model path falls back on a missing row, so does the text.
  const absent = field.required || !field.nullable ? FALLBACK_TEXT : textLiteral('null');
  return sql`case when ${aliased(alias, field.object.entity.table.id)} is null then ${absent} else ${objectText(field.object, alias, at, joins)} end`;
}

/**
 * The rows read under `alias` as a JSON array, in the list's order: an aggregate, so one row
 * whatever the page holds. An item that came out null (it never should) becomes the mark, so a
 * list is never written shorter than the page.
 */
function arrayText(object: TextedObject, alias: string, order: SQL, at: Statement, joins: SQL[]): SQL {
  return sql`'[' || coalesce(string_agg(coalesce(${objectText(object, alias, at, joins)}, ${FALLBACK_TEXT}), ',' order by ${order}), '') || ']'`;
}

const readsNodes = (plan: ConnectionPlan) => plan.fields.some((field) => field.kind === 'nodes');

/** A connection's JSON text: its `__typename` and `nodes` in the selection's order. */
function connectionText(plan: ConnectionPlan, nodes: SQL): SQL {
  return objectTextOf(plan.fields.map((field) => [field.key, field.kind === 'typename' ? textLiteral(JSON.stringify(field.name)) : nodes] as const));
}

function childrenText(field: Extract<PlannedField, { kind: 'children' }>, parent: TextedObject, from: string, at: Statement): SQL {
  // Only `__typename`: the same text for every parent, and no rows to read.
  if (!readsNodes(field.connection)) return connectionText(field.connection, textLiteral('[]'));
  const list = field.list(at.ctx.visible);
  const alias = nextAlias(at);
  const joins: SQL[] = [];
  const nodes = arrayText(field.connection.object, alias, orderBy(list.keys, alias), at, joins);
  return sql`(select ${connectionText(field.connection, nodes)} from (${childPage(field, list, parent, from, at)}) as ${sql.identifier(alias)}${sql.join(joins)})`;
}

/** The size of a first page (`first` only: cursors and `last` fall back), checked as the resolvers check it. */
function firstPageSize(args: Record<string, unknown>, ctx: HubContext): number {
  if (args.after != null || args.before != null || args.last != null) fallback();
  return withResolverErrors(() => resolvePageRequest(args, [], ctx.config.maxPageSize).limit);
}

/** The page size of every nested list under `object`, from this request's variables. */
function collectPageSizes(object: PlannedObject, variables: Record<string, unknown>, ctx: HubContext, into: Map<PlannedField, number>): Map<PlannedField, number> {
  for (const field of object.fields) {
    if (field.kind === 'reference') collectPageSizes(field.object, variables, ctx, into);
    else if (field.kind === 'children') {
      into.set(field, firstPageSize(field.args(variables), ctx));
      collectPageSizes(field.connection.object, variables, ctx, into);
    }
  }
  return into;
}

// ---------------------------------------------------------------------------------------------
// Shaping: rows become models, models become the response, field by field as in the selection.

/** An object of the answer, without a prototype as graphql-js makes them: an alias `__proto__` is a key like any other. */
const answerObject = (): Record<string, unknown> => Object.create(null) as Record<string, unknown>;

function modelOf(object: PlannedObject, json: Record<string, unknown>): object {
  return toModel(object.entity.type, rowOfJson(object.columns, json));
}

function shape(object: PlannedObject, json: Record<string, unknown>): Record<string, unknown> {
  const model = modelOf(object, json) as Record<string, unknown>;
  const out = answerObject();
  for (const field of object.fields) {
    switch (field.kind) {
      case 'typename':
        out[field.key] = field.name;
        break;
      case 'leaf':
        out[field.key] = complete(field.type, model[field.property]);
        break;
      case 'reference': {
        const value = json[relationKey(field.key)] as Record<string, unknown> | null;
        if (value === null) {
          if (field.required || !field.nullable) fallback();
          out[field.key] = null;
        } else {
          out[field.key] = shape(field.object, value);
        }
        break;
      }
      case 'children':
        out[field.key] = connectionOf(field.connection, json[relationKey(field.key)] as Record<string, unknown>[]);
        break;
    }
  }
  return out;
}

function connectionOf(plan: ConnectionPlan, items: readonly Record<string, unknown>[]): Record<string, unknown> {
  const out = answerObject();
  for (const field of plan.fields) out[field.key] = field.kind === 'typename' ? field.name : items.map((item) => shape(plan.object, item));
  return out;
}

/** graphql-js's completeValue for leaves: null checks, lists, then the type's serialiser. */
function complete(type: GraphQLOutputType, value: unknown): unknown {
  if (isNonNullType(type)) return value === null || value === undefined ? fallback() : complete(type.ofType, value);
  if (value === null || value === undefined) return null;
  if (isListType(type)) return Array.isArray(value) ? value.map((item) => complete(type.ofType, item)) : fallback();
  if (!isLeafType(type)) return fallback();
  const serialized = type.serialize(value);
  return serialized === undefined ? fallback() : serialized;
}

// ---------------------------------------------------------------------------------------------
// Running a plan.

/**
 * Statements are built once per plan, viewer, page sizes and root filter, and kept prepared
 * (src/db/prepared.ts): a request then sends only its values. Viewers are told apart by their
 * visibilities, which are one frozen object per principal (auth/visibility.ts).
 */
const visibilityIds = new WeakMap<object, number>();
let visibilityCount = 0;

function visibilityId(ctx: HubContext): number {
  let id = visibilityIds.get(ctx.visible);
  if (id === undefined) visibilityIds.set(ctx.visible, (id = ++visibilityCount));
  return id;
}

/** Runs what may reject the request's arguments (a malformed ID in a filter, a page too large): the resolvers word that error. */
function withResolverErrors<T>(compute: () => T): T {
  try {
    return compute();
  } catch {
    return fallback();
  }
}

const sizesKey = (sizes: ReadonlyMap<PlannedField, number>) => [...sizes.values()].join(',');
const orderKey = (keys: readonly SortKey[]) => keys.map((k) => `${k.column.name}${k.descending ? ' desc' : ''}`).join(',');

/**
 * A statement over `rows`, read under the next alias: what `select` makes of each (adding the
 * joins its references need) as `value`, in `order` when given. Every root's statement is one.
 */
function overRows(db: Database, at: Statement, rows: SQL, select: (alias: string, joins: SQL[]) => SQL, order?: (alias: string) => SQL): Preparable {
  const alias = nextAlias(at);
  const joins: SQL[] = [];
  const query = db.select({ value: sql`${select(alias, joins)}` }).from(sql`(${rows}) as ${sql.identifier(alias)}${sql.join(joins)}`);
  return order ? query.orderBy(order(alias)) : query;
}

/** Where a request's roots go as text, and the placeholders placed so far (forgotten if it falls back). */
interface Splicing {
  readonly answers: SplicedAnswers;
  readonly placed: number[];
}

/** A root's text in the response: its placeholder, or a fallback where the statement wrote the mark. */
function placedText(text: string | null | undefined, splicing: Splicing): string {
  if (typeof text !== 'string' || text.includes(FALLBACK_MARK)) fallback();
  return splicing.answers.placeholder(text!, splicing.placed);
}

/**
 * A report's rows as text: the statement its resolver runs, on the same database, each row
 * written with the objects it names. On the model path the resolver answers (it only shapes rows).
 */
async function runReport(root: Extract<PlannedRoot, { kind: 'report' }>, plan: Plan, ctx: HubContext, variables: Record<string, unknown>, splicing: Splicing | undefined): Promise<string> {
  if (!splicing) return fallback();
  const args = root.args(variables);
  const { key, rows, values, db } = withResolverErrors(() => root.report.statement(args, ctx));
  // The page sizes of any lists below the objects its rows name, as for any compiled object.
  const pageSizes = new Map<PlannedField, number>();
  for (const field of root.fields) if (field.kind === 'reference') collectPageSizes(field.object, variables, ctx, pageSizes);
  const at: Statement = { ctx, today: todayInShanghai(), pageSizes, tables: 0 };
  const statement = cachedStatement<{ value: string }>(db, `compiled text ${plan.id}.${root.key} v${visibilityId(ctx)} ${at.today} [${sizesKey(pageSizes)}] ${key}`, () =>
    overRows(db, at, rows(), (alias, joins) => arrayText({ fields: root.fields }, alias, aliased(alias, root.report.order), at, joins)),
  );
  const [row] = await statement.execute(values);
  return placedText(row?.value, splicing);
}

async function runRoot(root: Exclude<PlannedRoot, { kind: 'typename' }>, plan: Plan, ctx: HubContext, variables: Record<string, unknown>, splicing: Splicing | undefined): Promise<unknown> {
  if (root.kind === 'report') return runReport(root, plan, ctx, variables, splicing);
  const args = root.args(variables);
  if (root.kind === 'list') {
    const list = withResolverErrors(() => ROOT_LISTS[root.fieldName]!.list(args, ctx.visible));
    const limit = firstPageSize(args, ctx);
    const object = root.connection.object;
    const asText = splicing !== undefined && object.textable;
    if (!readsNodes(root.connection)) {
      // Only `__typename`: nothing to read.
      const answer = connectionOf(root.connection, []);
      return asText ? placedText(JSON.stringify(answer), splicing!) : answer;
    }
    const at: Statement = { ctx, today: todayInShanghai(), pageSizes: collectPageSizes(object, variables, ctx, new Map()), tables: 0 };
    // The order comes from the arguments too (`orderBy`), so it is part of the key like the filter.
    const key = `compiled${asText ? ` text ${at.today}` : ''} ${plan.id}.${root.key} v${visibilityId(ctx)} ${limit} [${sizesKey(at.pageSizes)}] ${orderKey(list.keys)} ${filterKey(list.where)}`;
    // The page size is written out, not a parameter: PostgreSQL then keeps one generic plan for
    // the prepared statement instead of planning every call afresh for an unknown limit.
    const page = () => sql`select * from ${list.table}${whereOf(list.where)} order by ${orderBy(list.keys)} limit ${sql.raw(String(limit))}`;
    if (asText) {
      const statement = cachedStatement<{ value: string }>(ctx.db, key, () =>
        overRows(ctx.db, at, page(), (alias, joins) => connectionText(root.connection, arrayText(object, alias, orderBy(list.keys, alias), at, joins))),
      );
      const [row] = await statement.execute({});
      return placedText(row?.value, splicing!);
    }
    const statement = cachedStatement<{ value: Record<string, unknown> }>(ctx.db, key, () =>
      overRows(ctx.db, at, page(), (alias, joins) => objectJson(object, alias, at, joins), (alias) => orderBy(list.keys, alias)),
    );
    return connectionOf(root.connection, (await statement.execute({})).map((row) => row.value));
  }
  const decoded = fromGlobalId(String(args.id));
  const object = decoded ? (root.objects.get(decoded.typeName) ?? fallback()) : undefined;
  if (!decoded || !object) return root.nullable ? null : fallback();
  const { table, scope } = object.entity;
  const asText = splicing !== undefined && object.textable;
  const at: Statement = { ctx, today: todayInShanghai(), pageSizes: collectPageSizes(object, variables, ctx, new Map()), tables: 0 };
  const key = `compiled${asText ? ` text ${at.today}` : ''} ${plan.id}.${root.key}.${decoded.typeName} v${visibilityId(ctx)} [${sizesKey(at.pageSizes)}]`;
  const statement = cachedStatement<{ value: unknown }>(ctx.db, key, () => {
    const row = sql`select * from ${table} where ${and(eq(table.id, sql.placeholder('id')), scope?.(ctx.visible))}`;
    return overRows(ctx.db, at, row, (alias, joins) => (asText ? objectText(object, alias, at, joins) : objectJson(object, alias, at, joins)));
  });
  const [row] = await statement.execute({ id: decoded.id });
  if (!row) return root.nullable ? null : fallback();
  return asText ? placedText(row.value as string | null, splicing!) : shape(object, row.value as Record<string, unknown>);
}

async function run(plan: Plan, ctx: HubContext, variables: Record<string, unknown>, splicing: Splicing | undefined): Promise<Record<string, unknown>> {
  const data = answerObject();
  // Each root is one statement; the shapes the hub is asked for most have one root.
  for (const root of plan.roots) data[root.key] = root.kind === 'typename' ? root.name : await runRoot(root, plan, ctx, variables, splicing);
  return data;
}

/**
 * Answers compiled queries before Apollo executes them; everything else, and every request that
 * states a purpose, goes on to ordinary execution.
 */
export function compiledQueriesPlugin(schema: GraphQLSchema): ApolloServerPlugin<HubContext> {
  const compiler = new QueryCompiler(schema);
  return {
    async requestDidStart() {
      return {
        async responseForOperation(request: GraphQLRequestContextResponseForOperation<HubContext>) {
          const { contextValue: ctx, document, operation } = request;
          if (ctx.purpose !== undefined) return null;
          const answers = splicedAnswersOf(ctx);
          const splicing = answers ? { answers, placed: [] } : undefined;
          try {
            const plan = compiler.planOf(document, operation);
            // Report roots are written as text only: off the lean path, no statement is run in vain.
            if (!plan || (!splicing && plan.roots.some((root) => root.kind === 'report'))) return null;
            const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.request.variables ?? {});
            if (coerced.errors) return null;
            const data = await run(plan, ctx, coerced.coerced, splicing);
            return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
          } catch {
            splicing?.answers.discard(splicing.placed);
            // A Fallback, or a failure (the database gone): the resolvers then answer, and report
            // any failure as every failure is reported, masked, with its path.
            return null;
          }
        },
      };
    },
  };
}
