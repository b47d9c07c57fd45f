// The committed generated catalogue and the UTMOS-confirmed fields match the generator's inputs
// (src/core/catalogue/sources).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { findDjiMethod, type FieldSpec } from '../../src/core/catalogue';
import { GENERATED_PAYLOAD_SPECS } from '../../src/core/catalogue/payload-specs.generated';
import { method } from './catalogue-helpers';

// ---- cross-check against the generator's inputs ------------------------------------------------

const repoRoot = path.resolve(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a script of the repository, outside the TypeScript build
const gen = require(path.join(repoRoot, 'scripts', 'gen-catalogue.js')) as {
  generate(dir: string): string;
  defaultSpecDir(): string;
};
const specDir = gen.defaultSpecDir();

test('committed payload-specs.generated.ts matches the generator output', () => {
  const committed = fs.readFileSync(path.join(repoRoot, 'src', 'core', 'catalogue', 'payload-specs.generated.ts'), 'utf8');
  assert.equal(gen.generate(specDir), committed, 'run node scripts/gen-catalogue.js');
  assert.equal(GENERATED_PAYLOAD_SPECS.length, 83);
});

test('UTMOS-confirmed fields keep the documented type and required flag', () => {
  const confirmed = JSON.parse(fs.readFileSync(path.join(specDir, 'dji-methods.json'), 'utf8')) as Array<{
    method: string;
    payload: Record<string, { type: string; required: boolean }>;
  }>;
  assert.equal(confirmed.length, 17);
  for (const c of confirmed) {
    const m = method(c.method);
    assert.equal(m.payloadSource, 'utmos', c.method);
    for (const [field, f] of Object.entries(c.payload)) {
      const spec = m.fields.find((x) => x.path === field);
      assert.ok(spec, `${c.method}.${field}`);
      assert.equal(spec.type, f.type, `${c.method}.${field} type`);
      assert.equal(spec.required, f.required, `${c.method}.${field} required`);
    }
    const topLevelRequired = m.fields.filter((x) => x.required && !/[.[]/.test(x.path)).map((x) => x.path);
    assert.deepEqual(
      topLevelRequired.sort(),
      Object.entries(c.payload)
        .filter(([, f]) => f.required)
        .map(([k]) => k)
        .sort(),
      `${c.method}: no extra required top-level fields beyond UTMOS`,
    );
  }
});

test('DJI-sourced methods carry the DJI fields with mapped types', () => {
  const services = JSON.parse(fs.readFileSync(path.join(specDir, 'dji-services.json'), 'utf8')) as Array<{
    method: string;
    data: Record<string, { type: string; required: boolean }>;
  }>;
  // The mapping as the generator's header documents it, written out here as the test's own oracle.
  const map: Record<string, string> = {
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
  for (const s of services) {
    const m = findDjiMethod(s.method);
    if (!m || m.payloadSource !== 'dji') continue;
    for (const [p, f] of Object.entries(s.data)) {
      const spec: FieldSpec | undefined = m.fields.find((x) => x.path === p);
      assert.ok(spec, `${s.method}.${p}`);
      assert.equal(spec.type, map[f.type], `${s.method}.${p} type`);
    }
  }
});
