/**
 * Builds zod schemas from FieldSpec lists, with messages that name the field and the fix, and
 * guards payloads that zod should never see (cycles, excessive depth/size, non-JSON values).
 */
import { z } from 'zod';
import { jsonPath } from '../plain-data';
import type { ConditionalRule, FieldSpec } from './types';

type AnyZod = z.ZodType<unknown>;

// ---- messages --------------------------------------------------------------------------------

/** Short, safe rendering of a received value for messages (never throws, never huge). */
export function describeValue(v: unknown): string {
  try {
    if (v === null) return 'null';
    if (v === undefined) return 'undefined';
    switch (typeof v) {
      case 'string': {
        const s = v.length > 40 ? `${v.slice(0, 37)}...` : v;
        return JSON.stringify(s);
      }
      case 'number':
        return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
      case 'boolean':
        return String(v);
      case 'bigint':
        return `${v}n (a BigInt)`;
      case 'function':
        return 'a function';
      case 'symbol':
        return 'a symbol';
      default:
        if (Array.isArray(v)) return `an array of ${v.length}`;
        return 'an object';
    }
  } catch {
    return 'an unreadable value';
  }
}

const ARTICLE: Record<FieldSpec['type'], string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
  object: 'an object',
  array: 'an array',
};

function rangeText(spec: FieldSpec): string {
  const { min, max } = spec;
  if (min === undefined && max === undefined) return '';
  if (spec.type === 'string' || spec.type === 'array') {
    const unit = spec.type === 'array' ? 'item' : 'character';
    const n = (k: number) => `${k} ${unit}${k === 1 ? '' : 's'}`;
    if (min !== undefined && max !== undefined) return min === max ? ` with exactly ${n(min)}` : ` with ${min} to ${n(max)}`;
    if (min !== undefined) return ` with at least ${n(min)}`;
    return ` with at most ${n(max as number)}`;
  }
  if (min !== undefined && max !== undefined) return ` between ${min} and ${max}`;
  if (min !== undefined) return ` no less than ${min}`;
  return ` no greater than ${max}`;
}

/** What a valid value looks like, e.g. "an integer between 0 and 100", "one of 0, 1, 3, 4". */
export function expectation(spec: FieldSpec, withPattern = true): string {
  if (spec.enum && spec.enum.length > 0) {
    const shown = spec.enum.length > 12 ? [...spec.enum.slice(0, 10).map(fmt), '...', fmt(spec.enum[spec.enum.length - 1])] : spec.enum.map(fmt);
    return `one of ${shown.join(', ')}`;
  }
  if (spec.type === 'string' && spec.min === 1 && spec.max === undefined) {
    return `a non-empty string${withPattern && spec.pattern ? ` matching /${spec.pattern}/` : ''}`;
  }
  return ARTICLE[spec.type] + rangeText(spec) + (withPattern && spec.type === 'string' && spec.pattern ? ` matching /${spec.pattern}/` : '');
}
const fmt = (v: string | number) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

const fieldName = (path: string) => (path === '' ? 'payload' : `payload.${path}`);

/** "string, camera enumeration like ..." / "integer, one of 0, 1; 0 off, 1 on": what to send. */
export function requirementHint(spec: FieldSpec): string {
  // The description (when present) says the format in words; the regex goes in "must be" messages.
  const what = spec.enum ? `${spec.type}, ${expectation(spec)}` : expectation(spec, !spec.description).replace(/^an? /, '');
  return spec.description ? `${what}${spec.enum ? '; ' : ', '}${spec.description}` : what;
}

export function requiredMessage(spec: FieldSpec): string {
  return `${fieldName(spec.path)} is required (${requirementHint(spec)})`;
}

export function invalidMessage(spec: FieldSpec, input: unknown): string {
  const tail = spec.description ? `; ${spec.description}` : '';
  return `${fieldName(spec.path)} must be ${expectation(spec)} (got ${describeValue(input)})${tail}`;
}

// ---- schema building -------------------------------------------------------------------------

interface Node {
  spec?: FieldSpec;
  children: Map<string, Node>; // key '[]' = array item
}

/** 'points[].latitude' -> ['points', '[]', 'latitude']; 'flight_ids[]' -> ['flight_ids', '[]']. */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\])*)$/.exec(part);
    if (!m) throw new Error(`bad field path ${path}`);
    if (m[1]) out.push(m[1]);
    for (let i = 0; i < m[2].length / 2; i++) out.push('[]');
  }
  return out;
}

