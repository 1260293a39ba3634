import fs from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { hubSchema } from '../../src/server/schema';

const folder = path.resolve(__dirname, '../../schema/operations');
const files = fs.readdirSync(folder).filter((name) => name.endsWith('.graphql'));

describe('example operations in schema/operations', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s is valid against the schema', async (file) => {
    const document = parse(fs.readFileSync(path.join(folder, file), 'utf8'));
    expect(validate(await hubSchema(), document).map((e) => e.message)).toEqual([]);
  });
});
