/**
 * The processes of a bench run: the simulator (dist/sim/cli.js through spawnSimulator), one
 * Node-RED worker per workload run (bench/worker.js), the package root the runtime loads, and
 * what the machine is (cores, CPU, memory, load average).
 */
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ROOT } = require('./options');

/** The runtime loads the package from its root (nodesDir). For another --dist, a temporary root. */
function packageRoot(dist) {
  const distAbs = path.resolve(ROOT, dist);
  if (distAbs === path.join(ROOT, 'dist')) return { root: ROOT, cleanup: () => undefined };
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'utmos-bench-pkg-'));
  const root = path.join(tmp, pkg.name);
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify(pkg));
  fs.symlinkSync(distAbs, path.join(root, 'dist'), 'dir');
  return { root, cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

/** A fresh simulator, OSD off; sim: { docks, replyDelayMs, replyDelayMaxMs? }. */
function startSim(dist, sim) {
  const { spawnSimulator } = require(path.resolve(ROOT, dist, 'sim', 'spawn.js'));
  const nodeArgs = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF, 'sim')] : [];
  const args = ['--osd-interval-ms', '0', '--docks', String(sim.docks), '--reply-delay-ms', String(sim.replyDelayMs)];
  if (sim.replyDelayMaxMs > sim.replyDelayMs) args.push('--reply-delay-max-ms', String(sim.replyDelayMaxMs));
  return spawnSimulator(args, { nodeArgs });
}

/** BENCH_CPU_PROF_INTERVAL_US=N: sample every N microseconds instead of V8's 1000. */
function profInterval() {
  const us = Number(process.env.BENCH_CPU_PROF_INTERVAL_US);
  return us > 0 ? ['--cpu-prof-interval', String(Math.round(us))] : [];
}

function runWorker(config) {
  return new Promise((resolve, reject) => {
    // BENCH_CPU_PROF=dir: write a V8 CPU profile of each worker there (node --cpu-prof).
    const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF), ...profInterval()] : [];
    const child = spawn(process.execPath, ['--expose-gc', ...prof, path.join(__dirname, 'worker.js'), JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: ROOT,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    child.once('exit', (code) => {
      const lines = out.trim().split('\n');
      const last = lines[lines.length - 1];
      if (lines.length > 1) process.stderr.write(lines.slice(0, -1).join('\n') + '\n');
      if (code !== 0 || !last) return reject(new Error(`${config.variant} worker exited with ${code}`));
      try {
        resolve(JSON.parse(last));
      } catch (err) {
        reject(new Error(`${config.variant} worker printed no JSON: ${last}`));
      }
    });
  });
}

/** Runs one workload once: a fresh simulator, one worker, the simulator closed whatever happens. */
async function runOnce(o, pkg, job) {
  const sim = await startSim(o.dist, job.sim);
  try {
    return await runWorker({ ...job.worker, variant: job.key, pkgRoot: pkg.root, sim: sim.info });
  } finally {
    await sim.close();
  }
}

function machine() {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = (cpuinfo.match(/^model name\s*:\s*(.+)$/m) || [])[1] || os.cpus()[0]?.model || 'unknown';
  return {
    nproc: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    cpu: model.trim(),
    node: process.version,
    mem_gb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
  };
}

/** 1, 5 and 15 minute load averages, two decimals. */
const loadAverage = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

module.exports = { packageRoot, runOnce, machine, loadAverage };
