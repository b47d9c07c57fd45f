// The invalid messages of the fuzz test: generators of bad texts, payloads and timeouts, each case
// with the fields its error text may name (by dialog label or property name).
import type { prng } from '../reliability/capture';

export type Gen = ReturnType<typeof prng>;

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

export interface Case {
  node: string;
  msg: Record<string, unknown>;
  /** Patterns of which at least one must appear in the error text. */
  fields: RegExp[];
}

/**
 * How an error text may name each field: by the node dialog's label (what the user sees) or by
 * the property name. msg.utmos_error.field must be the field's own id (or a path under it).
 */
export const F = {
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
export const FIELD_IDS = new Map<RegExp, string>(Object.entries(F).map(([id, re]) => [re, id]));
/** The platform's name of a node property (replyCode -> reply_code), as core errors report it. */
export const snake = (id: string | undefined) => String(id).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const REQUIRED_FIELD_COMMAND = 'camera_recording_start'; // needs payload_index

export function generate(r: Gen, i: number, seed: number): Case {
  const kind = r.int(0, 8);
  if (kind <= 3) {
    // dji-command: start from a valid message, break 1-3 fields.
    const msg: Record<string, unknown> = { device: 'dock-001', ctype: 'debug_mode_open', payload: {}, key: `fz-${seed}-${i}` };
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
      msg.payload = r.pick<() => unknown>([
        () => [],
        () => 'str',
        () => 42,
        () => true,
        () => cyclic(),
        () => JSON.parse('{"__proto__":{"p":1}}'),
        () => ({ s: r.pick(LONE) }),
      ])();
      fields.push(F.payload);
    }
  }
  return { node: 'reply', msg, fields };
}
