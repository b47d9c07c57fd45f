// The texts of every node's editor: en-US and zh-CN catalogues with the same keys, the markdown
// help with the style guide's sections and property lines Node-RED renders, one name for the
// connection everywhere.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DOCS_URL, flatten, get, lookup, nodeThis, read, scriptBlocks } from './editor-sandbox';
import { SPECS } from './node-contract';

for (const spec of SPECS) {
  describe(`editor texts: ${spec.type}`, () => {
    it('has en-US and zh-CN catalogues with the same keys, and every key the editor uses exists', () => {
      const l = get(spec.type);
      assert.deepEqual(Object.keys(l.en), [spec.type], 'en-US catalogue is under the node type');
      assert.deepEqual(Object.keys(l.zh), [spec.type], 'zh-CN catalogue is under the node type');
      const en = flatten(l.en);
      const zh = flatten(l.zh);
      assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort(), 'same key set in en-US and zh-CN');
      for (const [k, v] of Object.entries(en)) {
        assert.equal(typeof v, 'string', `en-US ${k} is a string`);
        assert.ok(String(v).trim(), `en-US ${k} is not empty`);
        assert.equal(typeof zh[k], 'string', `zh-CN ${k} is a string`);
        assert.ok(String(zh[k]).trim(), `zh-CN ${k} is not empty`);
        const ph = (s: string) => (s.match(/__\w+__/g) ?? []).sort();
        assert.deepEqual(ph(String(zh[k])), ph(String(v)), `zh-CN ${k} keeps the same __placeholders__`);
      }
      assert.match(Object.values(zh).join(' '), /[\u4e00-\u9fff]/, 'zh-CN catalogue is in Chinese');

      // data-i18n keys in the template (with optional [attr] prefixes, ';'-separated).
      const used: string[] = [];
      for (const m of l.template.matchAll(/data-i18n="([^"]+)"/g)) {
        for (const part of m[1].split(';')) {
          const key = part.replace(/^\[[^\]]*\]/, '').trim();
          if (key && !key.includes(':')) used.push(key);
        }
      }
      assert.ok(used.length > 0, 'the template is translated');
      // Keys named in the scripts: '<type>.x.y' literals (a trailing '.' is a prefix of a group),
      // and the ones the shared helpers add: a typed input's fallback, the template question.
      const jsKeys = [...l.code.matchAll(new RegExp(`'(${spec.type}\\.[A-Za-z0-9_.]+)'`, 'g'))].map((m) => m[1]).filter((k) => !/\.svg$/.test(k));
      if (/\.typed\(/.test(l.code)) jsKeys.push(`${spec.type}.errors.invalid`);
      for (const m of l.code.matchAll(/templateFiller\([^;]*'([\w.-]+\.)'\)/g)) jsKeys.push(...['confirmReplace', 'replace', 'keep'].map((k) => m[1] + k));
      for (const key of [...used, ...jsKeys]) {
        if (key.endsWith('.')) {
          const group = lookup(l.en, key.slice(0, -1));
          assert.ok(group && typeof group === 'object', `en-US has the group ${key.slice(0, -1)}`);
        } else {
          assert.equal(typeof lookup(l.en, key), 'string', `en-US has ${key}`);
        }
      }
      for (const key of used) {
        assert.ok(key.startsWith(`${spec.type}.`), `data-i18n key ${key} is in the node's namespace`);
      }
    });

    it('has markdown help in en-US and zh-CN with the style-guide sections', () => {
      const hasIn = (spec.inputs ?? 0) > 0;
      const hasOut = (spec.outputs ?? 0) > 0;
      const headings = {
        'en-US': { inputs: 'Inputs', outputs: 'Outputs', details: 'Details', example: 'Example', refs: 'References', props: 'Properties' },
        'zh-CN': { inputs: '输入', outputs: '输出', details: '详细', example: '示例', refs: '参考', props: '属性' },
      };
      for (const [lang, h] of Object.entries(headings)) {
        const file = path.join('src', 'nodes', spec.type, 'locales', lang, `${spec.type}.html`);
        const text = read(file);
        const blocks = scriptBlocks(text);
        assert.equal(blocks.length, 1, `${file}: one help block`);
        assert.equal(blocks[0].attrs.type, 'text/markdown', `${file}: markdown help`);
        assert.equal(blocks[0].attrs['data-help-name'], spec.type, `${file}: data-help-name="${spec.type}"`);
        const md = blocks[0].body.replace(/^\n+/, '');
        const first = md.split('\n')[0];
        assert.ok(first.trim().length > 10 && !first.startsWith('#'), `${file}: first paragraph is the palette tooltip`);
        assert.ok(!/^[ \t]+\S/m.test(md), `${file}: markdown lines have no leading indentation`);
        const has = (title: string) => new RegExp(`^### ${title}\\s*$`, 'm').test(md);
        assert.ok(has(h.details), `${file}: ### ${h.details}`);
        assert.ok(has(h.refs), `${file}: ### ${h.refs}`);
        assert.ok(md.includes(DOCS_URL), `${file}: links the UTMOS docs`);
        if (spec.config) {
          assert.ok(has(h.props), `${file}: ### ${h.props}`);
        } else {
          assert.equal(has(h.inputs), hasIn, `${file}: ### ${h.inputs} ${hasIn ? 'present' : 'absent (no input)'}`);
          assert.equal(has(h.outputs), hasOut, `${file}: ### ${h.outputs}`);
          assert.ok(has(h.example), `${file}: ### ${h.example}`);
          const outputs = md.split(`### ${h.outputs}`)[1]?.split(/^### /m)[0] ?? '';
          if ((spec.outputs ?? 0) > 1) {
            for (let i = 1; i <= (spec.outputs ?? 0); i++) assert.match(outputs, new RegExp(`^${i}\\. \\S`, 'm'), `${file}: output ${i} is numbered`);
          }
          assert.match(outputs, /^: \w+ \(\w+\) : /m, `${file}: outputs list message properties as ": name (type) : text"`);
        }
      }
    });
  });
}

