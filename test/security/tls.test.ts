// Transport security in a real Node-RED runtime: baseUrl must be https except for loopback; a
// private CA pasted into utmos-config is trusted for a loopback HTTPS server with a self-signed
// certificate (made at test time with openssl); without it the node fails with a clear, catchable
// TLS certificate error, and nothing in the package turns certificate checks off.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ALL_NODES, collect, commandFlow, helper, nodeRedForFile } from '../helpers/harness';
import { MisbehavingFront, startMisbehavingFront } from '../helpers/misbehaving-front';
import { simCounters, simulatorForFile } from '../helpers/simulator';
import { setUp } from '../helpers/setup';

const sim = simulatorForFile({ docks: 1, replyDelayMs: 20 });
nodeRedForFile();
let front: MisbehavingFront;
let frontUrl: string;
let caPem: string;
let otherCaPem: string;
let dir: string;

function makeCa(name: string): { key: string; cert: string } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.crt`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' });
  return { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
}

setUp(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'utmos-tls-'));
  const self = makeCa('utmos-test-platform');
  caPem = self.cert;
  otherCaPem = makeCa('some-other-ca').cert;
  // A TLS front on loopback that forwards every request unchanged to the simulator.
  front = await startMisbehavingFront(sim.http, { key: self.key, cert: self.cert });
  frontUrl = front.url;
});
after(async () => {
  await front.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const flow = (config: Record<string, unknown>) => commandFlow({ sim, config, props: { timeoutSeconds: 10 } });
const creds = () => ({ c1: { apiId: sim.apiId, apiKey: sim.apiKey } });

test('with the private CA pasted into utmos-config, commands go through the HTTPS front', async () => {
  await helper.load(ALL_NODES, flow({ baseUrl: frontUrl, caCert: caPem }), creds());
  const ok = collect('ok');
  helper.getNode('n1').receive({ payload: 1 });
  const msg = await ok.next();
  assert.equal(msg.status, 'SUCCEEDED');
});

for (const [label, ca] of [['without a CA', undefined], ['with a CA that did not sign the certificate', 'other']] as const) {
  test(`${label}, the certificate is refused: a clear TLS error reaches Catch, nothing is sent`, async () => {
    const before = (await simCounters(sim)).total_calls;
    await helper.load(ALL_NODES, flow({ baseUrl: frontUrl, ...(ca ? { caCert: otherCaPem } : {}) }), creds());
    const caught = collect('caught');
    const outputs = [collect('ok'), collect('bad')];
    helper.getNode('n1').receive({ payload: 1 });
    const msg = await caught.next();
    assert.equal(msg.utmos_error.code, 'TLS_CERTIFICATE_ERROR');
    assert.match(String(msg.utmos_error.detail), /^[A-Z_]+$/, 'the TLS error code stays in the details');
    assert.match(msg.error.message, /TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted/);
    assert.match(msg.error.message, /paste its certificate into the utmos-config node/);
    assert.equal(outputs[0].messages.length + outputs[1].messages.length, 0);
    const after = (await simCounters(sim)).total_calls;
    assert.equal(after, before, 'no request reached the platform through an untrusted connection');
    assert.ok(helper.getNode('n1').status.calledWithMatch({ fill: 'red', text: 'certificate not trusted' }));
  });
}

test('certificate checks are never switched off: no NODE_TLS_REJECT_UNAUTHORIZED, no rejectUnauthorized: false in the package', () => {
  assert.equal(process.env.NODE_TLS_REJECT_UNAUTHORIZED, undefined);
  const root = path.resolve(__dirname, '..', '..', '..', 'src');
  const sources: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|html)$/.test(e.name)) sources.push(p);
    }
  };
  walk(root);
  assert.ok(sources.length > 10, `read the package sources in ${root}`);
  for (const file of sources) {
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(!/NODE_TLS_REJECT_UNAUTHORIZED/.test(text), `${file} touches NODE_TLS_REJECT_UNAUTHORIZED`);
    assert.ok(!/rejectUnauthorized\s*:\s*false/.test(text), `${file} disables certificate checks`);
    assert.ok(!/checkServerIdentity\s*:/.test(text), `${file} overrides host name checks`);
  }
});

test('baseUrl must be https except for loopback: plain http to a remote host fails every message with a catchable error naming baseUrl', async () => {
  await helper.load(ALL_NODES, flow({ baseUrl: 'http://platform.example.com' }), creds());
  const caught = collect('caught');
  helper.getNode('n1').receive({ payload: 1 });
  const msg = await caught.next();
  assert.match(msg.error.message, /^The UTMOS connection cannot be used: The base URL must use https:\/\//);
  assert.match(msg.error.message, /loopback/);
  assert.equal(msg.utmos_error.code, 'CONNECTION_INVALID');
  assert.ok(helper.getNode('n1').status.calledWithMatch({ fill: 'red' }));
});

test('plain http to a loopback address is allowed (the simulator, a local gateway)', async () => {
  await helper.load(ALL_NODES, flow({ baseUrl: sim.http.replace('127.0.0.1', 'localhost') }), creds());
  const ok = collect('ok');
  helper.getNode('n1').receive({ payload: 1 });
  assert.equal((await ok.next()).status, 'SUCCEEDED');
});
