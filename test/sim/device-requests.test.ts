// The simulator records device requests as the requests page (seed 002) shows them, answers some
// itself behind its auto-reply switch, and lists the docks' update_topo as an answered request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Simulator, startSimulator } from '../../sim';
import { Creds, control, signed, waitFor } from './helpers';

const DR = '/api/v1/open/device-requests';

describe('device requests in the documented shape', () => {
  let sim: Simulator;
  let c: Creds;
  before(async () => {
    sim = await startSimulator({ docks: 2, replyDelayMs: 10, autoReplyRequestTypes: ['storage_config_get'] });
    c = { base: sim.http, apiId: sim.apiId, apiKey: sim.apiKey };
  });
  after(() => sim.close());

  test('a request of an auto-reply type is answered by the platform: reply_source auto, a non-manual routing decision, a requests_reply to the dock', async () => {
    const { request_id } = await sim.control.raiseDeviceRequest('dock-001', { request_type: 'storage_config_get', data: { module: 0 } });
    const r = await signed(c, 'GET', `${DR}/${request_id}`);
    assert.equal(r.status, 200);
    const item = r.body;
    assert.equal(item.reply_source, 'auto');
    assert.notEqual(item.routing_decision, 'manual_reply_required');
    assert.notEqual(item.reply_code, 'PENDING');
    assert.ok(item.replied_at && !Number.isNaN(Date.parse(item.replied_at)));
    assert.equal(item.updated_at, item.replied_at);
    const dock = await waitFor(() => {
      const d = sim.control.getDock('dock-001') as { requests_replies_received: Array<{ method: string; data: { result: number } }> };
      return d.requests_replies_received.find((e) => e.method === 'storage_config_get');
    });
    assert.equal(dock.data.result, 0);
  });

  test('other types stay pending; the switch is set over /__sim/requests/auto-reply', async () => {
    const pending = await sim.control.raiseDeviceRequest('dock-001', { request_type: 'config', data: { scope: 'dock', items: ['network'] } });
    let item = (await signed(c, 'GET', `${DR}/${pending.request_id}`)).body;
    assert.equal(item.reply_code, 'PENDING');
    assert.equal(item.reply_source, 'manual');
    assert.equal(item.replied_at, null);

    const set = await control(sim.http, 'POST', '/__sim/requests/auto-reply', { request_types: ['config'] });
    assert.deepEqual(set.body, { request_types: ['config'] });
    assert.deepEqual((await control(sim.http, 'GET', '/__sim/requests/auto-reply')).body, { request_types: ['config'] });
    const auto = await sim.control.raiseDeviceRequest('dock-001', { request_type: 'config', data: { scope: 'dock', items: ['network'] } });
    item = (await signed(c, 'GET', `${DR}/${auto.request_id}`)).body;
    assert.equal(item.reply_source, 'auto');
    // the earlier request is not touched by the switch
    assert.equal((await signed(c, 'GET', `${DR}/${pending.request_id}`)).body.reply_code, 'PENDING');
    assert.equal((await control(sim.http, 'POST', '/__sim/requests/auto-reply', { request_types: 'config' })).status, 400);
    await control(sim.http, 'POST', '/__sim/requests/auto-reply', { request_types: [] });
  });

  test("each dock's update_topo is listed as an update_topo request with topo_version and topo_payload, answered by the platform", async () => {
    const r = await signed(c, 'GET', DR, { query: 'request_type=update_topo&device_id=dock-002' });
    assert.equal(r.status, 200);
    assert.ok(r.body.items.length >= 1, JSON.stringify(r.body));
    const item = r.body.items[0];
    assert.equal(typeof item.inbound_payload.topo_version, 'number');
    assert.equal(item.inbound_payload.topo_payload.sub_devices[0].sn, 'drone-002');
    assert.equal(item.reply_source, 'auto');
    assert.ok(item.replied_at);

    // a reconnect announces the topology again, with the next version
    await sim.control.configureDock('dock-002', { online: false });
    await sim.control.configureDock('dock-002', { online: true });
    const next = await waitFor(async () => {
      const list = await signed(c, 'GET', DR, { query: 'request_type=update_topo&device_id=dock-002' });
      return list.body.items.length > r.body.items.length ? list.body.items[0] : undefined;
    });
    assert.equal(next.inbound_payload.topo_version, item.inbound_payload.topo_version + 1);
  });
});
