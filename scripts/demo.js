#!/usr/bin/env node
'use strict';
// `npm start`: the simulator (UTMOS platform + DJI docks, as a child process) and an embedded
// Node-RED that loads this package from the working tree with the example flows deployed against
// the simulator. Everything listens on 127.0.0.1. Ctrl-C / SIGTERM stops both.
//
// Environment: PORT (editor, default 1880), DEMO_USER_DIR (default .node-red-demo),
// NODE_RED_PATH (another node-red install), DEMO_LOG_LEVEL (default info).
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { ROOT, loadExamples, buildFlows, rewireFlows, credentialsCurrent, deployWithCredentials, flowsStarted, runtimeSettings } = require('./demo-lib');

const PORT = process.env.PORT === undefined || process.env.PORT === '' ? 1880 : Number(process.env.PORT);
const USER_DIR = path.resolve(ROOT, process.env.DEMO_USER_DIR || '.node-red-demo');
// The simulated docks fly a route in this fraction of its estimated time; example 01 scales its wait
// for the route's duration by UTMOS_TIME_SCALE, which the demo sets to the same factor.
const TIME_FACTOR = 0.05;

function log(line) {
  process.stdout.write(`[demo] ${line}\n`);
}

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function buildIfNeeded() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const outputs = [path.join(ROOT, 'dist/sim/cli.js'), ...Object.values(pkg['node-red'].nodes).map((f) => path.join(ROOT, f))];
  const missing = outputs.some((f) => !fs.existsSync(f));
  const oldest = missing ? 0 : Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs));
  const newestSource = Math.max(newestMtime(path.join(ROOT, 'src')), newestMtime(path.join(ROOT, 'sim')), newestMtime(path.join(ROOT, 'icons')));
  if (missing || newestSource > oldest) {
    log('building (npm run build)…');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.js')], { cwd: ROOT, stdio: 'inherit' });
  }
}

/** A random secret made once and kept in the user dir (mode 600), so what it protects stays valid across runs. */
function keptSecret(name, bytes) {
  const file = path.join(USER_DIR, name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = crypto.randomBytes(bytes).toString('hex');
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

function startSimulator(apiKey) {
  const { spawnSimulator } = require(path.join(ROOT, 'dist/sim/spawn.js'));
  const args = ['--api-id', 'demo-api-id', '--time-factor', String(TIME_FACTOR)];
  // the key goes through the environment: a command line is readable by every user (ps)
  return spawnSimulator(args, { env: { UTMOS_SIM_API_KEY: apiKey } }).then(({ info, child }) => ({
    child,
    endpoint: { http: info.http, mqtt: info.mqtt, apiId: info.api_id, apiKey: info.api_key },
  }));
}

/**
 * flows.json as the runtime should start with it: the user's flows from the last run with the
 * connections pointed at this run's simulator ports, or none on the first run (the examples are
 * deployed with their credentials once Node-RED runs, see main). Returns the flows to deploy then.
 */
function prepareFlows(endpoint) {
  const flowsFile = path.join(USER_DIR, 'flows.json');
  if (!fs.existsSync(flowsFile)) {
    fs.writeFileSync(flowsFile, '[]');
    return { flows: buildFlows(loadExamples(), endpoint), firstRun: true };
  }
  const flows = rewireFlows(JSON.parse(fs.readFileSync(flowsFile, 'utf8')), endpoint);
  fs.writeFileSync(flowsFile, JSON.stringify(flows, null, 2));
  return { flows, firstRun: false };
}

/** Credentials stored by an older demo in plain text (before it set a credential secret). */
function plainCredentialsOnDisk() {
  const file = path.join(USER_DIR, 'flows_cred.json');
  if (!fs.existsSync(file)) return false;
  try {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    return !(Object.keys(stored).length === 1 && typeof stored.$ === 'string');
  } catch {
    return false;
  }
}

async function raiseRequest(endpoint, sn, requestType, data) {
  const res = await fetch(`${endpoint.http}/__sim/docks/${sn}/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ request_type: requestType, data }),
  });
  if (!res.ok) throw new Error(`simulator refused the device request: ${res.status}`);
}

async function main() {
  if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) throw new Error(`PORT must be a port number (got ${process.env.PORT})`);
  buildIfNeeded();
  fs.mkdirSync(USER_DIR, { recursive: true });
  const { child: sim, endpoint } = await startSimulator(keptSecret('.demo-api-key', 24));
  let stopping = false;
  const server = http.createServer();
  let RED;
  let started = false;

  const stop = async (signal) => {
    if (stopping) {
      log('second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: stopping Node-RED and the simulator…`);
    const force = setTimeout(() => {
      log('stop took longer than 20 s; exiting');
      process.exit(1);
    }, 20000);
    force.unref();
    try {
      if (RED && started) await RED.stop();
    } catch (err) {
      log(`Node-RED stop failed: ${err.message}`);
    }
    await new Promise((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
    if (sim.exitCode === null) {
      await new Promise((r) => {
        sim.once('exit', r);
        sim.kill('SIGTERM');
      });
    }
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  sim.once('exit', (code) => {
    if (!stopping) {
      log(`simulator exited unexpectedly (code ${code})`);
      void stop('simulator exit');
    }
  });

  const { flows, firstRun } = prepareFlows(endpoint);
  const legacyCredentials = plainCredentialsOnDisk();
  if (!process.env.UTMOS_TIME_SCALE) process.env.UTMOS_TIME_SCALE = String(TIME_FACTOR);
  RED = require(process.env.NODE_RED_PATH || 'node-red');
  RED.init(
    server,
    runtimeSettings({
      userDir: USER_DIR,
      port: PORT,
      logLevel: process.env.DEMO_LOG_LEVEL || 'info',
      credentialSecret: keptSecret('.demo-credential-secret', 32),
    }),
  );
  server.on('request', RED.httpAdmin);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(PORT, '127.0.0.1', resolve);
  });
  let running = flowsStarted(RED);
  await RED.start();
  started = true;
  await running;
  if (firstRun || legacyCredentials || !credentialsCurrent(RED, flows, endpoint)) {
    if (firstRun) log('first run: deploying the example flows; Node-RED stores their credentials encrypted from now on');
    running = flowsStarted(RED);
    await deployWithCredentials(RED, flows, endpoint);
    await running;
  }
  const port = server.address().port;
  // one request that needs a person, so example 02's approval branch has something to show
  await raiseRequest(endpoint, 'dock-002', 'airport_organization_bind', {
    bind_devices: [
      { device_binding_code: 'demo-binding-code', organization_id: 'demo-org', device_callsign: 'Dock 2', sn: 'dock-002', device_model_key: '3-2-0' },
    ],
  }).catch((err) => log(`could not raise the demo device request: ${err.message}`));

  const tabs = flows.filter((n) => n.type === 'tab').map((n) => n.label);
  log(`Node-RED ${RED.version()} with node-red-contrib-utmos-dji from ${ROOT}`);
  log(`simulator: API ${endpoint.http}, events ${endpoint.mqtt} (docks dock-001..dock-003)`);
  log(`flows: ${tabs.join(' | ')}`);
  log(`user dir: ${USER_DIR}`);
  log(`editor: http://127.0.0.1:${port}/`);
  log('open the editor, pick the "01 - Dock inspection mission" tab and press the button of "Start inspection"; Ctrl-C stops everything');
}

main().catch((err) => {
  console.error(`[demo] failed: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
