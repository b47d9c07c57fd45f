import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { API_KEY_ENV, parseArgs } from '../../sim/cli';
import { control, firstLine, signed } from './helpers';

const CLI = path.join(__dirname, '..', '..', 'sim', 'cli.js');

test('CLI prints exactly one JSON line, serves the signed API, exits 0 on SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    [CLI, '--port', '0', '--mqtt-port', '0', '--docks', '2', '--osd-interval-ms', '0', '--auto-reply-types', 'config,flighttask_resource_get'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const first = await firstLine(child.stdout, exited, 10_000).catch((err: Error) => {
      throw new Error(`${err.message}; stderr: ${stderr}`);
    });
    const line = JSON.parse(first) as { http: string; mqtt: string; api_id: string; api_key: string };
    assert.deepEqual(Object.keys(line), ['http', 'mqtt', 'api_id', 'api_key']);
    assert.match(line.http, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(line.mqtt, /^mqtt:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(line.api_id, 'sim-api-id');
    assert.ok(line.api_key.length >= 32);

    const c = { base: line.http, apiId: line.api_id, apiKey: line.api_key };
    const r = await signed(c, 'GET', '/api/v1/open/device-requests');
    assert.equal(r.status, 200);
    // only the docks' topology announcements so far, answered by the platform itself
    assert.deepEqual(r.body.items.map((i: { device_id: string }) => i.device_id).sort(), ['dock-001', 'dock-002']);
    for (const item of r.body.items) {
      assert.equal(item.request_type, 'update_topo');
      assert.equal(item.reply_source, 'auto');
    }
    const auto = await control(line.http, 'GET', '/__sim/requests/auto-reply');
    assert.deepEqual(auto.body, { request_types: ['config', 'flighttask_resource_get'] });
    const health = await control(line.http, 'GET', '/__sim/health');
    assert.deepEqual(health.body, { ok: true });
    const docks = await control(line.http, 'GET', '/__sim/docks');
    assert.equal(docks.body.items.length, 2);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
  assert.equal(stdout.trim().split('\n').length, 1, 'exactly one line on stdout');
  assert.equal(stderr, '', 'no stderr output without --verbose');
});

test('CLI rejects bad option values with exit code 2 and a message on stderr', () => {
  for (const args of [
    ['--port', 'abc'],
    ['--docks', '0'],
    ['--reply-delay-ms', '-5'],
    ['--bogus'],
    ['--port'],
    ['--auto-reply-types', ','],
    ['--time-factor', '0'],
    ['--time-factor', '11'],
    ['--time-factor', 'fast'],
    ['--mission-duration-ms', '3000'],
  ]) {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 2, `args ${args.join(' ')}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /utmos-dji-sim: /);
  }
});

test('CLI --help prints usage and exits 0', () => {
  const r = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /--mqtt-port/);
  assert.match(r.stdout, /--time-factor F/);
});

test('the API key can come from UTMOS_SIM_API_KEY (out of ps); --api-key wins over it', () => {
  assert.equal(API_KEY_ENV, 'UTMOS_SIM_API_KEY');
  assert.equal(parseArgs([], { UTMOS_SIM_API_KEY: 'from-env-key' }).options.apiKey, 'from-env-key');
  assert.equal(parseArgs(['--api-key', 'from-argv'], { UTMOS_SIM_API_KEY: 'from-env-key' }).options.apiKey, 'from-argv');
  assert.equal(parseArgs([], {}).options.apiKey, undefined, 'random key when neither is set');
  assert.equal(parseArgs([], { UTMOS_SIM_API_KEY: '' }).options.apiKey, undefined, 'an empty variable counts as unset');
});

test('--reply-delay-max-ms spreads reply durations (uniform from --reply-delay-ms to it)', () => {
  const { options } = parseArgs(['--reply-delay-ms', '500', '--reply-delay-max-ms', '1500'], {});
  assert.deepEqual([options.replyDelayMs, options.replyDelayMaxMs], [500, 1500]);
  assert.throws(() => parseArgs(['--reply-delay-max-ms', 'soon'], {}), /--reply-delay-max-ms must be an integer/);
});
