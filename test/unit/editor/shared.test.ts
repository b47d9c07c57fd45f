// What the dialogs share: the single-connection preselect on drop, the shared CSS, the reply
// templates, and the icons.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Def, ICON_DIR, ROOT, configNodes, defaultValues, flowNodes, get, lookup, nodeThis } from './editor-sandbox';
import { SPECS } from './node-contract';

describe('editor files: shared behaviour', () => {
  it('a node dropped from the palette takes the only UTMOS connection, and only then (onadd)', () => {
    for (const spec of SPECS.filter((x) => !x.config)) {
      const l = get(spec.type);
      assert.equal(typeof l.def.onadd, 'function', `${spec.type}.onadd`);
      const drop = (configs: Def[], props: Record<string, unknown> = {}, inFlow = false) => {
        configNodes.splice(0, configNodes.length, ...configs);
        const node = nodeThis(l.en, { ...defaultValues(l), id: `new-${spec.type}`, ...props });
        flowNodes.splice(0, flowNodes.length, ...(inFlow ? [node] : []));
        l.def.onadd.call(node);
        return node.server;
      };
      try {
        assert.equal(drop([{ id: 'c1', type: 'utmos-config' }]), 'c1', `${spec.type}: the single connection`);
        assert.equal(drop([{ id: 'c1', type: 'utmos-config', z: 'tab-1' }]), 'c1', `${spec.type}: one scoped to this tab`);
        assert.equal(drop([{ id: 'c1', type: 'utmos-config' }, { id: 'c2', type: 'utmos-config' }]), '', `${spec.type}: two, none chosen`);
        assert.equal(drop([{ id: 'c1', type: 'utmos-config', z: 'other-tab' }]), '', `${spec.type}: one of another tab`);
        assert.equal(drop([{ id: 'm', type: 'mqtt-broker' }]), '', `${spec.type}: other config types do not count`);
        assert.equal(drop([{ id: 'c1', type: 'utmos-config' }], { server: 'c9' }), 'c9', `${spec.type}: a chosen one is kept`);
        assert.equal(drop([{ id: 'c1', type: 'utmos-config' }], {}, true), '', `${spec.type}: a pasted node is left alone`);
      } finally {
        configNodes.length = 0;
        flowNodes.length = 0;
      }
    }
  });

  it('shared CSS is scoped to utmos- classes and loaded by every dialog', () => {
    const css = fs.readFileSync(path.join(ROOT, 'resources', 'editor-common.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const rule of css.matchAll(/(^|})\s*([^{}]+)\{/g)) {
      for (const sel of rule[2].split(',')) assert.match(sel.trim(), /^\.utmos-/, `CSS selector "${sel.trim()}" is scoped to a utmos- class`);
    }
    for (const spec of SPECS) {
      assert.ok(get(spec.type).html.includes('<link rel="stylesheet" href="resources/node-red-contrib-utmos-dji/editor-common.css">'), `${spec.type} loads the shared CSS`);
      assert.match(get(spec.type).template, /^\s*<div class="utmos-form">/, `${spec.type}: the form is in .utmos-form`);
    }
  });

  it('dji-request-reply offers payload templates for flighttask_resource_get and config answers', () => {
    const l = get('dji-request-reply');
    for (const t of ['flighttask_resource_get', 'config']) {
      assert.equal(typeof lookup(l.en, `dji-request-reply.template.${t}`), 'string', `en-US label for the ${t} template`);
      assert.ok(new RegExp(`\\b${t}: \\{`).test(l.html), `template for ${t}`);
    }
    assert.doesNotMatch(l.html, /confirm\(/, 'no native confirm()');
  });
});

describe('editor files: icons', () => {
  it('every icon is a white-on-transparent 2:3 SVG with a unique utmos- name and no external reference', () => {
    const icons = fs.readdirSync(ICON_DIR).filter((f) => f.endsWith('.svg'));
    const used = new Set(SPECS.map((s) => get(s.type).def.icon as string));
    assert.equal(used.size, SPECS.length, 'one icon per node');
    for (const icon of used) assert.ok(icons.includes(icon), `icons/${icon}`);
    for (const icon of icons) {
      assert.match(icon, /^utmos-[a-z-]+\.svg$/);
      const svg = fs.readFileSync(path.join(ICON_DIR, icon), 'utf8');
      const vb = /viewBox="\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*"/.exec(svg);
      assert.ok(vb, `${icon}: has a viewBox`);
      assert.equal(Number(vb[1]) * 3, Number(vb[2]) * 2, `${icon}: 2:3 aspect`);
      assert.ok(Number(vb[1]) >= 40, `${icon}: at least 40x60`);
      for (const m of svg.matchAll(/\b(?:fill|stroke)\s*[=:]\s*"?([^";\s]+)/g)) {
        assert.ok(['#fff', '#ffffff', 'white', 'none'].includes(m[1].toLowerCase()), `${icon}: colour ${m[1]} is white or none`);
      }
      assert.ok(!/(?:xlink:)?href\s*=|url\(/.test(svg), `${icon}: no external or referenced resources`);
      assert.ok(!/<script/i.test(svg), `${icon}: no script`);
    }
  });
});
