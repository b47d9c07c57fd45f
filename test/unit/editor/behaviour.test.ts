// How each node's edit dialog behaves: its validators accept and refuse (with a translated
// message) what they should, its labels and its choices.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccepts, assertRejects, get, lookup, nodeThis, validate } from './editor-sandbox';

describe('editor files: behaviour of definitions', () => {
  it('utmos-config: base URL needs https unless the host is loopback', () => {
    const l = get('utmos-config');
    assertAccepts(l, 'baseUrl', [
      'https://dev.utmos.dev',
      'https://x',
      'http://127.0.0.1:8080',
      'http://127.10.20.30/api',
      'http://localhost:1880',
      'http://[::1]:8080',
      '  https://dev.utmos.dev/  ',
    ]);
    assertRejects(l, 'baseUrl', ['http://example.com', 'http://128.0.0.1', 'http://localhost.example.com', 'ftp://x', 'not a url', '']);
    assert.match(String(validate(l, 'baseUrl', 'http://example.com')), /https/);
  });

  it('utmos-config: event broker, topics, CA and limits', () => {
    const l = get('utmos-config');
    assertAccepts(l, 'eventBrokerUrl', ['', 'mqtt://127.0.0.1:1883', 'mqtts://broker.example.com:8883', 'ws://h/mqtt', 'wss://h']);
    assertRejects(l, 'eventBrokerUrl', ['http://h', 'tcp://h:1883', 'broker']);
    assertAccepts(l, 'eventTopics', ['tenant/+/command/+,tenant/+/device_request/+', 'a/#', '', 'x/y, z']);
    assertRejects(l, 'eventTopics', ['a/#/b', 'a/b+', 'a,,b']);
    assertAccepts(l, 'caCert', ['', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n']);
    assertRejects(l, 'caCert', ['hello', '-----BEGIN PRIVATE KEY-----']);
    assertAccepts(l, 'requestTimeout', [10, '1', '120', 2.5]);
    assertRejects(l, 'requestTimeout', [0, 121, 'x', '']);
    assertAccepts(l, 'maxRequestsPerSecond', [20, '1', 1000]);
    assertRejects(l, 'maxRequestsPerSecond', [0, 1001, 2.5]);
    assertAccepts(l, 'maxConcurrentRequests', [8, 1, '100']);
    assertRejects(l, 'maxConcurrentRequests', [0, 101, 1.5]);
    assert.match(String(validate(l, 'maxConcurrentRequests', 0)), /1.*100/, 'range interpolated into the message');
  });

  it('utmos-config: label is the name, else the host of the base URL', () => {
    const l = get('utmos-config');
    assert.equal(l.def.label.call(nodeThis(l.en, { name: '', baseUrl: 'https://dev.utmos.dev' })), 'dev.utmos.dev');
    assert.equal(l.def.label.call(nodeThis(l.en, { name: '', baseUrl: 'http://127.0.0.1:8080/x' })), '127.0.0.1:8080');
    assert.equal(l.def.label.call(nodeThis(l.en, { name: 'prod', baseUrl: 'https://dev.utmos.dev' })), 'prod');
  });

  it('dji-command: timeout, typed inputs, labels and the catalogue endpoint', () => {
    const l = get('dji-command');
    assertAccepts(l, 'timeoutSeconds', [30, '30', 1, 300]);
    assertRejects(l, 'timeoutSeconds', [0, 301, 2.5, '', 'abc', -5]);
    assertRejects(l, 'deviceId', ['', '  '], { deviceIdType: 'str' });
    assertAccepts(l, 'deviceId', ['DOCK-SN-001'], { deviceIdType: 'str' });
    assertAccepts(l, 'deviceId', ['device_id', 'payload.sn'], { deviceIdType: 'msg' });
    assertRejects(l, 'commandType', [''], { commandTypeType: 'str' });
    assertAccepts(l, 'commandType', ['cover_open'], { commandTypeType: 'str' });
    assertAccepts(l, 'payload', ['payload'], { payloadType: 'msg' });
    assertAccepts(l, 'payload', ['{"a":1}'], { payloadType: 'json' });
    assertRejects(l, 'payload', ['{'], { payloadType: 'json' });
    assertAccepts(l, 'payload', ['payload'], { payloadType: undefined });
    assertAccepts(l, 'idempotencyKey', [''], { idempotencyKeyType: 'auto' });
    assertAccepts(l, 'idempotencyKey', ['step_id'], { idempotencyKeyType: 'msg' });
    assertRejects(l, 'idempotencyKey', [''], { idempotencyKeyType: 'str' });

    const label = (props: Record<string, unknown>) => l.def.label.call(nodeThis(l.en, props));
    assert.equal(label({ name: 'open it', commandType: 'cover_open' }), 'open it');
    assert.equal(label({ name: '', commandType: 'cover_open' }), 'cover_open');
    assert.equal(label({ name: '', commandType: '' }), 'dji command');
    const out = (i: number, props: Record<string, unknown>) => l.def.outputLabels.call(nodeThis(l.en, props), i);
    assert.equal(out(0, { waitForResult: true }), 'succeeded');
    assert.equal(out(0, { waitForResult: false }), 'accepted');
    assert.equal(out(1, { waitForResult: true }), 'failed / timed out');

    assert.ok(l.code.includes("$.getJSON('utmos-dji/catalogue', { lang: RED.i18n.lang() })"), 'catalogue loaded with a relative admin URL, in the editor language');
    assert.ok(l.code.includes("url: 'utmos-dji/payload-check'"), 'static payloads are checked by the runtime');
    assert.match(l.code, /<optgroup>/, 'one optgroup per domain');
    assert.match(l.code, /templateFiller\(/, 'the shared template behaviour fills the payload');
    assert.doesNotMatch(l.code, /confirm\(/, 'no native confirm()');
    assert.match(l.code, /\.fail\(/, 'handles an unavailable endpoint');
  });

  it('dji-status-wait: until, timeout and output labels', () => {
    const l = get('dji-status-wait');
    assertAccepts(l, 'until', ['terminal', 'ACCEPTED', 'DELIVERED', 'RUNNING', 'SUCCEEDED', 'FAILED']);
    assertRejects(l, 'until', ['', 'not a status']);
    assertAccepts(l, 'timeout', ['60', 0.5, '3600'], { timeoutType: 'num' });
    assertRejects(l, 'timeout', ['0', '-1', 'abc', ''], { timeoutType: 'num' });
    assertAccepts(l, 'timeout', ['timeout'], { timeoutType: 'msg' });
    assertAccepts(l, 'commandId', ['command_id'], { commandIdType: 'msg' });
    assertRejects(l, 'commandId', [''], { commandIdType: 'str' });
    for (const u of ['terminal', 'ACCEPTED', 'DELIVERED', 'RUNNING', 'SUCCEEDED']) assert.ok(l.html.includes(`'${u}'`), `until offers ${u}`);
    const out = (i: number) => l.def.outputLabels.call(nodeThis(l.en, {}), i);
    assert.deepEqual([out(0), out(1), out(2)], ['reached / succeeded', 'failed', 'timed out (local)']);
  });

  it('dji-request-in: filters and poll interval', () => {
    const l = get('dji-request-in');
    assertAccepts(l, 'pollInterval', [5, '1', 3600]);
    assertRejects(l, 'pollInterval', [0, 3601, 'x', '']);
    assertAccepts(l, 'requestType', ['', 'config', 'flighttask_resource_get, config,update_topo']);
    assertRejects(l, 'requestType', ['a b', 'config,', ',config']);
    assertAccepts(l, 'vendor', ['dji']);
    assertRejects(l, 'vendor', ['d j i']);
    for (const t of ['flighttask_resource_get', 'config', 'update_topo', 'storage_config_get', 'airport_bind_status', 'flight_areas_get']) {
      assert.ok(l.template.includes(`<option value="${t}">`), `request type suggestion ${t}`);
    }
  });

  it('dji-request-reply: typed inputs', () => {
    const l = get('dji-request-reply');
    assertAccepts(l, 'requestId', ['request_id'], { requestIdType: 'msg' });
    assertRejects(l, 'requestId', [''], { requestIdType: 'str' });
    assertAccepts(l, 'replyCode', ['APPROVED', 'REJECTED'], { replyCodeType: 'str' });
    assertRejects(l, 'replyCode', [''], { replyCodeType: 'str' });
    assertAccepts(l, 'replyMessage', ['', 'ok'], { replyMessageType: 'str' });
    assertAccepts(l, 'payload', [''], { payloadType: 'none' });
    assertAccepts(l, 'payload', ['payload'], { payloadType: 'msg' });
  });

  it('dji-wayline: bucket, prefix, ranges from the WPML specification, choices and labels', () => {
    const l = get('dji-wayline');
    assertAccepts(l, 'bucket', ['tenant-media']);
    assertRejects(l, 'bucket', ['', '  ']);
    assertAccepts(l, 'objectKeyPrefix', ['waylines/', '', 'a/b/']);
    assertRejects(l, 'objectKeyPrefix', ['/waylines/', 'a/../b']);
    assertAccepts(l, 'speed', [10, '0.5', 15]);
    assertRejects(l, 'speed', [0, 15.5, 'fast', '']);
    assertAccepts(l, 'height', [60, -20, 1500]);
    assertRejects(l, 'height', [1501, 'x']);
    assertAccepts(l, 'takeOffSecurityHeight', [2, 1500]);
    assertRejects(l, 'takeOffSecurityHeight', [1, 1501]);
    assertAccepts(l, 'returnHomeHeight', [20, 1500]);
    assertRejects(l, 'returnHomeHeight', [19, 2000]);
    assertAccepts(l, 'urlLifetime', [1, 3600, '600']);
    assertRejects(l, 'urlLifetime', [0, 3601, 1.5]);
    assertAccepts(l, 'aircraft', ['M30', 'M30T', 'M3D', 'M3TD', 'M4D', 'M4TD']);
    assertRejects(l, 'aircraft', ['M300', '']);
    assertAccepts(l, 'finishAction', ['goHome', 'noAction', 'autoLand', 'gotoFirstWaypoint']);
    assertAccepts(l, 'lostLinkAction', ['goBack', 'landing', 'hover', 'continue']);
    assertRejects(l, 'lostLinkAction', ['panic']);
    for (const v of ['M30', 'M30T', 'M3D', 'M3TD', 'M4D', 'M4TD']) assert.ok(l.template.includes(`<option value="${v}"`), `aircraft ${v}`);
    for (const key of ['building', 'uploading', 'signing', 'ready', 'renewed', 'invalid']) {
      assert.equal(typeof lookup(l.en, `dji-wayline.status.${key}`), 'string', `status badge ${key} is translated`);
    }
    assert.equal(l.def.label.call(nodeThis(l.en, { name: '' })), 'dji wayline');
    assert.equal(l.def.outputLabels.call(nodeThis(l.en, {}), 0), 'wayline file URL and fingerprint');
  });
});
