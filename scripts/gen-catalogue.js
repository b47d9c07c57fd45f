#!/usr/bin/env node
// Generates src/core/catalogue/payload-specs.generated.ts: for each of the 83 UTMOS DJI methods
// (names and order from src/core/catalogue/methods.ts) its payload field specs, where they come
// from, and its DJI progress event.
//
// Inputs (copies of the project's research digest, see src/core/catalogue/sources/README.md):
//   <spec>/dji-methods.json   payloads CONFIRMED by the UTMOS docs (authoritative)
//   <spec>/dji-services.json  the DJI Cloud API dock services (second source)
// <spec> defaults to src/core/catalogue/sources; override with --spec DIR or UTMOS_SPEC_DIR.
//
// Merge rules:
//   * UTMOS-confirmed method: its top-level fields exactly as UTMOS documents them (type,
//     required). DJI adds the members of those fields (e.g. file.url under UTMOS' `file` object)
//     and any top-level field UTMOS does not list, the latter always as optional.
//   * DJI-only method: DJI fields with types mapped (text/enum_string -> string, int/enum_int ->
//     integer, float/double -> number, bool -> boolean, struct -> object, array -> array) and
//     DJI's required flags (a nested flag applies when its parent is present).
//   * Neither: payload source 'unknown', no fields (free-form object).
// Ranges, enums, descriptions and templates are hand-written in src/core/catalogue/annotations/.
//
// Usage: node scripts/gen-catalogue.js [--spec DIR] [--check]
//   --check  exit 1 if the committed file differs from what would be generated.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const OUT = path.join(root, 'src', 'core', 'catalogue', 'payload-specs.generated.ts');
const METHODS_TS = path.join(root, 'src', 'core', 'catalogue', 'methods.ts');
const SOURCES = path.join(root, 'src', 'core', 'catalogue', 'sources');

const DJI_TYPES = {
  text: 'string',
  enum_string: 'string',
  int: 'integer',
  enum_int: 'integer',
  float: 'number',
  double: 'number',
  bool: 'boolean',
  struct: 'object',
  array: 'array',
};
const UTMOS_TYPES = { string: 'string', integer: 'integer', number: 'number', boolean: 'boolean', object: 'object', array: 'array' };

/** Method names, domains and name provenance, in catalogue order, read from methods.ts. */
function readMethodNames(file = METHODS_TS) {
  const text = fs.readFileSync(file, 'utf8');
  const out = [];
  const block = /\.\.\.(confirmed|inferred)\(\s*'(\w+)'\s*,\s*\[([\s\S]*?)\]\s*\)/g;
  let m;
  while ((m = block.exec(text))) {
    for (const n of m[3].matchAll(/'([a-z0-9_]+)'/g)) {
      out.push({ method: n[1], domain: m[2], nameSource: m[1] === 'confirmed' ? 'utmos' : 'inferred' });
    }
  }
  if (out.length === 0) throw new Error(`no method names found in ${file}`);
  return out;
}

function mapDjiType(method, p, t) {
  const mapped = DJI_TYPES[t];
  if (!mapped) throw new Error(`${method}.${p}: unknown DJI type ${t}`);
  return mapped;
}

