// One timed run of the load benchmark, in its own process: autocannon against one system and
// shape, with fresh variables drawn per request. Prints the result as one JSON line.
// Usage: node scripts/bench-load/drive.js <spec.json>
const fs = require('node:fs');
const autocannon = require('autocannon');
const { SHAPES } = require('./shapes');

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const shape = SHAPES[spec.shape];
const ids = spec.ids;

function body() {
  const hubVars = shape.hub.variables(ids);
  if (spec.system === 'hub') return JSON.stringify({ query: shape.hub.query, variables: hubVars });
  if (spec.system === 'postgraphile') return JSON.stringify({ query: shape.postgraphile.query, variables: shape.postgraphile.variables(hubVars) });
  return JSON.stringify(hubVars);
}

let graphqlErrors = 0;
const instance = autocannon(
  {
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(spec.token ? { authorization: `Bearer ${spec.token}` } : {}) },
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: body() }),
        onResponse: (status, responseBody) => {
          if (responseBody && responseBody.includes('"errors"')) graphqlErrors += 1;
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exit(1);
    }
    process.stdout.write(
      `${JSON.stringify({ requests: result.requests.total, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, mean: result.latency.mean, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, graphqlErrors })}\n`,
    );
  },
);
process.on('SIGINT', () => instance.stop());
