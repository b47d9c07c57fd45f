// Unit test of the shared wait-outcome mapping (src/nodes/shared/wait-outcome.ts): how a finished
// or abandoned wait reads, for the cases the simulator cannot produce. English comes from the
// en-US catalogue here (no i18n runtime); the real runtime in both languages is in test/e2e.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UtmosNotFoundError } from '../../../src/core/errors';
import type { CommandStatus } from '../../../src/core/schemas';
import { runtimeTexts } from '../../../src/nodes/shared/i18n';
import type { RedApi } from '../../../src/nodes/shared/node-red';
import { applyOutcome, describeCommandFailure, waitingBadge } from '../../../src/nodes/shared/wait-outcome';

const texts = runtimeTexts({} as RedApi, 'dji-command');
const ctx = { commandId: 'c-1', deviceId: 'dock-7', commandType: 'cover_open', kind: 'command' as const, waitedSeconds: 60 };
const failed = (extra: Partial<CommandStatus>): CommandStatus => ({
  command_id: 'c-1',
  status: 'FAILED',
  device_id: 'dock-7',
  command_type: 'cover_open',
  accepted_at: '2025-01-01T00:00:00.000Z',
  completed_at: '2025-01-01T00:00:30.000Z',
  ...extra,
});

test('a known DJI code: its sentence and badge text, whatever the platform said', () => {
  const d = describeCommandFailure(texts, failed({ response_code: '514116', response_message: 'busy' }), 'FAILED', ctx);
  assert.equal(d.line, 'cover_open failed on dock-7: the dock is busy with another command; retry later');
  assert.equal(d.reason, 'dock busy');
  assert.equal(d.details.dji_code, 514116);
  assert.equal(d.details.response_message, 'busy');
});

test('a code the table does not know: the platform\'s message, else failure_reason, else the bare code with a pointer', () => {
  assert.equal(
    describeCommandFailure(texts, failed({ response_code: '399999', response_message: 'custom refusal' }), 'FAILED', ctx).line,
    'cover_open failed on dock-7 with DJI code 399999: custom refusal',
  );
  assert.equal(
    describeCommandFailure(texts, failed({ response_code: 399999, response_message: '', failure_reason: 'device said no' }), 'FAILED', ctx).line,
    'cover_open failed on dock-7 with DJI code 399999: device said no',
  );
  const bare = describeCommandFailure(texts, failed({ response_code: '399999', response_message: null }), 'FAILED', ctx);
  assert.equal(bare.line, 'cover_open failed on dock-7 with DJI code 399999, which this node does not describe: look the code up in the DJI Cloud API error codes');
  assert.equal(bare.reason, 'DJI code 399999');
  assert.equal(bare.details.response_code, '399999');
  assert.equal(bare.details.dji_code, undefined);
});

test('no code: the platform\'s reason, or a line saying none was given', () => {
  assert.equal(describeCommandFailure(texts, failed({ failure_reason: 'payload refused by adapter' }), 'FAILED', ctx).line, 'cover_open failed on dock-7: payload refused by adapter');
  const none = describeCommandFailure(texts, failed({}), 'FAILED', ctx);
  assert.equal(none.line, 'cover_open failed on dock-7 and the platform gave no reason: check the device, then retry');
  assert.equal(none.reason, 'no reason given');
});

test('TIMED_OUT: never delivered reads as a wrong serial number or an offline device; delivered without a reply says so too', () => {
  const never = describeCommandFailure(texts, failed({ status: 'TIMED_OUT', failure_code: 'DEVICE_TIMEOUT' }), 'TIMED_OUT', ctx);
  assert.equal(never.line, 'dock-7 did not receive cover_open within 30 s: the serial number may be wrong or the device offline; check the device id and that the device is online');
  assert.equal(never.reason, 'no answer from dock-7');
  assert.equal(never.details.code, 'DEVICE_TIMEOUT');
  const delivered = describeCommandFailure(texts, failed({ status: 'TIMED_OUT', delivered_at: '2025-01-01T00:00:01.000Z' }), 'TIMED_OUT', ctx);
  assert.equal(delivered.line, 'dock-7 did not answer cover_open within 30 s: the device may be offline or busy, or the serial number wrong; check the device, then retry');
  const noTimes = describeCommandFailure(texts, failed({ status: 'TIMED_OUT', accepted_at: null, completed_at: null }), 'TIMED_OUT', ctx);
  assert.match(noTimes.line, /^dock-7 did not receive cover_open in time: /);
});

test('other endings and unnamed devices', () => {
  const unmatched = describeCommandFailure(texts, failed({ status: 'UNMATCHED_RESPONSE', device_id: undefined, command_type: undefined }), 'UNMATCHED_RESPONSE', { commandId: 'c-1', kind: 'wait' });
  assert.equal(unmatched.line, "the device answered the command with a reply the platform could not match: check the device's state before sending the command again");
  assert.equal(describeCommandFailure(texts, failed({ status: 'CANCELLED' }), 'CANCELLED', ctx).reason, 'cancelled');
});

test('applyOutcome: a local deadline before delivery points at the serial number; the tracker\'s error object is passed on untouched', () => {
  const msg: Record<string, unknown> = {};
  const report = applyOutcome(texts, { kind: 'deadline', last: { command_id: 'c-1', status: 'ACCEPTED' } }, msg, ctx);
  assert.equal(report.route, 'timeout');
  assert.ok(report.route === 'timeout' && report.line.startsWith('dock-7 has not received cover_open within 60 s (still ACCEPTED): the serial number may be wrong'));
  assert.equal((msg.utmos_error as Record<string, unknown>).code, 'RESULT_TIMEOUT');
  assert.equal((msg.utmos_error as Record<string, unknown>).last_status, 'ACCEPTED');
  const error = new UtmosNotFoundError('gone', { code: 'COMMAND_NOT_FOUND', httpStatus: 404 });
  const before = error.message;
  const r = applyOutcome(texts, { kind: 'error', error }, {}, ctx);
  assert.ok(r.route === 'error' && r.error === error);
  assert.equal(error.message, before);
});

test('waiting badges: one command by device and progress, several by count', () => {
  assert.equal(waitingBadge(texts, [{ deviceId: 'dock-7', status: 'ACCEPTED' }]).text, 'waiting for dock-7 (not delivered yet)');
  assert.equal(waitingBadge(texts, [{ deviceId: 'dock-7', status: 'DELIVERED' }]).text, 'waiting for dock-7 (DELIVERED)');
  assert.equal(waitingBadge(texts, [{}]).text, 'waiting for the command');
  assert.equal(waitingBadge(texts, [{ status: 'ACCEPTED' }, { status: 'DELIVERED' }, {}]).text, 'waiting for 3 commands (1 not delivered yet)');
  assert.equal(waitingBadge(texts, [{ status: 'RUNNING' }, {}]).text, 'waiting for 2 commands');
});
