// Plain JSON data from any realm (vm contexts stand in for Node-RED function nodes) is accepted by
// every check that guards a payload; class instances, Maps, Dates and Buffers are not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { validateDjiPayload } from '../../src/core/catalogue';
import { checkJsonData, isPlainObject } from '../../src/core/plain-data';
import { CreateCommandRequestSchema, ReplyRequestSchema } from '../../src/core/schemas';

/** Evaluates `source` in a fresh vm context, as a function node does with its code. */
const otherRealm = (source: string): any => vm.runInNewContext(`(${source})`);

test('objects and arrays built in another realm are plain JSON data', () => {
  const payload = otherRealm('{ payload_index: "80-0-0", extra: { list: [{ a: 1 }, [2, { b: null }]] } }');
  assert.notEqual(Object.getPrototypeOf(payload), Object.prototype, 'the object really comes from another realm');
  assert.equal(isPlainObject(payload), true);
  assert.equal(isPlainObject(otherRealm('Object.create(null)')), true);
  assert.equal(checkJsonData(payload), undefined);
  const checked = validateDjiPayload('camera_recording_start', payload);
  assert.ok(checked.ok, checked.ok ? '' : checked.message);
  assert.ok(validateDjiPayload('cover_open', otherRealm('{}')).ok);
  assert.ok(
    CreateCommandRequestSchema.safeParse({ vendor: 'dji', device_id: 'dock-001', command_type: 'cover_open', payload: otherRealm('{}'), idempotency_key: 'k' })
      .success,
  );
  assert.ok(ReplyRequestSchema.safeParse({ reply_code: 'APPROVED', payload: otherRealm('{ file: { url: "u" } }') }).success);
});

test('class instances, Maps, Sets, Dates, Buffers and typed arrays are refused, from any realm, with a clear message', () => {
  class Sensor {
    reading = 1;
  }
  const cases: Array<[unknown, RegExp]> = [
    [new Sensor(), /payload\.x is a Sensor object, not plain JSON data/],
    [new Map([['a', 1]]), /payload\.x is a Map object/],
    [new Set([1]), /payload\.x is a Set object/],
    [new Date(0), /payload\.x is a Date object.*ISO string/],
    [Buffer.from('hi'), /payload\.x is a Buffer object.*base64/],
    [new Uint8Array(2), /payload\.x is a Uint8Array object/],
    [otherRealm('new Map()'), /payload\.x is a Map object/],
    [otherRealm('new Date(0)'), /payload\.x is a Date object/],
    [otherRealm('new (class Probe { constructor() { this.v = 1; } })()'), /payload\.x is a Probe object/],
  ];
  for (const [value, message] of cases) {
    assert.equal(isPlainObject(value), false, String(message));
    const issue = checkJsonData({ x: value });
    assert.ok(issue, `refused: ${String(message)}`);
    assert.equal(issue.path, 'payload.x');
    assert.match(issue.message, message);
    const checked = validateDjiPayload('flight_areas_get', { x: value });
    assert.equal(checked.ok, false);
    assert.equal(ReplyRequestSchema.safeParse({ reply_code: 'APPROVED', payload: value }).success, false);
  }
  for (const notObject of [null, [], 'text', 1, otherRealm('[]')]) assert.equal(isPlainObject(notObject), false);
});

test('checkJsonData names the root it was given', () => {
  assert.match(checkJsonData({ when: new Date(0) }, 'reply payload')?.message ?? '', /^reply payload\.when is a Date object/);
});

test('the one guard also refuses what cannot travel as UTF-8 JSON: lone surrogates, in values and keys', () => {
  assert.equal(checkJsonData({ s: 'a\uD83D\uDE00b' }), undefined, 'a surrogate pair is well-formed text');
  const value = checkJsonData({ list: ['ok', 'dock-\uD83D'] });
  assert.equal(value?.path, 'payload.list[1]');
  assert.equal(value?.text.key, 'json.loneSurrogate');
  const key = checkJsonData({ nested: { ['k\uDC00']: 1 } });
  assert.equal(key?.path, 'payload.nested');
  assert.equal(key?.text.key, 'json.keySurrogate');
});

test('a request body (no root name) is checked with its fields named bare, as the client reports them', () => {
  assert.equal(checkJsonData({ reply_code: 'APPROVED', payload: { s: '\uD800' } }, '')?.path, 'payload.s');
  assert.equal(checkJsonData({ reply_message: '\uDFFF' }, '')?.path, 'reply_message');
  assert.equal(checkJsonData({ ['\uD800']: 1 }, '')?.path, 'body');
  assert.equal(checkJsonData({ payload: JSON.parse('{"__proto__":{"x":1}}') }, '')?.path, 'payload.__proto__');
  assert.equal(checkJsonData({ payload: { n: NaN } }, '')?.message, 'payload.n must be a finite number (got NaN); JSON cannot carry it');
});

test('depth, size and cycles are bounded; shared references are fine', () => {
  let deep: Record<string, unknown> = {};
  const root = deep;
  for (let i = 0; i < 70; i++) deep = deep.next = {};
  assert.equal(checkJsonData(root)?.text.key, 'json.tooDeep');
  assert.equal(checkJsonData({ many: new Array(100_001).fill(0) })?.text.key, 'payload.tooLarge');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.equal(checkJsonData(cyclic)?.path, 'payload.self');
  const shared = { x: 1 };
  assert.equal(checkJsonData({ a: shared, b: [shared, shared] }), undefined);
  assert.equal(checkJsonData({ f: () => 1 })?.message, 'payload.f is a function, which is not JSON data; use a string, number, boolean, array or object');
});
