import fs from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind, parse, valueFromASTUntyped, visit, type FragmentDefinitionNode, type OperationDefinitionNode, type TypeNode } from 'graphql';

/*
 * A self-hosted GraphiQL: government intranets have no internet, so every file the page loads is
 * served by the hub from its own node_modules. GraphiQL 4 is the last line that ships a prebuilt
 * browser bundle (graphiql.min.js, with its fonts inlined in graphiql.min.css and no web workers);
 * it runs on React 18's UMD files and talks graphql-ws through that package's own UMD file. That is
 * the least machinery that works offline: no bundler, no build step, only files served as they are
 * published. (GraphiQL 5 is ESM-only with Monaco and its workers, which would need a bundler.)
 */

/** Where the page's files are served. Outside /graphql, so Apollo's middleware never sees them. */
export const GRAPHIQL_ASSETS_PATH = '/graphiql/assets';

/** The example operations preloaded into GraphiQL; the folder a test validates against the schema. */
export const OPERATIONS_FOLDER = path.resolve(__dirname, '../../schema/operations');

/** The hub's own start-up script, read from the repository whether this module runs from src/ or dist/. */
const PAGE_FOLDER = path.resolve(__dirname, '../../src/server/graphiql-page');

interface Asset {
  readonly file: string;
  readonly type: string;
}

