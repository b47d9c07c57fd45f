/**
 * zod schemas for what the client sends and what the platform returns.
 * Outgoing: strict, so bad input never leaves the process. Incoming: tolerant of extra fields and of
 * both status generations (`status` and `public_status`), strict only on what we rely on.
 */
import { z } from 'zod';
import { UtmosInputError } from './errors';
import { isPlainObject } from './plain-data';
import { Text, english, raw, text } from './text';
import type { CoreTextKey } from './texts-en';

/** zod keeps message strings only; each message used here maps back to its text (see describeIssues). */
const SCHEMA_TEXTS = new Map<string, Text>();
function says(key: CoreTextKey, params?: Record<string, string | number>): string {
  const t = text(key, params);
  const message = english(t);
  SCHEMA_TEXTS.set(message, t);
  return message;
}

const plainObject = z.custom<Record<string, unknown>>(isPlainObject, {
  message: says('schema.plainObject'),
});

export const IDEMPOTENCY_KEY_MAX = 128;
/** The command timeout a node uses when its setting is empty. */
export const DEFAULT_COMMAND_TIMEOUT_SECONDS = 30;

/** How long the platform may take to deliver and complete a command: whole seconds, 1 to 300. */
export const CommandTimeoutSchema = z
  .number({ message: says('schema.timeoutSeconds') })
  .int(says('schema.timeoutSeconds'))
  .min(1, says('schema.timeoutMin'))
  .max(300, says('schema.timeoutMax'));

/** What a DJI method name looks like (lower-case snake case), whether or not our catalogue lists it. */
export const DJI_METHOD_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export const CreateCommandRequestSchema = z.object({
  vendor: z.literal('dji', { message: says('schema.vendor') }),
  device_id: z
    .string({ message: says('schema.stringLike', { example: '"dock-001"' }) })
    .min(1, says('schema.deviceIdEmpty'))
    .max(128, says('schema.maxChars', { max: 128 })),
  command_type: z.string({ message: says('schema.stringLike', { example: '"cover_open"' }) }).regex(DJI_METHOD_NAME_PATTERN, says('schema.methodName')),
  payload: plainObject,
  idempotency_key: z
    .string({ message: says('schema.string') })
    .min(1, says('schema.notEmpty'))
    .max(IDEMPOTENCY_KEY_MAX, says('schema.maxChars', { max: IDEMPOTENCY_KEY_MAX })),
  timeout_seconds: CommandTimeoutSchema.optional(),
});
export type CreateCommandRequest = z.infer<typeof CreateCommandRequestSchema>;

export const ReplyRequestSchema = z.object({
  reply_code: z
    .string({ message: says('schema.stringLike', { example: '"APPROVED"' }) })
    .min(1, says('schema.replyCodeEmpty'))
    .max(64, says('schema.maxChars', { max: 64 })),
  reply_message: z
    .string({ message: says('schema.string') })
    .max(1024, says('schema.maxChars', { max: 1024 }))
    .optional(),
  payload: plainObject.optional(),
});
export type ReplyRequest = z.infer<typeof ReplyRequestSchema>;

/** The list endpoint's documented query parameters, and only those. */
export const DeviceRequestFilterSchema = z.strictObject(
  {
    vendor: z.string().min(1).max(32).optional(),
    device_id: z.string().min(1).max(128).optional(),
    request_type: z.string().min(1).max(64).optional(),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `has the query parameter ${iss.keys.join(', ')}, which the device-request list does not document; filter by vendor, device_id or request_type`
        : undefined,
  },
);
export type DeviceRequestFilter = z.infer<typeof DeviceRequestFilterSchema>;

/** A path identifier (command_id, request_id): non-empty, no characters that would change the path. */
export const IdSchema = z
  .string({ message: says('schema.string') })
  .min(1, says('schema.notEmpty'))
  .max(128, says('schema.maxChars', { max: 128 }))
  .regex(/^[A-Za-z0-9._:-]+$/, says('schema.idCharacters'));

const timestamp = z.string().optional().nullable();

export const CreateCommandResponseSchema = z.looseObject({
  command_id: z.string().min(1),
  status: z.string().optional(),
  accepted_at: z.string().optional(),
  request_id: z.string().optional(),
});
export type CreateCommandResponse = z.infer<typeof CreateCommandResponseSchema>;

