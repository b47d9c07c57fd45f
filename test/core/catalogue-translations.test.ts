// The catalogue in Chinese: a translation beside the English source, served to the editor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DJI_METHODS, catalogueForEditor, catalogueLanguage } from '../../src/core/catalogue';
import { ANNOTATIONS } from '../../src/core/catalogue/annotations';
import { ZH_CN_SUMMARIES, ZH_CN_TEXTS } from '../../src/core/catalogue/zh-CN';

const CJK = /[\u4e00-\u9fff]/;

type EditorCatalogue = { version: number; count: number; domains: Array<{ domain: string; methods: any[] }> };
const methodsOf = (c: EditorCatalogue) => c.domains.flatMap((d) => d.methods);

test('every method summary, field description and rule condition has Chinese', () => {
  assert.equal(DJI_METHODS.length, 83);
  for (const m of DJI_METHODS) {
    assert.match(ZH_CN_SUMMARIES[m.method] ?? '', CJK, `${m.method}: summary in Chinese`);
    for (const f of m.fields) {
      if (f.description) assert.match(ZH_CN_TEXTS[f.description] ?? '', CJK, `${m.method}.${f.path}: "${f.description}" in Chinese`);
    }
    for (const r of m.rules) assert.match(ZH_CN_TEXTS[r.if.label] ?? '', CJK, `${m.method}: rule "${r.if.label}" in Chinese`);
  }
});

test('no translation is left over for a text the catalogue no longer has', () => {
  const methods = new Set(DJI_METHODS.map((m) => m.method));
  assert.deepEqual(
    Object.keys(ZH_CN_SUMMARIES).filter((m) => !methods.has(m)),
    [],
  );
  assert.deepEqual(
    Object.keys(ANNOTATIONS).filter((m) => !methods.has(m)),
    [],
  );
  const texts = new Set(DJI_METHODS.flatMap((m) => [...m.fields.map((f) => f.description), ...m.rules.map((r) => r.if.label)]));
  assert.deepEqual(
    Object.keys(ZH_CN_TEXTS).filter((t) => !texts.has(t)),
    [],
  );
});

test('the editor catalogue in Chinese has the same shape as the English one, with Chinese texts', () => {
  const en = catalogueForEditor('en') as EditorCatalogue;
  const zh = catalogueForEditor('zh') as EditorCatalogue;
  assert.equal(zh.count, en.count);
  assert.deepEqual(
    zh.domains.map((d) => d.domain),
    en.domains.map((d) => d.domain),
  );
  const enMethods = methodsOf(en);
  const zhMethods = methodsOf(zh);
  assert.equal(zhMethods.length, 83);
  zhMethods.forEach((z, i) => {
    const e = enMethods[i];
    assert.deepEqual(Object.keys(z).sort(), Object.keys(e).sort());
    assert.equal(z.method, e.method);
    assert.deepEqual(z.template, e.template);
    assert.match(z.summary, CJK, `${z.method} summary`);
    assert.notEqual(z.summary, e.summary);
    assert.deepEqual(
      z.fields.map((f: any) => f.path),
      e.fields.map((f: any) => f.path),
    );
    z.fields.forEach((f: any, j: number) => {
      const { description: zd, ...zRest } = f;
      const { description: ed, ...eRest } = e.fields[j];
      assert.deepEqual(zRest, eRest, `${z.method}.${f.path}: only the description changes`);
      if (ed) assert.match(zd, CJK, `${z.method}.${f.path} description`);
    });
  });
  assert.equal(JSON.stringify(catalogueForEditor()), JSON.stringify(en), 'English by default');
});

test('which language a lang parameter asks for', () => {
  for (const tag of ['zh-CN', 'zh-TW', 'zh', 'ZH-cn', 'zh_CN', ' zh-Hans ']) assert.equal(catalogueLanguage(tag), 'zh', tag);
  for (const tag of ['en-US', 'en', '', 'zhx', 'de-DE', undefined, null, ['zh-CN'], 42]) assert.equal(catalogueLanguage(tag), 'en', String(tag));
});
