// Bad input, fuzzed: 10,000+ generated invalid messages across dji-command, dji-status-wait and
// dji-request-reply in a real Node-RED runtime against the simulator. Seeded (FUZZ_SEED) so a
// failure reproduces. Every message is invalid in at least one field on purpose; the run asserts:
// the runtime never crashes, each message ends in exactly one output or one Catch error, the error
// text names a broken field and says what to do, the platform sees no request at all, and no
// secret appears in anything captured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ALL_NODES, connectionOf, flowWith, helper, nodeRedForFile } from '../helpers/harness';
import { simCounters, simulatorForFile } from '../helpers/simulator';
import { Changes, eventStreamState } from '../helpers/wait';
import { SecretScanner, prng } from '../reliability/capture';

const SEED = Number(process.env.FUZZ_SEED ?? 424242);
const TOTAL = Number(process.env.FUZZ_COUNT ?? 10_200);
const BATCH = 300;

const apiKey = randomBytes(32).toString('hex');
const eventPassword = `fuzz-evpw-${randomBytes(12).toString('hex')}`;
const sim = simulatorForFile({ docks: 2, replyDelayMs: 50, apiKey, mqttUsername: 'fuzz', mqttPassword: eventPassword });
nodeRedForFile();

type Gen = ReturnType<typeof prng>;

const LONE = ['\uD800', '\uDFFF', 'dock-\uD83D', '\uDC00abc', 'a\uD800b'];

function deep(depth: number, leaf: unknown = 1): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = { d: v };
  return v;
}

function cyclic(): Record<string, unknown> {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  return o;
}

/** Values that are not usable text/ids. */
function badText(r: Gen, maxLen: number): unknown {
  return r.pick<() => unknown>([
    () => undefined,
    () => null,
    () => '',
    () => '   ',
    () => NaN,
    () => Infinity,
    () => true,
    () => ({}),
    () => [],
    () => ['dock-001'],
    () => 'x'.repeat(maxLen + 1 + r.int(0, 5000)),
    () => r.pick(LONE),
    () => Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
    () => JSON.parse('{"__proto__":{"polluted":1}}'),
    () => ({ constructor: { prototype: { polluted: 1 } } }),
  ])();
}

function badPayload(r: Gen): unknown {
  return r.pick<() => unknown>([
    () => null,
    () => [],
    () => 'payload',
    () => 42,
    () => deep(r.int(65, 800)), // deeper than ~2,000 levels, Node-RED's own cloneMessage (lodash) overflows before any node runs
    () => JSON.parse('{"__proto__":{"polluted":true}}'),
    () => JSON.parse('{"a":{"__proto__":{"polluted":true}}}'),
    () => cyclic(),
    () => ({ s: r.pick(LONE) }),
    () => Buffer.alloc(16),
    () => new Date(),
  ])();
}

function badTimeout(r: Gen): unknown {
  return r.pick<() => unknown>([
    () => -1,
    () => 0,
    () => NaN,
    () => Infinity,
    () => -Infinity,
    () => 'soon',
    () => '',
    () => null,
    () => ({}),
    () => [60],
    () => true,
    () => 30 * 24 * 3600 + 1,
    () => 2 ** 31, // seconds: far beyond Node's 2^31-1 ms timer limit
    () => 1e308,
    () => '9'.repeat(400),
    () => r.pick(LONE),
  ])();
}

interface Case {
  node: string;
  msg: Record<string, unknown>;
  /** Patterns of which at least one must appear in the error text. */
  fields: RegExp[];
}

/**
 * How an error text may name each field: by the node dialog's label (what the user sees) or by
 * the property name. msg.utmos_error.field must be the field's own id (or a path under it).
 */
const F = {
  deviceId: /\bDevice\b|deviceId|device_id/,
  commandType: /\bCommand\b|[Cc]ommand name|commandType|command_type/,
  payload: /\b[Pp]ayload\b/,
  idempotencyKey: /Idempotency key|idempotencyKey|idempotency_key/,
  commandId: /Command ID|commandId|command_id/,
  timeout: /\bTimeout \(s\)|\btimeout\b/,
  requestId: /Request ID|requestId|request_id/,
  replyCode: /Reply code|replyCode|reply_code/,
  replyMessage: /\bMessage\b|replyMessage|reply_message/,
  timeoutSeconds: /\bTimeout\b|timeoutSeconds/,
};
const FIELD_IDS = new Map<RegExp, string>(Object.entries(F).map(([id, re]) => [re, id]));
/** The platform's name of a node property (replyCode -> reply_code), as core errors report it. */
const snake = (id: string | undefined) => String(id).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const REQUIRED_FIELD_COMMAND = 'camera_recording_start'; // needs payload_index