export const CommandStatusSchema = z
  .looseObject({
    command_id: z.string().min(1),
    status: z.string().optional(),
    public_status: z.string().optional(),
    adapter_status: z.string().optional().nullable(),
    device_execution_status: z.string().optional().nullable(),
    vendor: z.string().optional(),
    device_id: z.string().optional(),
    command_type: z.string().optional(),
    failure_code: z.string().optional().nullable(),
    failure_reason: z.string().optional().nullable(),
    // "string even when numeric" per the docs; accept numbers from older deployments.
    response_code: z.union([z.string(), z.number()]).optional().nullable(),
    response_message: z.string().optional().nullable(),
    vendor_response: z.unknown().optional(),
    accepted_at: timestamp,
    delivered_at: timestamp,
    completed_at: timestamp,
    response_received_at: timestamp,
    updated_at: timestamp,
    request_id: z.string().optional(),
  })
  .refine((v) => typeof v.status === 'string' || typeof v.public_status === 'string', {
    message: 'has neither status nor public_status',
  });
export type CommandStatus = z.infer<typeof CommandStatusSchema>;

export const DeviceRequestSchema = z.looseObject({
  request_id: z.string().min(1),
  vendor: z.string().optional(),
  device_id: z.string().optional(),
  request_type: z.string().optional(),
  inbound_payload: z.unknown().optional(),
  routing_decision: z.string().optional().nullable(),
  reply_code: z.string().optional().nullable(),
  reply_message: z.string().optional().nullable(),
  reply_source: z.string().optional().nullable(),
  standardized_reply: z.unknown().optional(),
  received_at: z.string().optional().nullable(),
  replied_at: z.string().optional().nullable(),
  updated_at: z.string().optional().nullable(),
});
export type DeviceRequest = z.infer<typeof DeviceRequestSchema>;

export const DeviceRequestListSchema = z.looseObject({
  items: z.array(DeviceRequestSchema),
  request_id: z.string().optional(),
});
export type DeviceRequestList = z.infer<typeof DeviceRequestListSchema>;

export const ReplyResponseSchema = z.looseObject({
  request_id: z.string().min(1),
  reply_code: z.string().optional(),
  reply_message: z.string().optional().nullable(),
  reply_source: z.string().optional(),
  replied_at: z.string().optional().nullable(),
});
export type ReplyResponse = z.infer<typeof ReplyResponseSchema>;

/** Body of POST /objects/presign: the platform signs, storage is talked to directly. */
export const PresignRequestSchema = z.object({
  bucket: z.string({ message: 'must be a string such as "tenant-media"' }).min(1, 'must not be empty; set the bucket of your object-storage policy'),
  object_key: z
    .string({ message: 'must be a string such as "waylines/inspection.kmz"' })
    .min(1, 'must not be empty')
    .max(1024, 'must be at most 1024 characters')
    .refine((k) => !k.startsWith('/'), 'must not start with "/"')
    .refine((k) => !k.includes('../'), 'must not contain "../"'),
  method: z.enum(['PUT', 'GET'], { message: 'must be "PUT" or "GET"' }),
  expires_seconds: z
    .number({ message: 'must be a whole number of seconds from 1 to 3600' })
    .int('must be a whole number of seconds from 1 to 3600')
    .min(1, 'must be at least 1 second')
    .max(3600, 'must be at most 3600 seconds'),
  content_type: z.string().min(1).max(255).optional(),
});
export type PresignRequest = z.infer<typeof PresignRequestSchema>;

export const PresignResponseSchema = z.looseObject({
  method: z.enum(['PUT', 'GET']),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()),
  expires_at: z.string().min(1),
  request_id: z.string().optional(),
});
export type PresignResponse = z.infer<typeof PresignResponseSchema>;

export const ErrorEnvelopeSchema = z.looseObject({
  code: z.union([z.string(), z.number()]).optional(),
  message: z.string().optional(),
  request_id: z.string().optional(),
});

/** The text behind a message of these schemas (zod's own messages stay untranslated). */
export function schemaMessageText(message: string): Text {
  return SCHEMA_TEXTS.get(message) ?? raw(message);
}

/** Formats the first zod issue as "field problem" for an input error naming the field. */
export function describeIssues(error: z.ZodError, prefix = ''): { field: string; message: string; text: Text } {
  const issue = error.issues[0];
  if (!issue) throw new Error('describeIssues: a ZodError without issues');
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || prefix || 'input';
  const problem = schemaMessageText(issue.message);
  const more = error.issues.length - 1;
  const t = more > 0 ? text('schema.issueAndMore', { field, problem, count: more }) : text('schema.issue', { field, problem });
  return { field, message: english(t), text: t };
}

/** Checks outgoing input against its schema; the first problem becomes an input error naming the field. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, field?: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { field: at, text: problem } = describeIssues(parsed.error, field);
  throw new UtmosInputError(at, problem);
}
