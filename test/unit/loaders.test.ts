import DataLoader from 'dataloader';
import { PUBLIC_PRINCIPAL } from '../../src/auth/principal';
import { visibilitiesOf } from '../../src/auth/visibility';
import type { Database } from '../../src/db/client';
import { createLoaders } from '../../src/server/loaders';

/** The per-request loaders are built lazily, a module's group at a time, and never shared between requests. */
describe('createLoaders', () => {
  // No statement runs here: building a DataLoader calls nothing, and none is asked to load.
  const db = {} as Database;
  const visible = visibilitiesOf(PUBLIC_PRINCIPAL);

  it('gives each request its own loaders, the same one every time within the request', () => {
    const first = createLoaders(db, visible, 100);
    const second = createLoaders(db, visible, 100);
    expect(first.district).toBeInstanceOf(DataLoader);
    expect(first.district).toBe(first.district);
    expect(first.district).not.toBe(second.district);
    // Loaders of one group are built together, and stay that request's.
    expect(first.street).toBe(first.street);
    expect(first.street).not.toBe(second.street);
  });

  it('offers every loader name of every module, enumerably, as the eager object did', () => {
    const loaders = createLoaders(db, visible, 100);
    const names: string[] = [];
    for (const name in loaders) names.push(name);
    expect(names.length).toBeGreaterThan(60);
    expect(names).toEqual(expect.arrayContaining(['district', 'street', 'committee']));
    for (const name of names) expect((loaders as unknown as Record<string, unknown>)[name]).toBeDefined();
  });
});
