#!/usr/bin/env node
/**
 * npm run bench [-- options]   (options: bench/options.js, or --help)
 *
 * Runs every selected workload --runs times, interleaved (run 1 of every workload, then run 2, ...,
 * so that a noisy minute on the machine does not land on one variant only), each run in its own
 * Node-RED process against a fresh simulator process. Prints the tables and, as the LAST line, one
 * JSON object (bench/summary.js). Results also go to bench-results/ (git-ignored).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { parseArgs, helpText } = require('./options');
const { planJobs } = require('./jobs');
const { packageRoot, runOnce, machine, loadAverage } = require('./processes');
const { buildSummary } = require('./summary');
const { evaluateTargets } = require('./targets');
const { renderReport } = require('./report');

function save(o, doc, text) {
  fs.mkdirSync(o.out, { recursive: true });
  const stamp = doc.at.replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(o.out, `bench-${stamp}.json`), JSON.stringify(doc, null, 2));
  fs.writeFileSync(path.join(o.out, 'latest.json'), JSON.stringify(doc, null, 2));
  fs.writeFileSync(path.join(o.out, 'latest.txt'), text + '\n');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) {
    process.stdout.write(helpText());
    return;
  }
  const jobs = planJobs(o);
  const pkg = packageRoot(o.dist);
  const results = Object.fromEntries(jobs.map((j) => [j.key, []]));
  const started = Date.now();
  const loadBefore = loadAverage();
  try {
    for (let run = 1; run <= o.runs; run++) {
      for (const job of jobs) {
        process.stderr.write(`[bench] run ${run}/${o.runs} ${job.key} ...\n`);
        const r = await runOnce(o, pkg, job);
        process.stderr.write(`[bench] run ${run}/${o.runs} ${job.key}: ${JSON.stringify(r)}\n`);
        results[job.key].push(r);
      }
    }
  } finally {
    pkg.cleanup();
  }
  const loadAfter = loadAverage();
  const { folded, line } = buildSummary(o, results);
  line.targets = evaluateTargets(line);
  const m = machine();
  const minutes = Math.round((Date.now() - started) / 6000) / 10;
  const header = [
    `machine: ${m.nproc} cores, ${m.cpu}, ${m.mem_gb} GB, Node ${m.node}`,
    `${o.runs} run(s) of every workload, figures are median (min-max); ${minutes} min; load average (1/5/15 min) before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')}`,
  ].join('\n');
  const text = `${header}\n${renderReport(o, folded, line.targets)}`;
  process.stdout.write(text + '\n');
  if (o.save) {
    const at = new Date().toISOString();
    save(o, { at, machine: m, minutes, load_before: loadBefore, load_after: loadAfter, options: { ...o, out: undefined }, summary: line, runs: results, table: text }, text);
  }
  process.stdout.write(JSON.stringify(line) + '\n');
}

main().catch((err) => {
  process.stderr.write(`bench: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
