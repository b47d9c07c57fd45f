// What the catalogue tests share: the documented counts, the UTMOS-confirmed required fields and
// small helpers to read a method, a failed validation and a changed template.
import assert from 'node:assert/strict';
import { findDjiMethod, type DjiMethod, type PayloadValidation } from '../../src/core/catalogue';

export const EXPECTED_COUNTS: Record<string, number> = {
  device: 21,
  camera: 17,
  drc: 12,
  wayline: 9,
  psdk: 10,
  safety: 5,
  live: 4,
  file: 4,
  firmware: 1,
};

// The 17 payloads confirmed by the UTMOS docs (src/core/catalogue/sources/dji-methods.json), required fields only.
export const UTMOS_CONFIRMED: Record<string, string[]> = {
  air_conditioner_mode_switch: ['action'],
  alarm_state_switch: ['action'],
  battery_maintenance_switch: ['action'],
  battery_store_mode_switch: ['action'],
  charge_close: [],
  charge_open: [],
  cover_close: [],
  cover_force_close: [],
  cover_open: [],
  debug_mode_close: [],
  camera_recording_start: ['payload_index'],
  stick_control: ['roll', 'pitch', 'throttle', 'yaw'],
  flighttask_prepare: ['execute_time', 'exit_wayline_when_rc_lost', 'file', 'flight_id', 'out_of_control_action', 'rth_altitude', 'task_type', 'rth_mode'],
  speaker_play_stop: ['psdk_index'],
  speaker_play_volume_set: ['psdk_index', 'index', 'play_volume'],
  live_start_push: ['url_type', 'url', 'video_id', 'video_quality'],
  fileupload_start: ['bucket', 'region', 'credentials', 'endpoint', 'provider', 'params'],
};

export function method(name: string): DjiMethod {
  const m = findDjiMethod(name);
  assert.ok(m, `${name} should be in the catalogue`);
  return m;
}

export type Issue = { path: string; message: string };

export function failure(r: PayloadValidation): { issues: [Issue, ...Issue[]]; message: string } {
  assert.equal(r.ok, false, 'expected validation to fail');
  if (r.ok) throw new Error('unreachable');
  const [first, ...rest] = r.issues;
  assert.ok(first, 'expected at least one issue');
  assert.equal(typeof r.message, 'string');
  return { issues: [first, ...rest], message: r.message };
}

export function withTemplate(name: string, change: (p: Record<string, unknown>) => void): Record<string, unknown> {
  const p = structuredClone(method(name).template) as Record<string, unknown>;
  change(p);
  return p;
}
