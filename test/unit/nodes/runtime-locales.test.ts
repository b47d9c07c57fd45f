// Static check of the runtime texts: every locale key the node code uses exists in en-US and
// zh-CN, the core texts' English copy equals the core's own, and nothing in the shared runtime
// section is left unused. (test/unit/editor/texts.test.ts checks that both locales have the same keys and
// placeholders.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { TERMINAL_STATUSES } from '../../../src/core/status';
import { CORE_TEXTS } from '../../../src/core/texts-en';
import { ROOT } from '../../helpers/paths';

const NODES = path.join(ROOT, 'src', 'nodes');
/** Every node the package registers (package.json "node-red"), so a new node is checked too. */
const TYPES = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))['node-red'].nodes as Record<string, string>);
const LANGS = ['en-US', 'zh-CN'];
const SHARED_PREFIXES = ['badge', 'reason', 'outcome', 'error', 'words', 'value', 'waiting', 'status'];
/** A shared key as written in code, e.g. 'badge.noConnection' (other literals in a call are values). */
const KEY_LIKE = new RegExp(`^(${SHARED_PREFIXES.join('|')})\\.[A-Za-z]+$`);

function catalogue(type: string, lang: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(NODES, type, 'locales', lang, `${type}.json`), 'utf8'));
}

function lookup(cat: Record<string, unknown>, key: string): unknown {
  return key.split('.').reduce<unknown>((at, part) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined), cat);
}

function flatten(obj: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') Object.assign(out, flatten(v, key));
    else out[key] = String(v);
  }
  return out;
}

/** The node sources, comments removed (they quote keys as examples). */
function sources(dir: string): Array<{ file: string; text: string }> {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({
      file: path.join(dir, f),
      text: fs.readFileSync(path.join(dir, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''),
    }));
}

/** The source of the first argument of every call `name(`, up to its top-level ',' or ')'. */
function firstArguments(text: string, name: string): string[] {
  const out: string[] = [];
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    let i = at + name.length;
    let depth = 0;
    let quote: string | undefined;
    const start = i;
    for (; i < text.length; i++) {
      const c = text[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = undefined;
        continue;
      }
      if (c === "'" || c === '"' || c === '`') quote = c;
      else if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
    }
    out.push(text.slice(start, i));
  }
  return out;
}

const literals = (source: string) => [...source.matchAll(/'([^'\\]*)'/g)].map((m) => m[1]);

const nodeSources: Record<string, Array<{ file: string; text: string }>> = Object.fromEntries(TYPES.map((t) => [t, sources(path.join(NODES, t))]));
const sharedSources = sources(path.join(NODES, 'shared'));
const allSources = [...Object.values(nodeSources).flat(), ...sharedSources];

/** Shared keys: literal arguments of texts.shared/optional, and key-looking literals in the shared helpers (tables of keys). */
function sharedKeysUsed(): Set<string> {
  const used = new Set<string>();
  for (const { text } of allSources) {
    for (const arg of [...firstArguments(text, 'texts.shared('), ...firstArguments(text, 'texts.optional(')]) {
      for (const lit of literals(arg)) if (KEY_LIKE.test(lit)) used.add(lit);
    }
  }
  for (const { text } of sharedSources) for (const lit of literals(text)) if (KEY_LIKE.test(lit)) used.add(lit);
  return used;
}

test('every texts.node() key exists in the node\'s en-US and zh-CN catalogues', () => {
  let count = 0;
  for (const type of TYPES) {
    for (const { file, text } of nodeSources[type]) {
      for (const arg of firstArguments(text, 'texts.node(')) {
        const keys = literals(arg);
        assert.ok(keys.length > 0, `${file}: texts.node(${arg.trim()}) names its key literally`);
        for (const key of keys) {
          for (const lang of LANGS) {
            assert.equal(typeof lookup(catalogue(type, lang), `${type}.${key}`), 'string', `${lang}/${type}.json has ${type}.${key} (${path.basename(file)})`);
          }
          count++;
        }
      }
    }
  }
  assert.ok(count > 20, `found the node keys (${count})`);
});

