/**
 * Payloads built the way users build them (function node, function node via flow context, change
 * node with JSON and with JSONata, template node with parsed JSON output, JSONata in the node
 * itself) are accepted by dji-command and dji-request-reply exactly where the same object typed as
 * JSON is, and refused with the same text where it is not. Function nodes run in their own vm
 * context, so their objects come from another realm. Embedded Node-RED runtime, simulator process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { paletteDefaults } from '../helpers/palette';
import { LOG_WARN } from '../helpers/runtime-record';
import { Runtime, startRuntime } from '../helpers/runtime';
import { repliesAtDock, SimProcess, simControl, startSim } from '../helpers/simulator';

const BUILDERS = ['json', 'function', 'context', 'change-json', 'change-jsonata', 'template', 'jsonata'] as const;
type Builder = (typeof BUILDERS)[number];

/**
 * The nodes that put `value` into msg[prop] (or flow context) for `target`, the node that reads it.
 * Returns the builder nodes (first one is wired from the inject) and how the target reads the value.
 */
function build(builder: Builder, id: string, prop: string, value: unknown, target: string): { nodes: object[]; read: { value: string; type: string } } {
  const json = JSON.stringify(value);
  const wired = { z: 'tab1', wires: [[target]] };
  switch (builder) {
    case 'json':
      return { nodes: [], read: { value: json, type: 'json' } };
    case 'jsonata':
      return { nodes: [], read: { value: json, type: 'jsonata' } };
    case 'function':
      return { nodes: [{ id, type: 'function', func: `msg.${prop} = ${json};\nreturn msg;`, outputs: 1, ...wired }], read: { value: prop, type: 'msg' } };
    case 'context': {
      const key = `built_${id.replace(/\W/g, '_')}`;
      return { nodes: [{ id, type: 'function', func: `flow.set('${key}', ${json});\nreturn msg;`, outputs: 1, ...wired }], read: { value: key, type: 'flow' } };
    }
    case 'change-json':
    case 'change-jsonata':
      return {
        nodes: [{ id, type: 'change', rules: [{ t: 'set', p: prop, pt: 'msg', to: json, tot: builder === 'change-json' ? 'json' : 'jsonata' }], ...wired }],
        read: { value: prop, type: 'msg' },
      };
    case 'template':
      return {
        nodes: [{ id, type: 'template', field: prop, fieldType: 'msg', format: 'json', syntax: 'plain', template: json, output: 'json', ...wired }],
        read: { value: prop, type: 'msg' },
      };
  }
}

interface Case {
  name: string;
  value: unknown;
}

/** inject → builder → node under test → ok / Catch → caught; both also to `all`. Returns inject ids. */
function branches(kind: 'command' | 'reply', cases: Case[], requestIds: Record<string, string> = {}): { flows: object[]; injects: Array<{ id: string; builder: Builder; name: string }> } {
  const flows: object[] = [];
  const injects: Array<{ id: string; builder: Builder; name: string }> = [];
  for (const c of cases) {
    for (const b of BUILDERS) {
      const tag = `${kind}-${c.name}-${b}`;
      const target = `node-${tag}`;
      const built = build(b, `build-${tag}`, kind === 'command' ? 'payload' : 'reply', c.value, target);
      const requestId = requestIds[tag];
      flows.push({
        id: `inject-${tag}`,
        z: 'tab1',
        type: 'inject',
        props: requestId ? [{ p: 'request_id', v: requestId, vt: 'str' }] : [],
        repeat: '',
        once: false,
        wires: [[built.nodes.length ? `build-${tag}` : target]],
      });
      flows.push(...built.nodes);
      if (kind === 'command') {
        flows.push({
          id: target, z: 'tab1', type: 'dji-command', ...paletteDefaults('dji-command'), server: 'conn', deviceId: 'dock-001',
          commandType: 'ota_create', payload: built.read.value, payloadType: built.read.type, waitForResult: false,
          wires: [[`ok-${tag}`, 'all'], []],
        });
      } else {
        flows.push({
          id: target, z: 'tab1', type: 'dji-request-reply', ...paletteDefaults('dji-request-reply'), server: 'conn',
          payload: built.read.value, payloadType: built.read.type, wires: [[`ok-${tag}`, 'all']],
        });
      }
      flows.push({ id: `catch-${tag}`, z: 'tab1', type: 'catch', scope: [target], uncaught: false, wires: [[`caught-${tag}`, 'all']] });
      for (const sink of [`ok-${tag}`, `caught-${tag}`]) flows.push({ id: sink, z: 'tab1', type: 'debug', active: true, tosidebar: false, console: false, complete: 'true', wires: [] });
      injects.push({ id: `inject-${tag}`, builder: b, name: c.name });
    }
  }
  flows.push({ id: 'all', z: 'tab1', type: 'debug', active: true, tosidebar: false, console: false, complete: 'true', wires: [] });
  return { flows, injects };
}

/** What happened to one branch: 'ok' or the Catch error text. */
function outcome(rt: Runtime, tag: string): string {
  const ok = rt.delivered.get(`ok-${tag}`) ?? [];
  const caught = rt.delivered.get(`caught-${tag}`) ?? [];
  assert.equal(ok.length + caught.length, 1, `${tag}: exactly one result (${ok.length} ok, ${caught.length} caught)`);
  return ok.length ? 'ok' : String(caught[0].error.message);
}

