'use strict';
// Shared by `npm start` (scripts/demo.js) and the example/editor tests: reads the shipped example
// flows and wires them to a simulator by changing only the utmos-config node's endpoints.
// Credentials are never put in a flow file: the demo hands them to the runtime, which encrypts them
// into flows_cred.json (deployWithCredentials); the tests write them to flows_cred.json unencrypted.
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const EXAMPLES_DIR = path.join(ROOT, 'examples');
const CONFIG_TYPE = 'utmos-config';

/** The shipped examples, sorted by file name: [{ file, label, nodes }]. */
function loadExamples(dir = EXAMPLES_DIR) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const nodes = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
      if (!Array.isArray(nodes)) throw new Error(`${file} is not a JSON array of nodes`);
      return { file, label: file.replace(/\.json$/, ''), nodes };
    });
}

/**
 * One flow file holding every example on its own tab. Only the config node changes:
 * baseUrl -> the simulator's HTTP API, eventBrokerUrl -> its MQTT broker. Config nodes shared by
 * several examples (same id) appear once.
 */
function buildFlows(examples, endpoint) {
  const flows = [];
  const configs = new Map();
  for (const ex of examples) {
    const tabs = new Set(ex.nodes.filter((n) => n.z).map((n) => n.z));
    for (const z of tabs) flows.push({ id: z, type: 'tab', label: ex.label, disabled: false, info: '' });
    for (const node of ex.nodes) {
      if (node.type === CONFIG_TYPE) {
        if (!configs.has(node.id)) configs.set(node.id, wireConfig(node, endpoint));
        continue;
      }
      flows.push(JSON.parse(JSON.stringify(node)));
    }
  }
  return [...flows, ...configs.values()];
}

function wireConfig(node, endpoint) {
  return { ...JSON.parse(JSON.stringify(node)), baseUrl: endpoint.http, eventBrokerUrl: endpoint.mqtt || '' };
}

/** Points every utmos-config node of an existing flow file at the simulator (keeps everything else). */
function rewireFlows(flows, endpoint) {
  return flows.map((n) => (n.type === CONFIG_TYPE ? { ...n, baseUrl: endpoint.http, eventBrokerUrl: endpoint.mqtt || '' } : n));
}

/** The simulator's credentials for every utmos-config node, by node id (flows_cred.json's shape). */
function credentialsFor(flows, endpoint, existing = {}) {
  const creds = { ...existing };
  for (const n of flows) {
    if (n.type === CONFIG_TYPE) creds[n.id] = { ...(creds[n.id] || {}), apiId: endpoint.apiId, apiKey: endpoint.apiKey };
  }
  return creds;
}

/** Whether every utmos-config node of the running flows already holds the simulator's credentials. */
function credentialsCurrent(RED, flows, endpoint) {
  return flows
    .filter((n) => n.type === CONFIG_TYPE)
    .every((n) => {
      const c = RED.nodes.getCredentials(n.id) || {};
      return c.apiId === endpoint.apiId && c.apiKey === endpoint.apiKey;
    });
}

/**
 * Deploys `flows` (full) with the simulator's credentials on every utmos-config node, as the editor
 * does: the runtime keeps them out of flows.json and stores them encrypted with the credential secret.
 */
async function deployWithCredentials(RED, flows, endpoint) {
  const creds = credentialsFor(flows, endpoint);
  const nodes = flows.map((n) => (n.type === CONFIG_TYPE ? { ...n, credentials: { ...creds[n.id] } } : n));
  await RED.runtime.flows.setFlows({ flows: { flows: nodes }, deploymentType: 'full', user: null });
}

/**
 * Resolves when the runtime next reports its flows started (RED.start() and a deploy resolve
 * earlier). Call it before the call that starts them; gives up after `timeoutMs`.
 */
function flowsStarted(RED, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      RED.events.removeListener('flows:started', done);
      reject(new Error(`the flows did not start within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    function done() {
      clearTimeout(timer);
      resolve();
    }
    RED.events.once('flows:started', done);
  });
}

/**
 * Embedded Node-RED settings: loopback only, this package loaded from the working tree.
 * `credentialSecret` encrypts flows_cred.json (false: plain text, for tests that write it themselves).
 */
function runtimeSettings({ userDir, port, logLevel = 'info', credentialSecret }) {
  if (credentialSecret === undefined) throw new Error('runtimeSettings needs a credentialSecret (or false)');
  return {
    userDir,
    flowFile: 'flows.json',
    credentialSecret,
    uiHost: '127.0.0.1',
    uiPort: port,
    httpAdminRoot: '/',
    httpNodeRoot: false, // the examples use no HTTP-in nodes
    nodesDir: [ROOT],
    editorTheme: { tours: false },
    telemetry: { enabled: false },
    diagnostics: { enabled: false },
    externalModules: { palette: { allowInstall: false } },
    logging: { console: { level: logLevel, metrics: false, audit: false } },
  };
}

module.exports = {
  ROOT,
  EXAMPLES_DIR,
  CONFIG_TYPE,
  loadExamples,
  buildFlows,
  rewireFlows,
  credentialsFor,
  credentialsCurrent,
  deployWithCredentials,
  flowsStarted,
  runtimeSettings,
};
