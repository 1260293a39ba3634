import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { Page, PageRequest } from '../../db/paginate';
import { toModel } from './node.type';

@ObjectType({ description: 'Where a page sits in its list (Relay cursor connections).' })
export class PageInfo {
  @Field({ description: 'True when items follow the last edge of this page.' })
  hasNextPage!: boolean;

  @Field({ description: 'True when items precede the first edge of this page.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge; null on an empty page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge; null on an empty page.' })
  endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs implements PageRequest {
  @Field(() => Int, { nullable: true, description: 'Items after `after`, at most this many (default 20, at most the server page limit).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of an edge: items after it.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Items before `before`, at most this many.' })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of an edge: items before it.' })
  before?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  countTotal: () => Promise<number>;
  totalCount(): Promise<number>;
}

/** Builds the `XConnection` and `XEdge` types for a node type. */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, typeName: string, itemsDescription: string): ClassType<Connection<T>> {
  @ObjectType(`${typeName}Edge`, { description: `One of a page of ${itemsDescription}, with its cursor.` })
  class EdgeType {
    @Field({ description: 'Opaque cursor of this edge, for `after` and `before`.' })
    cursor!: string;

    @Field(() => nodeType, { description: `The item.` })
    node!: T;
  }

  @ObjectType(`${typeName}Connection`, { description: `A page of ${itemsDescription}.` })
  class ConnectionClass implements Connection<T> {
    @Field(() => [EdgeType], { description: 'The items of this page, each with its cursor.' })
    edges!: Edge<T>[];

    @Field(() => [nodeType], { description: 'The items of this page, without cursors.' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Where this page sits in the whole list.' })
    pageInfo!: PageInfo;

    countTotal!: () => Promise<number>;

    @Field(() => Int, { description: 'Number of items in the whole list under the given filters, across all pages.' })
    totalCount(): Promise<number> {
      return this.countTotal();
    }
  }
  return ConnectionClass;
}

/** Turns a page of rows into a connection of models of `nodeType`. */
export function toConnection<T extends object>(connectionType: ClassType<Connection<T>>, nodeType: ClassType<T>, page: Page<object>): Connection<T> {
  const nodes = page.rows.map((row) => toModel(nodeType, row));
  const connection = Object.create(connectionType.prototype) as Connection<T>;
  connection.nodes = nodes;
  // Edges and the page's end cursors are built when read: a query that asks for nodes only
  // encodes no cursor.
  let edges: Edge<T>[] | undefined;
  Object.defineProperty(connection, 'edges', { enumerable: true, get: () => (edges ??= nodes.map((node, i) => ({ cursor: page.cursors[i]!, node }))) });
  connection.pageInfo = {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    get startCursor() {
      return page.cursors[0] ?? null;
    },
    get endCursor() {
      return page.cursors[page.cursors.length - 1] ?? null;
    },
  };
  connection.countTotal = page.totalCount;
  return connection;
}
