#!/usr/bin/env node
/**
 * npm run bench [-- options]
 *
 * Runs diy / poll / push (and, with --inflight N, the in-flight run) one after another, each in its
 * own Node-RED process against a fresh simulator process with the same settings. Prints a table and,
 * as the LAST line, one JSON object {"diy":{...},"poll":{...},"push":{...},"inflight":{...}}.
 * Results also go to bench-results/ (git-ignored).
 *
 * Options:
 *   --n N                 commands per variant (default 2000)
 *   --docks N             docks (default 50)
 *   --reply-delay-ms N    how long a dock takes to answer (default 1000)
 *   --cap N               maxRequestsPerSecond of utmos-config for poll/push (default: not set, i.e. the
 *                         node's own default, 100/s)
 *   --fast-reply-delay-ms N  also run diy and push with docks that answer after N ms (default 50; 0 = skip):
 *                         with 1 s docks every variant is bound by the docks (at most docks/s), so this
 *                         pass shows what the flows themselves can carry
 *   --fast-cap N          maxRequestsPerSecond for push in that pass (default 1000)
 *   --inflight N          also run N commands in flight at once (100 docks, long reply delay)
 *   --inflight-docks N    (default 100)
 *   --inflight-reply-delay-ms N  (default 60000)
 *   --inflight-cap N      maxRequestsPerSecond for the in-flight run (default 200)
 *   --variants a,b        subset of diy,poll,push,diy-fast,push-fast,inflight
 *   --dist DIR            compiled output to benchmark (default dist; e.g. dist-bench)
 *   --out DIR             results folder (default bench-results)
 *   --no-save             do not write results
 */
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

const VARIANTS = ['diy', 'poll', 'push', 'diy-fast', 'push-fast', 'inflight'];

