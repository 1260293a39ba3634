// PostGraphile v5 (the performance peer of the load benchmark) on the benchmark database, in
// library mode with its own Node HTTP server. Needs Node 22 or newer.
// Usage: node scripts/bench-load/postgraphile-server.js <connection-string> <port> <pool-size>
const http = require('node:http');
const { postgraphile } = require('postgraphile');
const { PostGraphileAmberPreset } = require('postgraphile/presets/amber');
const { makePgService } = require('postgraphile/adaptors/pg');
const { grafserv } = require('postgraphile/grafserv/node');

const [connectionString, port, poolSize] = process.argv.slice(2);

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString, schemas: ['public', 'bench_pg'], poolConfig: { max: Number(poolSize) } })],
  grafserv: { port: Number(port), graphqlPath: '/graphql', graphiql: false, watch: false },
  grafast: { explain: false },
};

async function main() {
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = http.createServer();
  serv.addTo(server);
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(Number(port), '127.0.0.1', resolve));
  // Build the schema before reporting ready, so the first timed request does not pay for it.
  await pgl.getSchema();
  process.stdout.write(`${JSON.stringify({ event: 'postgraphile.ready', port: Number(port) })}\n`);
  const stop = () => server.close(() => Promise.resolve(pgl.release()).then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
