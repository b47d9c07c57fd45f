#!/usr/bin/env node
// Build: compile TypeScript to CommonJS, then place each node's editor assets (.html, locales,
// icons) beside its compiled .js, where the Node-RED loader looks for them.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

// `--clean` starts from an empty dist; the default keeps it so parallel builds do not race.
if (process.argv.includes('--clean')) fs.rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], {
  stdio: 'inherit',
  cwd: root,
});

function copyTree(from, to, filter) {
  if (!fs.existsSync(from)) return;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst, filter);
    else if (filter(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}

const nodesSrc = path.join(root, 'src', 'nodes');
for (const name of fs.readdirSync(nodesSrc)) {
  const from = path.join(nodesSrc, name);
  if (!fs.statSync(from).isDirectory()) continue;
  const to = path.join(dist, 'src', 'nodes', name);
  copyTree(from, to, (f) => !f.endsWith('.ts'));
  copyTree(path.join(root, 'icons'), path.join(to, 'icons'), () => true);
}

const cli = path.join(dist, 'sim', 'cli.js');
if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
