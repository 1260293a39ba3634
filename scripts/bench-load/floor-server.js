// The floor of the load benchmark: one hand-written SQL statement per shape that returns the
// answer as JSON, behind a minimal HTTP server on postgres.js, so it pays the same HTTP and
// JSON cost as the hub and PostGraphile but nothing of GraphQL.
// Usage: node scripts/bench-load/floor-server.js <connection-string> <port> <pool-size>
const http = require('node:http');
const postgres = require('postgres');
const { SHAPES } = require('./shapes');

const [connectionString, port, poolSize] = process.argv.slice(2);
const sql = postgres(connectionString, { max: Number(poolSize), onnotice: () => undefined });

const server = http.createServer((req, res) => {
  const shape = SHAPES[(req.url || '').slice(1)];
  if (req.method !== 'POST' || !shape) {
    res.writeHead(404).end();
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', async () => {
    try {
      const variables = JSON.parse(body);
      // The statement's own JSON text, passed through unparsed.
      const [row] = await sql.unsafe(shape.floor.sql, shape.floor.params(variables), { prepare: true }).raw();
      const text = row[0] === null ? 'null' : row[0].toString('utf8');
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"data":${text}}`);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: error.message }] }));
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ event: 'floor.ready', port: Number(port) })}\n`));
const stop = () => server.close(() => sql.end({ timeout: 5 }).then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
