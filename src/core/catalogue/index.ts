/**
 * DJI command catalogue: the 83 methods UTMOS accepts, what their payloads look like, and a fast
 * validator for them. Node-RED-free.
 *
 * Payload sources (see types.ts): 'utmos' fields are confirmed by the UTMOS docs; 'dji' fields
 * come from the DJI Cloud API; 'unknown' payloads accept any object.
 *
 * Validation policy:
 *   * a payload must be a plain JSON object ({} for no-argument commands);
 *   * known fields are checked for presence (when required), type, enum and range;
 *   * unknown extra keys are allowed for every method, including UTMOS-confirmed ones: the
 *     platform may accept vendor extensions and DJI firmware adds fields over time, while a
 *     wrong type, a missing required field or an out-of-range value is a definite error;
 *   * cyclic, too deep (> 64 levels), too large (> 100 000 values) or non-JSON data, and own
 *     `__proto__` keys, are reported as issues; validateDjiPayload never throws.
 * Schemas are built once, when this module loads.
 */
import type { z } from 'zod';
import { DJI_DOMAINS, DJI_METHOD_NAMES, type DjiDomain } from './methods';
import { GENERATED_PAYLOAD_SPECS } from './payload-specs.generated';
import { ANNOTATIONS } from './annotations';
import type { DjiLanguage } from '../dji-result-codes';
import { Problem, UtmosInputError } from '../errors';
import { describeKind } from '../describe-value';
import { checkJsonData, isPlainObject } from '../plain-data';
import { DJI_METHOD_NAME_PATTERN } from '../schemas';
import { Text, raw, text } from '../text';
import { translateCatalogueText, translateSummary } from './translations';
import { buildPayloadSchema, issuePath, payloadIssue, specPath, splitPath, takeIssueTexts } from './schema';
import { suggestFrom } from './suggest';
import type { DjiMethod, FieldSpec, GeneratedPayloadSpec, PayloadIssue, PayloadValidation } from './types';

export { DJI_DOMAINS, DJI_METHOD_NAMES } from './methods';
export type { DjiDomain, DjiMethodName, NameSource } from './methods';
export type { ConditionalRule, DjiMethod, FieldSpec, FieldType, PayloadIssue, PayloadSource, PayloadValidation } from './types';
export { editDistance } from './suggest';
export { catalogueLanguage, translateCatalogueText, translateSummary } from './translations';

// ---- assembly ----------------------------------------------------------------------------

/** Generated fields with the hand-written refinements applied (new paths inserted after their parent). */
function mergeFields(method: string, generated: readonly FieldSpec[], refinements: Record<string, Partial<FieldSpec>> = {}): FieldSpec[] {
  const fields = generated.map((f) => ({ ...f }));
  for (const [path, r] of Object.entries(refinements)) {
    const existing = fields.find((f) => f.path === path);
    if (existing) {
      Object.assign(existing, r, { path });
      continue;
    }
    if (!r.type || r.required === undefined) {
      throw new Error(`catalogue: ${method}.${path} is refined but not generated; give type and required to add it`);
    }
    const leaf = splitPath(path).at(-1);
    if (leaf === undefined) throw new Error(`catalogue: ${method} has a refinement with an empty field path`);
    const parentPath = path.slice(0, path.length - (leaf === '[]' ? 2 : leaf.length + 1));
    let at = fields.length;
    const p = fields.findIndex((f) => f.path === parentPath);
    if (p >= 0) {
      at = p + 1;
      while (at < fields.length && fields[at]!.path.startsWith(parentPath) && fields[at]!.path !== parentPath) at++;
    }
    fields.splice(at, 0, { source: 'catalogue', ...r, path, type: r.type, required: r.required });
  }
  return fields;
}

const EXAMPLE_STRINGS: Record<string, string> = {
  payload_index: '80-0-0',
  flight_id: 'c5f1a2e4-3b6d-4f1e-9a57-2d0e8b7c1f30',
  video_id: '1581F5BMD228Q00A82XX/80-0-0/normal-0',
  sn: '1581F5BMD228Q00A82XX',
};

/** Example value for a field: enum's first value, else a plausible value in range. */
function exampleFor(spec: FieldSpec, fields: readonly FieldSpec[]): unknown {
  if (spec.enum && spec.enum.length > 0) return spec.enum[0];
  const leaf =
    spec.path
      .split(/[.[\]]+/)
      .filter(Boolean)
      .pop() ?? '';
  switch (spec.type) {
    case 'string':
      return EXAMPLE_STRINGS[leaf] ?? 'example';
    case 'integer':
    case 'number':
      return spec.min !== undefined ? Math.max(spec.min, Math.min(spec.max ?? spec.min, 1)) : 1;
    case 'boolean':
      return false;
    case 'object':
      return templateFrom(fields, `${spec.path}.`);
    case 'array': {
      const item = fields.find((f) => f.path === `${spec.path}[]`);
      if (item) return [exampleFor(item, fields)];
      const members = templateFrom(fields, `${spec.path}[].`);
      return Object.keys(members).length > 0 ? [members] : [];
    }
  }
}

