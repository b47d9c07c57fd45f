#!/usr/bin/env node
// Copies the core's English texts (src/core/texts-en.ts, compiled) into utmos-config's en-US
// catalogue under "utmos-config.shared.core", where Node-RED's i18n serves them, and lists the
// keys zh-CN still lacks. Run after changing a core text: `npm run build && node scripts/sync-core-texts.js`.
// test/unit/nodes/runtime-locales.test.ts fails until both catalogues match the core.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const { CORE_TEXTS } = require(path.join(root, 'dist', 'src', 'core', 'texts-en.js'));
const file = (lang) => path.join(root, 'src', 'nodes', 'utmos-config', 'locales', lang, 'utmos-config.json');

function nest(flat) {
  const out = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let at = out;
    for (const part of parts.slice(0, -1)) at = at[part] = at[part] || {};
    at[parts[parts.length - 1]] = value;
  }
  return out;
}

function flatten(obj, prefix = '') {
  const out = {};
  for (const [k, v] of Object.entries(obj || {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') Object.assign(out, flatten(v, key));
    else out[key] = v;
  }
  return out;
}

const en = JSON.parse(fs.readFileSync(file('en-US'), 'utf8'));
en['utmos-config'].shared.core = nest(CORE_TEXTS);
fs.writeFileSync(file('en-US'), `${JSON.stringify(en, null, 4)}\n`);

// zh-CN: same order as the core, translations kept; report what is missing or no longer used.
const zh = JSON.parse(fs.readFileSync(file('zh-CN'), 'utf8'));
const translated = flatten(zh['utmos-config'].shared.core);
const missing = Object.keys(CORE_TEXTS).filter((k) => !(k in translated));
const unused = Object.keys(translated).filter((k) => !(k in CORE_TEXTS));
zh['utmos-config'].shared.core = nest(Object.fromEntries(Object.keys(CORE_TEXTS).filter((k) => k in translated).map((k) => [k, translated[k]])));
fs.writeFileSync(file('zh-CN'), `${JSON.stringify(zh, null, 4)}\n`);
if (missing.length) console.log(`zh-CN lacks: ${missing.join(', ')}`);
if (unused.length) console.log(`zh-CN dropped (no longer in the core): ${unused.join(', ')}`);
