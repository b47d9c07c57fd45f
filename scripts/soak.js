#!/usr/bin/env node
// npm run soak [-- --commands N --docks N --seed N]: the fault soak (test/reliability/soak-lib.ts)
// through a real Node-RED runtime and the simulator. Progress goes to stderr; the last stdout line
// is the JSON summary. Exit code 1 unless duplicates_at_platform = 0, lost = 0 and
// outputs + errors = commands.
'use strict';
const path = require('path');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
};
const lib = path.resolve(__dirname, '..', 'dist', 'test', 'reliability', 'soak-lib.js');
const { runSoak } = require(lib);

runSoak({
  commands: opt('commands', 1000),
  docks: opt('docks', 20),
  seed: opt('seed', 20261122),
  log: (line) => process.stderr.write(`${line}\n`),
}).then(
  ({ summary, details }) => {
    console.log(JSON.stringify({ details }));
    console.log(JSON.stringify(summary));
    const ok =
      summary.duplicates_at_platform === 0 && summary.lost === 0 && summary.outputs + summary.errors === summary.commands && details.secret_hits.length === 0;
    process.exit(ok ? 0 : 1);
  },
  (err) => {
    console.error('soak failed:', err);
    process.exit(1);
  },
);
