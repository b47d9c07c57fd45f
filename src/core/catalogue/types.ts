import type { z } from 'zod';
import type { Text } from '../text';
import type { DjiDomain, NameSource } from './methods';

/**
 * Where a method's payload schema comes from:
 *   'utmos'   fields confirmed by the UTMOS docs (authoritative);
 *   'dji'     fields from the DJI Cloud API dock protocol (UTMOS maps `payload` to DJI `data`);
 *   'unknown' nothing documented: any JSON object is accepted.
 */
export type PayloadSource = 'utmos' | 'dji' | 'unknown';

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

/**
 * One payload field. `path` is flattened: `file.url` is a member of object `file`, `points[].height`
 * a member of each item of array `points`, and `flight_ids[]` the item of array `flight_ids` itself.
 * `required` on a nested field applies when its parent is present.
 * `min`/`max` bound the value of numbers, the length of strings and the item count of arrays.
 */
export interface FieldSpec {
  path: string;
  type: FieldType;
  required: boolean;
  enum?: (string | number)[];
  min?: number;
  max?: number;
  /** Regular expression (source text) a string must match. */
  pattern?: string;
  description?: string;
  /** Which document the field itself comes from (may differ from the method's payloadSource). */
  source?: 'utmos' | 'dji' | 'catalogue';
}

/** A rule the field list cannot express: `then` is required when field `if.path` is one of `if.in`. */
export interface ConditionalRule {
  if: { path: string; in: (string | number)[]; label: string };
  then: string;
}

export interface DjiMethod {
  method: string;
  domain: DjiDomain;
  nameSource: NameSource;
  payloadSource: PayloadSource;
  /** One line for the editor picker ("Open the dock cover"). */
  summary: string;
  /** The dock accepts it only in remote debug mode (send debug_mode_open first). */
  needsDebugMode: boolean;
  /** Top-level and nested fields (flattened paths) as known; empty for no-argument or unknown payloads. */
  fields: FieldSpec[];
  /** A valid example payload (realistic values) for the editor. */
  template: Record<string, unknown>;
  /** Validates a payload object (extra keys are allowed, see index.ts). */
  schema: z.ZodType<Record<string, unknown>>;
  /** DJI event that reports progress of this command, or null when DJI documents none. */
  progressEvent?: string | null;
  /** Where the payload description comes from (provenance, one sentence). */
  payloadNote: string;
  /** URL (UTMOS) or DJI doc path the payload was read from; null when unknown. */
  reference: string | null;
  /** Cross-field rules (e.g. flighttask_prepare task_type). */
  rules: ConditionalRule[];
}

/** Shape of one entry of payload-specs.generated.ts. */
export interface GeneratedPayloadSpec {
  method: string;
  payloadSource: PayloadSource;
  description: string;
  reference: string | null;
  progressEvent: string | null;
  fields: FieldSpec[];
}

export interface PayloadIssue {
  /** Where the problem is, e.g. 'payload.file.url', 'payload.points[0].height', 'command_type'. */
  path: string;
  /** In English; `text` is the same problem as a text to localise. */
  message: string;
  text: Text;
}

export type PayloadValidation = { ok: true; payload: Record<string, unknown> } | { ok: false; issues: PayloadIssue[]; message: string };
