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
import { UtmosInputError } from '../errors';
import { describeNonPlain, isPlainObject } from '../plain-data';
import { DJI_METHOD_NAME_PATTERN } from '../schemas';
import { DJI_DOMAINS, DJI_METHOD_NAMES, type DjiDomain } from './methods';
import { GENERATED_PAYLOAD_SPECS } from './payload-specs.generated';
import { ANNOTATIONS } from './annotations';
import { buildPayloadSchema, checkJsonData, issuePath, specPath, splitPath } from './schema';
import { suggestFrom } from './suggest';
import type { DjiMethod, FieldSpec, GeneratedPayloadSpec, PayloadIssue, PayloadValidation } from './types';

export * from './methods';
export type {
  ConditionalRule,
  DjiMethod,
  FieldSpec,
  FieldType,
  PayloadIssue,
  PayloadSource,
  PayloadValidation,
} from './types';
export { editDistance } from './suggest';

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
    const segs = splitPath(path);
    const parentPath = path.slice(0, path.length - (segs[segs.length - 1] === '[]' ? 2 : segs[segs.length - 1].length + 1));
    let at = fields.length;
    const p = fields.findIndex((f) => f.path === parentPath);
    if (p >= 0) {
      at = p + 1;
      while (at < fields.length && fields[at].path.startsWith(parentPath) && fields[at].path !== parentPath) at++;
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
  const leaf = spec.path.split(/[.[\]]+/).filter(Boolean).pop() ?? '';
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
      needsDebugMode: a.needsDebugMode === true,
      fields,
      template: structuredClone(a.template ?? templateFrom(fields, '')),
      schema: buildPayloadSchema(fields, rules),
      progressEvent: g.progressEvent,
      payloadNote: g.description,
      reference: g.reference,
      rules,
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

// ---- validation --------------------------------------------------------------------------

const MAX_ISSUES = 20;

function fail(issues: PayloadIssue[], prefix: string): PayloadValidation {
  return { ok: false, issues, message: `${prefix}${issues.map((i) => i.message).join('; ')}` };
}

function unknownMethod(method: unknown): PayloadValidation {
  let message: string;
  if (typeof method !== 'string' || method.length === 0) {
    message = `command_type must be the name of a DJI method, like "cover_open" (got ${typeof method === 'string' ? 'an empty string' : typeof method})`;
  } else {
    const shown = method.length > 60 ? `${method.slice(0, 57)}...` : method;
    const close = suggestMethods(method, 3);
    message =
      `command_type ${JSON.stringify(shown)} is not one of the ${DJI_METHODS.length} DJI methods UTMOS accepts` +
      (close.length > 0 ? `; did you mean ${close.join(', ')}?` : '; see the command catalogue for valid names');
  }
  return { ok: false, issues: [{ path: 'command_type', message }], message };
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
    const result = entry.schema.safeParse(payload);
    if (result.success) return { ok: true, payload: result.data };
    const issues = result.error.issues.slice(0, MAX_ISSUES).map((iss): PayloadIssue => {
      const path = issuePath(iss.path);
      const generic = `payload.${specPath(iss.path)}`;
      // Messages name the field by its spec path (points[].height); show the concrete one.
      const message = path !== generic && iss.message.startsWith(generic) ? path + iss.message.slice(generic.length) : iss.message;
      return { path, message };
    });
    if (result.error.issues.length > MAX_ISSUES) {
      issues.push({ path: 'payload', message: `...and ${result.error.issues.length - MAX_ISSUES} more problems` });
    }
    return fail(issues, prefix);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return fail([{ path: 'payload', message: `payload could not be read (${why.slice(0, 200)}); send plain JSON data` }], '');
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
  const shown = commandType.length > 64 ? `${commandType.slice(0, 63)}…` : commandType;
  const close = suggestMethods(commandType, 3);
  return new UtmosInputError(
    'commandType',
    `commandType "${shown}" is not a DJI method name (lower-case letters, digits and "_", like "cover_open"); pick one from the node's command list${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`,
  );
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
    return { ok: false, error: new UtmosInputError(checked.issues[0]?.path ?? 'payload', `${commandType}: ${checked.message}`) };
  }
  if (!isPlainObject(payload)) {
    const got = payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload === 'object' ? describeNonPlain(payload) : typeof payload;
    return { ok: false, error: new UtmosInputError('payload', `payload must be a JSON object ({} when the command takes no parameters; got ${got})`) };
  }
  const problem = checkJsonData(payload);
  if (problem) return { ok: false, error: new UtmosInputError(problem.path, problem.message) };
  return { ok: true, payload };
}

// ---- editor ------------------------------------------------------------------------------

let editorJson: string | undefined;

/**
 * Plain JSON for the editor (no zod):
 * {version, count, domains:[{domain, methods:[{method, summary, needsDebugMode, nameSource,
 *  payloadSource, progressEvent, reference, fields, template}]}]}. Returns a fresh object on every call.
 */
export function catalogueForEditor(): object {
  if (editorJson === undefined) {
    editorJson = JSON.stringify({
      version: 1,
      count: DJI_METHODS.length,
      domains: methodsByDomain().map(({ domain, methods }) => ({
        domain,
        methods: methods.map((m) => ({
          method: m.method,
          summary: m.summary,
          needsDebugMode: m.needsDebugMode,
          nameSource: m.nameSource,
          payloadSource: m.payloadSource,
          progressEvent: m.progressEvent ?? null,
          reference: m.reference,
          fields: m.fields,
          template: m.template,
        })),
      })),
    });
  }
  return JSON.parse(editorJson) as object;
}

/** The zod schema type used for payloads (re-exported for callers that compose schemas). */
export type DjiPayloadSchema = z.ZodType<Record<string, unknown>>;
