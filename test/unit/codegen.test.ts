import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import config from '../../codegen';

// The CLI's package publishes its entry through package exports; the runtime require reads them.
const { generate } = require('@graphql-codegen/cli') as typeof import('@graphql-codegen/cli');

const root = path.resolve(__dirname, '../..');

/** `npm run codegen` in process, from the committed schema and operations: no hub, no network. */
describe('GraphQL Code Generator on schema/operations', () => {
  let content = '';

  beforeAll(async () => {
    const files = (await generate({ ...config, cwd: root, silent: true }, false)) as { filename: string; content: string }[];
    expect(files.map((file) => path.relative(root, file.filename))).toEqual(['generated/hub-operations.ts']);
    content = files[0]!.content;
  }, 120_000);

  it('types a known operation: the provider inbox, its variables and its result', () => {
    expect(content).toMatch(/export type ProviderInboxQueryVariables = Exact<\{\n {2}provider: Scalars\['ID'\]\['input'\];/);
    expect(content).toMatch(/export type ProviderInboxQuery = \{ __typename\?: 'Query', referrals: \{ __typename\?: 'ReferralConnection', totalCount: number/);
    expect(content).toMatch(/export type ReferralProposedSubscription = /);
    expect(content).toMatch(/export type AcceptReferralMutation = /);
  });

  it('maps the custom scalars to plain JSON types', () => {
    expect(content).toContain("DateTime: { input: string; output: string; }");
    expect(content).toContain("LocalDate: { input: string; output: string; }");
    expect(content).toContain("SafeInt: { input: number; output: number; }");
  });

  it('produces TypeScript that type-checks under strict settings', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-codegen-'));
    try {
      const file = path.join(folder, 'hub-operations.ts');
      fs.writeFileSync(file, content);
      const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022 });
      expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
