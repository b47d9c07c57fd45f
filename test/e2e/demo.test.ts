/**
 * `npm start` (scripts/demo.js) as a user runs it: it prints the editor URL on 127.0.0.1, deploys
 * the four examples wired to its simulator with the credentials only in flows_cred.json, runs an
 * example, and stops Node-RED and the simulator on SIGTERM with exit code 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support';

test('npm start: editor on 127.0.0.1 with the examples deployed against the simulator; SIGTERM stops everything', async () => {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'utmos-demo-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'demo.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DEMO_USER_DIR: userDir, DEMO_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d.toString()));
  child.stderr.on('data', (d) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const editor = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no editor URL within 60 s:\n${out}`)), 60_000);
      const check = () => {
        const m = /editor: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout.on('data', check);
      child.once('exit', (code) => reject(new Error(`demo exited with ${code}:\n${out}`)));
    });
    const simUrl = /API (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(simUrl, out);

    const flows = (await (await fetch(`${editor}flows`)).json()) as any[];
    const tabs = flows.filter((n) => n.type === 'tab').map((n) => n.label);
    assert.deepEqual(tabs, ['01 - Dock inspection mission', '02 - Device request handling', '03 - Fire and forget and status wait', '04 - Wayline from GeoJSON']);
    const configs = flows.filter((n) => n.type === 'utmos-config');
    assert.equal(configs.length, 1);
    assert.equal(configs[0].baseUrl, simUrl);
    assert.match(configs[0].eventBrokerUrl, /^mqtt:\/\/127\.0\.0\.1:\d+$/);

    const creds = JSON.parse(fs.readFileSync(path.join(userDir, 'flows_cred.json'), 'utf8'));
    const key = creds[configs[0].id].apiKey as string;
    assert.ok(key && key.length >= 16, 'demo credentials in flows_cred.json');
    assert.ok(!fs.readFileSync(path.join(userDir, 'flows.json'), 'utf8').includes(key), 'not in flows.json');
    assert.ok(!JSON.stringify(flows).includes(key), 'not in GET /flows');
    assert.ok(!out.includes(key), 'not in the demo output');

    // the demo raised one request for example 02's approval branch; run example 03's first button
    const res = await fetch(`${editor}inject/ex03-send`, { method: 'POST' });
    assert.equal(res.status, 200);
    let dock: any;
    for (let i = 0; i < 100; i++) {
      dock = await (await fetch(`${simUrl}/__sim/docks/dock-003`)).json();
      if (dock.debug_mode) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(dock.debug_mode, true, 'the example command reached the simulated dock');

    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 25_000))]);
    assert.equal(code, 0, `demo exit code after SIGTERM:\n${out}`);
    assert.match(out, /\[demo\] stopped/);
    await assert.rejects(fetch(`${simUrl}/__sim/health`), 'the simulator is gone');
    await assert.rejects(fetch(editor), 'the editor is gone');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(userDir, { recursive: true, force: true });
  }
});
