// DJI command catalogue: names and counts, payload schemas, error messages, robustness against
// hostile input, suggestions and the editor JSON; and that the committed generated file and the
// UTMOS-confirmed fields match the generator's inputs (src/core/catalogue/sources).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  DJI_DOMAINS,
  DJI_METHODS,
  DJI_METHOD_NAMES,
  catalogueForEditor,
  checkCommandPayload,
  commandTypeError,
  findDjiMethod,
  methodsByDomain,
  suggestMethods,
  validateDjiPayload,
  type DjiMethod,
  type FieldSpec,
  type PayloadValidation,
} from '../../src/core/catalogue';
import { GENERATED_PAYLOAD_SPECS } from '../../src/core/catalogue/payload-specs.generated';

const EXPECTED_COUNTS: Record<string, number> = {
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
const UTMOS_CONFIRMED: Record<string, string[]> = {
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

function method(name: string): DjiMethod {
  const m = findDjiMethod(name);
  assert.ok(m, `${name} should be in the catalogue`);
  return m;
}

type Issue = { path: string; message: string };

function failure(r: PayloadValidation): { issues: [Issue, ...Issue[]]; message: string } {
  assert.equal(r.ok, false, 'expected validation to fail');
  if (r.ok) throw new Error('unreachable');
  const [first, ...rest] = r.issues;
  assert.ok(first, 'expected at least one issue');
  assert.equal(typeof r.message, 'string');
  return { issues: [first, ...rest], message: r.message };
}

function withTemplate(name: string, change: (p: Record<string, unknown>) => void): Record<string, unknown> {
  const p = structuredClone(method(name).template) as Record<string, unknown>;
  change(p);
  return p;
}

// ---- names and structure -----------------------------------------------------------------

test('83 unique methods, per-domain counts as documented by UTMOS, order as in methods.ts', () => {
  assert.equal(DJI_METHODS.length, 83);
  assert.equal(new Set(DJI_METHODS.map((m) => m.method)).size, 83);
  const counts: Record<string, number> = {};
  for (const m of DJI_METHODS) counts[m.domain] = (counts[m.domain] ?? 0) + 1;
  assert.deepEqual(counts, EXPECTED_COUNTS);
  assert.deepEqual(
    DJI_METHODS.map((m) => [m.method, m.domain, m.nameSource]),
    DJI_METHOD_NAMES.map((m) => [m.method, m.domain, m.nameSource]),
  );
  // grouped by domain in DJI_DOMAINS order
  const domainOrder = DJI_METHODS.map((m) => DJI_DOMAINS.indexOf(m.domain));
  assert.deepEqual(
    domainOrder,
    [...domainOrder].sort((a, b) => a - b),
  );
});

test('methodsByDomain covers the 9 domains in order with the documented counts', () => {
  const groups = methodsByDomain();
  assert.deepEqual(
    groups.map((g) => g.domain),
    [...DJI_DOMAINS],
  );
  for (const g of groups) assert.equal(g.methods.length, EXPECTED_COUNTS[g.domain], g.domain);
});

test('findDjiMethod is exact and safe with odd names', () => {
  assert.equal(method('cover_open').summary.length > 0, true);
  assert.equal(findDjiMethod('COVER_OPEN'), undefined);
  assert.equal(findDjiMethod('__proto__'), undefined);
  assert.equal(findDjiMethod('constructor'), undefined);
  assert.equal(findDjiMethod('toString'), undefined);
  assert.equal(findDjiMethod(undefined as unknown as string), undefined);
});

test('payload sources: 18 utmos (17 confirmed + camera_photo_take), 64 dji, 1 unknown', () => {
  const by = (s: string) => DJI_METHODS.filter((m) => m.payloadSource === s).map((m) => m.method);
  assert.deepEqual(by('utmos').sort(), [...Object.keys(UTMOS_CONFIRMED), 'camera_photo_take'].sort());
  assert.equal(by('dji').length, 64);
  assert.deepEqual(by('unknown'), ['flight_areas_get']);
  const photo = method('camera_photo_take');
  assert.deepEqual(
    photo.fields.map((f) => [f.path, f.type, f.required]),
    [['payload_index', 'string', true]],
  );
});

test('every method has a one-line summary, a plain template, a schema and consistent fields', () => {
  for (const m of DJI_METHODS) {
    assert.ok(m.summary.length > 3 && m.summary.length <= 80 && !m.summary.includes('\n'), `${m.method} summary`);
    assert.ok(m.template && typeof m.template === 'object' && !Array.isArray(m.template), `${m.method} template`);
    assert.equal(typeof m.schema.safeParse, 'function');
    const paths = new Set(m.fields.map((f) => f.path));
    assert.equal(paths.size, m.fields.length, `${m.method} duplicate field paths`);
    for (const f of m.fields) {
      assert.ok(['string', 'integer', 'number', 'boolean', 'object', 'array'].includes(f.type), `${m.method}.${f.path} type`);
      if (f.min !== undefined && f.max !== undefined) assert.ok(f.min <= f.max, `${m.method}.${f.path} range`);
      // a nested path's parent is listed too
      const parent = f.path.replace(/(\[\]|\.[^.[\]]+)$/, '');
      if (parent !== f.path && !parent.endsWith('[]')) assert.ok(paths.has(parent), `${m.method}.${f.path} parent ${parent}`);
    }
    if (m.payloadSource === 'unknown') assert.equal(m.fields.length, 0);
  }
});

test('progress events come from the DJI protocol', () => {
  assert.equal(method('cover_open').progressEvent, 'cover_open');
  assert.equal(method('flighttask_execute').progressEvent, 'flighttask_progress');
  assert.equal(method('fileupload_start').progressEvent, 'fileupload_progress');
  assert.equal(method('camera_photo_take').progressEvent, 'camera_photo_take_progress');
  assert.equal(method('return_home').progressEvent, 'return_home_info');
  assert.equal(method('stick_control').progressEvent, null);
  assert.equal(method('debug_mode_open').progressEvent, null);
});

// ---- templates and valid payloads ---------------------------------------------------------

test('every template validates against its own schema and through validateDjiPayload', () => {
  for (const m of DJI_METHODS) {
    const direct = m.schema.safeParse(m.template);
    assert.ok(direct.success, `${m.method}: ${direct.success ? '' : direct.error.message}`);
    const r = validateDjiPayload(m.method, m.template);
    assert.ok(r.ok, `${m.method}: ${r.ok ? '' : r.message}`);
  }
});

test('templates use realistic values', () => {
  assert.deepEqual(method('camera_photo_take').template, { payload_index: '80-0-0' });
  assert.equal(method('camera_recording_start').template.payload_index, '80-0-0');
  assert.deepEqual(method('cover_open').template, {});
  assert.deepEqual(method('stick_control').template, { roll: 1024, pitch: 1024, throttle: 1024, yaw: 1024 });
  assert.match(String(method('live_start_push').template.video_id), /^[A-Z0-9]+\/\d+-\d+-\d+\/normal-0$/);
});

test('templates and field lists are frozen so callers cannot corrupt the catalogue', () => {
  const m = method('fly_to_point');
  assert.ok(Object.isFrozen(m.template));
  assert.ok(Object.isFrozen(m.fields));
  assert.throws(() => {
    (m.template as Record<string, unknown>).max_speed = 99;
  });
});

test('no-argument methods take {} and tolerate extra keys', () => {
  for (const name of ['cover_open', 'cover_close', 'debug_mode_open', 'return_home', 'flighttask_pause', 'drc_mode_exit']) {
    assert.ok(validateDjiPayload(name, {}).ok, name);
    assert.ok(validateDjiPayload(name, { vendor_extension: 1 }).ok, name);
  }
});

test('unknown-payload method accepts any object', () => {
  const m = method('flight_areas_get');
  assert.equal(m.payloadSource, 'unknown');
  for (const p of [{}, { anything: [1, 2, { x: 'y' }] }, { a: null, b: true, c: 'text' }]) {
    const r = validateDjiPayload('flight_areas_get', p);
    assert.ok(r.ok, JSON.stringify(p));
    if (r.ok) assert.deepEqual(r.payload, p);
  }
  failure(validateDjiPayload('flight_areas_get', []));
});

test('UTMOS-confirmed payloads keep unknown extra keys (passthrough)', () => {
  const p = { ...method('speaker_play_volume_set').template, vendor_note: 'x' };
  const r = validateDjiPayload('speaker_play_volume_set', p);
  assert.ok(r.ok);
  if (r.ok) assert.equal(r.payload.vendor_note, 'x');
});

// ---- required fields ------------------------------------------------------------------------

test('each of the 17 UTMOS-confirmed methods rejects a missing required field, naming it', () => {
  for (const [name, required] of Object.entries(UTMOS_CONFIRMED)) {
    const m = method(name);
    assert.equal(m.payloadSource, 'utmos');
    for (const field of required) {
      const spec = m.fields.find((f) => f.path === field);
      assert.ok(spec && spec.required, `${name}.${field} should be required`);
      const payload = withTemplate(name, (p) => delete p[field]);
      const r = failure(validateDjiPayload(name, payload));
      const issue = r.issues.find((i) => i.path === `payload.${field}`);
      assert.ok(issue, `${name}: issue for ${field} in ${r.message}`);
      assert.match(issue.message, new RegExp(`^payload\\.${field} is required \\(`));
      assert.ok(r.message.includes(`payload.${field} is required`), r.message);
    }
    if (required.length === 0) assert.ok(validateDjiPayload(name, {}).ok, name);
  }
});

test('missing payload_index message says what to send', () => {
  const r = failure(validateDjiPayload('camera_recording_start', {}));
  assert.match(r.issues[0].message, /^payload\.payload_index is required \(string, camera enumeration like "80-0-0"/);
  const photo = failure(validateDjiPayload('camera_photo_take', {}));
  assert.equal(photo.issues[0].path, 'payload.payload_index');
});

test('nested required fields (from DJI) apply when their parent is present', () => {
  const r = failure(
    validateDjiPayload(
      'flighttask_prepare',
      withTemplate('flighttask_prepare', (p) => (p.file = { url: 'https://x/y.kmz' })),
    ),
  );
  assert.deepEqual(
    r.issues.map((i) => i.path),
    ['payload.file.fingerprint'],
  );
  // optional parent absent: its members are not required
  assert.ok(
    validateDjiPayload(
      'flighttask_prepare',
      withTemplate('flighttask_prepare', (p) => delete p.break_point),
    ).ok,
  );
  const bp = failure(
    validateDjiPayload(
      'flighttask_prepare',
      withTemplate('flighttask_prepare', (p) => (p.break_point = { index: 1 })),
    ),
  );
  assert.ok(bp.issues.some((i) => i.path === 'payload.break_point.state'));
});

test('flighttask_prepare: ready_conditions required for task_type 2, execute_time per UTMOS', () => {
  const conditional = withTemplate('flighttask_prepare', (p) => (p.task_type = 2));
  const r = failure(validateDjiPayload('flighttask_prepare', conditional));
  assert.deepEqual(
    r.issues.map((i) => i.path),
    ['payload.ready_conditions'],
  );
  assert.match(r.issues[0].message, /ready_conditions is required when task_type is 2/);
  conditional.ready_conditions = { battery_capacity: 80, begin_time: 1767225600000, end_time: 1767232800000 };
  assert.ok(validateDjiPayload('flighttask_prepare', conditional).ok);
  // task types 0/1 need execute_time (UTMOS requires it for every type)
  const timed = withTemplate('flighttask_prepare', (p) => {
    p.task_type = 1;
    delete p.execute_time;
  });
  assert.ok(failure(validateDjiPayload('flighttask_prepare', timed)).issues.some((i) => i.path === 'payload.execute_time'));
  // the conditional rule is reported alongside other problems
  const both = withTemplate('flighttask_prepare', (p) => {
    p.task_type = 2;
    p.rth_altitude = 5;
  });
  assert.deepEqual(
    failure(validateDjiPayload('flighttask_prepare', both))
      .issues.map((i) => i.path)
      .sort(),
    ['payload.ready_conditions', 'payload.rth_altitude'],
  );
});

// ---- ranges, enums, types ---------------------------------------------------------------

test('range errors name the field, the allowed range and the value', () => {
  const roll = failure(validateDjiPayload('stick_control', { roll: 2000, pitch: 1024, throttle: 1024, yaw: 1024 }));
  assert.equal(roll.issues.length, 1);
  assert.equal(roll.issues[0].path, 'payload.roll');
  assert.match(roll.issues[0].message, /^payload\.roll must be an integer between 364 and 1684 \(got 2000\)/);
  assert.ok(validateDjiPayload('stick_control', { roll: 364, pitch: 1684, throttle: 1024, yaw: 1024 }).ok);
  failure(validateDjiPayload('stick_control', { roll: 363, pitch: 1024, throttle: 1024, yaw: 1024 }));

  const vol = failure(validateDjiPayload('speaker_play_volume_set', { psdk_index: 0, index: 0, play_volume: 150 }));
  assert.match(vol.issues[0].message, /^payload\.play_volume must be an integer between 0 and 100 \(got 150\)/);
  assert.ok(validateDjiPayload('speaker_play_volume_set', { psdk_index: 0, index: 0, play_volume: 100 }).ok);
  failure(validateDjiPayload('speaker_play_volume_set', { psdk_index: 0, index: 0, play_volume: -1 }));
});

test('DJI ranges and enums for the important methods', () => {
  const bad: Array<[string, (p: Record<string, unknown>) => void, string]> = [
    ['takeoff_to_point', (p) => (p.target_latitude = 91), 'payload.target_latitude'],
    ['takeoff_to_point', (p) => (p.max_speed = 16), 'payload.max_speed'],
    ['takeoff_to_point', (p) => (p.rc_lost_action = 3), 'payload.rc_lost_action'],
    ['takeoff_to_point', (p) => (p.commander_flight_height = 3001), 'payload.commander_flight_height'],
    ['fly_to_point', (p) => (p.points = []), 'payload.points'],
    ['fly_to_point', (p) => ((p.points as [Record<string, unknown>])[0].longitude = 181), 'payload.points[0].longitude'],
    ['fly_to_point', (p) => delete (p.points as [Record<string, unknown>])[0].height, 'payload.points[0].height'],
    ['live_start_push', (p) => (p.url_type = 2), 'payload.url_type'],
    ['live_start_push', (p) => (p.video_quality = 5), 'payload.video_quality'],
    ['live_lens_change', (p) => (p.video_type = 'tele'), 'payload.video_type'],
    ['flighttask_prepare', (p) => (p.rth_altitude = 1501), 'payload.rth_altitude'],
    ['flighttask_prepare', (p) => (p.task_type = 3), 'payload.task_type'],
    ['camera_mode_switch', (p) => (p.payload_index = '80-0'), 'payload.payload_index'],
    ['camera_focal_length_set', (p) => (p.camera_type = 'tele'), 'payload.camera_type'],
    ['drc_mode_enter', (p) => (p.osd_frequency = 31), 'payload.osd_frequency'],
    ['air_conditioner_mode_switch', (p) => (p.action = 4), 'payload.action'],
    ['ota_create', (p) => ((p.devices as [Record<string, unknown>])[0].firmware_upgrade_type = 1), 'payload.devices[0].firmware_upgrade_type'],
  ];
  for (const [name, change, field] of bad) {
    const r = failure(validateDjiPayload(name, withTemplate(name, change)));
    const issue = r.issues.find((i) => i.path === field);
    assert.ok(issue, `${name}: expected an issue at ${field}, got ${r.message}`);
    assert.ok(issue.message.startsWith(field), issue.message);
  }
  const lens = failure(
    validateDjiPayload(
      'live_start_push',
      withTemplate('live_start_push', (p) => (p.url_type = 2)),
    ),
  );
  assert.match(lens.issues[0].message, /must be one of 0, 1, 3, 4 \(got 2\)/);
});

test('type errors say what type is expected and what was received', () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['camera_recording_start', { payload_index: 80 }, 'payload.payload_index', /must be a string.*\(got 80\)/],
    ['stick_control', { roll: '1024', pitch: 1024, throttle: 1024, yaw: 1024 }, 'payload.roll', /must be an integer.*\(got "1024"\)/],
    ['stick_control', { roll: 1024.5, pitch: 1024, throttle: 1024, yaw: 1024 }, 'payload.roll', /must be an integer/],
    ['camera_screen_split', { payload_index: '80-0-0', enable: 'yes' }, 'payload.enable', /must be a boolean/],
    ['flighttask_undo', { flight_ids: 'abc' }, 'payload.flight_ids', /must be an array/],
    ['flighttask_undo', { flight_ids: [1] }, 'payload.flight_ids[0]', /must be a non-empty string/],
    ['fileupload_start', { ...method('fileupload_start').template, credentials: 'secret' }, 'payload.credentials', /must be an object/],
    ['fileupload_start', { ...method('fileupload_start').template, credentials: [] }, 'payload.credentials', /must be an object/],
    ['live_start_push', { ...method('live_start_push').template, video_quality: NaN }, 'payload.video_quality', /finite number/],
  ];
  for (const [name, payload, field, pattern] of cases) {
    const r = failure(validateDjiPayload(name, payload));
    const issue = r.issues.find((i) => i.path === field);
    assert.ok(issue, `${name}: expected ${field} in ${r.message}`);
    assert.match(issue.message, pattern);
  }
});

test('non-object payloads are rejected with a hint to send {}', () => {
  for (const p of [[], null, 'cover', 42, true, undefined, [{}]]) {
    const r = failure(validateDjiPayload('cover_open', p));
    assert.equal(r.issues[0].path, 'payload');
    assert.match(r.issues[0].message, /^payload must be a JSON object; send \{\} when the command takes no parameters \(got /);
  }
  for (const name of ['flight_areas_get', 'stick_control', 'fly_to_point']) failure(validateDjiPayload(name, []));
  failure(validateDjiPayload('cover_open', new Date()));
  failure(validateDjiPayload('cover_open', new Map()));
  failure(validateDjiPayload('cover_open', Buffer.from('{}')));
});

// ---- unknown methods ----------------------------------------------------------------------

test('unknown method: command_type issue with close names', () => {
  const r = failure(validateDjiPayload('cover_opn', {}));
  assert.equal(r.issues[0].path, 'command_type');
  assert.match(r.message, /command_type "cover_opn"/);
  assert.match(r.message, /did you mean cover_open/);
  assert.equal(suggestMethods('cover_opn')[0], 'cover_open');
  assert.equal(suggestMethods('Cover-Open')[0], 'cover_open');
  assert.equal(suggestMethods('live_start_psuh')[0], 'live_start_push');
  assert.ok(suggestMethods('photo_take').includes('camera_photo_take'));
  assert.deepEqual(suggestMethods('qqqqqqqqqqqqqqqq'), []);
  assert.ok(suggestMethods('camera', 2).length <= 2);
  assert.deepEqual(suggestMethods('cover_open', 0), []);
  // odd command types never throw
  for (const bad of [undefined, null, 42, {}, '', '__proto__', 'x'.repeat(100_000)]) {
    const res = failure(validateDjiPayload(bad as string, {}));
    assert.equal(res.issues[0].path, 'command_type');
    assert.ok(res.message.length < 500);
  }
  assert.deepEqual(suggestMethods(undefined as unknown as string), []);
});

// ---- hostile input ------------------------------------------------------------------------

test('__proto__, cyclic, deep, huge and exotic inputs return issues instead of throwing', () => {
  const proto = JSON.parse('{"payload_index":"80-0-0","__proto__":{"polluted":true}}');
  const p = failure(validateDjiPayload('camera_photo_take', proto));
  assert.equal(p.issues[0].path, 'payload.__proto__');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const nested = JSON.parse('{"a":{"__proto__":{"x":1}}}');
  assert.equal(failure(validateDjiPayload('flight_areas_get', nested)).issues[0].path, 'payload.a.__proto__');

  const cyclic: Record<string, unknown> = { payload_index: '80-0-0' };
  cyclic.self = cyclic;
  assert.match(failure(validateDjiPayload('camera_photo_take', cyclic)).message, /cyclic/);
  const arr: unknown[] = [];
  arr.push(arr);
  assert.match(failure(validateDjiPayload('flight_areas_get', { arr })).message, /cyclic/);
  // shared (non-cyclic) references are fine
  const shared = { x: 1 };
  assert.ok(validateDjiPayload('flight_areas_get', { a: shared, b: shared }).ok);

  let deep: Record<string, unknown> = {};
  const root = deep;
  for (let i = 0; i < 200_000; i++) {
    const next = {};
    deep.a = next;
    deep = next;
  }
  assert.match(failure(validateDjiPayload('cover_open', root)).message, /nested too deeply/);

  const huge = { list: Array.from({ length: 200_000 }, (_, i) => i) };
  assert.match(failure(validateDjiPayload('flight_areas_get', huge)).message, /too large/);

  const throwing = {};
  Object.defineProperty(throwing, 'boom', {
    enumerable: true,
    get() {
      throw new Error('getter exploded');
    },
  });
  assert.match(failure(validateDjiPayload('cover_open', throwing)).message, /could not be read/);
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  failure(validateDjiPayload('cover_open', revoked.proxy));

  for (const bad of [{ f: () => 1 }, { s: Symbol('x') }, { b: 1n }, { n: Infinity }]) failure(validateDjiPayload('flight_areas_get', bad));
  assert.ok(validateDjiPayload('flight_areas_get', Object.create(null)).ok);
});

test('issues for array items use concrete indices', () => {
  const p = withTemplate('ota_create', (x) => {
    const d = (x.devices as Record<string, unknown>[])[0];
    x.devices = [d, { ...d, sn: 5 }];
  });
  const r = failure(validateDjiPayload('ota_create', p));
  assert.equal(r.issues[0].path, 'payload.devices[1].sn');
  assert.match(r.issues[0].message, /^payload\.devices\[1\]\.sn must be a non-empty string \(got 5\)/);
});

test('validation is fast enough for the command hot path', () => {
  const payload = method('flighttask_prepare').template;
  const n = 20_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) validateDjiPayload('flighttask_prepare', payload);
  const perCallUs = Number(process.hrtime.bigint() - t0) / 1000 / n;
  assert.ok(perCallUs < 200, `validateDjiPayload took ${perCallUs.toFixed(1)} µs per call`);
});

// ---- editor -------------------------------------------------------------------------------

test('catalogueForEditor is plain JSON with 9 domains and every method', () => {
  const c = catalogueForEditor() as {
    domains: Array<{ domain: string; methods: Array<Record<string, unknown>> }>;
  };
  const text = JSON.stringify(c);
  assert.deepEqual(JSON.parse(text), c);
  assert.equal(c.domains.length, 9);
  assert.deepEqual(
    c.domains.map((d) => d.domain),
    [...DJI_DOMAINS],
  );
  const all = c.domains.flatMap((d) => d.methods);
  assert.equal(all.length, 83);
  for (const m of all) {
    for (const k of ['method', 'summary', 'needsDebugMode', 'nameSource', 'payloadSource', 'fields', 'template']) assert.ok(k in m, `${String(m.method)}.${k}`);
    assert.ok(!('schema' in m));
  }
  const vol = all.find((m) => m.method === 'speaker_play_volume_set') as { fields: Array<Record<string, unknown>> };
  assert.deepEqual(
    vol.fields.find((f) => f.path === 'play_volume'),
    {
      path: 'play_volume',
      type: 'integer',
      required: true,
      source: 'utmos',
      min: 0,
      max: 100,
      description: 'volume in percent (0-100)',
    },
  );
  // each call returns a fresh object
  (catalogueForEditor() as { domains: unknown[] }).domains.length = 0;
  assert.equal((catalogueForEditor() as { domains: unknown[] }).domains.length, 9);
});

test('the remote-debug commands (DJI 70.cmd jobs and the fill light) say they need debug mode; nothing else does', () => {
  // The dock refuses them outside remote debug mode with 514153 (DJI Cloud API, remote debugging).
  const needing = DJI_METHODS.filter((m) => m.needsDebugMode)
    .map((m) => m.method)
    .sort();
  assert.deepEqual(needing, [
    'charge_close',
    'charge_open',
    'cover_close',
    'cover_force_close',
    'cover_open',
    'device_format',
    'device_reboot',
    'drone_close',
    'drone_format',
    'drone_open',
    'putter_close',
    'putter_open',
    'supplement_light_close',
    'supplement_light_open',
  ]);
  for (const m of ['debug_mode_open', 'debug_mode_close', 'flighttask_prepare', 'camera_recording_start']) assert.equal(method(m).needsDebugMode, false, m);
  const editor = catalogueForEditor() as { domains: Array<{ methods: Array<{ method: string; needsDebugMode: boolean }> }> };
  const shown = editor.domains
    .flatMap((d) => d.methods)
    .filter((m) => m.needsDebugMode)
    .map((m) => m.method)
    .sort();
  assert.deepEqual(shown, needing, 'the editor catalogue carries the flag');
});

test('checkCommandPayload and commandTypeError: the checks dji-command makes, as input errors naming the field', () => {
  const ok = checkCommandPayload('camera_recording_start', { payload_index: '80-0-0' });
  assert.deepEqual(ok, { ok: true, payload: { payload_index: '80-0-0' } });
  const bad = checkCommandPayload('camera_recording_start', {});
  assert.equal(bad.ok, false);
  if (bad.ok) return;
  const v = failure(validateDjiPayload('camera_recording_start', {}));
  assert.equal(bad.error.message, `Bad payload for camera_recording_start: ${v.issues[0].message}`);
  assert.equal(bad.error.field, v.issues[0].path);
  assert.deepEqual(
    bad.error.problems?.map((p) => p.field),
    v.issues.map((i) => i.path),
  );
  assert.equal(bad.error.code, 'INVALID_INPUT');
  assert.equal(commandTypeError('cover_open'), undefined);
  // A well-formed name the catalogue lacks is the platform's to judge; only impossible names are refused.
  assert.equal(commandTypeError('cover_opne'), undefined);
  const malformed = commandTypeError('cover-open');
  assert.equal(malformed?.field, 'commandType');
  assert.equal(
    malformed?.message,
    'The command name "cover-open" is not a DJI method name (lower-case letters, digits and "_", like "cover_open"): did you mean cover_open?',
  );
  assert.match(commandTypeError('X'.repeat(100))?.message ?? '', /"X{63}…"/, 'a long name is clipped');
  // Without the schema (an uncatalogued method, or Check off) a payload only has to be plain JSON data.
  assert.deepEqual(checkCommandPayload('cover_opne', { any: [1, 'two'] }), { ok: true, payload: { any: [1, 'two'] } });
  assert.deepEqual(checkCommandPayload('camera_recording_start', {}, false), { ok: true, payload: {} });
  const notObject = checkCommandPayload('cover_opne', [1]);
  assert.equal(notObject.ok, false);
  if (!notObject.ok) {
    assert.equal(notObject.error.field, 'payload');
    assert.match(notObject.error.message, /^The payload must be a JSON object .*got an array\)$/);
  }
  const several = checkCommandPayload('flighttask_prepare', { task_type: 9 });
  assert.equal(several.ok, false);
  if (!several.ok) {
    const total = (validateDjiPayload('flighttask_prepare', { task_type: 9 }) as Extract<PayloadValidation, { ok: false }>).issues.length;
    assert.match(several.error.message, new RegExp(`^Bad payload for flighttask_prepare: payload\\.\\S+ .* \\(and ${total - 1} more problem\\(s\\)\\)$`));
    assert.equal(several.error.problems?.length, total);
  }
  const withDate = checkCommandPayload('camera_recording_start', { at: new Date(0) }, false);
  assert.equal(withDate.ok, false);
  if (!withDate.ok) assert.equal(withDate.error.field, 'payload.at');
});