function packageFile(name: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${name}/package.json`)), file);
}

/** Every file the page may load, by the name it is served under; nothing else is served. */
export function graphiqlAssets(): ReadonlyMap<string, Asset> {
  return new Map<string, Asset>([
    ['react.production.min.js', { file: packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' }],
    ['react-dom.production.min.js', { file: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' }],
    ['graphql-ws.min.js', { file: packageFile('graphql-ws', 'umd/graphql-ws.min.js'), type: 'text/javascript' }],
    ['graphiql.min.js', { file: packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' }],
    // The name graphiql.min.js asks for in its sourceMappingURL comment.
    ['index.umd.js.map', { file: packageFile('graphiql', 'graphiql.min.js.map'), type: 'application/json' }],
    ['graphiql.min.css', { file: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' }],
    ['hub-graphiql.js', { file: path.join(PAGE_FOLDER, 'hub-graphiql.js'), type: 'text/javascript' }],
  ]);
}

/** Scripts in the order the page loads them: React, then what needs it, then the hub's own start-up. */
const SCRIPTS = ['react.production.min.js', 'react-dom.production.min.js', 'graphql-ws.min.js', 'graphiql.min.js', 'hub-graphiql.js'];

/** Serves the page's files. Mounted only where GraphiQL is served (not in production). */
export function mountGraphiQLAssets(app: Express): void {
  const assets = graphiqlAssets();
  // The page's policy sits in a <meta> tag, where browsers ignore frame-ancestors: no page of
  // /graphql may be framed (clickjacking), said in headers, which they do obey.
  app.get('/graphql', (_req, res, next) => {
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('content-security-policy', "frame-ancestors 'none'");
    next();
  });
  app.get(`${GRAPHIQL_ASSETS_PATH}/:name`, (req, res, next) => {
    const asset = assets.get(req.params.name);
    if (!asset) return next();
    res.type(asset.type);
    res.setHeader('x-content-type-options', 'nosniff');
    // The files change only with an upgrade of the packages: revalidate (ETag), never serve stale.
    res.setHeader('cache-control', 'no-cache');
    // dotfiles: the hub may be installed under a folder whose name starts with a dot.
    res.sendFile(asset.file, { dotfiles: 'allow' }, (error) => {
      if (error && !res.headersSent) next(error);
    });
  });
}

/** One example operation, with the fragments it spreads, ready to open in a tab. */
export interface ExampleOperation {
  readonly name: string;
  readonly kind: 'query' | 'mutation' | 'subscription';
  readonly file: string;
  /** The operation as written (with the comment above it) followed by the fragments it needs. */
  readonly text: string;
  /** A variables object naming each variable, with its default or null, as a starting point. */
  readonly variables: string;
}

export interface ExampleTab {
  readonly title: string;
  readonly query: string;
  readonly variables: string;
}

interface ParsedOperation {
  readonly name: string;
  readonly kind: ExampleOperation['kind'];
  readonly file: string;
  readonly source: string;
  /** The fragments it spreads, transitively, each with its source. */
  readonly fragments: readonly { readonly name: string; readonly source: string }[];
  readonly variables: Readonly<Record<string, unknown>>;
}

/** The source of a definition, with the comment lines written right above it. */
function sourceWithComment(source: string, start: number, end: number): string {
  const before = source.slice(0, start).split('\n');
  before.pop();
  const comment: string[] = [];
  while (before.length > 0 && /^\s*#/.test(before[before.length - 1]!)) comment.unshift(before.pop()!.trim());
  return [...comment, source.slice(start, end)].join('\n');
}

function fragmentsSpread(node: OperationDefinitionNode | FragmentDefinitionNode): string[] {
  const names: string[] = [];
  visit(node, {
    FragmentSpread(spread) {
      names.push(spread.name.value);
    },
  });
  return names;
}

function placeholderOf(type: TypeNode): unknown {
  return type.kind === Kind.NON_NULL_TYPE ? placeholderOf(type.type) : type.kind === Kind.LIST_TYPE ? [] : null;
}

function variablesSkeleton(operation: OperationDefinitionNode): Record<string, unknown> {
  return Object.fromEntries(
    (operation.variableDefinitions ?? []).map((definition) => [
      definition.variable.name.value,
      definition.defaultValue ? valueFromASTUntyped(definition.defaultValue) : placeholderOf(definition.type),
    ]),
  );
}

function parseExamples(folder: string): ParsedOperation[] {
  const files = fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  const operations: ParsedOperation[] = [];
  for (const file of files) {
    const source = fs.readFileSync(path.join(folder, file), 'utf8');
    const document = parse(source);
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const sourceOf = (node: OperationDefinitionNode | FragmentDefinitionNode): string => sourceWithComment(source, node.loc!.start, node.loc!.end);
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name) continue;
      const needed: string[] = [];
      const queue = fragmentsSpread(definition);
      while (queue.length > 0) {
        const name = queue.shift()!;
        const fragment = fragments.get(name);
        if (!fragment || needed.includes(name)) continue;
        needed.push(name);
        queue.push(...fragmentsSpread(fragment));
      }
      operations.push({
        name: definition.name.value,
        kind: definition.operation,
        file,
        source: sourceOf(definition),
        fragments: needed.map((name) => ({ name, source: sourceOf(fragments.get(name)!) })),
        variables: variablesSkeleton(definition),
      });
    }
  }
  return operations;
}

/** Operations in one document: each as written, then every fragment they spread, once. */
function composeDocument(operations: readonly ParsedOperation[]): { query: string; variables: string } {
  const fragments = new Map<string, string>();
  for (const operation of operations) for (const fragment of operation.fragments) fragments.set(fragment.name, fragment.source);
  const query = [...operations.map((operation) => operation.source), ...fragments.values()].join('\n\n');
  return { query: `${query}\n`, variables: JSON.stringify(Object.assign({}, ...operations.map((operation) => operation.variables)), null, 2) };
}

/**
 * The example operations, each with the fragments it needs from its file (transitively), so that
 * any one of them runs on its own. Files are read in name order.
 */
export function readExampleOperations(folder: string = OPERATIONS_FOLDER): ExampleOperation[] {
  return parseExamples(folder).map((operation) => {
    const { query, variables } = composeDocument([operation]);
    return { name: operation.name, kind: operation.kind, file: operation.file, text: query, variables };
  });
}

/**
 * The tabs GraphiQL opens with: what a front end builds first. A tab takes the operations of a
 * file, or named operations; one whose operations are missing (the dashboard's file is optional)
 * is left out.
 */
export const FRONT_END_TABS: readonly { readonly title: string; readonly file?: string; readonly operations?: readonly string[] }[] = [
  { title: 'Needs inbox', file: 'needs-inbox.graphql' },
  { title: 'Resource posting', file: 'resource-posting.graphql', operations: ['CreateResource', 'UpdateResource', 'CloseResource'] },
  { title: 'Provider inbox', file: 'provider-inbox.graphql' },
  { title: 'Referral actions', operations: ['ProposeReferral', 'AcceptReferral', 'DeclineReferral', 'StartReferralService', 'CompleteReferral', 'CancelReferral'] },
  { title: 'Dashboard', file: 'dashboard.graphql' },
];

export function frontEndTabs(folder: string = OPERATIONS_FOLDER): ExampleTab[] {
  const operations = parseExamples(folder);
  return FRONT_END_TABS.flatMap((tab) => {
    const chosen = operations.filter((operation) => operation.file === tab.file || tab.operations?.includes(operation.name));
    return chosen.length === 0 ? [] : [{ title: tab.title, ...composeDocument(chosen) }];
  });
}

/** The headers editor's starting text: the two headers a front end sends, as placeholders. */
export const EXAMPLE_HEADERS = `{
  "Authorization": "Bearer <a token: npm run hub -- token --role CASEWORKER>",
  "X-Hub-Purpose": "<the ID of a case (or referral, application) you may see: personal fields in clear>"
}`;

const WELCOME = `# The hub's GraphiQL: every file of this page is served by the hub; nothing comes from the internet.
#
# Tabs: the needs inbox, resource posting, the provider inbox and the referral actions; every
# example operation of schema/operations is in the "Examples" panel (the list icon on the left).
#
# Headers (below): Authorization: Bearer <token> signs you in (without it you are the public);
# X-Hub-Purpose names the case, referral or application whose personal fields you need in clear.
# A header whose value still holds a <placeholder> is not sent: replace it, or leave it for public data.
# Subscriptions run over graphql-ws on this same path, with the same two headers.

query ServiceCatalogue {
  serviceCategories(includeRetired: false, first: 20) {
    totalCount
    nodes { id code nameZh nameEn }
  }
}
`;

/** What the page's script reads: the tabs, the examples and the headers to start with. */
export interface GraphiQLPageConfig {
  readonly tabs: readonly ExampleTab[];
  readonly examples: readonly ExampleOperation[];
  readonly headers: string;
}

export function graphiqlPageConfig(folder: string = OPERATIONS_FOLDER): GraphiQLPageConfig {
  return { tabs: [{ title: 'Welcome', query: WELCOME, variables: '{}' }, ...frontEndTabs(folder)], examples: readExampleOperations(folder), headers: EXAMPLE_HEADERS };
}

/**
 * Only the hub's own files may load (script-src 'self'); connections go back to the hub alone
 * ('self' covers ws: to the same host). Inline styles are GraphiQL's own, data: its fonts and icons.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** JSON inside a <script> element: "<" escaped, so no text can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function graphiqlPage(config: GraphiQLPageConfig): string {
  const scripts = SCRIPTS.map((name) => `    <script src="${GRAPHIQL_ASSETS_PATH}/${name}"></script>`).join('\n');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
    <title>Shanghai assistance hub · GraphiQL</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="${GRAPHIQL_ASSETS_PATH}/graphiql.min.css">
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script type="application/json" id="hub-graphiql-config">${scriptJson(config)}</script>
${scripts}
  </body>
</html>
`;
}

/**
 * Apollo's landing page slot, filled with the self-hosted GraphiQL: Apollo answers a browser's
 * GET /graphql (Accept: text/html) with this page and every other request as GraphQL.
 */
export function graphiqlLandingPage<TContext extends BaseContext>(folder: string = OPERATIONS_FOLDER): ApolloServerPlugin<TContext> {
  const html = graphiqlPage(graphiqlPageConfig(folder));
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
