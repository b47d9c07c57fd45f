/** The JSON shapes of commands and device requests, as the platform's API and test controls show them. */
import type { CommandRecord, DeviceRequestRecord } from './records';

export const iso = (ms: number): string => new Date(ms).toISOString();

export function commandView(r: CommandRecord, requestId: string): Record<string, unknown> {
  const v: Record<string, unknown> = {
    command_id: r.id,
    status: r.status,
    public_status: r.status === 'UNMATCHED_RESPONSE' ? 'UNKNOWN' : r.status,
    vendor: r.vendor,
    device_id: r.deviceId,
    command_type: r.commandType,
    accepted_at: iso(r.acceptedAt),
  };
  if (r.deliveredAt !== undefined) v.delivered_at = iso(r.deliveredAt);
  if (r.completedAt !== undefined) v.completed_at = iso(r.completedAt);
  if (r.responseReceivedAt !== undefined) v.response_received_at = iso(r.responseReceivedAt);
  v.updated_at = iso(r.updatedAt);
  if (r.failureCode !== undefined) v.failure_code = r.failureCode;
  if (r.failureReason !== undefined) v.failure_reason = r.failureReason;
  if (r.responseCode !== undefined) v.response_code = r.responseCode;
  if (r.responseMessage !== undefined) v.response_message = r.responseMessage;
  if (r.vendorResponse !== undefined) v.vendor_response = r.vendorResponse;
  v.request_id = requestId;
  return v;
}

/** The internal record (for /__sim/commands/{id}). */
export function commandInternalView(r: CommandRecord): Record<string, unknown> {
  return {
    ...commandView(r, r.acceptRequestId),
    tenant_id: r.tenantId,
    tid: r.tid,
    bid: r.bid,
    gateway: r.gateway,
    payload: r.payload,
    idempotency_key: r.idempotencyKey,
    timeout_seconds: r.timeoutSeconds,
    terminal_at_ms: r.terminalAtMs ?? null,
    accept_request_id: r.acceptRequestId,
  };
}

export function deviceRequestView(r: DeviceRequestRecord): Record<string, unknown> {
  return {
    request_id: r.requestId,
    vendor: r.vendor,
    device_id: r.deviceId,
    request_type: r.requestType,
    inbound_payload: r.inboundPayload,
    routing_decision: r.routingDecision,
    reply_code: r.replyCode,
    reply_message: r.replyMessage,
    reply_source: r.replySource,
    standardized_reply: r.standardizedReply,
    received_at: iso(r.receivedAt),
    replied_at: r.repliedAt === null ? null : iso(r.repliedAt),
    updated_at: iso(r.updatedAt),
  };
}