// ---- annotations ---------------------------------------------------------------------------------

test('each domain file of annotations holds exactly the methods of its domain', () => {
  const files = fs.readdirSync(path.join(__dirname, '..', '..', 'src', 'core', 'catalogue', 'annotations')).filter((f) => /^[a-z]+\.js$/.test(f));
  const domains = files.map((f) => f.slice(0, -3)).filter((d) => d !== 'index' && d !== 'shared');
  assert.deepEqual([...domains].sort(), [...DJI_DOMAINS].sort());
  for (const domain of domains) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- one compiled file per domain, named at run time
    const mod = require(path.join(__dirname, '..', '..', 'src', 'core', 'catalogue', 'annotations', domain)) as Record<string, Record<string, unknown>>;
    const annotations = mod[`${domain.toUpperCase()}_ANNOTATIONS`];
    assert.ok(annotations, `annotations/${domain} exports ${domain.toUpperCase()}_ANNOTATIONS`);
    const annotated = Object.keys(annotations).sort();
    const expected = DJI_METHOD_NAMES.filter((n) => n.domain === domain)
      .map((n) => n.method)
      .sort();
    assert.deepEqual(annotated, expected, `annotations/${domain}.ts`);
  }
});

// ---- cross-check against the generator's inputs ------------------------------------------------

