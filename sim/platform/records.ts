/**
 * What the simulated platform stores: credentials, commands and device requests, in the shapes the
 * HTTP views are built from.
 */

export type CommandStatus = 'ACCEPTED' | 'DELIVERED' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'UNMATCHED_RESPONSE';

export const ALL_SCOPES = [
  'open:command:create',
  'open:command:read',
  'open:device-request:read',
  'open:device-request:create',
  'open:object:create',
  'open:object-config:create',
  'open:object-config:read',
  'open:object-config:update',
  'open:callback:create',
  'open:callback:read',
  'open:callback:update',
  'open:callback:disable',
] as const;

export interface Credential {
  apiId: string;
  apiKey: string;
  scopes: ReadonlySet<string>;
  tenantId: string;
}

/** One accepted command. Plain fields only (10k of these may be in flight). */
export interface CommandRecord {
  id: string;
  tenantId: string;
  vendor: string;
  deviceId: string;
  commandType: string;
  payload: Record<string, unknown>;
  idempotencyKey: string;
  timeoutSeconds: number;
  gateway: string;
  tid: string;
  bid: string;
  status: CommandStatus;
  acceptedAt: number;
  deliveredAt?: number;
  completedAt?: number;
  responseReceivedAt?: number;
  updatedAt: number;
  failureCode?: string;
  failureReason?: string;
  responseCode?: string;
  responseMessage?: string;
  vendorResponse?: Record<string, unknown>;
  /** performance.timeOrigin + performance.now() when a terminal status was reached. */
  terminalAtMs?: number;
  acceptRequestId: string;
}

export interface NewCommand {
  vendor: string;
  device_id: string;
  command_type: string;
  payload: Record<string, unknown>;
  idempotency_key: string;
  timeout_seconds: number;
}

export type CreateOutcome =
  { kind: 'created'; record: CommandRecord } | { kind: 'replayed'; record: CommandRecord } | { kind: 'conflict'; record: CommandRecord };

/** One device request, in the shape of the requests page (seed 002): pending until replied. */
export interface DeviceRequestRecord {
  requestId: string;
  vendor: 'dji';
  deviceId: string;
  requestType: string;
  inboundPayload: unknown;
  routingDecision: string;
  replyCode: string;
  replyMessage: string;
  replySource: 'auto' | 'manual';
  standardizedReply: Record<string, unknown>;
  receivedAt: number;
  repliedAt: number | null;
  updatedAt: number;
  tid: string;
  bid: string;
  gateway: string;
}

/** How the requests page shows a request that waits for the cloud. */
export const PENDING_REQUEST = {
  routingDecision: 'manual_reply_required',
  replyCode: 'PENDING',
  replyMessage: 'awaiting cloud decision',
  replySource: 'manual',
} as const;
/** routing_decision of a request the platform answers itself (value not documented; ours). */
export const AUTO_REPLY_ROUTING = 'auto_reply';

export interface DeviceRequestFilter {
  vendor?: string;
  device_id?: string;
  request_type?: string;
  limit: number;
}

export interface DeviceRequestReply {
  reply_code: string;
  reply_message?: string;
  payload?: Record<string, unknown>;
}

export type DeviceRequestReplyOutcome = { kind: 'ok'; record: DeviceRequestRecord } | { kind: 'not_found' } | { kind: 'conflict'; record: DeviceRequestRecord };