/** Root segment of a flattened path: 'file.url' -> 'file', 'points[].height' -> 'points'. */
const rootOf = (p) => p.split(/[.[]/)[0];

function buildSpecs({ utmosMethods, djiServices, names }) {
  const utmosBy = new Map(utmosMethods.map((m) => [m.method, m]));
  const djiBy = new Map(djiServices.map((m) => [m.method, m]));
  const specs = [];
  for (const { method, domain } of names) {
    const u = utmosBy.get(method);
    const d = djiBy.get(method);
    const djiData = (d && d.data) || {};
    const djiRef = d ? `DJI Cloud API ${d.source.replace(/^.*\/\d+\.(dock[12])\//, '$1 ')} (topic ${d.topic})` : undefined;
    let spec;
    if (u) {
      const fields = [];
      const utmosKeys = Object.keys(u.payload || {});
      for (const key of utmosKeys) {
        const f = u.payload[key];
        const type = UTMOS_TYPES[f.type];
        if (!type) throw new Error(`${method}.${key}: unknown UTMOS type ${f.type}`);
        fields.push({ path: key, type, required: !!f.required, source: 'utmos' });
        // DJI members of a UTMOS object/array field, in DJI order.
        for (const [p, df] of Object.entries(djiData)) {
          if (p !== key && rootOf(p) === key) {
            fields.push({ path: p, type: mapDjiType(method, p, df.type), required: !!df.required, source: 'dji' });
          }
        }
      }
      // DJI top-level fields UTMOS does not list: optional (UTMOS' field list is authoritative).
      for (const [p, df] of Object.entries(djiData)) {
        const r = rootOf(p);
        if (utmosKeys.includes(r)) continue;
        const required = p === r ? false : !!df.required; // members keep "required when parent present"
        fields.push({ path: p, type: mapDjiType(method, p, df.type), required, source: 'dji' });
      }
      spec = {
        method,
        payloadSource: 'utmos',
        description: `Payload confirmed by the UTMOS docs (${u.source})${d ? `; nested members and extra optional fields from ${djiRef}` : ''}.`,
        reference: u.source,
        progressEvent: d ? d.progress_event : null,
        fields,
      };
    } else if (method === 'camera_photo_take') {
      // UTMOS API reference example (accept a downlink command):
      //   {"command_type":"camera_photo_take","payload":{"payload_index":"52-0-0"}, ...}
      // The field NAME is confirmed by UTMOS; its required-ness is not stated there. We mark it
      // required: DJI requires it (dji-services.json), the dock cannot pick a camera without it,
      // and the UTMOS example always sends it. So the payload source is 'utmos'.
      if (!d || !djiData.payload_index) throw new Error('camera_photo_take: DJI spec lost payload_index');
      spec = {
        method,
        payloadSource: 'utmos',
        description: `Field name confirmed by the UTMOS API-reference example (payload_index "52-0-0"); required as in ${djiRef}.`,
        reference: 'https://docs.utmos.dev/api-reference/commands/accept-a-downlink-command',
        progressEvent: d.progress_event,
        fields: [{ path: 'payload_index', type: 'string', required: true, source: 'utmos' }],
      };
    } else if (d) {
      spec = {
        method,
        payloadSource: 'dji',
        description: `Payload from ${djiRef}; not confirmed by the UTMOS docs.`,
        reference: d.source,
        progressEvent: d.progress_event,
        fields: Object.entries(djiData).map(([p, df]) => ({
          path: p,
          type: mapDjiType(method, p, df.type),
          required: !!df.required,
          source: 'dji',
        })),
      };
    } else {
      spec = {
        method,
        payloadSource: 'unknown',
        description: `No payload documentation found (UTMOS or DJI services) for this ${domain} method; any JSON object is accepted.`,
        reference: null,
        progressEvent: null,
        fields: [],
      };
    }
    specs.push(spec);
  }
  return specs;
}

const q = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function render(specs) {
  const lines = [];
  lines.push('// GENERATED by scripts/gen-catalogue.js from sources/dji-methods.json (UTMOS, authoritative) and');
  lines.push('// sources/dji-services.json (DJI Cloud API). Do not edit by hand: change the generator, its inputs or');
  lines.push('// the hand-written annotations in annotations/, then run `node scripts/gen-catalogue.js`.');
  lines.push("import type { GeneratedPayloadSpec } from './types';");
  lines.push('');
  lines.push('export const GENERATED_PAYLOAD_SPECS: readonly GeneratedPayloadSpec[] = [');
  for (const s of specs) {
    lines.push('  {');
    lines.push(`    method: ${q(s.method)},`);
    lines.push(`    payloadSource: ${q(s.payloadSource)},`);
    lines.push(`    description: ${q(s.description)},`);
    lines.push(`    reference: ${s.reference === null ? 'null' : q(s.reference)},`);
    lines.push(`    progressEvent: ${s.progressEvent === null ? 'null' : q(s.progressEvent)},`);
    if (s.fields.length === 0) {
      lines.push('    fields: [],');
    } else {
      lines.push('    fields: [');
      for (const f of s.fields) {
        lines.push(`      { path: ${q(f.path)}, type: ${q(f.type)}, required: ${f.required}, source: ${q(f.source)} },`);
      }
      lines.push('    ],');
    }
    lines.push('  },');
  }
  lines.push('];');
  lines.push('');
  return lines.join('\n');
}

/** Returns the text of payload-specs.generated.ts for the given spec directory. */
function generate(specDir, methodsFile = METHODS_TS) {
  const read = (f) => JSON.parse(fs.readFileSync(path.join(specDir, f), 'utf8'));
  const specs = buildSpecs({
    utmosMethods: read('dji-methods.json'),
    djiServices: read('dji-services.json'),
    names: readMethodNames(methodsFile),
  });
  return render(specs);
}

function defaultSpecDir() {
  return process.env.UTMOS_SPEC_DIR || SOURCES;
}

module.exports = { generate, buildSpecs, readMethodNames, defaultSpecDir, OUT };

if (require.main === module) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--spec');
  const specDir = i >= 0 ? path.resolve(args[i + 1]) : defaultSpecDir();
  const text = generate(specDir);
  if (args.includes('--check')) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(root, OUT)} is out of date; run node scripts/gen-catalogue.js`);
      process.exit(1);
    }
    console.log(`${path.relative(root, OUT)} is up to date`);
  } else {
    fs.writeFileSync(OUT, text);
    console.log(`wrote ${path.relative(root, OUT)}`);
  }
}