const repoRoot = path.resolve(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a script of the repository, outside the TypeScript build
const gen = require(path.join(repoRoot, 'scripts', 'gen-catalogue.js')) as {
  generate(dir: string): string;
  defaultSpecDir(): string;
};
const specDir = gen.defaultSpecDir();

test('committed payload-specs.generated.ts matches the generator output', () => {
  const committed = fs.readFileSync(path.join(repoRoot, 'src', 'core', 'catalogue', 'payload-specs.generated.ts'), 'utf8');
  assert.equal(gen.generate(specDir), committed, 'run node scripts/gen-catalogue.js');
  assert.equal(GENERATED_PAYLOAD_SPECS.length, 83);
});

test('UTMOS-confirmed fields keep the documented type and required flag', () => {
  const confirmed = JSON.parse(fs.readFileSync(path.join(specDir, 'dji-methods.json'), 'utf8')) as Array<{
    method: string;
    payload: Record<string, { type: string; required: boolean }>;
  }>;
  assert.equal(confirmed.length, 17);
  for (const c of confirmed) {
    const m = method(c.method);
    assert.equal(m.payloadSource, 'utmos', c.method);
    for (const [field, f] of Object.entries(c.payload)) {
      const spec = m.fields.find((x) => x.path === field);
      assert.ok(spec, `${c.method}.${field}`);
      assert.equal(spec.type, f.type, `${c.method}.${field} type`);
      assert.equal(spec.required, f.required, `${c.method}.${field} required`);
    }
    const topLevelRequired = m.fields.filter((x) => x.required && !/[.[]/.test(x.path)).map((x) => x.path);
    assert.deepEqual(
      topLevelRequired.sort(),
      Object.entries(c.payload)
        .filter(([, f]) => f.required)
        .map(([k]) => k)
        .sort(),
      `${c.method}: no extra required top-level fields beyond UTMOS`,
    );
  }
});

test('DJI-sourced methods carry the DJI fields with mapped types', () => {
  const services = JSON.parse(fs.readFileSync(path.join(specDir, 'dji-services.json'), 'utf8')) as Array<{
    method: string;
    data: Record<string, { type: string; required: boolean }>;
  }>;
  // The mapping as the generator's header documents it, written out here as the test's own oracle.
  const map: Record<string, string> = {
    text: 'string',
    enum_string: 'string',
    int: 'integer',
    enum_int: 'integer',
    float: 'number',
    double: 'number',
    bool: 'boolean',
    struct: 'object',
    array: 'array',
  };
  for (const s of services) {
    const m = findDjiMethod(s.method);
    if (!m || m.payloadSource !== 'dji') continue;
    for (const [p, f] of Object.entries(s.data)) {
      const spec: FieldSpec | undefined = m.fields.find((x) => x.path === p);
      assert.ok(spec, `${s.method}.${p}`);
      assert.equal(spec.type, map[f.type], `${s.method}.${p} type`);
    }
  }
});
