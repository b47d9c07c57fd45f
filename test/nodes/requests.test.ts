// dji-request-in and dji-request-reply in a real Node-RED runtime against the simulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_NODES, badgeShown, collect, connectionOf, credsFor, flowWith, helper, nodeRedForFile } from '../helpers/harness';
import { morePlatformCalls, repliesAtDock, simulatorForFile } from '../helpers/simulator';
import { eventStreamState } from '../helpers/wait';
import { DJI_REQUEST_REPLY_DEFAULTS } from '../helpers/node-defs';

const sim = simulatorForFile({ docks: 2, replyDelayMs: 50 });
nodeRedForFile();

const LIST = 'GET /api/v1/open/device-requests';

const requestIn = (props: Record<string, unknown> = {}) => ({
  id: 'in1',
  type: 'dji-request-in',
  server: 'c1',
  vendor: 'dji',
  deviceId: '',
  requestType: '',
  pendingOnly: true,
  pollInterval: 1,
  wires: [['got']],
  ...props,
});

test('each matching request is emitted once, filtered by type and device, and not again after a redeploy', async () => {
  const flow = flowWith({ sim, nodes: [requestIn({ requestType: 'config', deviceId: 'dock-001' }), { id: 'got', type: 'helper' }] });
  await helper.load(ALL_NODES, flow, credsFor(sim));
  let got = collect('got');
  const wanted = await sim.control.raiseDeviceRequest('dock-001', { request_type: 'config', data: { scope: 'dock', items: ['network', 'storage'] } });
  await sim.control.raiseDeviceRequest('dock-002', { request_type: 'config' });
  await sim.control.raiseDeviceRequest('dock-001', { request_type: 'flighttask_resource_get', data: { flight_id: 'f-1' } });
  const [msg] = await got.waitFor(1);
  assert.equal(msg.request_id, wanted.request_id);
  assert.equal(msg.request_type, 'config');
  assert.equal(msg.device_id, 'dock-001');
  assert.equal(msg.payload.request_id, wanted.request_id);
  assert.deepEqual(msg.payload.inbound_payload, { scope: 'dock', items: ['network', 'storage'] });
  await morePlatformCalls(sim, LIST, 2); // two more polls
  assert.equal(got.messages.length, 1, 'emitted once only');

  // Redeploy (full): the new node instance remembers what was emitted.
  await helper.setFlows(flow, 'full', credsFor(sim));
  got = collect('got');
  const fresh = await sim.control.raiseDeviceRequest('dock-001', { request_type: 'config' });
  const [after] = await got.waitFor(1);
  assert.equal(after.request_id, fresh.request_id);
  await morePlatformCalls(sim, LIST, 2); // a poll after the fresh one, answered
  assert.equal(got.messages.length, 1, 'nothing re-emitted after the redeploy');
});

test('an event wakes the feed before the next poll', async () => {
  const flow = flowWith({
    sim,
    config: { eventBrokerUrl: sim.mqtt },
    nodes: [requestIn({ pollInterval: 3600, requestType: 'update_topo' }), { id: 'got', type: 'helper' }],
  });
  await helper.load(ALL_NODES, flow, credsFor(sim));
  const got = collect('got');
  await eventStreamState(connectionOf());
  await badgeShown('in1', { fill: 'green' }); // the first poll is answered; the next is an hour away
  const started = Date.now();
  const raised = await sim.control.raiseDeviceRequest('dock-002', { request_type: 'update_topo' });
  const [msg] = await got.waitFor(1, 5_000);
  assert.equal(msg.request_id, raised.request_id);
  assert.ok(Date.now() - started < 3_000);
});

