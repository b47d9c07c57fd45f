// The DJI result code table: every code described in English and Chinese, in our own words.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DJI_CODE_GROUPS, describeDjiResultCode, djiResultCodes } from '../../src/core/dji-result-codes';

const CJK = /[\u4e00-\u9fff]/;
// DJI's reference list (a copy, see test/fixtures/dji-error-codes/README.md).
const REFERENCE = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'dji-error-codes', 'dji-error-codes.json');
const reference = JSON.parse(fs.readFileSync(REFERENCE, 'utf8')) as Array<{ code: number; group: string; message: string }>;

test('445 codes, each with a group and a badge text and a sentence in English and in Chinese', () => {
  const codes = djiResultCodes();
  assert.equal(codes.length, 445);
  assert.equal(new Set(codes).size, 445);
  for (const code of codes) {
    const en = describeDjiResultCode(code, 'en')!;
    const zh = describeDjiResultCode(code, 'zh')!;
    assert.ok(en && zh, `${code} is described`);
    assert.equal(en.group, zh.group);
    assert.ok(en.group in DJI_CODE_GROUPS, `${code}: group ${en.group}`);
    assert.equal(en.groupText, DJI_CODE_GROUPS[en.group].en);
    assert.equal(zh.groupText, DJI_CODE_GROUPS[en.group].zh);
    for (const [label, value] of Object.entries({ 'en short': en.short, 'en text': en.text, 'zh short': zh.short, 'zh text': zh.text })) {
      assert.ok(value.trim().length > 0, `${code}: ${label} is not empty`);
    }
    assert.ok(en.short.length <= 32, `${code}: the English badge text fits a badge (${en.short})`);
    assert.ok(zh.short.length <= 16, `${code}: the Chinese badge text fits a badge (${zh.short})`);
    assert.ok(!CJK.test(en.short) && !CJK.test(en.text), `${code}: English is English`);
    assert.match(zh.short, CJK, `${code}: Chinese badge text`);
    assert.match(zh.text, CJK, `${code}: Chinese sentence`);
    assert.notEqual(zh.short, en.short);
    assert.notEqual(zh.text, en.text);
    assert.match(en.text, /^[a-z0-9]/, `${code}: the sentence continues a line ("X failed on Y: ..."), so it starts in lower case`);
    assert.ok(!/[.。]$/.test(en.text), `${code}: no full stop inside a line`);
  }
  for (const group of Object.keys(DJI_CODE_GROUPS)) {
    assert.ok(
      codes.some((c) => describeDjiResultCode(c)!.group === group),
      `group ${group} is used`,
    );
  }
});

test('codes are found as numbers and as the platform sends them (strings); unknown codes and success are not described', () => {
  assert.equal(describeDjiResultCode('514153', 'zh')?.code, 514153);
  assert.equal(describeDjiResultCode(' 514153 ')?.code, 514153);
  assert.equal(describeDjiResultCode(514153)?.short, 'not in debug mode');
  for (const none of [0, '0', 999999, '999999', '', 'abc', null, undefined, 514153.5, '514153x']) {
    assert.equal(describeDjiResultCode(none), undefined, `${String(none)} is not described`);
  }
});

test("same codes and groups as the DJI reference list, and the texts are not DJI's sentences", () => {
  const refs = reference;
  assert.deepEqual(
    djiResultCodes(),
    refs.map((r) => r.code).sort((a, b) => a - b),
  );
  const groupsByReference = new Map<string, Set<string>>();
  for (const r of refs) {
    const ours = describeDjiResultCode(r.code)!.group;
    if (!groupsByReference.has(r.group)) groupsByReference.set(r.group, new Set());
    groupsByReference.get(r.group)!.add(ours);
  }
  for (const [theirs, ours] of groupsByReference) assert.equal(ours.size, 1, `DJI group "${theirs}" maps to one group of ours: ${[...ours]}`);
  const words = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9 ]+/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
  for (const r of refs) {
    const ours = ` ${words(describeDjiResultCode(r.code)!.text).join(' ')} `;
    const theirs = words(r.message);
    for (let i = 0; i + 6 <= theirs.length; i++) {
      const run = theirs.slice(i, i + 6).join(' ');
      assert.ok(!ours.includes(` ${run} `), `${r.code}: our text repeats DJI's words "${run}"`);
    }
  }
});