function parseArgs(argv) {
  const o = {
    n: 2000,
    docks: 50,
    replyDelayMs: 1000,
    cap: 0,
    fastReplyDelayMs: 50,
    fastCap: 1000,
    inflight: 0,
    inflightDocks: 100,
    inflightReplyDelayMs: 60000,
    inflightCap: 200,
    variants: undefined,
    dist: 'dist',
    out: path.join(ROOT, 'bench-results'),
    save: true,
  };
  const num = (name, v) => {
    if (!/^\d+$/.test(String(v))) throw new Error(`${name} needs a whole number, got ${v}`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let v;
    const eq = a.indexOf('=');
    if (eq > 0) [a, v] = [a.slice(0, eq), a.slice(eq + 1)];
    const next = () => (v !== undefined ? v : argv[++i]);
    switch (a) {
      case '--n': o.n = num(a, next()); break;
      case '--docks': o.docks = num(a, next()); break;
      case '--reply-delay-ms': o.replyDelayMs = num(a, next()); break;
      case '--cap': o.cap = num(a, next()); break;
      case '--fast-reply-delay-ms': o.fastReplyDelayMs = num(a, next()); break;
      case '--fast-cap': o.fastCap = num(a, next()); break;
      case '--inflight': o.inflight = num(a, next()); break;
      case '--inflight-docks': o.inflightDocks = num(a, next()); break;
      case '--inflight-reply-delay-ms': o.inflightReplyDelayMs = num(a, next()); break;
      case '--inflight-cap': o.inflightCap = num(a, next()); break;
      case '--variants': o.variants = String(next()).split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--dist': o.dist = String(next()); break;
      case '--out': o.out = path.resolve(String(next())); break;
      case '--no-save': o.save = false; break;
      case '--help': case '-h':
        process.stdout.write(fs.readFileSync(__filename, 'utf8').split('*/')[0] + '*/\n');
        process.exit(0);
      // eslint-disable-next-line no-fallthrough
      default: throw new Error(`unknown option ${a}`);
    }
  }
  if (o.n < 1 || o.docks < 1 || o.docks > 999) throw new Error('--n must be >= 1 and --docks 1..999');
  if (!o.variants) {
    o.variants = ['diy', 'poll', 'push', ...(o.fastReplyDelayMs > 0 ? ['diy-fast', 'push-fast'] : []), ...(o.inflight > 0 ? ['inflight'] : [])];
  }
  for (const v of o.variants) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v}`);
  if (o.fastReplyDelayMs === 0 && o.variants.some((v) => v.endsWith('-fast'))) throw new Error('the -fast variants need --fast-reply-delay-ms > 0');
  if (o.variants.includes('inflight') && o.inflight === 0) o.inflight = 10000;
  return o;
}

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

function startSim(dist, args) {
  const { spawnSimulator } = require(path.resolve(ROOT, dist, 'sim', 'spawn.js'));
  const nodeArgs = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF, 'sim')] : [];
  return spawnSimulator(['--osd-interval-ms', '0', ...args], { nodeArgs });
}

function runWorker(config) {
  return new Promise((resolve, reject) => {
    // BENCH_CPU_PROF=dir: write a V8 CPU profile of each worker there (node --cpu-prof).
    const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
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

const fmt = (v) => (v === null || v === undefined ? '-' : String(v));
function pad(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => fmt(r[i]).length)));
  return rows.map((r) => '| ' + r.map((c, i) => fmt(c).padEnd(widths[i])).join(' | ') + ' |');
}

/** Docks that each work one command at a time and answer after the reply delay cannot finish more than this. */
function ceilingPerSecond(docks, replyDelayMs) {
  return Math.round((docks * 1000 * 10) / replyDelayMs) / 10;
}

function fleetRows(full, variants, ceiling) {
  const rows = [['variant', 'throughput/s', '% of ceiling', 'detect p50 ms', 'detect p99 ms', 'HTTP/cmd', 'peak RSS MB', 'peak heap MB', 'emitted once']];
  for (const v of variants) {
    const r = full[v];
    const share = Math.round((1000 * r.throughput_per_s) / ceiling) / 10;
    rows.push([v, r.throughput_per_s, share, r.detect_ms_p50, r.detect_ms_p99, r.http_per_command, r.rss_mb, r.heap_mb, r.emitted_once]);
  }
  return pad(rows).map((l, i) => (i === 1 ? pad(rows)[0].replace(/[^|]/g, '-') + '\n' + l : l));
}

const ratio = (a, b) => (a && b && b.throughput_per_s > 0 ? Math.round((10 * a.throughput_per_s) / b.throughput_per_s) / 10 : undefined);

function table(results, o) {
  const lines = [];
  const fleet = ['diy', 'poll', 'push'].filter((v) => results[v]);
  if (fleet.length) {
    const settings = o.cap ? `maxRequestsPerSecond ${o.cap}` : 'utmos-config and dji-command at their defaults';
    lines.push(`N=${o.n} commands over ${o.docks} docks, reply delay ${o.replyDelayMs} ms, each dock one command at a time; poll/push: ${settings}`);
    const ceiling = ceilingPerSecond(o.docks, o.replyDelayMs);
    lines.push(`ceiling: ${o.docks} docks / ${o.replyDelayMs} ms = ${ceiling} commands/s if every result were seen the instant the dock replied`);
    lines.push(...fleetRows(results, fleet, ceiling));
    const r = ratio(results.push, results.diy);
    if (r !== undefined) lines.push(`push/diy throughput: ${r}x (at most ${ceiling}/s for any flow with these docks)`);
  }
  const fast = ['diy-fast', 'push-fast'].filter((v) => results[v]);
  if (fast.length) {
    lines.push('');
    const ceiling = ceilingPerSecond(o.docks, o.fastReplyDelayMs);
    lines.push(`docks not the limit: N=${o.n} over ${o.docks} docks that answer after ${o.fastReplyDelayMs} ms (ceiling ${ceiling}/s); push-fast: maxRequestsPerSecond ${o.fastCap}`);
    lines.push(...fleetRows(results, fast, ceiling));
    const r = ratio(results['push-fast'], results['diy-fast']);
    if (r !== undefined) lines.push(`push/diy throughput: ${r}x`);
  }
  const f = results.inflight;
  if (f) {
    lines.push('');
    lines.push(`in flight: ${f.commands} commands at once over ${f.docks} docks, reply delay ${f.reply_delay_ms} ms, event stream on`);
    const rows = [
      ['heap/cmd KB', 'loop delay p99 ms', 'peak req/s', 'cap req/s', 'emitted once', 'peak RSS MB', 'HTTP/cmd'],
      [f.heap_kb_per_command, f.loop_delay_p99_ms, f.peak_requests_per_s, f.request_cap_per_s, f.emitted_once, f.rss_mb, f.http_per_command],
    ];
    lines.push(...pad(rows).map((l, i) => (i === 1 ? pad(rows)[0].replace(/[^|]/g, '-') + '\n' + l : l)));
  }
  return lines.join('\n');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const pkg = packageRoot(o.dist);
  const results = { diy: null, poll: null, push: null, inflight: null };
  const full = {};
  try {
    for (const variant of o.variants) {
      const inflight = variant === 'inflight';
      const fast = variant.endsWith('-fast');
      const docks = inflight ? o.inflightDocks : o.docks;
      const replyDelayMs = inflight ? o.inflightReplyDelayMs : fast ? o.fastReplyDelayMs : o.replyDelayMs;
      const n = inflight ? o.inflight : o.n;
      const sim = await startSim(o.dist, ['--docks', String(docks), '--reply-delay-ms', String(replyDelayMs)]);
      process.stderr.write(`[bench] ${variant}: ${n} commands, ${docks} docks, reply delay ${replyDelayMs} ms ...\n`);
      try {
        const r = await runWorker({
          variant: variant.replace(/-fast$/, ''),
          pkgRoot: pkg.root,
          sim: sim.info,
          n,
          docks,
          replyDelayMs,
          cap: inflight ? o.inflightCap : fast ? o.fastCap : o.cap,
          timeoutMs: inflight ? replyDelayMs + 600_000 : Math.max(120_000, n * 100),
        });
        full[variant] = r;
        process.stderr.write(`[bench] ${variant}: ${JSON.stringify(r)}\n`);
        if (fast) continue; // reported in the table and the results file, and folded into diy/push below
        results[variant] = inflight
          ? {
              commands: r.commands,
              heap_kb_per_command: r.heap_kb_per_command,
              loop_delay_p99_ms: r.loop_delay_p99_ms,
              peak_requests_per_s: r.peak_requests_per_s,
              request_cap_per_s: r.request_cap_per_s,
              emitted_once: r.emitted_once,
            }
          : {
              throughput_per_s: r.throughput_per_s,
              detect_ms_p50: r.detect_ms_p50,
              detect_ms_p99: r.detect_ms_p99,
              http_per_command: r.http_per_command,
              rss_mb: r.rss_mb,
              heap_mb: r.heap_mb,
              emitted_once: r.emitted_once,
            };
      } finally {
        await sim.close();
      }
    }
  } finally {
    pkg.cleanup();
  }
  // The JSON line keeps its four keys; the fast-docks throughput rides along in diy and push.
  for (const v of ['diy', 'push']) {
    if (results[v] && full[`${v}-fast`]) results[v].throughput_fast_docks_per_s = full[`${v}-fast`].throughput_per_s;
  }
  const m = machine();
  const text = table(full, o);
  process.stdout.write(`machine: ${m.nproc} cores, ${m.cpu}, ${m.mem_gb} GB, Node ${m.node}\n${text}\n`);
  if (o.save) {
    fs.mkdirSync(o.out, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const doc = { at: new Date().toISOString(), machine: m, options: { ...o, out: undefined }, summary: results, details: full, table: text };
    fs.writeFileSync(path.join(o.out, `bench-${stamp}.json`), JSON.stringify(doc, null, 2));
    fs.writeFileSync(path.join(o.out, 'latest.json'), JSON.stringify(doc, null, 2));
    fs.writeFileSync(path.join(o.out, 'latest.txt'), `machine: ${m.nproc} cores, ${m.cpu}, Node ${m.node}\n${text}\n`);
  }
  process.stdout.write(JSON.stringify(results) + '\n');
}

main().catch((err) => {
  process.stderr.write(`bench: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
