import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { loadConfig } from '../../src/config';
import { DEFAULT_PAGE_SIZE } from '../../src/db/paginate';
import { limitExceeded, measureOperation } from '../../src/server/limits';
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

  it('name every operation and fragment once across the folder, as GraphQL Code Generator requires', () => {
    const names = files.flatMap((file) =>
      parse(fs.readFileSync(path.join(folder, file), 'utf8')).definitions.map((definition) =>
        'name' in definition && definition.name ? `${definition.kind}:${definition.name.value}` : `${file}: an unnamed ${definition.kind}`,
      ),
    );
    expect(names.filter((name) => name.includes('unnamed'))).toEqual([]);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('stay within the default query limits with their default variables, so the server runs them as written', async () => {
    const schema = await hubSchema();
    const { limits, maxPageSize } = loadConfig({});
    const refused: string[] = [];
    for (const file of files) {
      const document = parse(fs.readFileSync(path.join(folder, file), 'utf8'));
      const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      for (const operation of operations) {
        const error = limitExceeded(measureOperation(schema, document, operation, {}, { defaultSize: DEFAULT_PAGE_SIZE, maxSize: maxPageSize }), limits);
        if (error) refused.push(`${file} ${operation.name?.value}: ${error.message}`);
      }
    }
    expect(refused).toEqual([]);
  });
});
