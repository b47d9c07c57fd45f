// dji-command in a real Node-RED runtime against the real simulator: bad input and platform
// errors end in one catchable error that names the field or the cause.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_NODES, collect, credsFor, helper } from '../helpers/harness';
import { djiCommandFile } from './dji-command-file';
import { simCounters } from '../helpers/simulator';

const { sim, flow } = djiCommandFile();

describe('bad input and platform errors reach Catch nodes', () => {
  test('payload validation errors name the field and nothing is sent', async () => {
    await helper.load(ALL_NODES, flow({ commandType: 'camera_recording_start', payload: '{}' }), credsFor(sim));
    const caught = collect('caught');
    const before = (await simCounters(sim)).total_calls;
    helper.getNode('n1').receive({ _msgid: 'm1' });
    const msg = await caught.next();
    assert.match(msg.error.message, /payload_index/);
    assert.equal(msg.utmos_error.code, 'INVALID_INPUT');
    assert.equal(msg.utmos_error.field, 'payload.payload_index');
    assert.equal((await simCounters(sim)).total_calls, before);
  });

  test('a command that is not a DJI method name is refused locally with suggestions; nothing is sent', async () => {
    await helper.load(ALL_NODES, flow({ commandType: 'Cover-Open' }), credsFor(sim));
    const caught = collect('caught');
    const before = (await simCounters(sim)).total_calls;
    helper.getNode('n1').receive({});
    const msg = await caught.next();
    assert.equal(msg.error.message, 'The command name "Cover-Open" is not a DJI method name (lower-case letters, digits and "_", like "cover_open"): did you mean cover_open?');
    assert.equal(msg.utmos_error.field, 'commandType');
    assert.equal((await simCounters(sim)).total_calls, before);
  });

  test('a DJI method name the catalogue lacks is sent (one warning per node); the platform\'s 400 UNSUPPORTED_COMMAND is a catchable error naming it, with suggestions', async () => {
    await helper.load(ALL_NODES, flow({ commandType: 'cover_opn', payload: '{"anything":[1,{"goes":true}]}' }), credsFor(sim));
    const caught = collect('caught');
    const creates = async () => (await simCounters(sim)).calls['POST /api/v1/open/downlink/commands'];
    const before = await creates();
    const n1 = helper.getNode('n1');
    n1.receive({});
    n1.receive({});
    const [first, second] = await caught.waitFor(2);
    assert.equal(await creates(), before + 2, 'both reached the platform');
    for (const msg of [first, second]) {
      assert.equal(
        msg.error.message,
        'The platform does not accept Command "cover_opn" for dock-001: check the method name (did you mean cover_open?), and that the dock model and firmware support it',
      );
      assert.ok(msg.utmos_error.platform_message, 'what the platform said is kept in the details');
      assert.equal(msg.utmos_error.code, 'UNSUPPORTED_COMMAND');
      assert.equal(msg.utmos_error.http_status, 400);
    }
    const warnings = n1.warn.getCalls().map((c: any) => c.args[0]);
    assert.deepEqual(
      warnings,
      ['cover_opn is not in the DJI command catalogue of this node: it is sent as it is, without payload checks. If the platform does not accept it, the command fails with UNSUPPORTED_COMMAND.'],
      'warned once, through i18n',
    );
    assert.ok(n1.status.calledWithMatch({ fill: 'red', text: 'command not supported' }));
  });

  test('a missing device id from msg names the field', async () => {
    await helper.load(ALL_NODES, flow({ deviceId: 'dock', deviceIdType: 'msg' }), credsFor(sim));
    const caught = collect('caught');
    helper.getNode('n1').receive({});
    const msg = await caught.next();
    assert.match(msg.error.message, /^Device is required: set it in the node or pass it in the message/);
    assert.equal(msg.utmos_error.field, 'deviceId');
  });

  test('a platform auth error carries code and request_id; the badge shows it', async () => {
    await helper.load(ALL_NODES, flow(), { c1: { apiId: sim.apiId, apiKey: 'not-the-key' } });
    const caught = collect('caught');
    helper.getNode('n1').receive({});
    const msg = await caught.next();
    assert.match(msg.error.message, /^The platform rejected the request signature: check the API ID and API key in the utmos-config node/);
    assert.equal(msg.utmos_error.code, 'SIGNATURE_INVALID');
    assert.equal(msg.utmos_error.http_status, 401);
    assert.match(msg.utmos_error.request_id, /\S+/);
    assert.equal(msg.utmos_error.message, msg.error.message);
    assert.ok(!JSON.stringify(msg).includes('not-the-key'));
    assert.ok(helper.getNode('n1').status.calledWithMatch({ fill: 'red', text: 'API key rejected' }));
  });

  test('retries exhausted on 5xx end in a catchable error', async () => {
    sim.control.addFault({ status: 503, count: 20, match: 'POST /api/v1/open/downlink/commands' });
    await helper.load(ALL_NODES, flow(), credsFor(sim));
    const caught = collect('caught');
    helper.getNode('n1').receive({});
    const msg = await caught.waitFor(1, 15_000).then((m) => m[0]);
    assert.match(msg.error.message, /^The platform had an internal error \(HTTP 503\) while sending the command, 4 attempt\(s\): retry later$/);
    assert.equal(msg.utmos_error.http_status, 503);
    assert.equal(msg.utmos_error.attempts, 4);
  });

  test('a config node with a plain-http remote baseUrl is refused: https is required except for loopback', async () => {
    await helper.load(ALL_NODES, flow({}, { baseUrl: 'http://example.com' }), credsFor(sim));
    const caught = collect('caught');
    assert.ok(helper.getNode('n1').status.calledWithMatch({ fill: 'red', text: 'connection config invalid' }));
    helper.getNode('n1').receive({});
    const msg = await caught.next();
    assert.match(msg.error.message, /^The UTMOS connection cannot be used: The base URL must use https:\/\//);
    assert.equal(msg.utmos_error.code, 'CONNECTION_INVALID');
  });

  test('a node without a config node fails each message clearly', async () => {
    const nodes = flow({ server: '' });
    await helper.load(ALL_NODES, nodes, credsFor(sim));
    const caught = collect('caught');
    helper.getNode('n1').receive({});
    const msg = await caught.next();
    assert.equal(msg.error.message, 'No UTMOS connection is selected: open the node and choose or create one');
    assert.equal(msg.utmos_error.code, 'NO_CONNECTION');
    assert.ok(helper.getNode('n1').status.calledWithMatch({ fill: 'red', text: 'no connection configured' }));
  });
});
