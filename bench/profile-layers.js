#!/usr/bin/env node
/**
 * node bench/profile-layers.js FILE.cpuprofile
 *
 * Where a worker's CPU went while commands flowed (a profile from BENCH_CPU_PROF=dir): the samples
 * from the first dji-command input (`prepare` on the stack) to the first call to the simulator's
 * control surface afterwards (`fetch`, the run's end), each put in the first layer of the list
 * below found anywhere on its stack, so Node's HTTP client counts with the request that used it
 * and a status query started by an event counts as HTTP, not MQTT. Idle samples are left out.
 * Native frames (writev, the HMAC) are over-sampled by V8's profiler on this machine: compare
 * layers, and confirm a cut by measuring CPU per command, not by the profile.
 */
'use strict';
const fs = require('fs');

const LAYERS = [
  ['bench harness', (url) => url.includes('/bench/')],
  ['zod', (url) => url.includes('/zod/')],
  ['signing (signer.js)', (url) => url.includes('/core/signer.js')],
  ['Node http client', (url) => /^node:_http|^node:http$/.test(url)],
  ['http-transport.js', (url) => url.includes('/core/http-transport.js')],
  ['signed-request.js', (url) => url.includes('/core/signed-request.js')],
  ['Node-RED node.status', (url, fn) => fn === 'Node.status'],
  ['Node-RED node.send', (url, fn) => fn === 'Node.send'],
  ['Node-RED other', (url) => url.includes('/@node-red/')],
  ['i18n and texts', (url) => /\/nodes\/shared\/i18n\.js|\/core\/text\.js/.test(url)],
  ['MQTT client', (url) => /\/node_modules\/(mqtt|mqtt-packet|bl|readable-stream)\//.test(url)],
  ['sockets and streams', (url) => /^node:net$|stream_base_commons|streams\//.test(url)],
  ['tracker', (url) => /\/core\/(tracker|waits|min-heap|duration-model|poll-schedule|rate-gate|clock)\.js/.test(url)],
  ['other package code', (url) => url.includes('/dist/src/')],
];

function main(file) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const stackOf = (id) => {
    const frames = [];
    for (let at = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at).callFrame);
    return frames;
  };
  const samples = profile.samples;
  const onStack = (i, name) => stackOf(samples[i]).some((f) => f.functionName === name);
  let start = samples.findIndex((_, i) => onStack(i, 'prepare'));
  if (start < 0) start = 0;
  let end = samples.length;
  for (let i = start; i < samples.length; i++) {
    if (onStack(i, 'fetch')) {
      end = i;
      break;
    }
  }
  const totals = new Map();
  let busy = 0;
  for (let i = start; i < end; i++) {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const stack = stackOf(samples[i]);
    if (stack[0].functionName === '(idle)') continue;
    busy += us;
    const layer = LAYERS.find(([, match]) => stack.some((f) => match(f.url, f.functionName)));
    const name = layer ? layer[0] : stack[0].url ? 'other Node internals' : stack[0].functionName || 'other native';
    totals.set(name, (totals.get(name) || 0) + us);
  }
  console.log(`busy ${(busy / 1000).toFixed(0)} ms while commands flowed`);
  for (const [name, us] of [...totals].sort((a, b) => b[1] - a[1])) {
    if (us / busy < 0.005) continue;
    console.log(`${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${name}`);
  }
}

if (!process.argv[2]) {
  console.error('usage: node bench/profile-layers.js FILE.cpuprofile');
  process.exit(2);
}
main(process.argv[2]);
