/**
 * What one bench invocation runs: every selected workload as a job (its simulator settings and its
 * worker configuration), keyed the way the results are reported.
 *
 * Fleet keys: diy / poll / push (docks with spread durations, the main workload), *-fixed (every
 * dock takes exactly the typical duration), *-fast (docks that answer in a few ms). Others:
 * inflight, request-in/<on|off>/<nodes>, long-wait/<on|off>/<waits>, silent-stream.
 */
'use strict';

const onOff = (events) => (events ? 'on' : 'off');

function fleetJob(o, variant) {
  const [flow, kind = 'spread'] = variant.split('-');
  const sims = {
    spread: { docks: o.docks, replyDelayMs: o.replyDelayMs - o.replySpreadMs, replyDelayMaxMs: o.replyDelayMs + o.replySpreadMs },
    fixed: { docks: o.docks, replyDelayMs: o.replyDelayMs },
    fast: { docks: o.docks, replyDelayMs: o.fastReplyDelayMs },
  };
  const sim = sims[kind];
  return {
    key: variant,
    sim,
    worker: {
      workload: 'fleet',
      flow,
      n: o.n,
      docks: o.docks,
      replyDelayMs: sim.replyDelayMs,
      replyDelayMaxMs: sim.replyDelayMaxMs,
      typicalReplyMs: kind === 'fast' ? o.fastReplyDelayMs : o.replyDelayMs,
      cap: kind === 'fast' ? o.fastCap : o.cap,
      timeoutMs: Math.max(120_000, o.n * 100),
    },
  };
}

function planJobs(o) {
  const jobs = [];
  const selected = (v) => o.variants.includes(v);
  for (const v of ['floor', 'diy', 'poll', 'push', 'diy-fixed', 'poll-fixed', 'push-fixed', 'diy-fast', 'push-fast']) {
    if (selected(v)) jobs.push(fleetJob(o, v));
  }
  if (selected('inflight')) {
    jobs.push({
      key: 'inflight',
      sim: { docks: o.inflightDocks, replyDelayMs: o.inflightReplyDelayMs },
      worker: {
        workload: 'inflight',
        n: o.inflight,
        docks: o.inflightDocks,
        replyDelayMs: o.inflightReplyDelayMs,
        cap: o.inflightCap,
        timeoutMs: o.inflightReplyDelayMs + 600_000,
      },
    });
  }
  if (selected('request-in')) {
    for (const events of [false, true]) {
      for (const nodes of o.requestInNodes) {
        jobs.push({
          key: `request-in/${onOff(events)}/${nodes}`,
          sim: { docks: nodes, replyDelayMs: 100 },
          worker: { workload: 'request-in', nodes, events, windowMs: (events ? o.requestInEventsWindowS : o.requestInWindowS) * 1000, cap: o.cap },
        });
      }
    }
  }
  if (selected('long-wait')) {
    for (const events of [true, false]) {
      for (const waits of o.longWait) {
        jobs.push({
          key: `long-wait/${onOff(events)}/${waits}`,
          sim: { docks: o.longWaitDocks, replyDelayMs: o.longWaitReplyDelayMs },
          worker: {
            workload: 'long-wait',
            n: waits,
            docks: o.longWaitDocks,
            events,
            replyDelayMs: o.longWaitReplyDelayMs,
            // The whole wait: the window is cut 1 s before the first dock answers.
            windowMs: waits <= o.longWaitWholeUpTo ? o.longWaitReplyDelayMs : o.longWaitWindowS * 1000,
            cap: o.cap,
            timeoutMs: 600_000,
          },
        });
      }
    }
  }
  if (selected('silent-stream')) {
    jobs.push({
      key: 'silent-stream',
      sim: { docks: o.silentDocks, replyDelayMs: o.silentReplyDelayMs },
      worker: {
        workload: 'silent-stream',
        n: o.silent,
        docks: o.silentDocks,
        replyDelayMs: o.silentReplyDelayMs,
        timeoutSeconds: o.silentTimeoutS,
        graceSeconds: o.silentGraceS,
        cap: o.cap,
      },
    });
  }
  return jobs;
}

module.exports = { planJobs, onOff };
