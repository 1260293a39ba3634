// City-scale benchmark of the exact matching solver against the greedy baseline.
// Fixed seed; prints its figures. Needs `npm run build` first (npm run bench:matching does it).
// Each case runs in its own process so the peak RSS reported is that case's alone.
// Usage: node scripts/bench-matching.js [city] [city-districts] [hard] [--ssp]
// (--ssp also times the previous successive-shortest-paths solver on the same instance).
const { spawnSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const dist = path.resolve(__dirname, '../dist/matching');
const SEED = 20260401;
const CASES = {
  city: { label: 'city: 200,000 needs x 20,000 resources, 10-20 edges per need (15 % across a district border), four urgency tiers, hotspot streets', options: { needs: 200000, resources: 20000, edgesPerNeed: [10, 20], seed: SEED } },
  'city-districts': {
    label: 'city-districts: as city, but candidates leave the district only when it is short of them (160 separate markets)',
    options: { needs: 200000, resources: 20000, edgesPerNeed: [10, 20], seed: SEED, acrossBorderShare: 0 },
  },
  hard: { label: 'hard: 200,000 needs x 20,000 resources, 30-40 edges per need, all NORMAL', options: { needs: 200000, resources: 20000, edgesPerNeed: [30, 40], seed: SEED, singleTier: 'NORMAL' } },
};

function print(line) {
  process.stdout.write(`${line}\n`);
}

function seconds(start) {
  return `${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(2)} s`;
}

async function runCase(name) {
  const { generateCityInstance, URGENCY_TIERS } = require(path.join(dist, 'generate'));
  const { solveIndexed, solveComponent, splitComponents } = require(path.join(dist, 'solver'));
  const { solveIndexedParallel } = require(path.join(dist, 'parallel'));
  const { solveGreedy } = require(path.join(dist, 'greedy'));
  const spec = CASES[name];
  print(`\n${spec.label} (load average ${os.loadavg().map((load) => load.toFixed(2)).join(', ')})`);
  let start = process.hrtime.bigint();
  const { instance, needTier } = generateCityInstance(spec.options);
  print(`  instance built      ${seconds(start)}: ${instance.edgeWeight.length.toLocaleString('en')} edges, demand ${sum(instance.demand).toLocaleString('en')} units, capacity ${sum(instance.capacity).toLocaleString('en')} units`);
  const rssBefore = process.memoryUsage().rss;
  const stats = {};
  start = process.hrtime.bigint();
  const optimum = solveIndexed(instance, stats);
  print(`  exact, 1 thread     ${seconds(start)} (cost scaling: ${stats.phases} phases over the components, ${stats.pushes.toLocaleString('en')} pushes, ${stats.relabels.toLocaleString('en')} relabels, ${stats.certifyUpdates.toLocaleString('en')} labels corrected by the certificate; ${stats.fallbacks} components fell back to successive shortest paths)`);
  const rssAfter = process.memoryUsage().rss;
  start = process.hrtime.bigint();
  const parallel = await solveIndexedParallel(instance);
  print(`  ${`exact, ${os.availableParallelism()} threads`.padEnd(19)} ${seconds(start)} (components shared out among worker threads; objective ${parallel.objective === optimum.objective ? 'identical' : `DIFFERS: ${parallel.objective}`})`);
  print(`  objective           ${optimum.objective.toFixed(4)}`);
  if (process.argv.includes('--ssp')) {
    // The previous solver alone (successive shortest paths, one component after another), for comparison.
    start = process.hrtime.bigint();
    let objective = 0;
    for (const component of splitComponents(instance)) objective += solveComponent(component.instance).objective;
    print(`  successive shortest paths, 1 thread ${seconds(start)} (objective ${Math.abs(objective - optimum.objective) <= 1e-9 * optimum.objective ? 'identical' : `DIFFERS: ${objective}`})`);
  }
  const certificate = certify(instance, optimum);
  print(`  optimality check    feasible: ${certificate.feasible}; dual bound ${certificate.dualBound.toFixed(4)} (relative gap ${certificate.gap.toExponential(2)}, worst dual violation ${certificate.violation.toExponential(2)})`);
  start = process.hrtime.bigint();
  const greedy = solveGreedy(instance);
  const loss = (optimum.objective - greedy.objective) / optimum.objective;
  print(`  greedy baseline     ${seconds(start)}: objective ${greedy.objective.toFixed(4)}, ${(100 * loss).toFixed(3)} % below the optimum`);
  const served = (units) => {
    const got = new Int32Array(instance.needCount);
    for (let edge = 0; edge < units.length; edge += 1) got[instance.edgeNeed[edge]] += units[edge];
    return got;
  };
  const optimumServed = served(optimum.units);
  const greedyServed = served(greedy.units);
  for (let tier = 0; tier < URGENCY_TIERS.length; tier += 1) {
    let needs = 0;
    let optimumUnserved = 0;
    let greedyUnserved = 0;
    let greedyOnlyMisses = 0;
    for (let need = 0; need < instance.needCount; need += 1) {
      if (needTier[need] !== tier) continue;
      needs += 1;
      if (optimumServed[need] === 0) optimumUnserved += 1;
      if (greedyServed[need] === 0) greedyUnserved += 1;
      if (greedyServed[need] === 0 && optimumServed[need] > 0) greedyOnlyMisses += 1;
    }
    if (needs === 0) continue;
    print(`  ${URGENCY_TIERS[tier].padEnd(8)} ${String(needs).padStart(7)} needs: served ${needs - optimumUnserved} by the optimum, ${needs - greedyUnserved} by greedy; ${greedyOnlyMisses} that greedy leaves unserved the optimum serves`);
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  print(`  memory              peak RSS ${mib(peak)} (process lifetime), RSS ${mib(rssBefore)} before the solve, ${mib(rssAfter)} after`);
}

function certify(instance, solution) {
  const { demand, capacity, edgeNeed, edgeResource, edgeWeight } = instance;
  const needLoad = new Float64Array(instance.needCount);
  const resourceLoad = new Float64Array(instance.resourceCount);
  let violation = 0;
  for (let edge = 0; edge < edgeWeight.length; edge += 1) {
    needLoad[edgeNeed[edge]] += solution.units[edge];
    resourceLoad[edgeResource[edge]] += solution.units[edge];
    violation = Math.max(violation, edgeWeight[edge] - solution.needPrice[edgeNeed[edge]] - solution.resourcePrice[edgeResource[edge]]);
  }
  let feasible = true;
  let dualBound = 0;
  for (let need = 0; need < instance.needCount; need += 1) {
    if (needLoad[need] > demand[need]) feasible = false;
    dualBound += demand[need] * solution.needPrice[need];
  }
  for (let resource = 0; resource < instance.resourceCount; resource += 1) {
    if (resourceLoad[resource] > capacity[resource]) feasible = false;
    dualBound += capacity[resource] * solution.resourcePrice[resource];
  }
  return { feasible, dualBound, gap: (dualBound - solution.objective) / solution.objective, violation };
}

function sum(array) {
  let total = 0;
  for (let index = 0; index < array.length; index += 1) total += array[index];
  return total;
}

function mib(bytes) {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

const caseIndex = process.argv.indexOf('--case');
if (caseIndex !== -1) {
  runCase(process.argv[caseIndex + 1]).catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  });
} else {
  const cpu = os.cpus()[0];
  print(`matching benchmark, seed ${SEED}: ${new Date().toISOString()}, Node ${process.version}, ${os.availableParallelism()} cores (${cpu ? cpu.model : 'unknown CPU'}), ${mib(os.totalmem())} RAM`);
  const only = process.argv.slice(2).filter((arg) => arg in CASES);
  for (const name of only.length > 0 ? only : Object.keys(CASES)) {
    const flags = process.argv.includes('--ssp') ? ['--ssp'] : [];
    const child = spawnSync(process.execPath, [path.join(__dirname, 'bench-matching.js'), '--case', name, ...flags], { stdio: 'inherit' });
    if (child.status !== 0) process.exitCode = child.status ?? 1;
  }
}
