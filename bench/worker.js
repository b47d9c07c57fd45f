#!/usr/bin/env node
/**
 * One run of one benchmark workload in one real, embedded Node-RED runtime, against a simulator
 * that runs in another process (started by bench/run.js).
 *
 *   node --expose-gc bench/worker.js '<json config>'
 *
 * Prints exactly one JSON line (the measurements) on stdout. Logs go to stderr.
 *
 * Workloads (config.workload), one module each under bench/worker/:
 *   fleet          diy / poll / push (config.flow): each dock works through its commands one at a time;
 *                  floor: the same fleet driven by a bare client, no Node-RED (bench/worker/floor.js)
 *   inflight       N commands at once: heap, loop delay (burst and run), API calls per second vs the cap
 *   request-in     N idle dji-request-in nodes on one connection: list calls per second
 *   long-wait      N commands waiting on slow docks: status calls per second and per command
 *   silent-stream  the event stream stops delivering while connected: every result still arrives
 */
'use strict';
const { memorySampler } = require('./worker/runtime');

const WORKLOADS = {
  fleet: (cfg) => (cfg.flow === 'floor' ? require('./worker/floor').runFloor : require('./worker/fleet').runFleet),
  inflight: () => require('./worker/inflight').runInflight,
  'request-in': () => require('./worker/request-in').runRequestIn,
  'long-wait': () => require('./worker/long-wait').runLongWait,
  'silent-stream': () => require('./worker/silent-stream').runSilentStream,
};

const cfg = JSON.parse(process.argv[2]);

(async () => {
  const load = WORKLOADS[cfg.workload];
  if (!load) throw new Error(`unknown workload ${cfg.workload}`);
  const memory = memorySampler();
  const result = await load(cfg)(cfg, memory);
  memory.stop();
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
})().catch((err) => {
  process.stderr.write(`[bench ${cfg.variant}] FAILED: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