function generate(r: Gen, i: number): Case {
  const kind = r.int(0, 8);
  if (kind <= 3) {
    // dji-command: start from a valid message, break 1-3 fields.
    const msg: Record<string, unknown> = { device: 'dock-001', ctype: 'debug_mode_open', payload: {}, key: `fz-${SEED}-${i}` };
    const fields: RegExp[] = [];
    const breaks = new Set<number>();
    const n = r.int(1, 3);
    while (breaks.size < n) breaks.add(r.int(0, 4));
    for (const b of breaks) {
      if (b === 0) {
        msg.device = badText(r, 128);
        fields.push(F.deviceId);
      } else if (b === 1) {
        msg.ctype = r.pick<() => unknown>([
          () => badText(r, 64),
          // not DJI method names (a well-formed unknown name is sent: the platform decides on it)
          () => 'cover-opne',
          () => 'COVER_OPEN',
          () => '__proto__',
          () => 'constructor.prototype',
          () => 'toString',
          () => 'hasOwnProperty',
          () => 'drop table',
          () => 'x'.repeat(100),
        ])();
        fields.push(F.commandType);
      } else if (b === 2) {
        msg.payload = badPayload(r);
        fields.push(F.payload);
      } else if (b === 3) {
        // A command with a required argument, given a payload without it (maybe huge).
        msg.ctype = REQUIRED_FIELD_COMMAND;
        msg.payload = r.chance(0.05)
          ? { blob: 'z'.repeat(r.int(200_000, 1_500_000)) }
          : r.pick([{}, { payload_index: 7 }, { payload_index: 'bad' }, JSON.parse('{"constructor":{"x":1}}'), { payload_index: r.pick(LONE) }]);
        fields.push(F.payload, F.commandType);
      } else {
        msg.key = badText(r, 128);
        fields.push(F.idempotencyKey);
      }
    }
    // dji-command nodes: cmd (all from msg) or cmdJ (JSONata that throws for commandType)
    if (r.chance(0.15)) {
      msg.expr = r.pick(['$$$', '(', 'payload.', '$error("fuzz")', '"dock-001"', '$number("x")', '$eval("{")', '[1,2', '}}']);
      return { node: 'cmdJ', msg, fields: [F.deviceId, F.commandType] };
    }
    if (r.chance(0.05)) return { node: 'cmdBadTimeout', msg, fields: [F.timeoutSeconds] };
    return { node: 'cmd', msg, fields };
  }
  if (kind <= 5) {
    // dji-status-wait: an unusable command id and/or timeout (at least one of them).
    const msg: Record<string, unknown> = { command_id: '00000000-0000-4000-8000-000000000001', timeout: 5 };
    const fields: RegExp[] = [];
    const which = r.int(0, 2);
    if (which !== 1) {
      msg.command_id = r.pick<() => unknown>([
        () => badText(r, 128),
        () => 'a/b',
        () => '../../__sim/counters',
        () => 'id with space',
        () => 'id?x=1',
        () => '%2e%2e',
      ])();
      fields.push(F.commandId);
    }
    if (which !== 0) {
      msg.timeout = badTimeout(r);
      fields.push(F.timeout);
    }
    if (r.chance(0.1)) return { node: 'waitJ', msg, fields: [F.timeout, F.commandId] };
    return { node: 'wait', msg, fields };
  }
  // dji-request-reply: break 1-3 of request id, reply code, message, payload.
  const msg: Record<string, unknown> = { request_id: 'req-0001', code: 'APPROVED', text: 'ok', payload: { file: { url: 'x' } } };
  const fields: RegExp[] = [];
  const breaks = new Set<number>();
  const n = r.int(1, 3);
  while (breaks.size < n) breaks.add(r.int(0, 3));
  // The request id must be unusable or another field must be: ensure at least one is definitely bad.
  for (const b of breaks) {
    if (b === 0) {
      msg.request_id = r.pick<() => unknown>([() => badText(r, 128), () => 'a/b', () => 'r?x', () => 'r#1'])();
      fields.push(F.requestId);
    } else if (b === 1) {
      msg.code = r.pick<() => unknown>([() => undefined, () => '', () => null, () => ({}), () => [], () => 'X'.repeat(65 + r.int(0, 500)), () => true]);
      msg.code = typeof msg.code === 'function' ? (msg.code as () => unknown)() : msg.code;
      fields.push(F.replyCode);
    } else if (b === 2) {
      msg.text = r.pick<() => unknown>([() => ({}), () => 42, () => [], () => true, () => 'm'.repeat(1025 + r.int(0, 100_000))])();
      fields.push(F.replyMessage);
    } else {
      msg.payload = r.pick<() => unknown>([() => [], () => 'str', () => 42, () => true, () => cyclic(), () => JSON.parse('{"__proto__":{"p":1}}'), () => ({ s: r.pick(LONE) })])();
      fields.push(F.payload);
    }
  }
  return { node: 'reply', msg, fields };
}

