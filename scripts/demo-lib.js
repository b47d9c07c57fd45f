'use strict';
// Shared by `npm start` (scripts/demo.js) and the example/editor tests: reads the shipped example
// flows and wires them to a simulator by changing only the utmos-config node's endpoints.
// Credentials are never put in a flow; they go to flows_cred.json (see credentialsFor).
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

/** flows_cred.json content (unencrypted: the runtime runs with credentialSecret false). */
function credentialsFor(flows, endpoint, existing = {}) {
  const creds = { ...existing };
  for (const n of flows) {
    if (n.type === CONFIG_TYPE) creds[n.id] = { ...(creds[n.id] || {}), apiId: endpoint.apiId, apiKey: endpoint.apiKey };
  }
  return creds;
}

/** Embedded Node-RED settings: loopback only, this package loaded from the working tree. */
function runtimeSettings({ userDir, port, logLevel = 'info' }) {
  return {
    userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
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

module.exports = { ROOT, EXAMPLES_DIR, CONFIG_TYPE, loadExamples, buildFlows, rewireFlows, credentialsFor, runtimeSettings };