describe('editor texts: shared', () => {
  it('help property lines are ones Node-RED renders: ": name (type) : description" with no other colon', () => {
    // Node-RED's help markdown (RED.utils.renderMarkdown) only takes a line as a property when
    // it matches this; a colon in the description (a URL, "x: y") breaks the entry.
    const rendered = /^:([^:\n]+)\(([^:\n]+)\).*?:([^:\n]*)$/;
    for (const spec of SPECS) {
      for (const lang of ['en-US', 'zh-CN']) {
        const md = read('src', 'nodes', spec.type, 'locales', lang, `${spec.type}.html`);
        const lines = md.split('\n').filter((line) => line.startsWith(':'));
        assert.ok(lines.length > 0, `${spec.type} ${lang}: documents properties`);
        for (const line of lines) assert.match(line, rendered, `${spec.type} ${lang}: ${line}`);
      }
    }
  });

  it('one name for the connection: "UTMOS connection" in the palette and "Connection" in every dialog', () => {
    const config = get('utmos-config');
    assert.equal(config.def.paletteLabel.call(nodeThis(config.en, {})), 'UTMOS connection');
    assert.equal(config.def.paletteLabel.call(nodeThis(config.zh, {})), 'UTMOS 连接');
    for (const spec of SPECS.filter((x) => !x.config)) {
      const l = get(spec.type);
      assert.equal(lookup(l.en, `${spec.type}.label.server`), 'Connection', spec.type);
      assert.equal(lookup(l.zh, `${spec.type}.label.server`), '连接', spec.type);
    }
    const texts = SPECS.flatMap((spec) => ['en-US', 'zh-CN'].flatMap((lang) => [
      ...Object.values(flatten(JSON.parse(read('src', 'nodes', spec.type, 'locales', lang, `${spec.type}.json`)))).map(String),
      read('src', 'nodes', spec.type, 'locales', lang, `${spec.type}.html`),
    ]));
    for (const t of texts) assert.doesNotMatch(t, /(?<!NTP )\bserver\b|(?<!NTP )服务器/i, 'no "server" for the connection (an NTP server is one)');
  });
});