test('with pendingOnly, requests already replied are not emitted', async () => {
  const raised = await sim.control.raiseDeviceRequest('dock-002', { request_type: 'storage_config_get', data: { module: 0 } });
  const flow = flowWith({
    sim,
    nodes: [
      { id: 'inj', type: 'helper', wires: [['rep']] },
      { ...DJI_REQUEST_REPLY_DEFAULTS, id: 'rep', wires: [['replied']] },
      { id: 'replied', type: 'helper' },
    ],
  });
  await helper.load(ALL_NODES, flow, credsFor(sim));
  const replied = collect('replied');
  helper.getNode('rep').receive({ request_id: raised.request_id });
  await replied.next();
  await helper.unload();
  await helper.load(ALL_NODES, flowWith({ sim, nodes: [requestIn({ requestType: 'storage_config_get' }), { id: 'got', type: 'helper' }] }), credsFor(sim));
  const got = collect('got');
  await badgeShown('in1', { fill: 'green' }); // the first poll, answered
  assert.equal(got.messages.length, 0);
});

test('a reply with a payload reaches the dock on requests_reply, and the platform response is emitted', async () => {
  const flow = flowWith({
    sim,
    nodes: [
      requestIn({ requestType: 'flighttask_resource_get', deviceId: 'dock-002' }),
      {
        ...DJI_REQUEST_REPLY_DEFAULTS,
        id: 'rep',
        replyMessage: 'wayline attached',
        payload: '{"file":{"url":"https://example.com/w.kmz","fingerprint":"abc"}}',
        payloadType: 'json',
        wires: [['replied']],
      },
      { id: 'replied', type: 'helper' },
    ],
  });
  (flow.find((n: any) => n.id === 'in1') as any).wires = [['rep']];
  await helper.load(ALL_NODES, flow, credsFor(sim));
  const replied = collect('replied');
  const raised = await sim.control.raiseDeviceRequest('dock-002', { request_type: 'flighttask_resource_get', data: { flight_id: 'f-42' } });
  const msg = await replied.next();
  assert.equal(msg.request_id, raised.request_id);
  assert.equal(msg.payload.reply_code, 'APPROVED');
  assert.equal(msg.payload.reply_source, 'manual');
  // The platform answers 202 and then publishes requests_reply over MQTT.
  const [reply] = await repliesAtDock(sim, 'dock-002', 'flighttask_resource_get');
  assert.ok(reply, 'the dock received the reply');
  assert.equal(reply.data.result, 0);
  assert.equal(reply.data.output.file.url, 'https://example.com/w.kmz');
});

test('replying to an unknown request is a catchable error naming the request; bad payload names the field', async () => {
  const flow = flowWith({
    sim,
    nodes: [
      { ...DJI_REQUEST_REPLY_DEFAULTS, id: 'rep', replyCode: 'code', replyCodeType: 'msg', payload: 'extra', payloadType: 'msg', wires: [['replied']] },
      { id: 'replied', type: 'helper' },
      { id: 'k1', type: 'catch', scope: ['rep'], uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ],
  });
  await helper.load(ALL_NODES, flow, credsFor(sim));
  const caught = collect('caught');
  const rep = helper.getNode('rep');
  rep.receive({ request_id: '11111111-2222-3333-4444-555555555555', code: 'APPROVED' });
  const [notFound] = await caught.waitFor(1);
  assert.equal(notFound.error.message, 'The platform knows no device request 11111111-2222-3333-4444-555555555555: check the request_id');
  assert.equal(notFound.utmos_error.code, 'DEVICE_REQUEST_NOT_FOUND');
  assert.equal(notFound.utmos_error.http_status, 404);
  rep.receive({ request_id: 'x', code: 'APPROVED', extra: [1, 2] });
  rep.receive({ request_id: 'x', code: '' });
  rep.receive({ code: 'APPROVED' });
  const msgs = await caught.waitFor(4);
  const texts = msgs.slice(1).map((m) => m.error.message);
  assert.ok(texts.some((t) => /^Payload must be a JSON object/.test(t)));
  assert.ok(texts.some((t) => /^Reply code is required/.test(t)));
  assert.ok(texts.some((t) => /^Request ID is required/.test(t)));
  assert.deepEqual(
    msgs
      .slice(1)
      .map((m) => m.utmos_error.field)
      .sort(),
    ['payload', 'replyCode', 'requestId'],
  );
});
