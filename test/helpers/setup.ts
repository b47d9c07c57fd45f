/**
 * A test file's own setup, run once before its first test. Node 20 runs a top-level before() hook
 * as soon as it is registered, beside the others, not one after another; so the helpers and the
 * files queue their steps here and one before() runs them in order (the steps of a file are all
 * queued while it loads, before the first of them gets to finish). Teardown stays with after(),
 * which runs in order.
 */
import { before } from 'node:test';

const steps: Array<() => unknown> = [];

export function setUp(step: () => unknown): void {
  steps.push(step);
  if (steps.length > 1) return;
  before(async () => {
    for (let i = 0; i < steps.length; i++) await steps[i]();
  });
}