function flow() {
  const cmd = (id: string, extra: Record<string, unknown>) => ({
    id,
    type: 'dji-command',
    server: 'c1',
    deviceId: 'device',
    deviceIdType: 'msg',
    commandType: 'ctype',
    commandTypeType: 'msg',
    payload: 'payload',
    payloadType: 'msg',
    idempotencyKey: 'key',
    idempotencyKeyType: 'msg',
    timeoutSeconds: 5,
    waitForResult: true,
    wires: [['out'], ['out']],
    ...extra,
  });
  return flowWith({
    sim,
    config: { eventBrokerUrl: sim.mqtt },
    nodes: [
      cmd('cmd', {}),
      cmd('cmdJ', { deviceId: '$eval(expr)', deviceIdType: 'jsonata', commandType: '$error("fuzz: no such command " & $string(fz_i))', commandTypeType: 'jsonata' }),
      cmd('cmdBadTimeout', { timeoutSeconds: 2 ** 31 }),
      { id: 'wait', type: 'dji-status-wait', server: 'c1', commandId: 'command_id', commandIdType: 'msg', until: 'terminal', timeout: 'timeout', timeoutType: 'msg', wires: [['out'], ['out'], ['out']] },
      { id: 'waitJ', type: 'dji-status-wait', server: 'c1', commandId: 'command_id', commandIdType: 'msg', until: 'terminal', timeout: '$error("fuzz timeout " & $string(fz_i))', timeoutType: 'jsonata', wires: [['out'], ['out'], ['out']] },
      { id: 'reply', type: 'dji-request-reply', server: 'c1', requestId: 'request_id', requestIdType: 'msg', replyCode: 'code', replyCodeType: 'msg', replyMessage: 'text', replyMessageType: 'msg', payload: 'payload', payloadType: 'msg', wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'k1', type: 'catch', scope: ['cmd', 'cmdJ', 'cmdBadTimeout', 'wait', 'waitJ', 'reply'], uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ],
  });
}

/** One more invalid message per fuzzed node, sent after the fuzzed ones. */
const MARKERS: Record<string, Record<string, unknown>> = {
  cmd: { device: '', ctype: 'debug_mode_open', payload: {}, key: 'marker' },
  cmdJ: { device: 'dock-001', ctype: 'debug_mode_open', payload: {}, key: 'marker' },
  cmdBadTimeout: { device: 'dock-001', ctype: 'debug_mode_open', payload: {}, key: 'marker' },
  wait: { command_id: '', timeout: 5 },
  waitJ: { command_id: '00000000-0000-4000-8000-000000000001' },
  reply: { request_id: '', code: 'APPROVED' },
};

const FIX_WORDS = /\b(must|required|set|use|remove|choose|pick|check|fix|convert|flatten|send|did you mean|e\.g\.|between|from \d|at most|at least|not allowed|not a DJI method)\b/i;

test(`fuzz: ${TOTAL} invalid messages (seed ${SEED}) end in one Catch error each, naming the field and the fix; nothing reaches the platform`, { timeout: 300_000 }, async () => {
  await helper.load(ALL_NODES, flow(), { c1: { apiId: sim.apiId, apiKey, eventUsername: 'fuzz', eventPassword } });
  const scanner = new SecretScanner([apiKey, eventPassword]);
  await eventStreamState(connectionOf());
  const before = await simCounters(sim);
  const r = prng(SEED);
  const cases = new Map<number, Case>();
  const seen = new Map<number, { outputs: number; errors: string[]; fields: unknown[] }>();
  let stray = 0;
  const markers = new Set<string>();
  const changes = new Changes();
  const record = (msg: any, error?: string) => {
    try {
      count(msg, error);
    } finally {
      changes.changed();
    }
  };
  const count = (msg: any, error?: string) => {
    if (typeof msg?.fz_marker === 'string') return void markers.add(msg.fz_marker);
    const i = msg?.fz_i;
    if (typeof i !== 'number') return void stray++;
    let s = seen.get(i);
    if (!s) seen.set(i, (s = { outputs: 0, errors: [], fields: [] }));
    if (error === undefined) s.outputs++;
    else {
      s.errors.push(error);
      s.fields.push(msg.utmos_error?.field);
    }
  };
  helper.getNode('out').on('input', (msg: any) => record(msg));
  helper.getNode('caught').on('input', (msg: any) => {
    record(msg, String(msg.error?.message ?? ''));
    scanner.add('caught error', { error: msg.error, utmos_error: msg.utmos_error });
  });
  let crashed: unknown;
  const onCrash = (err: unknown) => {
    crashed = err;
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const byNode: Record<string, number> = {};
  try {
    for (let start = 0; start < TOTAL; start += BATCH) {
      const end = Math.min(TOTAL, start + BATCH);
      for (let i = start; i < end; i++) {
        const c = generate(r, i);
        c.msg.fz_i = i;
        cases.set(i, { ...c, msg: {} });
        byNode[c.node] = (byNode[c.node] ?? 0) + 1;
        helper.getNode(c.node).receive(c.msg);
      }
      // Wait for this batch (bounded; what never ends is reported below), then scan and forget what the spies recorded.
      const batchDone = () => {
        for (let i = start; i < end; i++) if (!seen.has(i)) return false;
        return true;
      };
      await changes.until(batchDone, `batch at ${start}`, 20_000).catch(() => undefined);
      scanner.drainHelperSpies();
      assert.equal(crashed, undefined, `no uncaught exception or unhandled rejection (batch at ${start})`);
    }
    // A second outcome for any message would come before the outcome of one more bad message sent
    // to each node after them all.
    for (const [node, msg] of Object.entries(MARKERS)) helper.getNode(node).receive({ ...msg, fz_marker: node });
    await changes.until(() => markers.size === Object.keys(MARKERS).length, () => `an outcome for the marker of each node; got ${[...markers].join(', ')}`, 20_000);
  } finally {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
  scanner.drainHelperSpies();
  const after = await simCounters(sim);

  const problems: string[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const s = seen.get(i);
    const c = cases.get(i)!;
    if (!s) {
      problems.push(`#${i} (${c.node}): no output and no error`);
      continue;
    }
    if (s.outputs + s.errors.length !== 1) problems.push(`#${i} (${c.node}): ${s.outputs} outputs and ${s.errors.length} errors`);
    if (s.outputs > 0) problems.push(`#${i} (${c.node}): an invalid message produced an output`);
    const text = s.errors[0];
    if (text !== undefined) {
      const ids = c.fields.map((f) => FIELD_IDS.get(f));
      const field = String(s.fields[0]);
      if (!c.fields.some((f) => f.test(text))) problems.push(`#${i} (${c.node}): error does not name ${c.fields.map(String).join(' or ')}: ${text.slice(0, 300)}`);
      else if (!FIX_WORDS.test(text)) problems.push(`#${i} (${c.node}): error names no fix: ${text.slice(0, 300)}`);
      else if (!ids.some((id) => [id, snake(id)].some((name) => field === name || field.startsWith(`${name}.`)))) problems.push(`#${i} (${c.node}): msg.utmos_error.field is ${field}, not ${ids.join(' or ')}`);
    }
  }
  const summary = { total: TOTAL, seed: SEED, by_node: byNode, api_calls: after.total_calls - before.total_calls, stray, scanned_chars: scanner.scanned, problems: problems.length };
  console.log(JSON.stringify(summary));
  assert.deepEqual(problems.slice(0, 15), [], `${problems.length} problem(s); reproduce with FUZZ_SEED=${SEED}`);
  assert.equal(stray, 0);
  assert.equal(after.total_calls - before.total_calls, 0, 'no request reached the platform for an invalid message');
  assert.equal(after.commands_created, before.commands_created);
  assert.deepEqual(scanner.hits, [], 'no secret in logs, statuses, errors or messages');
  assert.ok(Object.keys(byNode).length === 6, 'all six fuzzed nodes got messages');
});
