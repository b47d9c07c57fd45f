/**
 * `npm start` (scripts/demo.js) as a user runs it: it prints the editor URL on 127.0.0.1, deploys
 * the four examples wired to its simulator with the credentials encrypted in flows_cred.json and
 * the simulator's key on no command line, runs an example, stops Node-RED and the simulator on
 * SIGTERM with exit code 0, and starts again on the same user dir with working credentials.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/runtime';
import { dockWhen } from '../helpers/simulator';
import { withTimeout } from '../helpers/wait';

/** Command lines of every process this user can see (Linux /proc; empty elsewhere). */
function commandLines(): string[] {
  if (!fs.existsSync('/proc/self/cmdline')) return [];
  const out: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      out.push(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

interface Demo {
  editor: string;
  simUrl: string;
  output(): string;
  stop(): Promise<void>;
}

async function startDemo(userDir: string): Promise<Demo> {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'demo.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DEMO_USER_DIR: userDir, DEMO_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d.toString()));
  child.stderr.on('data', (d) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  try {
    const printed = new Promise<string>((resolve, reject) => {
      const check = () => {
        const m = /editor: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) resolve(m[1]);
      };
      child.stdout.on('data', check);
      child.once('exit', (code) => reject(new Error(`demo exited with ${code}:\n${out}`)));
    });
    const editor = await withTimeout(printed, 60_000, () => `the editor URL:\n${out}`);
    const simUrl = /API (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(simUrl, out);
    return {
      editor,
      simUrl,
      output: () => out,
      async stop() {
        child.kill('SIGTERM');
        const code = await withTimeout(exited, 25_000, 'the demo to exit after SIGTERM').catch((err: Error) => err.message);
        kill();
        assert.equal(code, 0, `demo exit code after SIGTERM:\n${out}`);
        assert.match(out, /\[demo\] stopped/);
        await assert.rejects(fetch(`${simUrl}/__sim/health`), 'the simulator is gone');
        await assert.rejects(fetch(editor), 'the editor is gone');
      },
    };
  } catch (err) {
    kill();
    throw err;
  }
}

async function dockDebugModeAfterInject(demo: Demo, dock: string): Promise<boolean> {
  const res = await fetch(`${demo.editor}inject/ex03-send`, { method: 'POST' });
  assert.equal(res.status, 200);
  const state = await dockWhen({ http: demo.simUrl }, dock, (d) => d.debug_mode === true, 'debug mode on', 10_000).catch((err: Error) => ({ debug_mode: err.message }));
  return state.debug_mode === true;
}

test('npm start: editor on 127.0.0.1 with the examples deployed against the simulator; credentials encrypted and out of ps; SIGTERM stops everything; a restart keeps them', { timeout: 180_000 }, async () => {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'utmos-demo-'));
  try {
    const demo = await startDemo(userDir);
    let stopped = false;
    try {
      const flows = (await (await fetch(`${demo.editor}flows`)).json()) as any[];
      const tabs = flows.filter((n) => n.type === 'tab').map((n) => n.label);
      assert.deepEqual(tabs, ['01 - Dock inspection mission', '02 - Device request handling', '03 - Fire and forget and status wait', '04 - Wayline from GeoJSON']);
      const configs = flows.filter((n) => n.type === 'utmos-config');
      assert.equal(configs.length, 1);
      assert.equal(configs[0].baseUrl, demo.simUrl);
      assert.match(configs[0].eventBrokerUrl, /^mqtt:\/\/127\.0\.0\.1:\d+$/);

      const key = fs.readFileSync(path.join(userDir, '.demo-api-key'), 'utf8').trim();
      assert.ok(key.length >= 16, 'the demo made an API key for its simulator');
      const credFile = fs.readFileSync(path.join(userDir, 'flows_cred.json'), 'utf8');
      assert.deepEqual(Object.keys(JSON.parse(credFile)), ['$'], 'flows_cred.json is encrypted');
      assert.ok(!credFile.includes(key), 'the key is not readable in flows_cred.json');
      const creds = (await (await fetch(`${demo.editor}credentials/utmos-config/${configs[0].id}`)).json()) as any;
      assert.equal(creds.has_apiKey, true, 'the connection holds the key');
      assert.ok(!fs.readFileSync(path.join(userDir, 'flows.json'), 'utf8').includes(key), 'not in flows.json');
      assert.ok(!JSON.stringify(flows).includes(key), 'not in GET /flows');
      assert.ok(!demo.output().includes(key), 'not in the demo output');
      // the very first start has no stored credentials yet: Node-RED says "Encrypted credentials not found" once
      assert.doesNotMatch(demo.output(), /unencrypted credentials|Failed to decrypt/i);
      const lines = commandLines();
      if (lines.length > 0) {
        assert.ok(lines.some((l) => l.includes('dist/sim/cli.js')), 'the simulator process is visible');
        assert.ok(!lines.some((l) => l.includes(key)), 'the key is on no command line (ps)');
      }

      // the demo raised one request for example 02's approval branch; run example 03's first button
      assert.equal(await dockDebugModeAfterInject(demo, 'dock-003'), true, 'the example command reached the simulated dock');
      stopped = true;
      await demo.stop();
    } finally {
      if (!stopped) await demo.stop().catch(() => undefined);
    }

    // a second start on the same user dir: the stored, encrypted credentials still work
    const again = await startDemo(userDir);
    try {
      assert.equal(await dockDebugModeAfterInject(again, 'dock-003'), true, 'the restarted demo reaches its new simulator');
      assert.doesNotMatch(again.output(), /unencrypted credentials|encrypted credentials not found|Failed to decrypt/i);
    } finally {
      await again.stop();
    }
  } finally {
    fs.rmSync(userDir, { recursive: true, force: true });
  }
});
