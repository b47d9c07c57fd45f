/**
 * The Node-RED-free core of node-red-contrib-utmos-dji: the package's public API, listed by name.
 * Everything else in src/core is internal (tests import test hooks from their own modules).
 */

// One connection: client, status tracker, device-request feed and optional event stream.
export { UtmosConnection } from './connection';
export type { ConnectionOptions } from './connection';

// The client of the signed HTTP API.
export { DEFAULT_MAX_RESPONSE_BYTES, UtmosClient } from './client';
export type { CallOptions, CreateCommandResult, UtmosClientOptions } from './client';
export { API_PREFIX } from './signed-request';
export type { AttemptInfo } from './signed-request';
export type { PresignedTarget } from './object-storage';
export { isLoopbackHost, validateBaseUrl } from './urls';
export { parseRetryAfter } from './error-mapping';
export { systemClock } from './clock';
export type { Clock, ClockTimer } from './clock';
export { proxyForUrl } from './proxy';
export type { ProxySettings } from './proxy';

// Typed errors.
export {
  OPERATION_SCOPES,
  UtmosAbortError,
  UtmosApiError,
  UtmosAuthError,
  UtmosConflictError,
  UtmosError,
  UtmosInputError,
  UtmosNetworkError,
  UtmosNotFoundError,
  UtmosPermissionError,
  UtmosRateLimitError,
  UtmosResponseError,
  UtmosServerError,
  UtmosValidationError,
  scopeOf,
} from './errors';
export type { Operation, Problem, UtmosErrorFields } from './errors';

// Request signing (the one layout, shared with the simulator).
export {
  EMPTY_BODY_SHA256,
  HEADER_API_ID,
  HEADER_NONCE,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  SIGNATURE_ALGORITHM,
  canonicalQuery,
  canonicalString,
  computeSignature,
  signRequest,
  signatureMatches,
} from './signer';
export type { QueryInput, SignatureInput, SignedHeaders } from './signer';

// What is sent and received.
export {
  CommandStatusSchema,
  CreateCommandRequestSchema,
  CreateCommandResponseSchema,
  DJI_METHOD_NAME_PATTERN,
  DeviceRequestFilterSchema,
  DeviceRequestListSchema,
  DeviceRequestSchema,
  IDEMPOTENCY_KEY_MAX,
  IdSchema,
  PresignRequestSchema,
  PresignResponseSchema,
  ReplyRequestSchema,
  ReplyResponseSchema,
} from './schemas';
export type {
  CommandStatus,
  CreateCommandRequest,
  CreateCommandResponse,
  DeviceRequest,
  DeviceRequestFilter,
  DeviceRequestList,
  PresignRequest,
  PresignResponse,
  ReplyRequest,
  ReplyResponse,
} from './schemas';
export { checkJsonData, isPlainObject } from './plain-data';
export type { JsonDataIssue } from './plain-data';

// Command statuses and waiting for them.
export { SUCCESS_STATUS, TERMINAL_STATUSES, effectiveStatus, hasReached, isTerminalStatus } from './status';
export type { StatusFields } from './status';
export { DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_REQUESTS_PER_SECOND, StatusTracker } from './tracker';
export type { StatusSource, TrackerOptions } from './tracker';
export type { WaitHandle, WaitOutcome, WaitRequest } from './waits';

// Device requests.
export { DeviceRequestFeed, PENDING_REPLY_CODE, SeenIds, isPendingDeviceRequest } from './request-feed';
export type { FeedFilter, FeedSubscriber, FeedSubscription, RequestSource } from './request-feed';

// The optional event stream.
export { DEFAULT_EVENT_TOPICS, EventStream, hintFromEvent, parseTopics, validateEventBrokerUrl } from './event-stream';
export type { EventHint, EventStreamOptions, EventStreamState } from './event-stream';

// The DJI command catalogue and result codes.
export {
  DJI_DOMAINS,
  DJI_METHODS,
  DJI_METHOD_NAMES,
  catalogueForEditor,
  catalogueLanguage,
  checkCommandPayload,
  commandTypeError,
  findDjiMethod,
  methodsByDomain,
  suggestMethods,
  translateCatalogueText,
  translateSummary,
  validateDjiPayload,
} from './catalogue';
export type { DjiDomain, DjiMethod, FieldSpec, FieldType, PayloadIssue, PayloadSource, PayloadValidation } from './catalogue';
export { DJI_CODE_GROUPS, describeDjiResultCode, djiResultCodes } from './dji-result-codes';
export type { DjiCodeGroup, DjiLanguage, DjiResultCode } from './dji-result-codes';

// Texts a user reads: errors carry them, rendered in English by default.
export { english, isText, renderText } from './text';
export type { Text, TextParam } from './text';
