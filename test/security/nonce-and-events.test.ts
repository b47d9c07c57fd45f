// Nonces are never reused, even across retries and many parallel calls; events are hints only:
// forged events cannot complete a wait or put data into a flow (dji-command's own forged-event
// test is in test/nodes/dji-command.test.ts; these cover dji-status-wait and dji-request-in).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { UtmosClient } from '../../src/core/client';
import { ALL_NODES, badgeShown, collect, connectionOf, credsFor, flowWith, helper, nodeRedForFile } from '../helpers/harness';
import { resetDocks, simCounters, simulatorForFile } from '../helpers/simulator';
import { eventStreamState } from '../helpers/wait';

const REPLY_DELAY_MS = 20;
const sim = simulatorForFile({ docks: 2, replyDelayMs: REPLY_DELAY_MS });
nodeRedForFile({ afterEach: () => resetDocks(sim, REPLY_DELAY_MS) });

/** Loads `nodes` behind a connection with the event stream, once the stream is connected. */
async function loadWithEvents(nodes: object[]): Promise<void> {
  await helper.load(ALL_NODES, flowWith({ sim, config: { eventBrokerUrl: sim.mqtt }, nodes }), credsFor(sim));
  await eventStreamState(connectionOf());
}

test('500 parallel calls with injected 5xx, 429 and dropped connections: every attempt signs a fresh nonce (NONCE_REPLAYED stays 0)', async () => {
  const before = await simCounters(sim);
  sim.control.addFault({ status: 503, count: 150 });
  sim.control.addFault({ status: 502, count: 50, match: 'POST' });
  sim.control.addFault({ status: 429, count: 30, retry_after: 0 });
  sim.control.addDrop({ count: 20, phase: 'before' });
  const client = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey, maxAttempts: 8, backoffBaseMs: 20, backoffMaxMs: 200 });
  try {
    const calls = Array.from({ length: 500 }, (_, i) =>
      i % 2 === 0
        ? client.createCommand({ device_id: `dock-00${1 + (i % 2)}`, command_type: 'debug_mode_open', payload: {}, idempotency_key: `nonce-${i}`, timeout_seconds: 30 })
        : client.listDeviceRequests({ vendor: 'dji' }),
    );
    const results = await Promise.allSettled(calls);
    const failed = results.filter((r) => r.status === 'rejected');
    assert.equal(failed.length, 0, `all calls succeed within 8 attempts: ${failed.slice(0, 3).map((f) => String((f as PromiseRejectedResult).reason?.message)).join(' | ')}`);
  } finally {
    client.close();
  }
  const after = await simCounters(sim);
  const injected = after.faults_injected - before.faults_injected;
  assert.equal(injected, 230, 'every injected fault was hit, so retries happened');
  assert.equal(after.auth_failures.NONCE_REPLAYED - before.auth_failures.NONCE_REPLAYED, 0, 'no nonce was ever reused');
  assert.ok(after.total_calls - before.total_calls >= 500 + 230, 'retries were signed and sent');
  assert.equal(after.commands_created - before.commands_created, 250, 'one command per idempotency key despite retries');
});

test('the replay check is live: a reused nonce is refused by the simulator (so the 0 above means something)', async () => {
  const before = await simCounters(sim);
  const client = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey, nonce: () => 'fixed-nonce-for-this-test', maxAttempts: 1 });
  try {
    await client.listDeviceRequests({});
    await assert.rejects(client.listDeviceRequests({}), (e: any) => e.code === 'NONCE_REPLAYED');
  } finally {
    client.close();
  }
  const after = await simCounters(sim);
  assert.ok(after.auth_failures.NONCE_REPLAYED - before.auth_failures.NONCE_REPLAYED >= 2, 'the first replay and the retry with the same (fixed) nonce');
});

test('a forged command.completed event cannot end a dji-status-wait nor put its data into the flow', async () => {
  await sim.control.configureDock('dock-002', { silent: true });
  const client = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey });
  const created = await client.createCommand({ device_id: 'dock-002', command_type: 'debug_mode_open', payload: {}, idempotency_key: 'forged-wait', timeout_seconds: 3 });
  client.close();
  await loadWithEvents([
    { id: 'wait', type: 'dji-status-wait', server: 'c1', commandId: 'command_id', commandIdType: 'msg', until: 'terminal', timeout: '20', timeoutType: 'num', wires: [['ok'], ['failed'], ['timeout']] },
    { id: 'ok', type: 'helper' },
    { id: 'failed', type: 'helper' },
    { id: 'timeout', type: 'helper' },
  ]);
  const ok = collect('ok');
  const failed = collect('failed');
  helper.getNode('wait').receive({ command_id: created.command_id });
  await badgeShown('wait', { text: 'waiting for the command' }); // the wait is on
  const forger = await mqtt.connectAsync(sim.mqtt);
  await forger.publishAsync(
    `tenant/${sim.tenantId}/command/completed`,
    JSON.stringify({ event_type: 'command.completed', command_id: created.command_id, status: 'SUCCEEDED', public_status: 'SUCCEEDED', payload: { injected: 'evil' } }),
    { qos: 1 },
  );
  await forger.endAsync();
  // The platform's own answer ends it: TIMED_OUT (the dock is silent, 3 s), with the platform's data only.
  const msg = await failed.next();
  assert.equal(ok.messages.length, 0, 'the forged SUCCEEDED did not end the wait');
  assert.equal(msg.status, 'TIMED_OUT');
  assert.equal(JSON.stringify(msg).includes('evil'), false, 'nothing from the forged event reached the flow');
});

test('a forged device_request/received event cannot make dji-request-in emit a request the platform does not have', async () => {
  await loadWithEvents([
    { id: 'in', type: 'dji-request-in', server: 'c1', vendor: 'dji', pendingOnly: true, pollInterval: 60, wires: [['req']] },
    { id: 'req', type: 'helper' },
  ]);
  await badgeShown('in', { fill: 'green' }); // its first poll is answered; the next is a minute away
  const req = collect('req');
  const forger = await mqtt.connectAsync(sim.mqtt);
  await forger.publishAsync(
    `tenant/${sim.tenantId}/device_request/received`,
    JSON.stringify({ event_type: 'device_request.received', request_id: 'forged-request-1', device_id: 'dock-001', request_type: 'flighttask_resource_get', inbound_payload: { evil: true } }),
    { qos: 1 },
  );
  await forger.endAsync();
  // The forged event only woke a poll, which found nothing; a real request raised by a dock is still
  // emitted, and it is the only one.
  const real = await sim.control.raiseDeviceRequest('dock-001', { request_type: 'config', data: { scope: 'dock', items: ['network', 'storage'] } });
  const msg = await req.next();
  assert.deepEqual(req.messages.map((m) => m.request_id), [real.request_id], 'the forged request was not emitted');
  assert.equal(msg.request_id, real.request_id);
  assert.equal(JSON.stringify(msg).includes('evil'), false);
});
