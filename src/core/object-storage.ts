/**
 * Tenant object storage through the platform: the platform signs a PUT or GET URL
 * (POST /objects/presign, a signed call like any other), and the bytes go straight to storage with
 * exactly the method and headers that were signed (storage checks them; we sign nothing).
 */
import type { Clock } from './clock';
import { transportFailure } from './error-mapping';
import { UtmosApiError } from './errors';
import { RawResponse, acquireAgent, sendAttempt } from './http-transport';
import type { ProxySettings } from './proxy';
import { RetryPolicy } from './retry-policy';
import { PresignRequest, PresignRequestSchema, PresignResponse, PresignResponseSchema, parseInput } from './schemas';
import { API_PREFIX, AttemptInfo, RequestSpec, jsonBody } from './signed-request';
import { checkObjectUrl } from './urls';

/** Where to send object bytes: what POST /objects/presign returned. */
export interface PresignedTarget {
  method: 'PUT' | 'GET';
  url: string;
  headers: Record<string, string>;
}

export interface StorageCallOptions {
  signal?: AbortSignal;
  maxAttempts?: number;
}

/** The signed call that asks the platform to sign a PUT or GET URL for tenant object storage. */
export function presignRequest(input: PresignRequest, options: StorageCallOptions): RequestSpec<PresignResponse> {
  const request = parseInput(PresignRequestSchema, input);
  return {
    operation: 'presignObject',
    method: 'POST',
    path: `${API_PREFIX}/objects/presign`,
    body: jsonBody(request),
    schema: PresignResponseSchema,
    signal: options.signal,
    maxAttempts: options.maxAttempts,
  };
}

export interface ObjectStorageOptions {
  /** The CA and proxy rules of the API's connection apply to storage too. */
  ca?: string;
  proxy?: ProxySettings;
  requestTimeoutMs: number;
  maxResponseBytes: number;
  policy: RetryPolicy;
  clock: Clock;
  onAttempt?: (info: AttemptInfo) => void;
  closed: () => boolean;
}

export class ObjectStorage {
  constructor(private readonly options: ObjectStorageOptions) {}

  /**
   * Sends bytes to a presigned URL. Network errors, 5xx and 429 are retried: a PUT of the same bytes
   * to the same key is idempotent.
   */
  async upload(target: PresignedTarget, body: Buffer, call: StorageCallOptions = {}): Promise<{ httpStatus: number }> {
    const o = this.options;
    const url = checkObjectUrl(target.url);
    // Storage is another origin: its own pooled agent, with the CA and proxy rules of the API's.
    const lease = acquireAgent(url, { ca: o.ca, maxSockets: 4, connectTimeoutMs: o.requestTimeoutMs, proxy: o.proxy });
    const headers: Record<string, string> = { ...target.headers, 'Content-Length': String(body.length) };
    try {
      return await o.policy.run(
        { operation: 'uploadObject', signal: call.signal, maxAttempts: call.maxAttempts, closed: o.closed },
        async (attempt, maxAttempts) => {
          const started = o.clock.now();
          const report = (outcome: { httpStatus?: number; errorCode?: string }) =>
            o.onAttempt?.({ operation: 'uploadObject', method: target.method, path: url.pathname, attempt, ...outcome, durationMs: o.clock.now() - started });
          let response: RawResponse;
          try {
            response = await sendAttempt({
              url,
              method: target.method,
              headers,
              body,
              agent: lease.agent,
              timeoutMs: o.requestTimeoutMs,
              maxResponseBytes: o.maxResponseBytes,
              signal: call.signal,
              clock: o.clock,
            });
          } catch (err) {
            const error = transportFailure(err, {
              operation: 'uploadObject',
              attempt,
              target: url.origin,
              proxy: lease.proxy,
              timeoutMs: o.requestTimeoutMs,
              maxResponseBytes: o.maxResponseBytes,
            });
            report({ errorCode: error.code });
            return o.policy.retryOrThrow(error, false, attempt, maxAttempts);
          }
          report({ httpStatus: response.status });
          if (response.status >= 200 && response.status < 300) return { httpStatus: response.status };
          return o.policy.retryOrThrow(refusal(response.status, url, attempt), true, attempt, maxAttempts);
        },
      );
    } finally {
      lease.release();
    }
  }
}

/** Storage said no: a refused signature (403) or another failure, with the attempts made. */
function refusal(status: number, url: URL, attempt: number): UtmosApiError {
  const code = status === 403 ? 'OBJECT_URL_REFUSED' : 'OBJECT_UPLOAD_FAILED';
  const why = status === 403 ? 'storage refused the signed URL (expired, or the headers differ from the signed ones)' : 'storage did not accept the upload';
  return new UtmosApiError(`uploadObject: ${status} from ${url.origin}: ${why}${attempt > 1 ? `; gave up after ${attempt} attempts` : ''}`, {
    code,
    httpStatus: status,
    operation: 'uploadObject',
    attempts: attempt,
  });
}
