import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isUnionType, isScalarType, type GraphQLSchema } from 'graphql';
import { hubSchema, printHubSchema } from '../../src/server/schema';

const root = path.resolve(__dirname, '../..');

describe('drift between code and committed artefacts', () => {
  it('schema/schema.graphql is exactly the SDL the code builds (run "npm run schema:emit" after changing the graph)', async () => {
    const committed = fs.readFileSync(path.join(root, 'schema/schema.graphql'), 'utf8');
    expect(await printHubSchema()).toBe(committed);
  });

  it('drizzle/ migrations match the table definitions in src/db/schema', () => {
    const output = execFileSync(process.execPath, [path.join(root, 'scripts/check-migrations.js')], { cwd: root, encoding: 'utf8' });
    expect(output).toContain('Migrations match the table definitions.');
  });
});

/** Every type, field, argument and enum value is documented: the schema is the front-end teams' manual. */
function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const lacks = (description: string | null | undefined): boolean => !description || description.trim().length === 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isScalarType(type) && ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
    if (lacks(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (lacks(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (lacks(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (lacks(field.description)) missing.push(`${type.name}.${field.name}`);
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (lacks(value.description)) missing.push(`${type.name}.${value.name}`);
    }
    if (isUnionType(type) && lacks(type.description)) missing.push(type.name);
  }
  return missing;
}

describe('schema documentation', () => {
  it('describes every type, field, argument and enum value', async () => {
    expect(undocumented(await hubSchema())).toEqual([]);
  });
});
