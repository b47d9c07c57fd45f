/**
 * request-in: N dji-request-in nodes on one connection, node i watching dock i (palette defaults:
 * 5 s poll interval, pending only), with or without the event stream, and nothing happening: no
 * device request is raised. Counts the device-request list calls the process makes in a window
 * that starts after a settling period (so the first poll of every node at start-up is left out).
 * A window that is a whole number of poll intervals counts each periodic poller exactly.
 */
'use strict';
const { now, sleep, startRuntime, waitForEventStream } = require('./runtime');
const { requestInFlows } = require('./flows');
const { round } = require('../stats');

const SETTLE_MS = 2000;

async function runRequestIn(cfg, memory) {
  const withEvents = cfg.events;
  const spec = requestInFlows(cfg, cfg.nodes, withEvents);
  const rt = await startRuntime(cfg, spec);
  const { api } = rt;
  if (withEvents) await waitForEventStream(rt.RED);
  await sleep(SETTLE_MS);
  const from = now();
  await sleep(cfg.windowMs);
  const to = now();
  memory.sample();
  const lists = api.count('list', from, to);
  const others = api.count(undefined, from, to) - lists;
  await rt.stop();
  return {
    nodes: cfg.nodes,
    events: withEvents,
    window_s: round((to - from) / 1000, 2),
    list_calls: lists,
    list_calls_per_s: round((lists * 1000) / (to - from), 2),
    other_api_calls: others,
    rss_mb: memory.rssMb(),
  };
}

module.exports = { runRequestIn };
