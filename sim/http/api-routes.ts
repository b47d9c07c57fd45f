/** The signed platform API: one route a call, each with the scope it needs and its handler. */
import { DJI_METHOD_NAMES } from '../../src/core/catalogue/methods';
import { isPlainObject } from '../../src/core/plain-data';
import { parseRawQuery } from '../../src/core/signer';
import type { ObjectStore } from '../object-store';
import type { PlatformCore } from '../platform/platform';
import type { Credential, DeviceRequestFilter } from '../platform/records';
import { commandView, deviceRequestView, iso } from '../platform/views';
import { presignObject } from './presign';
import { nonEmptyString, parseJson } from '../json';
import { Reply, errorReply, invalidJson, keep } from './io';
import { Route, routeKey } from './routes';

export const API_PREFIX = '/api/v1/open/';
const DJI_METHODS: ReadonlySet<string> = new Set(DJI_METHOD_NAMES.map((m) => m.method));

export interface ApiCall {
  platform: PlatformCore;
  objects: ObjectStore;
  params: string[];
  rawQuery: string;
  body: Buffer;
  credential: Credential;
  requestId: string;
}

export interface ApiRoute extends Route {
  scope: string;
  handle(call: ApiCall): Reply;
}

const validation = (message: string): Reply => errorReply(400, 'VALIDATION_FAILED', message);
const ok = (body: unknown, status = 200): Reply => ({ status, body });

/** The JSON object of a body, or the reply that refuses it. */
function objectBody(body: Buffer): { ok: true; value: Record<string, unknown> } | { ok: false; reply: Reply } {
  const parsed = parseJson(body);
  if (!parsed.ok) return { ok: false, reply: invalidJson() };
  if (!isPlainObject(parsed.value)) return { ok: false, reply: validation('request body must be a JSON object') };
  return { ok: true, value: parsed.value };
}

function createCommand({ platform, body, credential, requestId }: ApiCall): Reply {
  const parsed = objectBody(body);
  if (!parsed.ok) return parsed.reply;
  const b = parsed.value;
  const { vendor, device_id: deviceId, command_type: commandType, idempotency_key: key } = b;
  if (!nonEmptyString(vendor)) return validation('vendor is required and must be a non-empty string');
  if (!nonEmptyString(deviceId)) return validation('device_id is required and must be a non-empty string');
  if (!nonEmptyString(commandType)) return validation('command_type is required and must be a non-empty string');
  if (!isPlainObject(b.payload)) return validation('payload is required and must be a JSON object ({} when empty)');
  if (!nonEmptyString(key) || key.length > 128) {
    return validation('idempotency_key is required: a non-empty string of at most 128 characters');
  }
  const timeout = b.timeout_seconds === undefined ? 30 : b.timeout_seconds;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > 300) {
    return validation('timeout_seconds must be an integer from 1 to 300');
  }
  if (vendor !== 'dji') return errorReply(400, 'UNSUPPORTED_VENDOR', `vendor ${vendor} is not supported`);
  if (!DJI_METHODS.has(commandType)) {
    return errorReply(400, 'UNSUPPORTED_COMMAND', `command_type ${commandType} is not in the DJI catalogue`);
  }
  const command = { vendor, device_id: deviceId, command_type: commandType, payload: b.payload, idempotency_key: key, timeout_seconds: timeout };
  const outcome = platform.commands.create(credential.tenantId, command, b, requestId);
  if (outcome.kind === 'conflict') {
    return errorReply(409, 'IDEMPOTENCY_CONFLICT', 'idempotency_key was already used with a different request body');
  }
  const { record } = outcome;
  return ok({ command_id: record.id, status: 'ACCEPTED', accepted_at: iso(record.acceptedAt) }, outcome.kind === 'created' ? 202 : 200);
}

function getCommand({ platform, params: [id = ''], credential, requestId }: ApiCall): Reply {
  const rec = platform.commands.get(id);
  if (!rec || rec.tenantId !== credential.tenantId) return errorReply(404, 'COMMAND_NOT_FOUND', `command ${id} not found`);
  return ok(commandView(rec, requestId));
}