function buildTree(fields: readonly FieldSpec[]): Node {
  const rootNode: Node = { children: new Map() };
  for (const f of fields) {
    let node = rootNode;
    for (const seg of splitPath(f.path)) {
      let next = node.children.get(seg);
      if (!next) node.children.set(seg, (next = { children: new Map() }));
      node = next;
    }
    node.spec = f;
  }
  return rootNode;
}

function errorFor(spec: FieldSpec) {
  return {
    // Optional fields never get here with undefined, so undefined means "missing".
    error: (iss: { input?: unknown }) => (iss.input === undefined ? requiredMessage(spec) : invalidMessage(spec, iss.input)),
  };
}

function objectShape(node: Node, parentPath: string): Record<string, AnyZod> {
  const shape: Record<string, AnyZod> = {};
  for (const [key, child] of node.children) {
    if (key === '[]') continue;
    const path = parentPath ? `${parentPath}.${key}` : key;
    const spec: FieldSpec = child.spec ?? {
      path,
      type: child.children.has('[]') ? 'array' : 'object',
      required: false,
    };
    const s = buildField(spec, child);
    shape[key] = spec.required ? s : s.optional();
  }
  return shape;
}

function buildField(spec: FieldSpec, node: Node): AnyZod {
  const err = errorFor(spec);
  const enumValues = spec.enum && spec.enum.length > 0 ? spec.enum : undefined;
  switch (spec.type) {
    case 'string': {
      if (enumValues) return z.literal(enumValues as [string, ...string[]], err);
      let s = z.string(err);
      if (spec.min !== undefined) s = s.min(spec.min, err);
      if (spec.max !== undefined) s = s.max(spec.max, err);
      if (spec.pattern) s = s.regex(new RegExp(spec.pattern), err);
      return s;
    }
    case 'integer':
    case 'number': {
      if (enumValues) return z.literal(enumValues as [number, ...number[]], err);
      let n = z.number(err);
      if (spec.type === 'integer') n = n.int(err);
      if (spec.min !== undefined) n = n.min(spec.min, err);
      if (spec.max !== undefined) n = n.max(spec.max, err);
      return n;
    }
    case 'boolean':
      return z.boolean(err);
    case 'object':
      return z.looseObject(objectShape(node, spec.path), err);
    case 'array': {
      const itemNode = node.children.get('[]');
      let item: AnyZod = z.unknown();
      if (itemNode) {
        const itemSpec: FieldSpec = itemNode.spec ?? { path: `${spec.path}[]`, type: 'object', required: true };
        item = buildField(itemSpec, itemNode);
      }
      let a = z.array(item, err);
      if (spec.min !== undefined) a = a.min(spec.min, err);
      if (spec.max !== undefined) a = a.max(spec.max, err);
      return a;
    }
  }
}

const ROOT_SPEC: FieldSpec = {
  path: '',
  type: 'object',
  required: true,
  description: 'a JSON object; send {} when the command takes no parameters',
};

const isPlainRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The payload schema of one method: a plain object, extra keys allowed, known fields checked. */
export function buildPayloadSchema(
  fields: readonly FieldSpec[],
  rules: readonly ConditionalRule[] = [],
): z.ZodType<Record<string, unknown>> {
  const tree = buildTree(fields);
  const specByPath = new Map(fields.map((f) => [f.path, f]));
  const base = z.looseObject(objectShape(tree, ''), {
    error: (iss) => `payload must be ${ROOT_SPEC.description} (got ${describeValue(iss.input)})`,
  });
  if (rules.length === 0) return base as z.ZodType<Record<string, unknown>>;
  return base.superRefine(
    (value, ctx) => {
      const v = value as Record<string, unknown>;
      for (const rule of rules) {
        if (!rule.if.in.includes(v[rule.if.path] as string | number)) continue;
        if (v[rule.then] !== undefined) continue;
        const spec = specByPath.get(rule.then);
        const hint = spec ? requirementHint(spec) : 'see the DJI docs';
        ctx.addIssue({
          code: 'custom',
          path: [rule.then],
          input: undefined,
          message: `payload.${rule.then} is required when ${rule.if.label} (${hint})`,
        });
      }
    },
    // Run the rules even when other fields already failed, so all problems are listed at once.
    { when: (p) => isPlainRecord(p.value) },
  ) as unknown as z.ZodType<Record<string, unknown>>;
}

// ---- JSON guard ------------------------------------------------------------------------------

export { checkJsonData, MAX_DEPTH, MAX_NODES } from '../plain-data';

/** Concrete issue path from a zod path: ['points', 0, 'latitude'] -> 'payload.points[0].latitude'. */
export function issuePath(path: readonly PropertyKey[]): string {
  return jsonPath(path);
}

/** Spec path of a zod path: ['points', 0, 'latitude'] -> 'points[].latitude'. */
export function specPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += '[]';
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}
