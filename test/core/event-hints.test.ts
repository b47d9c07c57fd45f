// The event stream's parser (hintFromEvent) and its settings on their own: what an event may name,
// what is ignored, and which broker URLs and topic lists are accepted. No broker is involved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EVENT_TOPICS, hintFromEvent, parseTopics, validateEventBrokerUrl } from '../../src/core/event-stream';
import { UtmosInputError } from '../../src/core/errors';

const event = (body: unknown) => Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
const TOPIC = 'tenant/t-1/command/c-1';

test('a command event names its command and the status it claims', () => {
  assert.deepEqual(hintFromEvent(TOPIC, event({ command_id: 'c-1', status: 'SUCCEEDED' })), {
    commandId: 'c-1',
    requestId: undefined,
    claimedStatus: 'SUCCEEDED',
    topic: TOPIC,
  });
  // public_status is preferred over status, as the tracker does.
  assert.equal(hintFromEvent(TOPIC, event({ command_id: 'c-1', status: 'DELIVERED', public_status: 'RUNNING' }))?.claimedStatus, 'RUNNING');
  assert.equal(hintFromEvent(TOPIC, event({ command_id: 'c-1' }))?.claimedStatus, undefined);
});

test('ids are read at the top level or under data, the top level first', () => {
  assert.equal(hintFromEvent(TOPIC, event({ event: 'command.succeeded', data: { command_id: 'c-2', public_status: 'SUCCEEDED' } }))?.commandId, 'c-2');
  assert.equal(hintFromEvent(TOPIC, event({ command_id: 'top', data: { command_id: 'inner' } }))?.commandId, 'top');
  const request = hintFromEvent('tenant/t-1/device_request/r-1', event({ data: { request_id: 'r-1' } }));
  assert.equal(request?.requestId, 'r-1');
  assert.equal(request?.commandId, undefined);
  assert.equal(request?.topic, 'tenant/t-1/device_request/r-1');
  // What the simulator's device_request.received carries: the device and the type, to skip fetches nobody wants.
  const received = hintFromEvent(
    'tenant/t-1/device_request/received',
    event({ event_type: 'device_request.received', request_id: 'r-2', device_id: 'dock-7', request_type: 'config' }),
  );
  assert.deepEqual([received?.requestId, received?.deviceId, received?.requestType], ['r-2', 'dock-7', 'config']);
});

test('anything else is not a hint: no ids, wrong types, odd sizes, not JSON', () => {
  const ignored: Array<[string, Buffer]> = [
    ['empty payload', Buffer.alloc(0)],
    ['not JSON', event('{command_id: c-1}')],
    ['a JSON string', event('"c-1"')],
    ['a JSON array', event([{ command_id: 'c-1' }])],
    ['null', event('null')],
    ['no ids', event({ status: 'SUCCEEDED' })],
    ['a numeric id', event({ command_id: 42 })],
    ['an empty id', event({ command_id: '' })],
    ['an id longer than 128 characters', event({ command_id: 'c'.repeat(129) })],
    ['data that is an array', event({ data: [{ command_id: 'c-1' }] })],
    ['more than 64 KiB', event({ command_id: 'c-1', pad: 'x'.repeat(64 * 1024) })],
  ];
  for (const [what, payload] of ignored) assert.equal(hintFromEvent(TOPIC, payload), undefined, what);
  assert.equal(hintFromEvent(TOPIC, event({ command_id: 'c'.repeat(128) }))?.commandId, 'c'.repeat(128), '128 characters are fine');
  // A claimed status of the wrong type is dropped, the id kept.
  assert.deepEqual(hintFromEvent(TOPIC, event({ command_id: 'c-1', status: 3 }))?.claimedStatus, undefined);
});

test('topics: a comma or line separated list, the defaults when empty', () => {
  assert.deepEqual(parseTopics(' a/+ ,\nb/#\n\n'), ['a/+', 'b/#']);
  assert.deepEqual(parseTopics(''), DEFAULT_EVENT_TOPICS);
  assert.deepEqual(parseTopics(undefined), DEFAULT_EVENT_TOPICS);
  assert.notEqual(parseTopics(undefined), DEFAULT_EVENT_TOPICS, 'a copy, not the shared list');
});

test('broker URLs: mqtt(s) and ws(s) only, never with a password', () => {
  for (const ok of ['mqtt://broker:1883', 'mqtts://broker.example.com:8883', 'ws://127.0.0.1:9001/mqtt', 'wss://broker/mqtt', 'mqtt://user@broker']) {
    assert.equal(validateEventBrokerUrl(ok).href.length > 0, true, ok);
  }
  for (const bad of ['http://broker', 'broker:1883', '', 'mqtt://user:secret@broker']) {
    assert.throws(
      () => validateEventBrokerUrl(bad),
      (e: unknown) => e instanceof UtmosInputError && e.field === 'eventBrokerUrl' && !e.message.includes('secret'),
      bad,
    );
  }
});
