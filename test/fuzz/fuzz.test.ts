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
import { FIELD_IDS, generate, snake, type Case } from './fuzz-cases';

const SEED = Number(process.env.FUZZ_SEED ?? 424242);
const TOTAL = Number(process.env.FUZZ_COUNT ?? 10_200);
const BATCH = 300;

const apiKey = randomBytes(32).toString('hex');
const eventPassword = `fuzz-evpw-${randomBytes(12).toString('hex')}`;
const sim = simulatorForFile({ docks: 2, replyDelayMs: 50, apiKey, mqttUsername: 'fuzz', mqttPassword: eventPassword });
nodeRedForFile();

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
      cmd('cmdJ', {
        deviceId: '$eval(expr)',
        deviceIdType: 'jsonata',
        commandType: '$error("fuzz: no such command " & $string(fz_i))',
        commandTypeType: 'jsonata',
      }),
      cmd('cmdBadTimeout', { timeoutSeconds: 2 ** 31 }),
      {
        id: 'wait',
        type: 'dji-status-wait',
        server: 'c1',
        commandId: 'command_id',
        commandIdType: 'msg',
        until: 'terminal',
        timeout: 'timeout',
        timeoutType: 'msg',
        wires: [['out'], ['out'], ['out']],
      },
      {
        id: 'waitJ',
        type: 'dji-status-wait',
        server: 'c1',
        commandId: 'command_id',
        commandIdType: 'msg',
        until: 'terminal',
        timeout: '$error("fuzz timeout " & $string(fz_i))',
        timeoutType: 'jsonata',
        wires: [['out'], ['out'], ['out']],
      },
      {
        id: 'reply',
        type: 'dji-request-reply',
        server: 'c1',
        requestId: 'request_id',
        requestIdType: 'msg',
        replyCode: 'code',
        replyCodeType: 'msg',
        replyMessage: 'text',
        replyMessageType: 'msg',
        payload: 'payload',
        payloadType: 'msg',
        wires: [['out']],
      },
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

const FIX_WORDS =
  /\b(must|required|set|use|remove|choose|pick|check|fix|convert|flatten|send|did you mean|e\.g\.|between|from \d|at most|at least|not allowed|not a DJI method)\b/i;

test(
  `fuzz: ${TOTAL} invalid messages (seed ${SEED}) end in one Catch error each, naming the field and the fix; nothing reaches the platform`,
  { timeout: 300_000 },
  async () => {
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
          const c = generate(r, i, SEED);
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
      await changes.until(
        () => markers.size === Object.keys(MARKERS).length,
        () => `an outcome for the marker of each node; got ${[...markers].join(', ')}`,
        20_000,
      );
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
        if (!c.fields.some((f) => f.test(text)))
          problems.push(`#${i} (${c.node}): error does not name ${c.fields.map(String).join(' or ')}: ${text.slice(0, 300)}`);
        else if (!FIX_WORDS.test(text)) problems.push(`#${i} (${c.node}): error names no fix: ${text.slice(0, 300)}`);
        else if (!ids.some((id) => [id, snake(id)].some((name) => field === name || field.startsWith(`${name}.`))))
          problems.push(`#${i} (${c.node}): msg.utmos_error.field is ${field}, not ${ids.join(' or ')}`);
      }
    }
    const summary = {
      total: TOTAL,
      seed: SEED,
      by_node: byNode,
      api_calls: after.total_calls - before.total_calls,
      stray,
      scanned_chars: scanner.scanned,
      problems: problems.length,
    };
    console.log(JSON.stringify(summary));
    assert.deepEqual(problems.slice(0, 15), [], `${problems.length} problem(s); reproduce with FUZZ_SEED=${SEED}`);
    assert.equal(stray, 0);
    assert.equal(after.total_calls - before.total_calls, 0, 'no request reached the platform for an invalid message');
    assert.equal(after.commands_created, before.commands_created);
    assert.deepEqual(scanner.hits, [], 'no secret in logs, statuses, errors or messages');
    assert.ok(Object.keys(byNode).length === 6, 'all six fuzzed nodes got messages');
  },
);
