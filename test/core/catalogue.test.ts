// DJI command catalogue: names and counts, templates, the editor JSON, the remote-debug marks and the
// annotations by domain.
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
  validateDjiPayload,
  type PayloadValidation,
} from '../../src/core/catalogue';
import { EXPECTED_COUNTS, UTMOS_CONFIRMED, method, failure } from './catalogue-helpers';

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