describe('payloads from function, change, template nodes and JSONata, in the embedded runtime', () => {
  let sim: SimProcess;
  let rt: Runtime;
  const connection = () => ({ id: 'conn', type: 'utmos-config', ...paletteDefaults('utmos-config'), name: 'simulator', baseUrl: '' });
  before(async () => {
    sim = await startSim({ docks: 1, replyDelayMs: 20, osdIntervalMs: 0 }, 'child process');
    rt = await startRuntime({ flows: base(), credentials: { conn: { apiId: sim.apiId, apiKey: sim.apiKey } } });
  });
  after(async () => {
    await rt?.stop();
    await sim?.close();
  });
  const base = () => [{ id: 'tab1', type: 'tab', label: 'realms' }, { ...connection(), baseUrl: sim.http }];

  async function run(kind: 'command' | 'reply', cases: Case[], requestIds?: Record<string, string>): Promise<Map<string, string>> {
    const { flows, injects } = branches(kind, cases, requestIds);
    await rt.deploy([...base(), ...flows]);
    for (const inject of injects) await rt.press(inject.id);
    await rt.waitFor('all', injects.length, 30_000);
    return new Map(injects.map((i) => [`${kind}-${i.name}-${i.builder}`, outcome(rt, `${kind}-${i.name}-${i.builder}`)]));
  }

  test('dji-command payloads: accepted and refused exactly as the same object typed as JSON', async () => {
    const valid = { devices: [{ sn: 'dock-001', product_version: '10.01.0001', firmware_upgrade_type: 3, extra: { nested: [{ deep: true }] } }] };
    const invalid = { devices: [{ sn: 'dock-001', product_version: '10.01.0001' }] };
    const results = await run('command', [{ name: 'valid', value: valid }, { name: 'invalid', value: invalid }]);
    for (const b of BUILDERS) {
      assert.equal(results.get(`command-valid-${b}`), 'ok', `${b}: a valid payload is sent`);
      assert.equal(results.get(`command-invalid-${b}`), results.get('command-invalid-json'), `${b}: refused with the same text as typed JSON`);
    }
    assert.match(results.get('command-invalid-json')!, /payload\.devices\[0\]\.firmware_upgrade_type is required/);
    // what reached the platform is the payload itself, for every builder
    const commands = (await simControl(sim, 'GET', 'commands')).items.filter((c: any) => c.command_type === 'ota_create');
    assert.equal(commands.length, BUILDERS.length);
    for (const c of commands) assert.deepEqual(c.payload, valid);
  });

  test('dji-request-reply payloads: accepted and refused exactly as the same object typed as JSON; the dock gets the payload', async () => {
    const valid = { config_result: 'ok', items: [{ name: 'network', applied: true }] };
    const cases: Case[] = [{ name: 'valid', value: valid }, { name: 'array', value: [1, 2] }];
    const requestIds: Record<string, string> = {};
    for (const c of cases) {
      for (const b of BUILDERS) {
        const raised = await simControl(sim, 'POST', 'docks/dock-001/requests', { request_type: 'config', data: { scope: 'dock', items: ['network'] } });
        requestIds[`reply-${c.name}-${b}`] = raised.request_id;
      }
    }
    const results = await run('reply', cases, requestIds);
    for (const b of BUILDERS) {
      assert.equal(results.get(`reply-valid-${b}`), 'ok', `${b}: a valid reply payload is sent`);
      assert.equal(results.get(`reply-array-${b}`), results.get('reply-array-json'), `${b}: refused with the same text as typed JSON`);
    }
    assert.match(results.get('reply-array-json')!, /^Payload must be a JSON object such as \{"file":.*\(got an array\): choose "none" to send no payload$/);
    // The platform answers 202 and then publishes requests_reply over MQTT.
    const received = await repliesAtDock(sim, 'dock-001', 'config', BUILDERS.length);
    assert.equal(received.length, BUILDERS.length);
    for (const r of received) assert.deepEqual(r.data, { result: 0, output: valid });
  });

  test('a method the catalogue lacks: one translated warning per node, the platform\'s UNSUPPORTED_COMMAND reaches Catch', async () => {
    const logsBefore = rt.logs.length;
    await rt.deploy([
      ...base(),
      { id: 'inject-u', z: 'tab1', type: 'inject', props: [], repeat: '', once: false, wires: [['cmd-u']] },
      { id: 'cmd-u', z: 'tab1', type: 'dji-command', ...paletteDefaults('dji-command'), server: 'conn', deviceId: 'drone-001', commandType: 'ir_metering_point_set', payload: '{"payload_index":"81-0-0","x":0.5,"y":0.5}', payloadType: 'json', wires: [['ok-u'], []] },
      { id: 'catch-u', z: 'tab1', type: 'catch', scope: ['cmd-u'], uncaught: false, wires: [['caught-u']] },
      { id: 'ok-u', z: 'tab1', type: 'debug', active: true, tosidebar: false, console: false, complete: 'true', wires: [] },
      { id: 'caught-u', z: 'tab1', type: 'debug', active: true, tosidebar: false, console: false, complete: 'true', wires: [] },
    ]);
    await rt.press('inject-u');
    await rt.press('inject-u');
    const caught = await rt.waitFor('caught-u', 2, 20_000);
    for (const msg of caught) {
      assert.match(msg.error.message, /^The platform does not accept Command "ir_metering_point_set" for drone-001: check the method name/);
      assert.equal(msg.utmos_error.code, 'UNSUPPORTED_COMMAND');
      assert.equal(msg.utmos_error.http_status, 400);
    }
    const warnings = rt.logs.slice(logsBefore).filter((e) => e.level === LOG_WARN && e.id === 'cmd-u').map((e) => String(e.msg));
    assert.deepEqual(warnings, [
      'ir_metering_point_set is not in the DJI command catalogue of this node: it is sent as it is, without payload checks. If the platform does not accept it, the command fails with UNSUPPORTED_COMMAND.',
    ]);
  });
});
