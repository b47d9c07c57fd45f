/**
 * Texts a user reads, as data: a stable key and its parameters. The core renders them in English
 * (its error messages); the node adapters render the same key in the runtime's language through
 * Node-RED's i18n and fall back to this English. Parameters may be texts themselves (a value
 * description inside a payload problem), rendered in the same language.
 */
import { CORE_TEXTS, CoreTextKey } from './texts-en';

export type TextParam = string | number | Text;

export interface Text {
  readonly key: string;
  readonly params?: Readonly<Record<string, TextParam>>;
}

/** Text that is not translated: a value, a name, a message from elsewhere (e.g. the platform). */
export const RAW_KEY = 'raw';
/** A description from the DJI catalogue: translated through the catalogue's own translations. */
export const CATALOGUE_KEY = 'catalogue';

export function text(key: CoreTextKey, params?: Record<string, TextParam>): Text {
  return params ? { key, params } : { key };
}

export function raw(value: string): Text {
  return { key: RAW_KEY, params: { text: value } };
}

export function catalogueText(english: string): Text {
  return { key: CATALOGUE_KEY, params: { text: english } };
}

export function isText(value: unknown): value is Text {
  return typeof value === 'object' && value !== null && typeof (value as Text).key === 'string';
}

/** Replaces `__name__` placeholders (Node-RED's i18n syntax) with the given strings. */
export function interpolate(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/__([A-Za-z0-9]+)__/g, (whole, name: string) => params[name] ?? whole);
}

/**
 * Renders a text with `lookup` (key, rendered params) -> template-filled string, or undefined when
 * the language has no such key; then the English template is used.
 */
export function renderText(t: Text, lookup?: (key: string, params: Record<string, string>) => string | undefined): string {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(t.params ?? {})) {
    params[name] = isText(value) ? renderText(value, lookup) : String(value);
  }
  if (t.key === RAW_KEY) return params.text ?? '';
  const localised = lookup?.(t.key, params);
  if (localised !== undefined) return localised;
  if (t.key === CATALOGUE_KEY) return params.text ?? '';
  const template = (CORE_TEXTS as Record<string, string>)[t.key];
  return template === undefined ? t.key : interpolate(template, params);
}

export function english(t: Text): string {
  return renderText(t);
}
