// The simulator controls the soak and the benchmark need: POST /__sim/broker/restart (the event
// broker goes away and comes back on the same port; docks, platform and event clients reconnect),
// POST /__sim/broker/events (a silent event stream: connected, but no events delivered) and
// GET /__sim/commands (every command of this run with its idempotency key).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { startSimulator, Simulator } from '../../sim';
import { UtmosClient } from '../../src/core';
import { simControl, sleep } from '../helpers/harness';

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ docks: 2, replyDelayMs: 20 });
});
after(async () => {
  await sim.close();
});

test('broker restart: clients are dropped, the port refuses connections while down, everything reconnects and commands work again', async () => {
  const events: string[] = [];
  const client = mqtt.connect(sim.mqtt, { reconnectPeriod: 100, clientId: 'observer' });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  await client.subscribeAsync(`tenant/${sim.tenantId}/command/+`, { qos: 1 });
  client.on('message', (topic) => events.push(topic));
  let closes = 0;
  client.on('close', () => closes++);

  const restart = simControl(sim, 'POST', 'broker/restart', { down_ms: 600 });
  await sleep(250);
  // While down: a fresh TCP connection to the broker port is refused.
  const refused = await new Promise<boolean>((resolve) => {
    const probe = mqtt.connect(sim.mqtt, { reconnectPeriod: 0, connectTimeout: 500 });
    probe.once('connect', () => {
      probe.end(true);
      resolve(false);
    });
    probe.once('error', () => {
      probe.end(true);
      resolve(true);
    });
    probe.once('close', () => resolve(true));
  });
  assert.equal(refused, true, 'the broker port refuses connections while down');
  assert.deepEqual(await restart, { down_ms: 600 });
  assert.ok(closes >= 1, 'the connected client was dropped');
  await new Promise<void>((resolve) => (client.connected ? resolve() : client.once('connect', () => resolve())));
  await sleep(800); // docks and platform reconnect (500 ms reconnect period) and resubscribe

  const api = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey });
  try {
    const created = await api.createCommand({ device_id: 'dock-001', command_type: 'debug_mode_open', payload: {}, idempotency_key: 'after-broker-restart', timeout_seconds: 5 });
    const rec = await sim.control.waitForCommand(created.command_id, 5000);
    assert.equal(rec.status, 'SUCCEEDED', 'the dock got the command over the restarted broker and answered');
    await sleep(200);
    assert.ok(events.some((t) => t.endsWith('/command/completed')), 'the observer gets events again');
  } finally {
    api.close();
    client.end(true);
  }
});

test('GET /__sim/commands lists every command of the run with its idempotency key', async () => {
  const api = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey });
  try {
    const a = await api.createCommand({ device_id: 'dock-002', command_type: 'debug_mode_open', payload: {}, idempotency_key: 'list-a' });
    const again = await api.createCommand({ device_id: 'dock-002', command_type: 'debug_mode_open', payload: {}, idempotency_key: 'list-a' });
    assert.equal(again.command_id, a.command_id);
    const { items } = await simControl(sim, 'GET', 'commands');
    const mine = items.filter((c: any) => c.idempotency_key === 'list-a');
    assert.equal(mine.length, 1, 'one command for one key');
    assert.equal(mine[0].command_id, a.command_id);
    assert.equal(items.length, sim.control.listCommands().length);
  } finally {
    api.close();
  }
});

test('broker events off: the subscriber stays connected and gets no events while commands still complete; on again: events flow', async () => {
  const events: string[] = [];
  const client = mqtt.connect(sim.mqtt, { reconnectPeriod: 100, clientId: 'silent-observer', keepalive: 1 });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  await client.subscribeAsync(`tenant/${sim.tenantId}/command/+`, { qos: 1 });
  client.on('message', (topic) => events.push(topic));
  let closes = 0;
  client.on('close', () => closes++);
  const api = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey });
  try {
    assert.deepEqual(await simControl(sim, 'POST', 'broker/events', { forwarding: false }), { forwarding: false });
    const silent = await api.createCommand({ device_id: 'dock-001', command_type: 'debug_mode_open', payload: {}, idempotency_key: 'silent-stream', timeout_seconds: 5 });
    assert.equal((await sim.control.waitForCommand(silent.command_id, 5000)).status, 'SUCCEEDED', 'docks still work: only tenant events are held back');
    // Longer than two keep-alive periods: pings are still answered, so the connection stays up.
    await sleep(2500);
    assert.equal(events.length, 0, `no event delivered while forwarding is off: ${events.join(', ')}`);
    assert.equal(closes, 0, 'the connection was never closed');
    assert.ok(client.connected);

    assert.deepEqual(await simControl(sim, 'POST', 'broker/events', { forwarding: true }), { forwarding: true });
    const loud = await api.createCommand({ device_id: 'dock-001', command_type: 'debug_mode_open', payload: {}, idempotency_key: 'loud-stream', timeout_seconds: 5 });
    await sim.control.waitForCommand(loud.command_id, 5000);
    const until = Date.now() + 5000;
    while (!events.some((t) => t.endsWith('/command/completed')) && Date.now() < until) await sleep(20);
    assert.ok(events.some((t) => t.endsWith('/command/completed')), 'events flow again');
  } finally {
    await simControl(sim, 'POST', 'broker/events', { forwarding: true });
    api.close();
    client.end(true);
  }
  await assert.rejects(simControl(sim, 'POST', 'broker/events', { forwarding: 'no' }), /400/);
});

test('broker restart refuses a bad down_ms', async () => {
  await assert.rejects(simControl(sim, 'POST', 'broker/restart', { down_ms: -1 }), /400/);
});
