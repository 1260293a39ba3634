import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, findBreakingChanges, type BreakingChange, type GraphQLSchema } from 'graphql';
import { hubSchema } from '../../src/server/schema';

const root = path.resolve(__dirname, '../..');
const SCHEMA_FILE = 'schema/schema.graphql';
const ALLOW_LIST_FILE = 'schema/breaking-changes.json';

interface AcceptedChange {
  readonly type: string;
  readonly description: string;
  readonly reason: string;
}

/** The schema as last committed (git HEAD); the file itself where there is no git or no commit. */
function lastCommittedSchema(): { sdl: string; source: string } {
  try {
    const sdl = execFileSync('git', ['show', `HEAD:${SCHEMA_FILE}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { sdl, source: `git HEAD:${SCHEMA_FILE}` };
  } catch {
    return { sdl: fs.readFileSync(path.join(root, SCHEMA_FILE), 'utf8'), source: SCHEMA_FILE };
  }
}

function acceptedChanges(): AcceptedChange[] {
  return (JSON.parse(fs.readFileSync(path.join(root, ALLOW_LIST_FILE), 'utf8')) as { accepted: AcceptedChange[] }).accepted;
}

/** Breaking changes from one schema to the next that the allow-list does not accept, one line each. */
function unacceptedBreakingChanges(before: GraphQLSchema, after: GraphQLSchema, accepted: readonly AcceptedChange[]): string[] {
  const isAccepted = (change: BreakingChange): boolean => accepted.some((entry) => entry.type === change.type && entry.description === change.description);
  return findBreakingChanges(before, after)
    .filter((change) => !isAccepted(change))
    .map((change) => `${change.type}: ${change.description}`);
}

describe('breaking changes to the graph', () => {
  it('lists none against the last committed schema, unless schema/breaking-changes.json accepts it with a reason', async () => {
    const { sdl } = lastCommittedSchema();
    expect(unacceptedBreakingChanges(buildSchema(sdl), await hubSchema(), acceptedChanges())).toEqual([]);
  });

  it('gives every accepted change a type, the description the check prints and a reason', () => {
    for (const entry of acceptedChanges()) {
      expect(entry).toEqual({ type: expect.stringMatching(/^[A-Z_]+$/), description: expect.any(String), reason: expect.stringMatching(/\S/) });
    }
  });

  it('catches a removed field, a removed enum value and an argument made required, and lets an accepted one pass', () => {
    const before = buildSchema(`
      type Query { need(id: ID!): Need, needs(first: Int): [Need!]! }
      type Need { id: ID!, units: Int!, status: Status! }
      enum Status { OPEN MATCHED }`);
    const after = buildSchema(`
      type Query { need(id: ID!): Need, needs(first: Int!): [Need!]! }
      type Need { id: ID!, status: Status! }
      enum Status { OPEN }`);
    expect(unacceptedBreakingChanges(before, after, []).sort()).toEqual([
      'ARG_CHANGED_KIND: Query.needs arg first has changed type from Int to Int!.',
      'FIELD_REMOVED: Need.units was removed.',
      'VALUE_REMOVED_FROM_ENUM: MATCHED was removed from enum type Status.',
    ]);
    const accepted = [{ type: 'FIELD_REMOVED', description: 'Need.units was removed.', reason: 'deprecated for a release in favour of Need.quantity' }];
    expect(unacceptedBreakingChanges(before, after, accepted)).toHaveLength(2);
  });
});
