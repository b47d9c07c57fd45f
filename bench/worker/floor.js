/**
 * floor: the protocol alone, with no Node-RED and none of the package but its signer. The same
 * fleet as diy / poll / push (each dock one command at a time, docks started spread over one typical
 * duration) driven by a bare client: a signed create through Node's http with a keep-alive agent,
 * mqtt.js subscribed to the default event topics at QoS 1, and on the command's `completed` event one
 * signed status query. What it costs per command is what any Node.js implementation of
 * "create, then read the result an event announces" costs on this machine, so the CPU figures of
 * push and diy are read against it.
 */
'use strict';
const crypto = require('crypto');
const http = require('http');
const path = require('path');
const { now, simControl, cpuMeter, dockId } = require('./runtime');
const { apiCallRecorder } = require('./api-calls');
const { fleetFigures } = require('./fleet-figures');
const { dockPlan } = require('./dock-plan');
const { peakInWindow } = require('../stats');

const COMMANDS_PATH = '/api/v1/open/downlink/commands';

function bareClient(cfg) {
  const { signRequest } = require(path.join(cfg.pkgRoot, 'dist', 'src', 'core', 'signer.js'));
  const base = new URL(cfg.sim.http);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const call = (method, p, bodyObj) =>
    new Promise((resolve, reject) => {
      const body = bodyObj === undefined ? '' : JSON.stringify(bodyObj);
      const signed = signRequest(
        { method, path: p, body, apiId: cfg.sim.api_id, timestamp: Math.floor(Date.now() / 1000), nonce: crypto.randomUUID() },
        cfg.sim.api_key,
      );
      const headers = { ...signed, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) };
      const req = http.request({ host: base.hostname, port: base.port, path: p, method, headers, agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          if (!(res.statusCode >= 200 && res.statusCode < 300)) return reject(new Error(`${method} ${p} -> ${res.statusCode}`));
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        });
      });
      req.on('error', reject);
      req.end(body || undefined);
    });
  return { call, close: () => agent.destroy() };
}

async function runFloor(cfg, memory) {
  const mqtt = require('mqtt');
  const sim = simControl(cfg.sim);
  const api = apiCallRecorder();
  const client = bareClient(cfg);
  const events = mqtt.connect(cfg.sim.mqtt, { reconnectPeriod: 0 });
  await new Promise((resolve, reject) => {
    events.once('connect', resolve);
    events.once('error', reject);
  });
  await events.subscribeAsync(['tenant/+/command/+', 'tenant/+/device_request/+'], { qos: 1 });

  const N = cfg.n;
  const waiting = new Map(); // command_id -> dock
  const completedEarly = new Set(); // completed events that came before their create's answer
  const emitted = new Map(); // command_id -> { at, count }
  const errors = [];
  let outputs = 0;
  let lastOut = 0;
  let finish;
  const finished = new Promise((r) => (finish = r));

  const create = (d) => {
    const body = {
      vendor: 'dji',
      device_id: dockId(d),
      command_type: 'debug_mode_open',
      payload: {},
      idempotency_key: crypto.randomUUID(),
      timeout_seconds: 60,
    };
    client.call('POST', COMMANDS_PATH, body).then(
      (res) => {
        if (completedEarly.delete(res.command_id)) readResult(res.command_id, d);
        else waiting.set(res.command_id, d);
      },
      (err) => errors.push(err.message),
    );
  };
  const readResult = (id, d) =>
    client.call('GET', `${COMMANDS_PATH}/${encodeURIComponent(id)}`).then(
      (res) => output(res, d),
      (err) => errors.push(err.message),
    );
  const output = (res, d) => {
    const t = now();
    emitted.set(res.command_id, { at: t, count: 1 });
    outputs++;
    lastOut = t;
    if (outputs >= N) finish();
    else plan.next(d);
  };
  events.on('message', (topic, payload) => {
    if (!topic.endsWith('/completed')) return;
    const id = JSON.parse(payload.toString('utf8')).command_id;
    const d = waiting.get(id);
    if (d === undefined) {
      completedEarly.add(id);
      return;
    }
    waiting.delete(id);
    readResult(id, d);
  });

  const plan = dockPlan(N, cfg.docks, cfg.typicalReplyMs, create);
  memory.sample();
  api.reset();
  const cpu = cpuMeter();
  const firstIn = now();
  plan.start();
  const timeout = setTimeout(() => finish('timeout'), cfg.timeoutMs);
  const why = await finished;
  const cpuMs = cpu();
  clearTimeout(timeout);
  memory.sample();
  const counters = await sim.get('counters');
  const apiPeak = peakInWindow(api.times(undefined, firstIn, lastOut + 1));
  api.stop();
  await events.endAsync(true);
  client.close();
  const elapsedS = (lastOut - firstIn) / 1000;
  return {
    ...fleetFigures(cfg, {
      outputs,
      why,
      elapsedS,
      emitted,
      records: await sim.commands(),
      counters,
      cpuMs,
      apiPeak,
      memory,
      emittedOnce: outputs === N && errors.length === 0,
    }),
    duplicates: 0,
    error_count: errors.length,
    errors: errors.slice(0, 5),
  };
}

module.exports = { runFloor };
