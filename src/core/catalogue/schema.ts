/**
 * Builds zod schemas from FieldSpec lists, with messages that name the field and the fix. Payloads
 * reach them only after the JSON guard (plain-data.ts): zod never sees cycles or non-JSON values.
 */
import { z } from 'zod';
import { describeValue } from '../describe-value';
import { isPlainObject, jsonPath } from '../plain-data';
import { Text, catalogueText, english, text } from '../text';
import type { ConditionalRule, FieldSpec, PayloadIssue } from './types';

type AnyZod = z.ZodType<unknown>;

// ---- messages --------------------------------------------------------------------------------

const TYPE_KEYS = {
  string: ['type.string', 'typeName.string'],
  integer: ['type.integer', 'typeName.integer'],
  number: ['type.number', 'typeName.number'],
  boolean: ['type.boolean', 'typeName.boolean'],
  object: ['type.object', 'typeName.object'],
  array: ['type.array', 'typeName.array'],
} as const;

/** "an integer" (article) or "integer" (bare, as in hints after a comma). */
function typeText(type: FieldSpec['type'], bare: boolean): Text {
  return text(TYPE_KEYS[type][bare ? 1 : 0]);
}

function rangeText(spec: FieldSpec, what: Text): Text {
  const { min, max } = spec;
  if (min === undefined && max === undefined) return what;
  if (spec.type === 'string' || spec.type === 'array') {
    const unit = spec.type === 'array' ? 'item' : 'character';
    const count = (k: number) => text(k === 1 ? `count.${unit}` : `count.${unit}s`, { n: k });
    if (min !== undefined && max !== undefined) {
      return min === max ? text('expect.lengthExactly', { what, count: count(min) }) : text('expect.lengthBetween', { what, min, count: count(max) });
    }
    if (min !== undefined) return text('expect.lengthAtLeast', { what, count: count(min) });
    return text('expect.lengthAtMost', { what, count: count(max as number) });
  }
  if (min !== undefined && max !== undefined) return text('expect.between', { what, min, max });
  if (min !== undefined) return text('expect.atLeast', { what, min });
  return text('expect.atMost', { what, max: max as number });
}

/** What a valid value looks like, e.g. "an integer between 0 and 100", "one of 0, 1, 3, 4". */
export function expectationText(spec: FieldSpec, withPattern = true, bare = false): Text {
  if (spec.enum && spec.enum.length > 0) {
    const shown = spec.enum.length > 12 ? [...spec.enum.slice(0, 10).map(fmt), '...', ...spec.enum.slice(-1).map(fmt)] : spec.enum.map(fmt);
    return text('expect.oneOf', { values: shown.join(', ') });
  }
  const pattern = withPattern && spec.type === 'string' && spec.pattern ? spec.pattern : undefined;
  let what: Text;
  if (spec.type === 'string' && spec.min === 1 && spec.max === undefined) {
    what = text(bare ? 'typeName.nonEmptyString' : 'type.nonEmptyString');
  } else {
    what = rangeText(spec, typeText(spec.type, bare));
  }
  return pattern ? text('expect.matching', { what, pattern }) : what;
}

export function expectation(spec: FieldSpec, withPattern = true): string {
  return english(expectationText(spec, withPattern));
}
const fmt = (v: string | number) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

const fieldName = (path: string) => (path === '' ? 'payload' : `payload.${path}`);

/** "string, camera enumeration like ..." / "integer, one of 0, 1; 0 off, 1 on": what to send. */
export function requirementHintText(spec: FieldSpec): Text {
  // The description (when present) says the format in words; the regex goes in "must be" messages.
  const description = spec.description ? catalogueText(spec.description) : undefined;
  if (spec.enum) {
    const type = typeText(spec.type, true);
    const expect = expectationText(spec);
    return description ? text('hint.enumDescribed', { type, expect, description }) : text('hint.enum', { type, expect });
  }
  const expect = expectationText(spec, !spec.description, true);
  return description ? text('hint.described', { expect, description }) : expect;
}

export function requirementHint(spec: FieldSpec): string {
  return english(requirementHintText(spec));
}

export function requiredText(spec: FieldSpec): Text {
  return text('payload.required', { field: fieldName(spec.path), hint: requirementHintText(spec) });
}

export function invalidText(spec: FieldSpec, input: unknown): Text {
  const params = { field: fieldName(spec.path), expect: expectationText(spec), got: describeValue(input) };
  return spec.description ? text('payload.invalidDescribed', { ...params, description: catalogueText(spec.description) }) : text('payload.invalid', params);
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
    const [, name, brackets = ''] = m;
    if (name) out.push(name);
    for (let i = 0; i < brackets.length / 2; i++) out.push('[]');
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

/**
 * zod issues carry a message string only; the text behind each message is kept here while one
 * validation runs (synchronously), so the caller can localise what it reports. See takeIssueTexts.
 */
const issueTexts = new Map<string, Text>();

function say(t: Text): string {
  const message = english(t);
  issueTexts.set(message, t);
  return message;
}

/** The texts behind the messages of the validation that just ran; clears them. */
export function takeIssueTexts(): Map<string, Text> {
  const taken = new Map(issueTexts);
  issueTexts.clear();
  return taken;
}

function errorFor(spec: FieldSpec) {
  return {
    // Optional fields never get here with undefined, so undefined means "missing".
    error: (iss: { input?: unknown }) => say(iss.input === undefined ? requiredText(spec) : invalidText(spec, iss.input)),
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

/** The payload schema of one method: a plain object, extra keys allowed, known fields checked. */
export function buildPayloadSchema(fields: readonly FieldSpec[], rules: readonly ConditionalRule[] = []): z.ZodType<Record<string, unknown>> {
  const tree = buildTree(fields);
  const specByPath = new Map(fields.map((f) => [f.path, f]));
  const base = z.looseObject(objectShape(tree, ''), {
    error: (iss) => say(text('payload.notObject', { got: describeValue(iss.input) })),
  });
  if (rules.length === 0) return base as z.ZodType<Record<string, unknown>>;
  return base.superRefine(
    (value, ctx) => {
      const v = value as Record<string, unknown>;
      for (const rule of rules) {
        if (!rule.if.in.includes(v[rule.if.path] as string | number)) continue;
        if (v[rule.then] !== undefined) continue;
        const spec = specByPath.get(rule.then);
        const hint = spec ? requirementHintText(spec) : text('hint.seeDjiDocs');
        ctx.addIssue({
          code: 'custom',
          path: [rule.then],
          input: undefined,
          message: say(text('payload.requiredWhen', { field: `payload.${rule.then}`, condition: catalogueText(rule.if.label), hint })),
        });
      }
    },
    // Run the rules even when other fields already failed, so all problems are listed at once.
    { when: (p) => isPlainObject(p.value) },
  ) as unknown as z.ZodType<Record<string, unknown>>;
}

// ---- issues ----------------------------------------------------------------------------------

/** A problem at `path`, with its English message and the text behind it. */
export function payloadIssue(path: string, t: Text): PayloadIssue {
  return { path, message: english(t), text: t };
}

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