/** Builds an object from the required fields directly under `prefix` ('' for the payload). */
function templateFrom(fields: readonly FieldSpec[], prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!f.required || !f.path.startsWith(prefix)) continue;
    const rest = f.path.slice(prefix.length);
    if (!rest || /[.[]/.test(rest)) continue;
    out[rest] = exampleFor(f, fields);
  }
  return out;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

function assemble(): DjiMethod[] {
  const generated = new Map<string, GeneratedPayloadSpec>(GENERATED_PAYLOAD_SPECS.map((g) => [g.method, g]));
  return DJI_METHOD_NAMES.map(({ method, domain, nameSource }) => {
    const g = generated.get(method);
    const a = ANNOTATIONS[method];
    if (!g || !a) throw new Error(`catalogue: ${method} lacks ${g ? 'an annotation' : 'a generated payload spec'}`);
    const fields = mergeFields(method, g.fields, a.fields);
    const rules = a.rules ?? [];
    const entry: DjiMethod = {
      method,
      domain,
      nameSource,
      payloadSource: g.payloadSource,
      summary: a.summary,
      fields,
      template: structuredClone(a.template ?? templateFrom(fields, '')),
      schema: buildPayloadSchema(fields, rules),
      progressEvent: g.progressEvent,
      payloadNote: g.description,
      reference: g.reference,
      rules,
      needsDebugMode: a.needsDebugMode === true,
    };
    deepFreeze(entry.fields);
    deepFreeze(entry.template);
    deepFreeze(entry.rules);
    return Object.freeze(entry);
  });
}

/** The 83 methods, in the order of methods.ts (by domain). */
export const DJI_METHODS: readonly DjiMethod[] = Object.freeze(assemble());

const BY_NAME = new Map<string, DjiMethod>(DJI_METHODS.map((m) => [m.method, m]));
const NAMES = DJI_METHODS.map((m) => m.method);

export function findDjiMethod(name: string): DjiMethod | undefined {
  return typeof name === 'string' ? BY_NAME.get(name) : undefined;
}

export function methodsByDomain(): Array<{ domain: DjiDomain; methods: DjiMethod[] }> {
  return DJI_DOMAINS.map((domain) => ({ domain, methods: DJI_METHODS.filter((m) => m.domain === domain) }));
}

/** Closest method names (edit distance, then shared words) for "did you mean". */
export function suggestMethods(name: string, max = 3): string[] {
  try {
    return suggestFrom(NAMES, name, max);
  } catch {
    return [];
  }
}

/** "Did you mean": up to three catalogued names close to one the catalogue lacks, joined; else undefined. */
export function didYouMean(name: string): string | undefined {
  if (findDjiMethod(name)) return undefined;
  const close = suggestMethods(name, 3);
  return close.length > 0 ? close.join(', ') : undefined;
}

// ---- validation --------------------------------------------------------------------------

const MAX_ISSUES = 20;

function fail(issues: PayloadIssue[], prefix: string): PayloadValidation {
  return { ok: false, issues, message: `${prefix}${issues.map((i) => i.message).join('; ')}` };
}

function unknownMethod(method: unknown): PayloadValidation {
  let t: Text;
  if (typeof method !== 'string' || method.length === 0) {
    t = text('method.notName', { got: typeof method === 'string' ? text('value.emptyString') : raw(typeof method) });
  } else {
    const shown = JSON.stringify(method.length > 60 ? `${method.slice(0, 57)}...` : method);
    const suggestions = didYouMean(method);
    t = suggestions
      ? text('method.unknownSuggest', { name: shown, count: DJI_METHODS.length, suggestions })
      : text('method.unknown', { name: shown, count: DJI_METHODS.length });
  }
  const issue = payloadIssue('command_type', t);
  return { ok: false, issues: [issue], message: issue.message };
}

/** The same text naming the concrete field (points[0].height) instead of its spec path (points[].height). */
function withConcreteField(t: Text, generic: string, concrete: string): Text {
  if (generic === concrete || t.params?.field !== generic) return t;
  return { key: t.key, params: { ...t.params, field: concrete } };
}

/**
 * Validates `payload` for `method`. Never throws. On success returns a copy of the payload
 * (known fields checked, extra keys kept); on failure the issues, each naming the field and the fix.
 */
export function validateDjiPayload(method: string, payload: unknown): PayloadValidation {
  try {
    const entry = typeof method === 'string' ? BY_NAME.get(method) : undefined;
    if (!entry) return unknownMethod(method);
    const prefix = `invalid payload for ${entry.method}: `;
    const guard = checkJsonData(payload);
    if (guard) return fail([guard], prefix);
    takeIssueTexts();
    const result = entry.schema.safeParse(payload);
    if (result.success) {
      takeIssueTexts();
      return { ok: true, payload: result.data };
    }
    // zod writes the messages when the issues are first read: read them, then take their texts.
    const zodIssues = result.error.issues;
    const texts = takeIssueTexts();
    const issues = zodIssues.slice(0, MAX_ISSUES).map((iss): PayloadIssue => {
      const path = issuePath(iss.path);
      const generic = `payload.${specPath(iss.path)}`;
      // Messages name the field by its spec path (points[].height); show the concrete one.
      const message = path !== generic && iss.message.startsWith(generic) ? path + iss.message.slice(generic.length) : iss.message;
      const known = texts.get(iss.message);
      return { path, message, text: known ? withConcreteField(known, generic, path) : raw(message) };
    });
    if (zodIssues.length > MAX_ISSUES) {
      issues.push(payloadIssue('payload', text('payload.moreProblems', { count: zodIssues.length - MAX_ISSUES })));
    }
    return fail(issues, prefix);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return fail([payloadIssue('payload', text('payload.unreadable', { why: why.slice(0, 200) }))], '');
  }
}

