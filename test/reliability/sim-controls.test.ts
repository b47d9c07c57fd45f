// The simulator controls the soak and the benchmark need: POST /__sim/broker/restart (the event
// broker goes away and comes back on the same port; docks, platform and event clients reconnect),
// POST /__sim/broker/events (a silent event stream: connected, but no events delivered) and
// GET /__sim/commands (every command of this run with its idempotency key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { UtmosClient } from '../../src/core/client';
import { simControl, simulatorForFile } from '../helpers/simulator';
import { waitUntil, withTimeout } from '../helpers/wait';

const sim = simulatorForFile({ docks: 2, replyDelayMs: 20 });

test('broker restart: clients are dropped, the port refuses connections while down, everything reconnects and commands work again', async () => {
  const events: string[] = [];
  const client = mqtt.connect(sim.mqtt, { reconnectPeriod: 100, clientId: 'observer' });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  await client.subscribeAsync(`tenant/${sim.tenantId}/command/+`, { qos: 1 });
  client.on('message', (topic) => events.push(topic));
  let closes = 0;
  const dropped = new Promise<void>((resolve) =>
    client.on('close', () => {
      closes++;
      resolve();
    }),
  );

  const restart = simControl(sim, 'POST', 'broker/restart', { down_ms: 600 });
  await withTimeout(dropped, 5_000, 'the broker to drop the connected client');
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
  await withTimeout(
    new Promise<void>((resolve) => (client.connected ? resolve() : client.once('connect', () => resolve()))),
    5_000,
    'the observer to reconnect',
  );
  // The docks reconnect (500 ms reconnect period) and listen on their topics again; the platform's
  // publishes wait in its client until it is back too.
  await waitUntil(() => sim.dockSns.every((sn) => sim.control.getDock(sn).online === true), 'every dock back on the broker');

  const api = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey });
  try {
    const created = await api.createCommand({
      device_id: 'dock-001',
      command_type: 'debug_mode_open',
      payload: {},
      idempotency_key: 'after-broker-restart',
      timeout_seconds: 5,
    });
    const rec = await sim.control.waitForCommand(created.command_id, 5000);
    assert.equal(rec.status, 'SUCCEEDED', 'the dock got the command over the restarted broker and answered');
    await waitUntil(() => events.some((t) => t.endsWith('/command/completed')), 'the observer gets events again', 5_000).catch(() => undefined);
    assert.ok(
      events.some((t) => t.endsWith('/command/completed')),
      'the observer gets events again',
    );
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
  // topic and payload: an event of an earlier test's command may still be on its way when forwarding stops
  client.on('message', (topic, payload) => events.push(`${topic} ${payload.toString()}`));
  let closes = 0;
  client.on('close', () => closes++);
  let pings = 0;
  client.on('packetreceive', (packet) => {
    if (packet.cmd === 'pingresp') pings++;
  });
  const api = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey });
  try {
    assert.deepEqual(await simControl(sim, 'POST', 'broker/events', { forwarding: false }), { forwarding: false });
    const silent = await api.createCommand({
      device_id: 'dock-001',
      command_type: 'debug_mode_open',
      payload: {},
      idempotency_key: 'silent-stream',
      timeout_seconds: 5,
    });
    assert.equal((await sim.control.waitForCommand(silent.command_id, 5000)).status, 'SUCCEEDED', 'docks still work: only tenant events are held back');
    // Two keep-alive periods after the command ended: pings are still answered, the connection stays up.
    const pingsAtEnd = pings;
    await waitUntil(() => pings >= pingsAtEnd + 2, 'two keep-alive pings answered while forwarding is off', 10_000);
    const aboutSilent = events.filter((e) => e.includes(silent.command_id));
    assert.deepEqual(aboutSilent, [], 'no event about the command run while forwarding is off');
    assert.equal(closes, 0, 'the connection was never closed');
    assert.ok(client.connected);

    assert.deepEqual(await simControl(sim, 'POST', 'broker/events', { forwarding: true }), { forwarding: true });
    const loud = await api.createCommand({
      device_id: 'dock-001',
      command_type: 'debug_mode_open',
      payload: {},
      idempotency_key: 'loud-stream',
      timeout_seconds: 5,
    });
    await sim.control.waitForCommand(loud.command_id, 5000);
    await waitUntil(() => events.some((e) => e.includes(loud.command_id) && e.includes('/command/completed ')), 'events flow again', 5000);
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
