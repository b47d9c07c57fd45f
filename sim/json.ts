/** Reading JSON as the simulator receives it (HTTP bodies, MQTT payloads). */
import { isPlainObject } from '../src/core/plain-data';

/** The parsed value; an empty body is not JSON. */
export function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (bytes.length === 0) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The JSON object in `bytes`, or undefined for anything else. */
export function parseObject(bytes: Buffer): Record<string, unknown> | undefined {
  const parsed = parseJson(bytes);
  return parsed.ok && isPlainObject(parsed.value) ? parsed.value : undefined;
}

export const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
