// The real runtime with adminAuth (embedded Node-RED loading the real package): the catalogue admin
// endpoint needs a token, and the API key and event-broker password never appear in the runtime
// log, delivered messages (outputs, Catch errors, Status events), flows.json, the encrypted
// credentials file, GET /flows, GET /credentials, or the editor (GET / and GET /nodes as HTML).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DJI_COMMAND_DEFAULTS } from '../helpers/node-defs';
import { Runtime, startRuntime } from '../helpers/runtime';
import { simulatorForFile } from '../helpers/simulator';
import { eventStreamState } from '../helpers/wait';
import { SecretScanner } from '../reliability/capture';
import { setUp } from '../helpers/setup';

const eventPassword = `evpw-${randomBytes(12).toString('hex')}`;
const token = `admin-token-${randomBytes(16).toString('hex')}`;
const adminAuth = {
  type: 'credentials',
  // bcrypt of "pw-admin-1234"
  users: [{ username: 'admin', password: '$2b$08$c2sAirxnCCqLLvPlSEmkku3h/IctqY87xbSa.zPqo3frmjUrT.Z8q', permissions: '*' }],
  // An API token of the settings file: a session from POST /auth/token would leave Node-RED's
  // week-long session-expiry timer in this process after the runtime stops.
  tokens: [{ token, user: 'admin', scope: ['*'] }],
};

const sim = simulatorForFile({ docks: 2, replyDelayMs: 20, mqttUsername: 'events', mqttPassword: eventPassword }, 'child process');
let rt: Runtime;

setUp(async () => {
  rt = await startRuntime({ settings: { adminAuth, credentialSecret: 'reliability-test-secret' } });
});
after(async () => {
  await rt?.stop();
});

test('the admin endpoints (catalogue, payload check) sit behind RED.auth.needsPermission: 401 without a token, 200 with one', async () => {
  const anonymous = await rt.request('GET', '/utmos-dji/catalogue');
  assert.equal(anonymous.status, 401);
  const bogus = await rt.request('GET', '/utmos-dji/catalogue', { token: 'not-a-token' });
  assert.equal(bogus.status, 401);
  const authed = await rt.request('GET', '/utmos-dji/catalogue', { token });
  assert.equal(authed.status, 200);
  assert.ok(authed.body.includes('debug_mode_open'), 'the catalogue itself');
  const body = { commandType: 'debug_mode_open', payload: '{}' };
  assert.equal((await rt.request('POST', '/utmos-dji/payload-check', { body })).status, 401, 'the payload check too');
  const checked = await rt.request('POST', '/utmos-dji/payload-check', { body, token });
  assert.equal(checked.status, 200);
  assert.deepEqual(checked.json(), { ok: true });
});

