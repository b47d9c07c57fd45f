/**
 * What a user reads when things go wrong, in the real embedded Node-RED runtime (the package loaded
 * from its root) against the simulator in its own process, with the runtime's `lang` setting. Each
 * language runs in its own test file: Node-RED's i18n picks the language once per process.
 *
 * Flows as users build them: inject nodes with their defaults, a function node building a payload,
 * a Catch node, a Status node, debug nodes. Checked: the badge in words, the first line of the
 * failure (what happened, what to do), the details in msg.utmos_error, the warning when a failure
 * output is not wired, and that the log entry behind the debug sidebar is that readable line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DJI_COMMAND_DEFAULTS } from '../helpers/node-defs';
import { LOG_ERROR, LOG_WARN } from '../helpers/runtime-record';
import { Endpoint, Runtime, startRuntime } from '../helpers/runtime';
import { SimProcess, startSim } from '../helpers/simulator';

export interface ExpectedTexts {
  lang: 'en-US' | 'zh-CN';
  refusedLine: string;
  refusedBadge: string;
  waitingBadge: string;
  wrongDeviceLine: string;
  wrongDeviceBadge: string;
  unwiredWarning: string;
  badPayloadLine: RegExp;
  badPayloadBadge: string;
}

const CJK = /[\u4e00-\u9fff]/;

function flows(sim: Endpoint): any[] {
  const command = (id: string, props: Record<string, unknown>, wires: string[][]) => ({ id, z: 'tx', ...DJI_COMMAND_DEFAULTS, x: 400, ...props, wires });
  const inject = (id: string, to: string, y: number) => ({ id, z: 'tx', type: 'inject', props: [{ p: 'payload' }], payload: '', payloadType: 'date', x: 120, y, wires: [[to]] });
  const debug = (id: string, y: number) => ({ id, z: 'tx', type: 'debug', active: true, tosidebar: true, console: false, complete: 'true', x: 700, y, wires: [] });
  return [
    { id: 'tx', type: 'tab', label: 'texts' },
    { id: 'c1', type: 'utmos-config', name: 'sim', baseUrl: sim.http },
    // A dock that is not in remote debug mode refuses cover_open (DJI 514153).
    inject('i-refused', 'cmd-refused', 60),
    command('cmd-refused', { commandType: 'cover_open', y: 60 }, [['ok-refused'], ['failed-refused']]),
    debug('ok-refused', 40),
    debug('failed-refused', 80),
    // A serial number no dock has; output 2 deliberately not wired.
    inject('i-wrong', 'cmd-wrong', 160),
    command('cmd-wrong', { commandType: 'debug_mode_open', deviceId: 'dock-404', timeoutSeconds: 2, y: 160 }, [['ok-wrong'], []]),
    debug('ok-wrong', 160),
    // One bad flighttask_prepare payload with nine problems, built in a function node.
    inject('i-bad', 'fn-bad', 260),
    { id: 'fn-bad', z: 'tx', type: 'function', func: 'msg.payload = { task_type: 9, file: { url: 5 } };\nreturn msg;', outputs: 1, x: 260, y: 260, wires: [['cmd-bad']] },
    command('cmd-bad', { commandType: 'flighttask_prepare', payload: 'payload', payloadType: 'msg', y: 260 }, [['ok-bad'], ['failed-bad']]),
    debug('ok-bad', 240),
    debug('failed-bad', 280),
    { id: 'catch', z: 'tx', type: 'catch', scope: ['cmd-refused', 'cmd-wrong', 'cmd-bad'], uncaught: false, x: 400, y: 360, wires: [['caught']] },
    debug('caught', 360),
    { id: 'statuses', z: 'tx', type: 'status', scope: ['cmd-refused', 'cmd-wrong', 'cmd-bad'], x: 400, y: 440, wires: [['status-log']] },
    debug('status-log', 440),
  ];
}

export function runtimeTextScenario(expected: ExpectedTexts): void {
  describe(`runtime texts with lang ${expected.lang}`, () => {
    let sim: SimProcess;
    let rt: Runtime;

    const press = (id: string) => rt.press(id);
    const statusOf = (source: string, text: string) => (m: any) => m.status?.source?.id === source && m.status?.text === text;
    const logged = (level: number, id: string) => rt.logged(level, id);

    before(async () => {
      sim = await startSim({ docks: 1, replyDelayMs: 20 }, 'child process');
      const endpoint: Endpoint = { http: sim.http, mqtt: '', apiId: sim.apiId, apiKey: sim.apiKey };
      rt = await startRuntime({ flows: flows(endpoint), credentials: { c1: { apiId: sim.apiId, apiKey: sim.apiKey } }, settings: { lang: expected.lang } });
    });

    after(async () => {
      await rt?.stop();
      await sim?.close();
    });

    test('a command the dock refuses (DJI 514153): output 2 carries the described reason and all details; the badge says it in words', async () => {
      await press('i-refused');
      const [msg] = await rt.waitFor('failed-refused', 1, 20_000);
      assert.equal(msg.status, 'FAILED');
      assert.equal(msg.payload.response_code, '514153');
      assert.equal(msg.utmos_error.message, expected.refusedLine);
      assert.equal(msg.utmos_error.dji_code, 514153);
      assert.equal(msg.utmos_error.response_code, '514153');
      assert.equal(msg.utmos_error.status, 'FAILED');
      assert.equal(msg.utmos_error.command_id, msg.command_id);
      assert.equal(msg.utmos_error.device_id, 'dock-001');
      assert.equal(msg.utmos_error.command_type, 'cover_open');
      assert.ok(msg.utmos_error.dji_group, 'the code group is named');
      await rt.waitUntil('status-log', statusOf('cmd-refused', expected.refusedBadge), 5_000);
      assert.equal((rt.delivered.get('ok-refused') ?? []).length, 0);
      assert.equal(logged(LOG_WARN, 'cmd-refused').length, 0, 'a wired failure output needs no warning');
    });

    test('a serial number no device has: the badge says the command is not delivered yet, then the hint names a wrong serial number or an offline device', async () => {
      await press('i-wrong');
      await rt.waitUntil('status-log', statusOf('cmd-wrong', expected.waitingBadge), 10_000);
      await rt.waitUntil('status-log', statusOf('cmd-wrong', expected.wrongDeviceBadge), 30_000);
      const warnings = logged(LOG_WARN, 'cmd-wrong').map((l) => l.msg);
      assert.deepEqual(warnings, [expected.unwiredWarning], 'output 2 is not wired, so the failure is logged (and shown in the sidebar)');
      assert.equal((rt.delivered.get('ok-wrong') ?? []).length, 0);
    });

    test('one bad payload with nine problems: a short first line naming the first and counting the rest; every problem in msg.utmos_error; the sidebar gets that line as text', async () => {
      await press('i-bad');
      const msg = await rt.waitUntil('caught', (m) => m.error?.source?.id === 'cmd-bad', 10_000);
      const line: string = msg.error.message;
      assert.match(line, expected.badPayloadLine);
      assert.ok(line.length < 200, `first line is short (${line.length} characters)`);
      assert.equal(msg.utmos_error.message, line);
      assert.equal(msg.utmos_error.code, 'INVALID_INPUT');
      assert.equal(msg.utmos_error.field, 'payload.execute_time');
      const problems: Array<{ field: string; message: string }> = msg.utmos_error.problems;
      assert.equal(problems.length, 9);
      assert.deepEqual(
        problems.map((p) => p.field).sort(),
        [
          'payload.execute_time',
          'payload.exit_wayline_when_rc_lost',
          'payload.file.fingerprint',
          'payload.file.url',
          'payload.flight_id',
          'payload.out_of_control_action',
          'payload.rth_altitude',
          'payload.rth_mode',
          'payload.task_type',
        ],
      );
      for (const p of problems) {
        assert.ok(p.message.includes(p.field), `${p.field}: its message names it: ${p.message}`);
        if (expected.lang === 'zh-CN') assert.match(p.message, CJK, `${p.field}: in Chinese: ${p.message}`);
      }
      assert.ok(!line.includes(problems.find((p) => p.field === 'payload.task_type')!.message), 'later problems stay out of the first line');
      await rt.waitUntil('status-log', statusOf('cmd-bad', expected.badPayloadBadge), 5_000);

      // What the debug sidebar and the log show: the runtime's error entry is this line as text,
      // which the debug node encodes as a plain string (an Error would be an object, its message
      // cut at 30 characters and followed by the stack).
      const errors = logged(LOG_ERROR, 'cmd-bad');
      assert.equal(errors.length, 0, 'a Catch node handled it, so nothing is logged as uncaught');
      assert.equal(typeof msg.error.stack, 'undefined', 'no stack trace in msg.error');
      const sidebar = rt.RED.util.encodeObject({ msg: line });
      assert.equal(sidebar.format, `string[${line.length}]`);
      assert.equal(sidebar.msg, line);
    });

    test('the catalogue endpoint answers ?lang=zh-CN (and any zh-*) in Chinese, otherwise in English, whatever the runtime language', async () => {
      const read = async (query: string) => {
        const res = await rt.get(`utmos-dji/catalogue${query}`);
        assert.equal(res.status, 200, res.body);
        return (JSON.parse(res.body).domains as Array<{ methods: any[] }>).flatMap((d) => d.methods);
      };
      const zh = await read('?lang=zh-CN');
      const en = await read('');
      assert.equal(zh.length, 83);
      for (const m of zh) assert.match(m.summary, CJK, `${m.method}: ${m.summary}`);
      for (const m of en) assert.doesNotMatch(m.summary, CJK, `${m.method}: ${m.summary}`);
      assert.deepEqual(zh.map((m) => m.method), en.map((m) => m.method));
      const prepare = zh.find((m) => m.method === 'flighttask_prepare');
      assert.match(prepare.fields.find((f: any) => f.path === 'file.url').description, CJK);
      assert.deepEqual(await read('?lang=zh-TW'), zh);
      assert.deepEqual(await read('?lang=en-US'), en);
    });

    test('an uncaught failure is logged as its readable line, not as an error object', async () => {
      // Without the Catch node the same failure is uncaught: the runtime logs it (and the debug
      // node puts it in the sidebar) as given to done().
      const current = JSON.parse((await rt.get('flows')).body);
      const withoutCatch = (Array.isArray(current) ? current : current.flows).filter((n: any) => n.id !== 'catch');
      await rt.deploy(withoutCatch);
      const before = logged(LOG_ERROR, 'cmd-bad').length;
      const from = rt.logs.length;
      await press('i-bad');
      await rt.waitForLog((l) => l.level === LOG_ERROR && l.id === 'cmd-bad', 10_000, from);
      const entries = logged(LOG_ERROR, 'cmd-bad');
      assert.equal(entries.length, before + 1);
      const entry = entries[entries.length - 1];
      assert.equal(typeof entry.msg, 'string');
      assert.match(String(entry.msg), expected.badPayloadLine);
      const sidebar = rt.RED.util.encodeObject({ msg: entry.msg });
      assert.equal(sidebar.format, `string[${String(entry.msg).length}]`);
    });
  });
}
