/**
 * Installing the nodes installs only what the nodes need: the simulator's MQTT broker (aedes) is an
 * optional peer dependency (a devDependency here, so `npm ci` in a clone still gets it). These
 * tests install the packed files the way npm would, next to the runtime dependencies only, and show
 * that the nodes load, that the simulator names the one command that installs its broker, and that
 * after that command it starts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { spawnSimulator } from '../../sim/spawn';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- semver (a dependency of node-red) ships no type declarations
const semver = require('semver');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
const BROKER = 'aedes';
const INSTALL_MESSAGE = 'utmos-dji-sim: the simulator needs aedes: npm install aedes@1\n';

test('aedes is an optional peer (and a devDependency), not a runtime dependency, nor one of theirs', () => {
  assert.equal(pkg.dependencies[BROKER], undefined, 'not in dependencies');
  assert.ok(Object.keys(pkg.dependencies).length <= 6, 'at most 6 runtime dependencies');
  assert.equal(pkg.peerDependenciesMeta?.[BROKER]?.optional, true, 'an optional peer: npm does not install it with the nodes');
  const range = pkg.peerDependencies?.[BROKER];
  assert.equal(pkg.devDependencies[BROKER], range, 'the clone gets the same range with npm ci');
  assert.equal(semver.minVersion(range).major, 1, 'the install command (aedes@1) agrees with the peer range');
  // the lock file marks what only devDependencies pull in: aedes is not in the production tree
  assert.equal(lock.packages[`node_modules/${BROKER}`]?.dev, true, 'package-lock: aedes is dev-only');
  const production = Object.entries(lock.packages as Record<string, { dev?: boolean; dependencies?: Record<string, string> }>)
    .filter(([name, entry]) => name !== '' && !entry.dev)
    .filter(([, entry]) => entry.dependencies?.[BROKER] !== undefined)
    .map(([name]) => name);
  assert.deepEqual(production, [], 'no production package depends on aedes');
});

describe('the packed package installed without devDependencies', () => {
  let home: string;
  let installed: string;
  const cli = (): string => path.join(installed, 'dist', 'sim', 'cli.js');
  const env = { ...process.env, NODE_PATH: '' };

  before(() => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const pack = spawnSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(pack.status, 0, pack.stderr);
    const [packed] = JSON.parse(pack.stdout) as Array<{ files: Array<{ path: string }>; bundled: string[] }>;
    assert.ok(packed, 'npm pack listed the package');
    assert.deepEqual(packed.bundled, [], 'nothing bundled');
    const files = packed.files.map((f) => f.path);
    assert.ok(files.includes('dist/sim/cli.js'), 'the simulator ships with the nodes');
    assert.equal(pkg.bin['utmos-dji-sim'], 'dist/sim/cli.js');

    home = fs.mkdtempSync(path.join(os.tmpdir(), 'utmos-install-'));
    const modules = path.join(home, 'node_modules');
    installed = path.join(modules, pkg.name);
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(installed, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(installed, file));
    }
    // each runtime dependency as npm would place it; their own dependencies resolve from its real path
    for (const dep of Object.keys(pkg.dependencies)) {
      fs.mkdirSync(path.dirname(path.join(modules, dep)), { recursive: true });
      fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(modules, dep), 'dir');
    }
    const probe = spawnSync(process.execPath, ['-e', `require.resolve(${JSON.stringify(BROKER)})`], { cwd: path.dirname(cli()), env, encoding: 'utf8' });
    assert.notEqual(probe.status, 0, 'aedes must not be resolvable from the installed copy');
  });
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  test('every node loads without aedes', () => {
    const nodes = Object.values(pkg['node-red'].nodes as Record<string, string>).map((f) => path.join(installed, f));
    const script = `for (const f of ${JSON.stringify(nodes)}) { const m = require(f); if (typeof m !== 'function') throw new Error(f + ' exports no function'); }`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: home, env, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
  });

  test('the simulator exits 1 naming the one command that installs aedes', () => {
    const r = spawnSync(process.execPath, [cli(), '--port', '0', '--mqtt-port', '0'], { cwd: home, env, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, INSTALL_MESSAGE);
  });

  test('after that command (aedes beside the package) the simulator starts', async () => {
    fs.symlinkSync(path.join(ROOT, 'node_modules', BROKER), path.join(home, 'node_modules', BROKER), 'dir');
    const sim = await spawnSimulator(['--docks', '1'], { cli: cli(), env: { NODE_PATH: '' } });
    try {
      assert.match(sim.info.http, /^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${sim.info.http}/__sim/health`);
      assert.deepEqual(await health.json(), { ok: true });
    } finally {
      await sim.close();
    }
  });
});