const FILTERS = new Set(['vendor', 'device_id', 'request_type']);

function listDeviceRequests({ platform, rawQuery, credential }: ApiCall): Reply {
  const filter: DeviceRequestFilter = { limit: 100 };
  const seen = new Set<string>();
  for (const [name, value] of parseRawQuery(rawQuery)) {
    if (seen.has(name)) return validation(`query parameter ${name} given more than once`);
    seen.add(name);
    if (FILTERS.has(name)) {
      if (value === '') return validation(`query parameter ${name} must not be empty`);
      filter[name as 'vendor' | 'device_id' | 'request_type'] = value;
    } else if (name === 'limit') {
      if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > 500) {
        return validation('limit must be an integer from 1 to 500');
      }
      filter.limit = Number(value);
    } else {
      return validation(`unknown query parameter ${name}`);
    }
  }
  const items = credential.tenantId === platform.tenantId ? platform.requests.list(filter) : [];
  return ok({ items: items.map(deviceRequestView) });
}

const deviceRequestNotFound = (id: string): Reply => errorReply(404, 'DEVICE_REQUEST_NOT_FOUND', `device request ${id} not found`);

function getDeviceRequest({ platform, params: [id = ''], credential }: ApiCall): Reply {
  const rec = platform.requests.get(id);
  if (!rec || credential.tenantId !== platform.tenantId) return deviceRequestNotFound(id);
  return ok(keep(deviceRequestView(rec)));
}

function replyDeviceRequest({ platform, params: [id = ''], body, credential }: ApiCall): Reply {
  const parsed = objectBody(body);
  if (!parsed.ok) return parsed.reply;
  const { reply_code: code, reply_message: message, payload } = parsed.value;
  if (!nonEmptyString(code)) return validation('reply_code is required and must be a non-empty string');
  if (message !== undefined && typeof message !== 'string') return validation('reply_message must be a string');
  if (payload !== undefined && !isPlainObject(payload)) return validation('payload must be a JSON object');
  if (credential.tenantId !== platform.tenantId) return deviceRequestNotFound(id);
  const r = platform.requests.reply(id, { reply_code: code, reply_message: message, payload }, platform.secondReply);
  if (r.kind === 'not_found') return deviceRequestNotFound(id);
  if (r.kind === 'conflict') {
    return errorReply(409, 'DEVICE_REQUEST_ALREADY_REPLIED', `device request ${id} has already been replied to`);
  }
  const { record } = r;
  return ok(
    keep({
      request_id: record.requestId,
      reply_code: record.replyCode,
      reply_message: record.replyMessage,
      reply_source: 'manual',
      replied_at: record.repliedAt === null ? null : iso(record.repliedAt),
    }),
    202,
  );
}

function presign({ platform, objects, body, credential }: ApiCall): Reply {
  return presignObject(objects, body, credential.tenantId === platform.tenantId);
}

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/api/v1/open/downlink/commands', scope: 'open:command:create', handle: createCommand },
  { method: 'GET', path: '/api/v1/open/downlink/commands/:id', scope: 'open:command:read', handle: getCommand },
  { method: 'GET', path: '/api/v1/open/device-requests', scope: 'open:device-request:read', handle: listDeviceRequests },
  { method: 'GET', path: '/api/v1/open/device-requests/:id', scope: 'open:device-request:read', handle: getDeviceRequest },
  { method: 'POST', path: '/api/v1/open/device-requests/:id/reply', scope: 'open:device-request:create', handle: replyDeviceRequest },
  { method: 'POST', path: '/api/v1/open/objects/presign', scope: 'open:object:create', handle: presign },
];

/** The keys the API's calls are counted under ("POST /api/v1/open/downlink/commands", ...). */
export const API_CALL_KEYS: readonly string[] = API_ROUTES.map(routeKey);
