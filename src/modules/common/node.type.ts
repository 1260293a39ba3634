import { Field, ID, InterfaceType } from 'type-graphql';
import { toGlobalId } from '../../common/global-id';

/**
 * Base of every refetchable type. Models are database rows re-parented onto their GraphQL
 * class (see `toModel`), so `id` here is the row's key and the GraphQL `id` is derived.
 */
@InterfaceType('Node', { description: 'An object with a global ID that `node(id:)` can refetch.' })
export abstract class Node {
  /** The row's primary key; never exposed as is. */
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global ID of this object; stable across requests.' })
  get globalId(): string {
    return toGlobalId(this.constructor.name, this.id);
  }
}

type Constructor<T> = abstract new (...args: never[]) => T;

/** Gives a row its GraphQL class without running a constructor: cheap enough for every row of a page. */
export function toModel<T extends object>(type: Constructor<T>, row: object): T {
  return Object.assign(Object.create(type.prototype) as T, row);
}

export function toModels<T extends object>(type: Constructor<T>, rows: readonly object[]): T[] {
  return rows.map((row) => toModel(type, row));
}
