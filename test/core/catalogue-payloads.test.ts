// Payload checks of the DJI command catalogue: required fields, ranges, enums and types, unknown
// methods and hostile input, each refused with an issue that names the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suggestMethods, validateDjiPayload } from '../../src/core/catalogue';
import { UTMOS_CONFIRMED, method, failure, withTemplate } from './catalogue-helpers';

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
