/**
 * A value a user gave, in a few words, for messages: `"dock-001"`, `2000`, `an array of 3`,
 * `a Date object`, `nothing`. One describer for the core's field messages and the nodes' settings,
 * and, for "must be a JSON object" messages, the kind of value given instead.
 */
import { Text, raw, text } from './text';

/** Longer strings are shown by their start. */
const SHOWN_STRING = 40;

/** "a Date object", "a Map object", "an Error object", "a Sensor object" (class name). */
export function describeNonPlain(value: object): Text {
  let name: string | undefined;
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    const ctor = proto && (proto as { constructor?: unknown }).constructor;
    if (typeof ctor === 'function' && ctor.name) name = ctor.name;
    if (!name) name = Object.prototype.toString.call(value).slice(8, -1);
  } catch {
    name = undefined;
  }
  if (!name || name === 'Object') return text('value.nonPlainObject');
  return text(/^[AEIO]/.test(name) ? 'value.anInstance' : 'value.aInstance', { name });
}

/** Short, safe description of a received value (never throws, never huge). */
export function describeValue(v: unknown): Text {
  try {
    if (v === null) return raw('null');
    if (v === undefined) return text('value.nothing');
    switch (typeof v) {
      case 'string':
        return raw(JSON.stringify(v.length > SHOWN_STRING ? `${v.slice(0, SHOWN_STRING - 3)}...` : v));
      case 'number':
        return raw(Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Math.round(v * 1e6) / 1e6));
      case 'boolean':
        return raw(String(v));
      case 'bigint':
        return text('value.bigint', { value: String(v) });
      case 'function':
        return text('value.function');
      case 'symbol':
        return text('value.symbol');
      default:
        if (Array.isArray(v)) return text('value.array', { count: v.length });
        return text('value.object');
    }
  } catch {
    return text('value.unreadable');
  }
}

/** What was given where a plain object belongs: `string`, `null`, `an array`, `a Date object`. */
export function describeKind(v: unknown): Text {
  if (v === null) return raw('null');
  if (Array.isArray(v)) return text('value.anArray');
  if (typeof v === 'object') return describeNonPlain(v);
  return raw(typeof v);
}