test('secrets appear nowhere: logs, messages, errors, status, flows.json, credentials file, admin API, editor', { timeout: 60_000 }, async () => {
  const flows = [
    { id: 't1', type: 'tab', label: 'secrets' },
    {
      id: 'c1',
      type: 'utmos-config',
      name: 'sim',
      baseUrl: sim.http,
      eventBrokerUrl: sim.mqtt,
      credentials: { apiId: sim.apiId, apiKey: sim.apiKey, eventUsername: 'events', eventPassword },
    },
    // A good command, a bad one (Catch), a wrong key elsewhere (401 from the platform) and a status watcher.
    { id: 'i1', z: 't1', type: 'inject', props: [{ p: 'payload' }], payload: '', payloadType: 'date', once: true, onceDelay: 0.5, wires: [['cmd', 'bad']] },
    { ...DJI_COMMAND_DEFAULTS, id: 'cmd', z: 't1', timeoutSeconds: 10, wires: [['d1'], ['d1']] },
    { ...DJI_COMMAND_DEFAULTS, id: 'bad', z: 't1', commandType: 'cover_opne', timeoutSeconds: 10, wires: [['d1'], ['d1']] },
    { id: 'c2', type: 'utmos-config', name: 'wrong key', baseUrl: sim.http, credentials: { apiId: sim.apiId, apiKey: `${sim.apiKey.slice(0, -4)}0000` } },
    { id: 'i2', z: 't1', type: 'inject', props: [{ p: 'payload' }], payload: '', payloadType: 'date', once: true, onceDelay: 0.5, wires: [['wrong']] },
    { ...DJI_COMMAND_DEFAULTS, id: 'wrong', z: 't1', server: 'c2', timeoutSeconds: 10, wires: [['d1'], ['d1']] },
    { id: 'k1', z: 't1', type: 'catch', scope: null, uncaught: false, wires: [['d1']] },
    { id: 's1', z: 't1', type: 'status', scope: null, wires: [['d1']] },
    { id: 'd1', z: 't1', type: 'debug', active: true, tosidebar: true, console: false, complete: 'true', wires: [] },
  ];
  await rt.deploy(flows, token);
  await rt.waitFor('d1', 3, 15_000);
  // Everything the run shows: the event stream connected (with the password) and each command's last badge.
  await eventStreamState(rt.RED.nodes.getNode('c1').connection);
  const badge = (source: string, text: RegExp) => rt.waitUntil('d1', (m) => m.status?.source?.id === source && text.test(m.status.text ?? ''), 15_000);
  await Promise.all([badge('cmd', /^SUCCEEDED$/), badge('bad', /not supported/), badge('wrong', /API key rejected/)]);
  const wrongKeyPart = `${sim.apiKey.slice(0, -4)}0000`;
  const scanner = new SecretScanner([sim.apiKey, eventPassword, wrongKeyPart]);

  const delivered = rt.delivered.get('d1') ?? [];
  assert.ok(
    delivered.some((m) => m.status === 'SUCCEEDED'),
    'the good command succeeded',
  );
  assert.ok(
    delivered.some(
      (m) => /^The platform does not accept Command "cover_opne" for dock-001/.test(m.error?.message ?? '') && m.utmos_error?.code === 'UNSUPPORTED_COMMAND',
    ),
    'the bad one reached Catch',
  );
  assert.ok(
    delivered.some(
      (m) => /rejected the request signature/.test(m.error?.message ?? '') && m.utmos_error?.http_status === 401 && m.utmos_error?.code === 'SIGNATURE_INVALID',
    ),
    'the wrong key reached Catch as 401',
  );
  assert.ok(
    delivered.some((m) => m.status && m.status.source),
    'status events were captured',
  );
  scanner.add('delivered messages', [...rt.delivered.entries()]);
  assert.ok(rt.logs.length > 5, 'the runtime log was captured');
  scanner.add('runtime log', rt.logs);

  const flowsFile = fs.readFileSync(path.join(rt.userDir, 'flows.json'), 'utf8');
  assert.ok(flowsFile.includes('utmos-config'));
  scanner.add('flows.json', flowsFile);
  const credFile = fs.readFileSync(path.join(rt.userDir, 'flows_cred.json'), 'utf8');
  assert.ok(credFile.includes('"$"'), 'credentials are stored encrypted');
  scanner.add('flows_cred.json', credFile);

  const exported = await rt.request('GET', '/flows', { token, headers: { 'Node-RED-API-Version': 'v2' } });
  assert.equal(exported.status, 200);
  scanner.add('GET /flows', exported.body);
  const creds = await rt.request('GET', '/credentials/utmos-config/c1', { token });
  assert.equal(creds.status, 200);
  assert.equal(creds.json().has_apiKey, true);
  assert.equal(creds.json().has_eventPassword, true);
  scanner.add('GET /credentials', creds.body);
  const editor = await rt.request('GET', '/', { headers: { accept: 'text/html' } });
  assert.equal(editor.status, 200);
  scanner.add('GET /', editor.body);
  const nodes = await rt.request('GET', '/nodes', { token, headers: { accept: 'text/html' } });
  assert.equal(nodes.status, 200);
  assert.ok(nodes.body.includes('data-template-name="utmos-config"'), 'the editor HTML of our nodes');
  scanner.add('GET /nodes', nodes.body);

  assert.deepEqual(scanner.hits, [], 'no secret anywhere');
  assert.ok(scanner.scanned > 50_000);
});
