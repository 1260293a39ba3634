import {
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  GraphQLUnionType,
  Kind,
  lexicographicSortSchema,
  parse,
  print,
  printSchema,
  valueFromASTUntyped,
  visit,
  type ConstDirectiveNode,
  type GraphQLFieldConfigMap,
} from 'graphql';
import { badInput } from '../common/errors';
import { fromGlobalId } from '../common/global-id';
import { loadNode, MAX_NODES } from '../modules/node/node.resolver';
import type { HubContext } from './context';
import { hubSchema } from './schema';

/** The types other subgraphs may extend, each keyed by its global ID. */
export const ENTITY_TYPES = ['Household', 'Need', 'Organization', 'Person', 'Resource'] as const;
export const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/v2.3';
/** Most entity references one `_entities` call may ask for: as many as `nodes(ids:)` takes (the query-cost estimate counts a list argument up to the page maximum). */
const MAX_REPRESENTATIONS = MAX_NODES;

const ENTITY_NAMES: ReadonlySet<string> = new Set(ENTITY_TYPES);

const keyDirective: ConstDirectiveNode = {
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: 'key' },
  arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'fields' }, value: { kind: Kind.STRING, value: 'id' } }],
};

/** The schema as a subgraph serves it: Query and Mutation only. Subscriptions stay on the hub's own /graphql socket. */
function withoutSubscriptions(schema: GraphQLSchema): GraphQLSchema {
  const config = schema.toConfig();
  const subscription = schema.getSubscriptionType();
  return new GraphQLSchema({ ...config, subscription: undefined, types: config.types.filter((type) => type !== subscription) });
}

/**
 * The subgraph's SDL (what `_service { sdl }` answers): the hub's sorted schema without the
 * subscription root, `@key(fields: "id")` on each entity type, and the link to Federation v2.
 * Built here rather than with `@Directive` on the domain classes, so the hub's own schema and
 * schema/schema.graphql carry no federation directives.
 */
export function subgraphSdl(schema: GraphQLSchema): string {
  const document = visit(parse(printSchema(lexicographicSortSchema(withoutSubscriptions(schema)))), {
    ObjectTypeDefinition(node) {
      return ENTITY_NAMES.has(node.name.value) ? { ...node, directives: [...(node.directives ?? []), keyDirective] } : undefined;
    },
  });
  return `extend schema @link(url: "${FEDERATION_SPEC}", import: ["@key"])\n\n${print(document)}\n`;
}

const anyScalar = new GraphQLScalarType({
  name: '_Any',
  description: 'An entity reference from the gateway: `{ __typename, id }`.',
  parseValue: (value) => value,
  parseLiteral: (ast) => valueFromASTUntyped(ast),
});

const serviceType = new GraphQLObjectType({
  name: '_Service',
  description: 'This subgraph as the gateway composes it.',
  fields: { sdl: { type: new GraphQLNonNull(GraphQLString), description: 'The subgraph schema with its federation directives.' } },
});

/**
 * One reference resolved through the same permission-filtered loaders as `node(id:)`: a row the
 * viewer may not see, an unknown ID or an ID of another type is null, as in `node`.
 */
async function resolveReference(representation: unknown, ctx: HubContext): Promise<object | null> {
  const { __typename: typeName, id } = (representation ?? {}) as { __typename?: unknown; id?: unknown };
  if (typeof typeName !== 'string' || !ENTITY_NAMES.has(typeName)) throw badInput(['representations'], 'Each representation needs the __typename of an entity type: ' + ENTITY_TYPES.join(', '));
  const decoded = typeof id === 'string' ? fromGlobalId(id) : undefined;
  if (!decoded || decoded.typeName !== typeName) return null;
  return loadNode(id as string, ctx);
}

/**
 * The hub's executable schema as an Apollo Federation v2 subgraph: the same types and resolvers
 * (permission filtering and personal-data masking included), without subscriptions, with the
 * `_service` and `_entities` queries a gateway uses.
 */
export function toSubgraphSchema(schema: GraphQLSchema): GraphQLSchema {
  const sdl = subgraphSdl(schema);
  const entityTypes = ENTITY_TYPES.map((name) => schema.getType(name) as GraphQLObjectType);
  const entityUnion = new GraphQLUnionType({
    name: '_Entity',
    description: 'Every type other subgraphs may extend.',
    types: entityTypes,
    // Models are rows re-parented onto their GraphQL class, whose name is the type name.
    resolveType: (value: object) => value.constructor.name,
  });
  const query = schema.getQueryType()!;
  const queryConfig = query.toConfig();
  const fields: GraphQLFieldConfigMap<unknown, HubContext> = {
    ...queryConfig.fields,
    _service: { type: new GraphQLNonNull(serviceType), description: 'This subgraph, for composition.', resolve: () => ({ sdl }) },
    _entities: {
      type: new GraphQLNonNull(new GraphQLList(entityUnion)),
      description: 'Entities by reference, for the gateway; null where the viewer may not see one.',
      args: { representations: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(anyScalar))), description: 'The references.' } },
      resolve: (_root, args: { representations: unknown[] }, ctx) => {
        if (args.representations.length > MAX_REPRESENTATIONS) throw badInput(['representations'], `At most ${MAX_REPRESENTATIONS} representations per request`);
        return Promise.all(args.representations.map((representation) => resolveReference(representation, ctx)));
      },
    },
  };
  const subgraphQuery = new GraphQLObjectType<unknown, HubContext>({ ...queryConfig, fields });
  const config = withoutSubscriptions(schema).toConfig();
  return new GraphQLSchema({
    ...config,
    query: subgraphQuery,
    types: [...config.types.filter((type) => type !== query), entityUnion, anyScalar, serviceType],
  });
}

let built: Promise<GraphQLSchema> | undefined;

/** The subgraph schema, built once per process from the hub's schema. */
export function hubSubgraphSchema(): Promise<GraphQLSchema> {
  built ??= hubSchema().then(toSubgraphSchema);
  return built;
}
