// The one describer of received values, and the kind namer for "must be a JSON object" messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeKind, describeNonPlain, describeValue } from '../../src/core/describe-value';
import { english } from '../../src/core/text';

const say = (v: unknown) => english(describeValue(v));

test('values in a few words: strings quoted (long ones cut), numbers rounded, containers by kind', () => {
  assert.equal(say(undefined), 'nothing');
  assert.equal(say(null), 'null');
  assert.equal(say('dock-001'), '"dock-001"');
  assert.equal(say('x'.repeat(41)), `"${'x'.repeat(37)}..."`);
  assert.equal(say(2000), '2000');
  assert.equal(say(1 / 3), '0.333333');
  assert.equal(say(Infinity), 'Infinity');
  assert.equal(say(false), 'false');
  assert.equal(say(10n), '10n (a BigInt)');
  assert.equal(
    say(() => 1),
    'a function',
  );
  assert.equal(say(Symbol('s')), 'a symbol');
  assert.equal(say([1, 2, 3]), 'an array of 3');
  assert.equal(say({ a: 1 }), 'an object');
  const hostile = new Proxy([], {
    get: () => {
      throw new Error('no');
    },
  });
  assert.equal(say(hostile), 'an unreadable value');
});

test('the kind of a value where a plain object belongs', () => {
  assert.equal(english(describeKind('text')), 'string');
  assert.equal(english(describeKind(undefined)), 'undefined');
  assert.equal(english(describeKind(null)), 'null');
  assert.equal(english(describeKind([1])), 'an array');
  assert.equal(english(describeKind(new Date(0))), 'a Date object');
  assert.equal(english(describeKind(new Error('x'))), 'an Error object');
  assert.equal(english(describeNonPlain(Object.create(Object.create(null) as object) as object)), 'a non-plain object');
});