// ---- the checks dji-command makes before sending ----------------------------------------------

/**
 * The input error for a command name that cannot be a DJI method, or undefined when it can. A
 * well-formed name the catalogue lacks is not an error: the catalogue is our reading of the docs,
 * so the platform decides (and answers UNSUPPORTED_COMMAND when it does not take it).
 * dji-command raises it; the editor's payload check shows the same text.
 */
export function commandTypeError(commandType: string): UtmosInputError | undefined {
  if (findDjiMethod(commandType) || DJI_METHOD_NAME_PATTERN.test(commandType)) return undefined;
  const name = commandType.length > 64 ? `${commandType.slice(0, 63)}…` : commandType;
  const suggestions = didYouMean(commandType);
  return new UtmosInputError(
    'commandType',
    suggestions ? text('command.notMethodNameSuggest', { name, suggestions }) : text('command.notMethodName', { name }),
  );
}

/**
 * One line for a payload's problems: the first one, and how many more (all of them in the error's
 * `problems`). The list of a schema check stops at 20, its last entry counting the rest.
 */
function badPayload(commandType: string, issues: readonly PayloadIssue[]): UtmosInputError {
  const problems: Problem[] = issues.map((i) => ({ field: i.path, text: i.text }));
  const first = problems[0];
  if (!first) throw new Error(`catalogue: ${commandType} payload rejected without an issue`);
  const last = issues[issues.length - 1];
  const beyond = last?.text.key === 'payload.moreProblems' ? Number(last.text.params?.count ?? 0) : 0;
  const more = issues.length - (beyond > 0 ? 1 : 0) + beyond - 1;
  const params = { command: commandType, problem: first.text };
  const line = more > 0 ? text('command.badPayloadMore', { ...params, count: more }) : text('command.badPayload', params);
  return new UtmosInputError(first.field, line, 'INVALID_INPUT', problems);
}

/**
 * Checks a command's payload exactly as dji-command does before sending: the validated payload,
 * or the input error the node raises. A method the catalogue lists is checked against its schema
 * unless `schemaCheck` is false (a firmware changed its fields); any other payload only has to be
 * a JSON object of plain data. The editor's payload check calls this too, so the dialog and the
 * runtime always say the same thing.
 */
export function checkCommandPayload(
  commandType: string,
  payload: unknown,
  schemaCheck = true,
): { ok: true; payload: Record<string, unknown> } | { ok: false; error: UtmosInputError } {
  if (schemaCheck && findDjiMethod(commandType)) {
    const checked = validateDjiPayload(commandType, payload);
    if (checked.ok) return checked;
    return { ok: false, error: badPayload(commandType, checked.issues) };
  }
  if (!isPlainObject(payload)) {
    return { ok: false, error: new UtmosInputError('payload', text('command.payloadNotObject', { got: describeKind(payload) })) };
  }
  const problem = checkJsonData(payload);
  if (problem) return { ok: false, error: badPayload(commandType, [problem]) };
  return { ok: true, payload };
}

// ---- editor ------------------------------------------------------------------------------

const editorJson = new Map<DjiLanguage, string>();

/**
 * Plain JSON for the editor (no zod):
 * {version, count, domains:[{domain, methods:[{method, summary, needsDebugMode, nameSource,
 *  payloadSource, progressEvent, reference, fields, template}]}]}, with the summaries and field descriptions in
 * `language` where translated (English otherwise). Returns a fresh object on every call.
 */
export function catalogueForEditor(language: DjiLanguage = 'en'): object {
  let json = editorJson.get(language);
  if (json === undefined) {
    json = JSON.stringify({
      version: 1,
      count: DJI_METHODS.length,
      domains: methodsByDomain().map(({ domain, methods }) => ({
        domain,
        methods: methods.map((m) => ({
          method: m.method,
          summary: translateSummary(m.method, m.summary, language),
          needsDebugMode: m.needsDebugMode,
          nameSource: m.nameSource,
          payloadSource: m.payloadSource,
          progressEvent: m.progressEvent ?? null,
          reference: m.reference,
          fields: m.fields.map((f) => (f.description ? { ...f, description: translateCatalogueText(f.description, language) } : f)),
          template: m.template,
        })),
      })),
    });
    editorJson.set(language, json);
  }
  return JSON.parse(json) as object;
}

/** The zod schema type used for payloads (re-exported for callers that compose schemas). */
export type DjiPayloadSchema = z.ZodType<Record<string, unknown>>;
