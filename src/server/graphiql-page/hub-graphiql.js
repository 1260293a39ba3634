/* global window, document, location, fetch, React, ReactDOM, GraphiQL, graphqlWs */
// The hub's GraphiQL start-up, run in the browser after React, ReactDOM, graphql-ws and GraphiQL's
// UMD files (all served by the hub). Plain ES2020 with no build step, like the files it follows.
'use strict';

(function startGraphiQL() {
  const config = JSON.parse(document.getElementById('hub-graphiql-config').textContent);
  const h = React.createElement;
  const endpoint = location.origin + location.pathname;
  const socketUrl = endpoint.replace(/^http/, 'ws');

  /** Headers from the editor, less those whose value still holds a <placeholder>. */
  function usableHeaders(headers) {
    const usable = {};
    for (const [name, value] of Object.entries(headers || {})) {
      if (value === undefined || value === null || /<[^>]*>/.test(String(value))) continue;
      usable[name] = String(value);
    }
    return usable;
  }

  function headerValue(headers, name) {
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
    return key === undefined ? undefined : headers[key];
  }

  function isSubscription(params, options) {
    const document = options && options.documentAST;
    if (document) {
      const operations = document.definitions.filter((definition) => definition.kind === 'OperationDefinition');
      const operation = params.operationName ? operations.find((definition) => definition.name && definition.name.value === params.operationName) : operations[0];
      return Boolean(operation) && operation.operation === 'subscription';
    }
    return /^\s*subscription\b/.test(params.query.replace(/#[^\n]*/g, ''));
  }

  function describeSocketFailure(failure) {
    if (Array.isArray(failure)) return { errors: failure };
    if (failure && typeof failure.code === 'number') {
      // The hub refuses a bad token when the socket opens; graphql-ws closes it with 4403.
      const why = failure.code === 4403 ? 'the token was refused' : failure.reason || 'closed';
      return { errors: [{ message: `The subscription socket closed (${failure.code}): ${why}` }] };
    }
    return { errors: [{ message: `The subscription failed: ${failure && failure.message ? failure.message : String(failure)}` }] };
  }

  /**
   * Subscriptions over graphql-ws on the same path. The hub reads the token and the purpose from
   * the connection parameters, not from headers, so the headers editor's two headers go there.
   */
  function subscribe(params, headers) {
    return {
      subscribe(observer) {
        const client = graphqlWs.createClient({
          url: socketUrl,
          lazy: true,
          retryAttempts: 0,
          connectionParams: { authorization: headerValue(headers, 'authorization'), purpose: headerValue(headers, 'x-hub-purpose') },
        });
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          observer.complete();
          client.dispose();
        };
        const stop = client.subscribe(
          { query: params.query, operationName: params.operationName, variables: params.variables },
          {
            next: (result) => observer.next(result),
            error: (failure) => {
              observer.next(describeSocketFailure(failure));
              finish();
            },
            complete: finish,
          },
        );
        return {
          unsubscribe() {
            stop();
            finish();
          },
        };
      },
    };
  }

  async function post(params, headers) {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify(params),
    });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 200)}` }] };
    }
  }

  function fetcher(params, options) {
    const headers = usableHeaders(options && options.headers);
    return isSubscription(params, options) ? subscribe(params, headers) : post(params, headers);
  }

  /** Opens an example in a new tab, with its variables. */
  function openExample(editor, example) {
    editor.addTab();
    if (editor.queryEditor) editor.queryEditor.setValue(example.text);
    if (editor.variableEditor) editor.variableEditor.setValue(example.variables);
  }

  function ExamplesPanel() {
    const editor = GraphiQL.React.useEditorContext({ nonNull: true });
    const [filter, setFilter] = React.useState('');
    const wanted = filter.trim().toLowerCase();
    const shown = config.examples.filter((example) => !wanted || `${example.file} ${example.kind} ${example.name}`.toLowerCase().includes(wanted));
    const files = [...new Set(shown.map((example) => example.file))];
    return h(
      'section',
      { 'aria-label': 'Example operations' },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'Examples'),
      h('p', null, 'The operations of schema/operations. One opens in a new tab with its variables.'),
      h('input', {
        type: 'search',
        placeholder: 'Filter by name or file',
        value: filter,
        onChange: (event) => setFilter(event.target.value),
        style: { width: '100%', boxSizing: 'border-box', padding: '4px 8px', marginBottom: '8px' },
      }),
      files.map((file) =>
        h(
          'div',
          { key: file, style: { marginBottom: '12px' } },
          h('div', { style: { fontWeight: 'bold' } }, file),
          h(
            'ul',
            { style: { listStyle: 'none', margin: 0, padding: 0 } },
            shown
              .filter((example) => example.file === file)
              .map((example) =>
                h(
                  'li',
                  { key: example.name },
                  h(
                    'button',
                    { type: 'button', className: 'graphiql-un-styled', 'data-example': example.name, onClick: () => openExample(editor, example), style: { padding: '2px 0', textAlign: 'left' } },
                    `${example.kind} ${example.name}`,
                  ),
                ),
              ),
          ),
        ),
      ),
    );
  }

  function ListIcon() {
    return h(
      'svg',
      { viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': 'true' },
      h('path', { d: 'M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01', strokeLinecap: 'round' }),
    );
  }

  const examplesPlugin = { title: 'Examples', icon: ListIcon, content: ExamplesPanel };

  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    h(GraphiQL, {
      fetcher,
      defaultTabs: config.tabs.map((tab) => ({ query: tab.query, variables: tab.variables, headers: config.headers })),
      defaultHeaders: config.headers,
      defaultEditorToolsVisibility: 'headers',
      plugins: [examplesPlugin],
    }),
  );
  window.hubGraphiQLStarted = true;
})();
