import type DataLoader from 'dataloader';
import { toModel } from './node.type';

type Constructor<T> = abstract new (...args: never[]) => T;

/** Loads a row that a foreign key guarantees and gives it its GraphQL class. */
export async function loadRequired<T extends object>(loader: DataLoader<number, object | undefined>, id: number, type: Constructor<T>): Promise<T> {
  const row = await loader.load(id);
  if (!row) throw new Error(`Dangling reference to ${type.name} ${id}`);
  return toModel(type, row);
}

/** Loads an optional reference. */
export async function loadOptional<T extends object>(loader: DataLoader<number, object | undefined>, id: number | null | undefined, type: Constructor<T>): Promise<T | null> {
  if (id == null) return null;
  const row = await loader.load(id);
  return row ? toModel(type, row) : null;
}
