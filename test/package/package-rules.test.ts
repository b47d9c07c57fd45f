/**
 * Our own offline, deterministic version of the Flow Library rules (no network): package
 * metadata, Node-RED and Node.js ranges, examples per node, dependency count, literal
 * registerType calls in type="text/javascript" blocks, and the editor files beside each node .js.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'acorn';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- semver (a dependency of node-red) ships no type declarations
const semver = require('semver');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const nodeFiles: Record<string, string> = pkg['node-red'].nodes;

interface Registered {
  type: string;
  category?: string;
  icon?: string;
}

/** registerType('<literal>', { ...literal }) calls in <script type="text/javascript"> blocks, as node-red-dev reads them. */
function registeredTypes(html: string): Registered[] {
  const out: Registered[] = [];
  const blocks = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => /type=["']text\/javascript["']/.test(m[1]!));
  for (const b of blocks) {
    const ast = parse(b[2]!, { ecmaVersion: 2020 });
    const walk = (n: any): void => {
      if (!n || typeof n.type !== 'string') return;
      if (n.type === 'CallExpression' && n.callee?.property?.name === 'registerType') {
        const [name, def] = n.arguments;
        assert.equal(name?.type, 'Literal', 'registerType type name is a literal');
        assert.equal(def?.type, 'ObjectExpression', `registerType('${name.value}') definition is an object literal`);
        const prop = (k: string) => def.properties.find((p: any) => (p.key?.name ?? p.key?.value) === k)?.value;
        out.push({ type: name.value, category: prop('category')?.value, icon: prop('icon')?.value });
      }
      for (const v of Object.values(n)) {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object' && typeof (v as any).type === 'string') walk(v);
      }
    };
    walk(ast);
  }
  return out;
}

test('package metadata: license, repository/bugs, node-red keyword, name', () => {
  assert.ok(typeof pkg.license === 'string' && pkg.license.length > 0);
  assert.ok(pkg.repository?.url || pkg.bugs?.url, 'repository or bugs');
  assert.ok(pkg.keywords.includes('node-red'));
  assert.match(pkg.name, /^(@[a-z0-9-]+\/|node-red-contrib-)/, 'scoped or node-red-contrib- name');
});

test('node-red.version admits Node-RED 4.x and 5.x; engines.node admits Node 20 and 22.9 (lower bound only)', () => {
  for (const v of ['4.0.0', '4.1.15', '5.0.0', '5.0.7']) assert.ok(semver.satisfies(v, pkg['node-red'].version), `node-red ${v}`);
  for (const v of ['20.0.0', '20.20.2', '22.9.0', '24.0.0']) assert.ok(semver.satisfies(v, pkg.engines.node), `node ${v}`);
  assert.ok(!/[<^~]/.test(pkg.engines.node), 'no upper bound (the palette manager installs with --engine-strict)');
});

test('at most 6 runtime dependencies', () => {
  assert.ok(Object.keys(pkg.dependencies ?? {}).length <= 6, JSON.stringify(pkg.dependencies));
});

test('each node .js has its .html (literal registerType), icons/ and locales (en-US, zh-CN) beside it', () => {
  const all: Registered[] = [];
  for (const [set, file] of Object.entries(nodeFiles)) {
    const js = path.join(ROOT, file);
    assert.ok(fs.existsSync(js), `${js} built`);
    const dir = path.dirname(js);
    const base = path.basename(js, '.js');
    const htmlFile = path.join(dir, `${base}.html`);
    assert.ok(fs.existsSync(htmlFile), `${base}.html beside ${file}`);
    const types = registeredTypes(fs.readFileSync(htmlFile, 'utf8'));
    assert.deepEqual(
      types.map((t) => t.type),
      [set],
      `${base}.html registers ${set}`,
    );
    for (const lang of ['en-US', 'zh-CN']) {
      for (const ext of ['json', 'html']) assert.ok(fs.existsSync(path.join(dir, 'locales', lang, `${base}.${ext}`)), `locales/${lang}/${base}.${ext}`);
    }
    for (const t of types) {
      if (t.category !== 'config') {
        assert.ok(t.icon, `${t.type} has an icon`);
        if (!String(t.icon).startsWith('font-awesome/')) assert.ok(fs.existsSync(path.join(dir, 'icons', String(t.icon))), `icons/${t.icon} beside ${file}`);
      }
    }
    all.push(...types);
  }
  assert.equal(all.length, 6);
});

test('examples: JSON arrays; every non-config node type used; only our and core node types', () => {
  const dir = path.join(ROOT, 'examples');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 3);
  const used = new Set<string>();
  const ours = new Set(Object.keys(nodeFiles));
  const core = new Set([
    'tab',
    'comment',
    'inject',
    'debug',
    'catch',
    'status',
    'complete',
    'delay',
    'switch',
    'change',
    'function',
    'link in',
    'link out',
    'trigger',
    'template',
    'junction',
    'group',
  ]);
  for (const f of files) {
    const flow = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    assert.ok(Array.isArray(flow), `${f} is an array`);
    assert.ok(
      flow.some((n: any) => n.type === 'comment'),
      `${f} has a comment node`,
    );
    for (const n of flow) {
      assert.ok(ours.has(n.type) || core.has(n.type), `${f}: ${n.type}`);
      used.add(n.type);
    }
  }
  for (const t of ours) if (t !== 'utmos-config') assert.ok(used.has(t), `an example uses ${t}`);
  assert.ok(pkg.files.includes('examples'), 'examples/ is published');
});
