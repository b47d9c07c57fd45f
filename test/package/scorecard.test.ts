/**
 * The Flow Library scorecard: the real `node-red-dev validate` (installed into the git-ignored
 * prefix .ci/tools from the npm registry when missing), with catalogue.nodered.org answered from
 * test/package/catalogue.json by scripts/nrdev-offline-stub.js. It exits 0 even when checks fail,
 * so the gate is its -o JSON: every check must report test: true.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TOOLS = path.join(ROOT, '.ci', 'tools');
const NRDEV_VERSION = '0.1.6';
const RUN = path.join(TOOLS, 'node_modules', 'node-red-dev', 'bin', 'run');

function ensureInstalled(): void {
  const pkg = path.join(TOOLS, 'node_modules', 'node-red-dev', 'package.json');
  if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).version === NRDEV_VERSION) return;
  fs.mkdirSync(TOOLS, { recursive: true });
  if (!fs.existsSync(path.join(TOOLS, 'package.json'))) fs.writeFileSync(path.join(TOOLS, 'package.json'), '{"private":true}\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', TOOLS, '--no-audit', '--no-fund', `node-red-dev@${NRDEV_VERSION}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, `npm install node-red-dev failed:\n${r.stdout}\n${r.stderr}`);
}

test(`node-red-dev ${NRDEV_VERSION} validate: every scorecard check passes`, { timeout: 600_000 }, () => {
  ensureInstalled();
  for (const f of ['dji-command', 'dji-status-wait', 'dji-request-in', 'dji-request-reply', 'dji-wayline', 'utmos-config']) {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist/src/nodes', f, `${f}.html`)), `build output for ${f} (run npm run build)`);
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-'));
  const scorecard = path.join(out, 'scorecard.json');
  const stubReport = path.join(out, 'stub.json');
  const r = spawnSync(process.execPath, ['-r', path.join(ROOT, 'scripts', 'nrdev-offline-stub.js'), RUN, 'validate', '-o', scorecard], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NRDEV_DIR: TOOLS, NR_CATALOGUE: path.join(ROOT, 'test', 'package', 'catalogue.json'), NRDEV_STUB_REPORT: stubReport },
    timeout: 300_000,
  });
  console.log(
    r.stdout
      .split('\n')
      .map((l) => `# ${l}`)
      .join('\n'),
  );
  assert.equal(r.status, 0, r.stderr);
  assert.ok(fs.existsSync(scorecard), `no scorecard written:\n${r.stdout}\n${r.stderr}`);
  const card = JSON.parse(fs.readFileSync(scorecard, 'utf8'));
  const checks = Object.entries(card).filter(([k]) => /^[PND]\d\d$/.test(k)) as Array<[string, { test: boolean }]>;
  const expected = ['P01', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08', 'N01', 'N02', 'D01', 'D02', 'D03'];
  assert.deepEqual(checks.map(([k]) => k).sort(), [...expected].sort(), 'every check ran');
  const failed = checks.filter(([, v]) => v.test !== true).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  assert.deepEqual(failed, [], 'failed scorecard checks');
  // N02 really parsed our editor files (an unparsable .html passes N02 with nodes: [])
  assert.deepEqual([...card.N02.nodes].sort(), ['dji-command', 'dji-request-in', 'dji-request-reply', 'dji-status-wait', 'dji-wayline']);
  assert.ok(JSON.parse(fs.readFileSync(stubReport, 'utf8')).catalogueRequestsServed >= 1, 'catalogue answered by the offline stub');
  fs.rmSync(out, { recursive: true, force: true });
});
