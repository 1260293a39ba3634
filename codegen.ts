import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator: TypeScript types for the example operations (`npm run codegen`), read
 * from the committed schema, so no running hub and no network is needed. A front-end project
 * copies this file and points `schema` at its copy of schema/schema.graphql and `documents` at
 * its own operations.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: 'schema/operations/*.graphql',
  generates: {
    'generated/hub-operations.ts': {
      plugins: ['typescript', 'typescript-operations'],
      config: {
        // Only the enums and inputs the operations use, not every type of the graph.
        onlyOperationTypes: true,
        enumsAsTypes: true,
        strictScalars: true,
        // The hub's custom scalars travel as JSON strings and numbers.
        scalars: { DateTime: 'string', LocalDate: 'string', SafeInt: 'number' },
      },
    },
  },
};

export default config;
