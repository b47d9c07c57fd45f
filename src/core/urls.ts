/**
 * Which URLs the client talks to: https, or plain http on a loopback address (the simulator, a
 * local gateway); never with user info, which would end up in flows.json and in messages.
 */
import { UtmosInputError, UtmosResponseError } from './errors';
import { displayUrl } from './redact';
import { text } from './text';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname.endsWith('.localhost');
}

function isSecureOrLocal(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** The platform's base URL: https (http only on loopback), no user info, query or fragment. */
export function validateBaseUrl(raw: unknown): URL {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new UtmosInputError('baseUrl', text('baseUrl.empty'));
  }
  const given = raw.trim();
  let url: URL | undefined;
  try {
    url = new URL(given);
  } catch {
    url = undefined;
  }
  // User info is refused first (and never quoted): an unparsable URL with an "@" may hold a password.
  if (url ? url.username || url.password : given.includes('@')) {
    throw new UtmosInputError('baseUrl', text('baseUrl.userInfo', { got: displayUrl(given) }));
  }
  if (!url) {
    throw new UtmosInputError('baseUrl', text('baseUrl.invalid', { url: given }));
  }
  if (!isSecureOrLocal(url)) {
    throw new UtmosInputError('baseUrl', text('baseUrl.https', { got: `${url.protocol}//${url.host}` }));
  }
  if (url.search || url.hash) {
    throw new UtmosInputError('baseUrl', text('baseUrl.extras'));
  }
  return url;
}

/** A presigned storage URL from the platform: the same rules, or the platform's answer is wrong. */
export function checkObjectUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UtmosResponseError('uploadObject: the platform returned a presigned URL that is not a valid URL', {
      code: 'INVALID_RESPONSE',
      operation: 'uploadObject',
    });
  }
  if (!isSecureOrLocal(url) || url.username || url.password) {
    throw new UtmosResponseError(`uploadObject: the presigned URL must use https:// (got ${url.protocol}//${url.host})`, {
      code: 'INVALID_RESPONSE',
      operation: 'uploadObject',
    });
  }
  return url;
}
