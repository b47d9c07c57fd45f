/**
 * The seed pages' example bodies (test/fixtures/seeds, copied from ../shared/seeds) and a
 * key-by-key comparison of a response with a documented example: same fields, same JSON types,
 * same value shapes (an id, a date-time, a numeric code, a CONSTANT, free text, ...).
 */
import fs from 'node:fs';
import path from 'node:path';

// dist/test/conformance -> package root
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURE_DIR = path.join(ROOT, 'test', 'fixtures', 'seeds');
export const SEED_DIR = path.resolve(ROOT, '..', 'shared', 'seeds');

export interface FixtureEntry {
  file: string;
  seed: string;
  call: string;
  kind: 'response' | 'request-body' | 'request-query';
  after: string;
}

export function manifest(): FixtureEntry[] {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'manifest.json'), 'utf8')).fixtures;
}

/** A fixture's value; every call returns a fresh copy. */
export function fixture<T = any>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8')) as T;
}

export const SEED = {
  statusFailed: '000_services-reply.get-command.response.json',
  listQuery: '002_requests.list-device-requests.request-query.json',
  list: '002_requests.list-device-requests.response.json',
  detail: '002_requests.get-device-request.response.json',
  fileuploadRequest: '003_fileupload_start.create-command.request.json',
  fileuploadResponse: '003_fileupload_start.command.response.json',
  recordingRequest: '004_camera_recording_start.create-command.request.json',
  recordingResponse: '004_camera_recording_start.command.response.json',
} as const;

/** The requests page's pending example (seed 002) under another id and receive time. */
export function pendingRequest(id: string, receivedAt: string): any {
  return { ...fixture(SEED.detail), request_id: id, received_at: receivedAt, updated_at: receivedAt };
}

/** A seed-shaped request answered by the cloud (manual) or by the platform itself (auto). */
export function answeredRequest(id: string, receivedAt: string, source: 'manual' | 'auto'): any {
  return {
    ...pendingRequest(id, receivedAt),
    routing_decision: source === 'auto' ? 'auto_reply' : 'manual_reply_required',
    reply_code: 'APPROVED',
    reply_message: source === 'auto' ? 'answered by the platform' : 'approved',
    reply_source: source,
    standardized_reply: { result: 0, output: {} },
    replied_at: '2026-04-22T12:00:05Z',
    updated_at: '2026-04-22T12:00:05Z',
  };
}

/** The JSON text that follows `marker` in a seed page (an object, or a URL query up to the closing quote). */
export function exampleAfter(page: string, marker: string): string {
  const at = page.indexOf(marker);
  if (at < 0) throw new Error(`marker ${JSON.stringify(marker)} not in the seed`);
  const start = page.indexOf('{', at + marker.length);
  let depth = 0;
  let inString = false;
  for (let i = start; i < page.length; i++) {
    const ch = page[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return page.slice(start, i + 1);
  }
  throw new Error(`unbalanced example after ${JSON.stringify(marker)}`);
}

/** Shape of a JSON value: its type, and for strings what kind of text it is. */
export function valueShape(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    case 'string':
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return 'string: 8-4-4-4-12 hex id';
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return 'string: RFC 3339 date-time';
      if (/^-?\d+$/.test(v)) return 'string: integer';
      if (/^[A-Z][A-Z0-9_]*$/.test(v)) return 'string: CONSTANT_NAME';
      if (/^[a-z][a-z0-9_]*$/.test(v)) return 'string: snake_case name';
      return 'string: text';
  }
  return typeof v;
}

export interface CompareOptions {
  /** Paths whose content the device or vendor defines: only the type is compared. */
  open?: readonly string[];
  /** Fields an object at `path` may carry beyond the example, each documented elsewhere. */
  extras?: Readonly<Record<string, readonly string[]>>;
}

/** Every way `actual` differs from the documented example, as readable lines (empty = conforms). */
export function shapeDifferences(example: unknown, actual: unknown, options: CompareOptions = {}, at = ''): string[] {
  const where = at || '(body)';
  const want = valueShape(example);
  const got = valueShape(actual);
  if (want !== got) return [`${where}: the example has ${want} (${JSON.stringify(example)}), got ${got} (${JSON.stringify(actual)})`];
  if ((options.open ?? []).includes(at)) return [];
  const out: string[] = [];
  if (want === 'array') {
    const items = example as unknown[];
    const actualItems = actual as unknown[];
    if (items.length > 0 && actualItems.length === 0) out.push(`${where}: the example has items, got an empty array`);
    if (items.length > 0) actualItems.forEach((item) => out.push(...shapeDifferences(items[0], item, options, `${at}[]`)));
  } else if (want === 'object') {
    const e = example as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      const child = at ? `${at}.${key}` : key;
      if (!(key in a)) out.push(`${child}: in the example, missing`);
      else out.push(...shapeDifferences(e[key], a[key], options, child));
    }
    const allowed = options.extras?.[at] ?? [];
    for (const key of Object.keys(a)) {
      if (!(key in e) && !allowed.includes(key))
        out.push(`${at ? `${at}.` : ''}${key}: not in the example nor documented for this call (${JSON.stringify(a[key])})`);
    }
  }
  return out;
}
