#!/usr/bin/env node
/**
 * node bench/payload-check.js [--dist DIR] [--n N]
 *
 * How long the catalogue's payload check takes on the command path (validateDjiPayload, the check
 * dji-command makes before each create): microseconds per call for a few payload shapes, the median
 * of five rounds of N calls each. It prints figures; nothing here passes or fails.
 */
'use strict';
const path = require('path');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const dist = path.resolve(__dirname, '..', arg('--dist', 'dist'));
const n = Number(arg('--n', '20000'));
const { findDjiMethod, validateDjiPayload } = require(path.join(dist, 'src', 'core', 'catalogue'));

const cases = [
  ['debug_mode_open', {}],
  ['camera_recording_start', findDjiMethod('camera_recording_start').template],
  ['flighttask_prepare', findDjiMethod('flighttask_prepare').template],
  ['flighttask_prepare (refused)', { ...findDjiMethod('flighttask_prepare').template, rth_altitude: -1 }],
];

for (const [label, payload] of cases) {
  const name = label.split(' ')[0];
  const rounds = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) validateDjiPayload(name, payload);
    rounds.push(Number(process.hrtime.bigint() - t0) / 1000 / n);
  }
  rounds.sort((a, b) => a - b);
  process.stdout.write(`${label.padEnd(30)} ${rounds[2].toFixed(2)} µs per call (min ${rounds[0].toFixed(2)}, max ${rounds[4].toFixed(2)}; ${n} calls x 5)\n`);
}
