// The scheduler's heap on its own: order, ties, emptiness and lazy deletion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MinHeap } from '../../src/core/min-heap';

/** A small deterministic generator (xorshift), so that a failure can be replayed. */
function numbers(seed: number, n: number, max: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return Math.abs(x) % max;
  });
}

test('pops in key order whatever the push order, duplicates included', () => {
  for (const seed of [1, 7, 42, 2026]) {
    const keys = numbers(seed, 500, 100);
    const heap = new MinHeap<{ k: number }>((i) => i.k);
    for (const k of keys) heap.push({ k });
    assert.equal(heap.size, keys.length);
    const out: number[] = [];
    for (let item = heap.pop(); item; item = heap.pop()) out.push(item.k);
    assert.deepEqual(
      out,
      [...keys].sort((a, b) => a - b),
      `seed ${seed}`,
    );
    assert.equal(heap.size, 0);
  }
});

test('peek shows the smallest without taking it; an empty heap gives undefined', () => {
  const heap = new MinHeap<number>((n) => n);
  assert.equal(heap.peek(), undefined);
  assert.equal(heap.pop(), undefined);
  for (const n of [5, 3, 9, 3, -1]) heap.push(n);
  assert.equal(heap.peek(), -1);
  assert.equal(heap.size, 5);
  assert.equal(heap.pop(), -1);
  assert.equal(heap.peek(), 3);
  heap.clear();
  assert.equal(heap.size, 0);
  assert.equal(heap.peek(), undefined);
});

test('interleaved pushes and pops keep the order (as the scheduler uses it)', () => {
  const heap = new MinHeap<number>((n) => n);
  const keys = numbers(9, 300, 1_000);
  const popped: number[] = [];
  let floor = -Infinity;
  keys.forEach((k, i) => {
    heap.push(Math.max(k, floor));
    if (i % 3 === 2) {
      const top = heap.pop() as number;
      assert.ok(top >= floor, 'never below what was already taken');
      floor = top;
      popped.push(top);
    }
  });
  assert.deepEqual(
    popped,
    [...popped].sort((a, b) => a - b),
  );
});

test('peekLive drops stale items on its way to the first live one, and leaves that one in place', () => {
  const heap = new MinHeap<{ k: number; live: boolean }>((i) => i.k);
  for (const [k, live] of [
    [1, false],
    [2, false],
    [3, true],
    [4, false],
    [5, true],
  ] as const)
    heap.push({ k, live });
  assert.equal(heap.peekLive((i) => i.live)?.k, 3);
  assert.equal(heap.size, 3, 'the two stale ones before it are gone');
  assert.equal(heap.pop()?.k, 3);
  assert.equal(heap.peekLive((i) => i.live)?.k, 5);
  assert.equal(
    heap.peekLive(() => false),
    undefined,
  );
  assert.equal(heap.size, 0);
});
