/**
 * The flows a bench worker deploys: the do-it-yourself flow (core nodes only), dji-command on one
 * utmos-config (with or without the event stream), and N dji-request-in nodes on one connection.
 * Our nodes keep the palette's defaults except where a workload says otherwise.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { dockId } = require('./runtime');

/** bench/flows/diy.json; its function nodes read the platform and the first-query delay from env. */
function diyFlows(cfg) {
  const flows = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'flows', 'diy.json'), 'utf8'));
  process.env.UTMOS_BASE_URL = cfg.sim.http;
  process.env.UTMOS_API_ID = cfg.sim.api_id;
  process.env.UTMOS_API_KEY = cfg.sim.api_key;
  // A careful user waits about as long as the docks typically take before the first status query.
  process.env.UTMOS_FIRST_QUERY_DELAY_MS = String(cfg.typicalReplyMs);
  return {
    flows,
    credentials: {},
    entry: 'diy-create',
    /** Nodes whose errors mean a command's sequence stopped. */
    failing: ['diy-create', 'diy-get'],
    isOutput: (src) => src.id === 'diy-switch' && src.port === 0,
  };
}

function configNode(cfg, withEvents) {
  return {
    id: 'bench-config',
    type: 'utmos-config',
    name: 'simulator',
    baseUrl: cfg.sim.http,
    ...(withEvents ? { eventBrokerUrl: cfg.sim.mqtt } : {}),
    ...(cfg.cap ? { maxRequestsPerSecond: cfg.cap } : {}),
  };
}

const credentials = (cfg) => ({ 'bench-config': { apiId: cfg.sim.api_id, apiKey: cfg.sim.api_key } });

/** dji-command fed msg.device_id / msg.command_type / msg.payload, waiting for the result. */
function commandFlows(cfg, withEvents, { timeoutSeconds = 60 } = {}) {
  const flows = [
    { id: 'bench-tab', type: 'tab', label: 'bench' },
    configNode(cfg, withEvents),
    {
      id: 'bench-cmd',
      z: 'bench-tab',
      type: 'dji-command',
      name: 'command',
      server: 'bench-config',
      deviceId: 'device_id',
      deviceIdType: 'msg',
      commandType: 'command_type',
      commandTypeType: 'msg',
      payload: 'payload',
      payloadType: 'msg',
      idempotencyKeyType: 'auto',
      timeoutSeconds,
      waitForResult: true,
      wires: [['bench-ok'], ['bench-fail']],
    },
    { id: 'bench-ok', z: 'bench-tab', type: 'debug', active: false, tosidebar: true, complete: 'payload', wires: [] },
    { id: 'bench-fail', z: 'bench-tab', type: 'debug', active: false, tosidebar: true, complete: 'payload', wires: [] },
  ];
  return {
    flows,
    credentials: credentials(cfg),
    entry: 'bench-cmd',
    failing: ['bench-cmd'],
    isOutput: (src) => src.id === 'bench-cmd',
  };
}

/** N dji-request-in nodes on one utmos-config, node i watching dock i, palette defaults otherwise. */
function requestInFlows(cfg, nodes, withEvents) {
  const flows = [{ id: 'bench-tab', type: 'tab', label: 'bench' }, configNode(cfg, withEvents)];
  for (let i = 0; i < nodes; i++) {
    flows.push({
      id: `bench-req-${i}`,
      z: 'bench-tab',
      type: 'dji-request-in',
      name: '',
      server: 'bench-config',
      vendor: 'dji',
      deviceId: dockId(i),
      requestType: '',
      pendingOnly: true,
      pollInterval: 5,
      wires: [[]],
    });
  }
  return { flows, credentials: credentials(cfg) };
}

module.exports = { diyFlows, commandFlows, requestInFlows };
