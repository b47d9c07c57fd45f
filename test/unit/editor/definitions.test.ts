// The edit dialog of every node declares the contract (node-contract.ts): a literal registerType,
// its defaults, pointers, credentials, ports, template inputs and typed-input types, nothing
// external and only scoped CSS.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATEGORY, ICON_DIR, defaultValues, get, nodeThis } from './editor-sandbox';
import { SPECS } from './node-contract';

for (const spec of SPECS) {
  describe(`editor files: ${spec.type}`, () => {
    it('has a literal registerType in a text/javascript block (node-red-dev validate)', () => {
      const l = get(spec.type);
      const js = l.blocks.filter((b) => b.attrs.type === 'text/javascript');
      assert.ok(js.length >= 1, 'at least one <script type="text/javascript"> block');
      const literal = new RegExp(`RED\\.nodes\\.registerType\\(\\s*'${spec.type}'\\s*,\\s*\\{`);
      assert.ok(js.some((b) => literal.test(b.body)), `literal RED.nodes.registerType('${spec.type}', {`);
      assert.ok(l.def, 'the definition was registered when the script ran');
      // No other script type than the three Node-RED understands.
      for (const b of l.blocks) assert.ok(['text/javascript', 'text/html'].includes(b.attrs.type), `script type ${b.attrs.type}`);
      assert.ok(!/data-help-name/.test(l.html), 'help lives in locales/<lang>/<node>.html, not in the main .html');
    });

    it('declares the contract defaults, pointers, credentials, ports, category and icon', () => {
      const l = get(spec.type);
      const d = l.def;
      assert.deepEqual(Object.keys(d.defaults).sort(), Object.keys(spec.defaults).sort(), 'defaults keys');
      for (const [k, v] of Object.entries(spec.defaults)) {
        assert.ok(d.defaults[k], `defaults.${k}`);
        assert.strictEqual(d.defaults[k].value, v, `defaults.${k}.value`);
      }
      for (const [k, t] of Object.entries(spec.pointers ?? {})) {
        assert.equal(d.defaults[k].type, t, `defaults.${k}.type`);
        assert.equal(d.defaults[k].required, true, `defaults.${k}.required`);
      }
      for (const [k, v] of Object.entries(d.defaults as Record<string, { validate?: unknown }>)) {
        if (typeof v.validate === 'function') {
          assert.equal((v.validate as (...a: unknown[]) => unknown).length, 2, `defaults.${k}.validate takes (value, opt) so it may return a message`);
        }
      }
      if (spec.credentials) {
        assert.deepEqual(Object.keys(d.credentials).sort(), Object.keys(spec.credentials).sort(), 'credentials keys');
        for (const [k, t] of Object.entries(spec.credentials)) assert.equal(d.credentials[k].type, t, `credentials.${k}.type`);
      } else {
        assert.equal(d.credentials, undefined, 'only the config node has credentials');
      }
      if (spec.config) {
        assert.equal(d.category, 'config');
        assert.equal(d.inputs, undefined);
        assert.equal(d.outputs, undefined);
      } else {
        assert.equal(d.category, CATEGORY);
        assert.equal(d.inputs, spec.inputs, 'inputs');
        assert.equal(d.outputs, spec.outputs, 'outputs');
        assert.equal(d.color, '#7fb7df', 'one family colour');
      }
      assert.equal(typeof d.icon, 'string');
      assert.match(d.icon, /^utmos-[a-z-]+\.svg$/, 'icon name is unique to the package');
      assert.ok(fs.existsSync(path.join(ICON_DIR, d.icon)), `icons/${d.icon} exists`);
      assert.equal(typeof d.label, 'function');
    });

    it('has an edit template with an input for every property and nothing else', () => {
      const l = get(spec.type);
      assert.ok(l.template.trim(), `<script type="text/html" data-template-name="${spec.type}">`);
      const prefix = spec.config ? 'node-config-input-' : 'node-input-';
      const ids = new Set<string>();
      const idRe = /\bid="([^"]+)"/g;
      let m: RegExpExecArray | null;
      while ((m = idRe.exec(l.template)) !== null) ids.add(m[1]);
      const props = [...Object.keys(spec.defaults), ...Object.keys(spec.credentials ?? {})];
      for (const p of props) assert.ok(ids.has(prefix + p), `template has #${prefix}${p}`);
      for (const id of ids) {
        if (id.startsWith('node-input-') || id.startsWith('node-config-input-')) {
          assert.ok(id.startsWith(prefix) && props.includes(id.slice(prefix.length)), `#${id} is a declared property`);
        } else {
          assert.match(id, /^utmos-/, `own element ids are prefixed utmos- (${id})`);
        }
      }
      for (const [p, t] of Object.entries(spec.credentials ?? {})) {
        const tag = new RegExp(`<input[^>]*type="${t === 'password' ? 'password' : 'text'}"[^>]*id="${prefix}${p}"`);
        assert.match(l.template, tag, `credential ${p} uses an input of type ${t}`);
      }
    });

    it('offers the contract types in each typed input', () => {
      const l = get(spec.type);
      // The dialog as the editor prepares it, against a jQuery that records what is asked of it.
      l.jqCalls.length = 0;
      l.def.oneditprepare.call(nodeThis(l.en, { ...defaultValues(l), _def: l.def }));
      for (const [prop, types] of Object.entries(spec.typed ?? {})) {
        const call = l.jqCalls.find((c) => c.on === `#node-input-${prop}` && c.method === 'typedInput' && typeof c.args[0] === 'object');
        assert.ok(call, `typedInput set up for ${prop}`);
        const options = call.args[0] as { typeField: string; types: Array<string | { value: string }> };
        assert.equal(options.typeField, `#node-input-${prop}Type`, `typedInput of ${prop} keeps its type in ${prop}Type`);
        const offered = options.types.map((t) => (typeof t === 'string' ? t : t.value));
        for (const t of types) assert.ok(offered.includes(t), `${prop} offers type ${t} (offered: ${offered.join(',')})`);
        assert.ok(l.template.includes(`id="node-input-${prop}Type"`), `hidden #node-input-${prop}Type`);
      }
    });

    it('uses no external resources and scopes its CSS', () => {
      const l = get(spec.type);
      assert.ok(!/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i.test(l.html), 'no external src/href');
      assert.ok(!/@import|url\(\s*["']?(?:https?:)?\/\//i.test(l.html), 'no external CSS');
      for (const m of l.html.matchAll(/<style>([\s\S]*?)<\/style>/g)) {
        for (const rule of m[1].matchAll(/(^|})\s*([^{}]+)\{/g)) {
          for (const sel of rule[2].split(',')) assert.match(sel.trim(), /^\.utmos-/, `CSS selector "${sel.trim()}" is scoped to a utmos- class`);
        }
      }
    });
  });
}