test('every field named in a message has a label in its node\'s catalogues', () => {
  const calls = ['requireText(texts, ', 'toSeconds(texts, ', 'texts.label(', 'numberSetting(texts, '];
  for (const type of TYPES) {
    for (const { file, text } of nodeSources[type]) {
      for (const call of calls) {
        for (const arg of firstArguments(text, call)) {
          for (const field of literals(arg)) {
            for (const lang of LANGS) assert.equal(typeof lookup(catalogue(type, lang), `${type}.label.${field}`), 'string', `${lang} ${type}.label.${field} (${path.basename(file)})`);
          }
        }
      }
      // evaluateTyped(RED, node, texts, 'field', ...)
      for (const m of text.matchAll(/evaluateTyped\(RED, node, texts, '([A-Za-z]+)'/g)) {
        for (const lang of LANGS) assert.equal(typeof lookup(catalogue(type, lang), `${type}.label.${m[1]}`), 'string', `${lang} ${type}.label.${m[1]}`);
      }
    }
  }
});

test('every shared key the code uses exists in utmos-config\'s en-US and zh-CN catalogues, and none is left unused', () => {
  const used = sharedKeysUsed();
  for (const status of [...TERMINAL_STATUSES, 'ACCEPTED', 'DISPATCHING', 'DELIVERED', 'RUNNING', 'UNKNOWN']) used.add(`status.${status}`);
  assert.ok(used.size > 60, `found the shared keys (${used.size})`);
  for (const lang of LANGS) {
    const shared = (lookup(catalogue('utmos-config', lang), 'utmos-config.shared') ?? {}) as Record<string, unknown>;
    for (const key of used) assert.equal(typeof lookup(shared, key), 'string', `${lang} utmos-config.shared.${key}`);
    const defined = Object.keys(flatten(shared)).filter((k) => !k.startsWith('core.') && k !== 'language');
    assert.deepEqual(defined.filter((k) => !used.has(k)), [], `${lang}: unused shared keys`);
  }
});

test('the core texts: the en-US copy is the core\'s English exactly, and zh-CN translates every one of them', () => {
  const en = flatten(lookup(catalogue('utmos-config', 'en-US'), 'utmos-config.shared.core'));
  const zh = flatten(lookup(catalogue('utmos-config', 'zh-CN'), 'utmos-config.shared.core'));
  assert.deepEqual(en, { ...CORE_TEXTS });
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(CORE_TEXTS).sort());
  const cjk = /[\u4e00-\u9fff]/;
  // Templates made only of parameters and punctuation (Chinese punctuation where it matters).
  const languageNeutral = new Set(['schema.issue', 'hint.enum', 'hint.enumDescribed', 'hint.described']);
  for (const [key, value] of Object.entries(zh)) {
    if (languageNeutral.has(key)) continue;
    assert.match(value, cjk, `zh-CN core.${key} is Chinese`);
  }
});

test('the runtime language tag sits where the adapters read it', () => {
  assert.equal(lookup(catalogue('utmos-config', 'en-US'), 'utmos-config.shared.language'), 'en-US');
  assert.equal(lookup(catalogue('utmos-config', 'zh-CN'), 'utmos-config.shared.language'), 'zh-CN');
});

test('runtime code gives users no hard-coded English: messages and badges go through texts', () => {
  for (const { file, text: code } of allSources) {
    for (const m of code.matchAll(/\b(?:status|warn|log|error)\(\{[^}]*text:\s*(['`])/g)) assert.fail(`${file}: literal badge text near "${m[0]}"`);
    for (const m of code.matchAll(/new UtmosInputError\('[^']*',\s*['`]|new Utmos(?!Input)\w*Error\(\s*['`]/g)) assert.fail(`${file}: literal error message near "${m[0]}"`);
    for (const m of code.matchAll(/node\.(?:warn|log|error)\((['`])/g)) assert.fail(`${file}: literal log text near "${m[0]}"`);
  }
});
