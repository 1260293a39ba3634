import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSchema, valueFromASTUntyped, type GraphQLObjectType, type GraphQLScalarType, type GraphQLUnionType } from 'graphql';

/** A department's own subgraph: HR adds `employment` to the hub's Person, keyed by the hub's global ID. */
export const HR_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

"""A member of a household as the hub knows it; HR adds employment."""
type Person @key(fields: "id") {
  id: ID!
  """Current employment on the HR and social security bureau's register; null when none."""
  employment: Employment
}

"""An employment record (就业登记)."""
type Employment {
  employer: String!
  since: String!
  """The person employed: resolved by the hub, with the hub's permissions."""
  person: Person
}

type Query {
  """Every employment record HR holds (a small register for the test)."""
  employmentRecords: [Employment!]!
}
`;

export interface EmploymentRecord {
  /** The hub's global ID of the person. */
  readonly personId: string;
  readonly employer: string;
  readonly since: string;
}

export interface RunningSubgraph {
  readonly url: string;
  /** The Authorization headers HR received, in order: proof the gateway forwarded the client's token. */
  readonly authorizations: (string | undefined)[];
  stop(): Promise<void>;
}

/**
 * Written by hand with graphql-js (the subgraph library of the Apollo Federation project pulls
 * in Elastic-licensed code, or needs a newer Node): the SDL as composed, plus the `_service`
 * and `_entities` fields every Federation v2 subgraph answers.
 */
export async function startHrSubgraph(records: readonly EmploymentRecord[]): Promise<RunningSubgraph> {
  const executable = `${HR_SDL.replace(/^extend schema .*$/m, '')}
directive @key(fields: String!) repeatable on OBJECT | INTERFACE
scalar _Any
union _Entity = Person
type _Service { sdl: String! }
extend type Query { _service: _Service! _entities(representations: [_Any!]!): [_Entity]! }
`;
  const schema = buildSchema(executable);
  const byPerson = new Map(records.map((record) => [record.personId, record]));
  const anyType = schema.getType('_Any') as GraphQLScalarType;
  anyType.parseValue = (value) => value;
  anyType.parseLiteral = (ast) => valueFromASTUntyped(ast);
  (schema.getType('_Entity') as GraphQLUnionType).resolveType = () => 'Person';
  const query = (schema.getQueryType() as GraphQLObjectType).getFields();
  query._service!.resolve = () => ({ sdl: HR_SDL });
  query._entities!.resolve = (_root, args: { representations: { __typename: string; id: string }[] }) => args.representations.map((representation) => ({ id: representation.id }));
  query.employmentRecords!.resolve = () => records.map((record) => ({ ...record, person: { id: record.personId } }));
  (schema.getType('Person') as GraphQLObjectType).getFields().employment!.resolve = (person: { id: string }) => byPerson.get(person.id) ?? null;

  const authorizations: (string | undefined)[] = [];
  const server = new ApolloServer<{ authorization: string | undefined }>({ schema, plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      authorizations.push(req.headers.authorization);
      return { authorization: req.headers.authorization };
    },
  });
  return { url: url.replace('localhost', '127.0.0.1'), authorizations, stop: () => server.stop() };
}

