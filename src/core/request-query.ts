/**
 * Which device-request list call serves which subscriber. The list endpoint filters by one vendor,
 * one device_id and one request_type and documents no paging (seed 002): what a subscriber's filter
 * asks beyond that (several types) is filtered here, and one call can serve many subscribers when
 * it asks only what they all agree on.
 */
import type { DeviceRequest, DeviceRequestFilter } from './schemas';

export interface FeedFilter {
  vendor?: string;
  deviceId?: string;
  /** Empty = every type. */
  requestTypes?: string[];
  /** Only requests not replied yet. */
  pendingOnly?: boolean;
}

/** What an event says about the request it announces (untrusted: only used to skip a useless fetch). */
export interface RequestHint {
  deviceId?: string;
  requestType?: string;
}

const QUERY_FIELDS = ['vendor', 'device_id', 'request_type'] as const;

function typesOf(filter: FeedFilter): string[] {
  return filter.requestTypes?.filter(Boolean) ?? [];
}

/** The list query that serves this filter on its own: one type is filtered by the platform, several here. */
export function queryOf(filter: FeedFilter): DeviceRequestFilter {
  const types = typesOf(filter);
  const query: DeviceRequestFilter = {};
  if (filter.vendor) query.vendor = filter.vendor;
  if (filter.deviceId) query.device_id = filter.deviceId;
  if (types.length === 1) query.request_type = types[0];
  return query;
}

/** The one query that serves all of them: only the parameters on which every query agrees. */
export function commonQuery(queries: readonly DeviceRequestFilter[]): DeviceRequestFilter {
  const common: DeviceRequestFilter = {};
  const [first, ...rest] = queries;
  if (!first) return common;
  for (const field of QUERY_FIELDS) {
    const value = first[field];
    if (value !== undefined && rest.every((q) => q[field] === value)) common[field] = value;
  }
  return common;
}

/** Equal keys = the same list call. */
export function queryKey(query: DeviceRequestFilter): string {
  return JSON.stringify(QUERY_FIELDS.map((field) => query[field] ?? null));
}

/**
 * Whether a request from the list that `served` asked for is one this filter wants. What the
 * platform already filtered is trusted as such; the rest is compared here (the pending test is the
 * feed's).
 */
export function matchesFilter(filter: FeedFilter, request: DeviceRequest, served: DeviceRequestFilter): boolean {
  const types = typesOf(filter);
  return (
    (!filter.vendor || served.vendor === filter.vendor || request.vendor === filter.vendor) &&
    (!filter.deviceId || served.device_id === filter.deviceId || request.device_id === filter.deviceId) &&
    (types.length === 0 || (types.length === 1 && served.request_type === types[0]) || types.includes(String(request.request_type)))
  );
}

/** False only when the hint names a device or type this filter surely does not want. */
export function mayMatchHint(filter: FeedFilter, hint: RequestHint): boolean {
  const types = typesOf(filter);
  return (
    (!filter.deviceId || !hint.deviceId || hint.deviceId === filter.deviceId) && (types.length === 0 || !hint.requestType || types.includes(hint.requestType))
  );
}

const byReceived = (a: DeviceRequest, b: DeviceRequest): number => String(a.received_at ?? '').localeCompare(String(b.received_at ?? ''));

/** Oldest first by received_at, whatever order the platform lists them in. */
export function oldestFirst(items: readonly DeviceRequest[]): DeviceRequest[] {
  return [...items].sort(byReceived);
}

/**
 * Whether the platform listed these newest first. Only then does a list cut short keep the newest
 * requests, so that finding the previous list's newest one in it proves nothing newer was cut off.
 */
export function isNewestFirst(items: readonly DeviceRequest[]): boolean {
  for (let i = 1; i < items.length; i++) if (byReceived(items[i - 1]!, items[i]!) < 0) return false; // 1 <= i < length
  return true;
}
