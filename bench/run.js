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

/** The tables (with the header) and the JSON line of a set of runs. */
function render(o, results, header) {
  const { folded, line } = buildSummary(o, results);
  line.targets = evaluateTargets(line);
  return { line, text: `${header}\n${renderReport(o, folded, line.targets)}` };
}

const loadLine = (minutes, before, after, max) =>
  `${minutes} min; load average (1/5/15 min) before ${before.join(' ')}, after ${after.join(' ')}${max === undefined ? '' : `, 1 min at most ${max}`}`;

/** --report FILE: the same output again from a saved results file, nothing run. */
function reportSaved(file) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const o = doc.options;
  const m = doc.machine;
  const header = [
    `machine: ${m.nproc} cores, ${m.cpu}, ${m.mem_gb} GB, Node ${m.node}`,
    `rendered again from ${path.basename(file)} (measured ${doc.at}): ${o.runs} run(s) of every workload, figures are median (min-max); ${loadLine(doc.minutes, doc.load_before, doc.load_after, doc.load_1min_max)}`,
  ].join('\n');
  const { line, text } = render(o, doc.runs, header);
  process.stdout.write(`${text}\n${JSON.stringify(line)}\n`);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) {
    process.stdout.write(helpText());
    return;
  }
  if (o.report) return reportSaved(o.report);
  const jobs = planJobs(o);
  const pkg = packageRoot(o.dist);
  const results = Object.fromEntries(jobs.map((j) => [j.key, []]));
  const started = Date.now();
  const loadBefore = loadAverage();
  // Other work on the machine shows in the figures: the busiest 1-minute load average is reported.
  let loadMax = loadBefore[0];
  const loadTimer = setInterval(() => (loadMax = Math.max(loadMax, loadAverage()[0])), 15_000);
  try {
    for (let run = 1; run <= o.runs; run++) {
      for (const job of jobs) {
        process.stderr.write(`[bench] run ${run}/${o.runs} ${job.key} ...\n`);
        const load = loadAverage();
        const r = await runOnce(o, pkg, job);
        process.stderr.write(`[bench] run ${run}/${o.runs} ${job.key}: ${JSON.stringify(r)}\n`);
        results[job.key].push({ ...r, load_average_at_start: load });
      }
    }
  } finally {
    clearInterval(loadTimer);
    pkg.cleanup();
  }
  const loadAfter = loadAverage();
  const m = machine();
  const minutes = Math.round((Date.now() - started) / 6000) / 10;
  const header = [
    `machine: ${m.nproc} cores, ${m.cpu}, ${m.mem_gb} GB, Node ${m.node}`,
    `${o.runs} run(s) of every workload, figures are median (min-max); ${loadLine(minutes, loadBefore, loadAfter, loadMax)}`,
  ].join('\n');
  const { line, text } = render(o, results, header);
  process.stdout.write(text + '\n');
  if (o.save) {
    const at = new Date().toISOString();
    save(
      o,
      {
        at,
        machine: m,
        minutes,
        load_before: loadBefore,
        load_after: loadAfter,
        load_1min_max: loadMax,
        options: { ...o, out: undefined },
        summary: line,
        runs: results,
        table: text,
      },
      text,
    );
  }
  process.stdout.write(JSON.stringify(line) + '\n');
}

main().catch((err) => {
  process.stderr.write(`bench: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
