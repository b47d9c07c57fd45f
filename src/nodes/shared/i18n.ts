/**
 * Runtime texts (badges, errors, warnings, log lines) in the runtime's language through Node-RED's
 * i18n: RED._ with the nodes' locales/<lang>/*.json. Node-RED picks that language from the `lang`
 * setting, else from LC_ALL / LC_MESSAGES / LANG, and falls back to en-US per key.
 *
 * Each node's own texts sit in its locale file; texts all nodes share (error and outcome lines,
 * badges, and the core texts under "shared.core", whose en-US copy a test keeps equal to
 * core/texts-en.ts) sit in utmos-config's, under "utmos-config.shared". When RED._ has nothing
 * (a key missing everywhere, or a test runtime whose RED._ is a stub), the en-US catalogue is read
 * directly, and core texts fall back to the core's own English.
 */
import fs from 'fs';
import path from 'path';
import { translateCatalogueText } from '../../core/catalogue/translations';
import type { DjiLanguage } from '../../core/dji-result-codes';
import { CATALOGUE_KEY, Text, TextParam, interpolate, isText, renderText } from '../../core/text';
import type { RedApi } from './node-red';

const SHARED_NODE = 'utmos-config';
const NODES_DIR = path.join(__dirname, '..');

function packageName(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { name?: unknown };
    return typeof pkg.name === 'string' ? pkg.name : 'node-red-contrib-utmos-dji';
  } catch {
    return 'node-red-contrib-utmos-dji';
  }
}
const PACKAGE = packageName();

const englishCatalogues = new Map<string, Record<string, unknown>>();

/** A node's en-US locale file, as shipped beside its compiled .js. */
export function englishCatalogue(nodeType: string): Record<string, unknown> {
  let catalogue = englishCatalogues.get(nodeType);
  if (!catalogue) {
    try {
      catalogue = JSON.parse(fs.readFileSync(path.join(NODES_DIR, nodeType, 'locales', 'en-US', `${nodeType}.json`), 'utf8')) as Record<string, unknown>;
    } catch {
      catalogue = {};
    }
    englishCatalogues.set(nodeType, catalogue);
  }
  return catalogue;
}

function lookupIn(catalogue: Record<string, unknown>, key: string): string | undefined {
  let at: unknown = catalogue;
  for (const part of key.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return typeof at === 'string' ? at : undefined;
}

export type TextParams = Record<string, TextParam | undefined>;

export interface RuntimeTexts {
  /** 'zh' when the runtime speaks Chinese, else 'en' (for data with its own translations). */
  readonly language: DjiLanguage;
  /** A key of this node's locale section, e.g. 'status.sending' for "dji-command.status.sending". */
  node(key: string, params?: TextParams): string;
  /** A key of the texts all nodes share, e.g. 'badge.noConnection' for "utmos-config.shared.badge.noConnection". */
  shared(key: string, params?: TextParams): string;
  /** Like shared(), but undefined when no language has the key. */
  optional(key: string, params?: TextParams): string | undefined;
  /** A core text (an error message, a payload problem). */
  text(t: Text): string;
  /** How the node's dialog names a setting ("Device" for deviceId), or the name itself. */
  label(field: string): string;
}

/**
 * The texts of node type `nodeType` (its locale section is named like the type).
 *
 * Each template is asked of RED._ once (uninterpolated) and filled here: i18next resolves a key
 * through its language hierarchy on every call, which cost more CPU per command than signing it.
 * Filling `__name__` here is what Node-RED's i18next does with these locale files (no nesting, no
 * plural keys, no formats). The editor briefly switches the runtime's i18next to its own language
 * while it loads a catalogue, so a template is only kept when the runtime's language is the one
 * this node started with.
 */
export function runtimeTexts(RED: RedApi, nodeType: string): RuntimeTexts {
  const templates = new Map<string, string | null>();
  const ask = (full: string): unknown => {
    try {
      return RED._?.(full, { skipInterpolation: true });
    } catch {
      return undefined;
    }
  };
  const LANGUAGE_KEY = `${PACKAGE}/${SHARED_NODE}:${SHARED_NODE}.shared.language`;
  const startedIn = ask(LANGUAGE_KEY);
  const template = (owner: string, key: string): string | undefined => {
    const full = `${PACKAGE}/${owner}:${key}`;
    const known = templates.get(full);
    if (known !== undefined) return known ?? undefined;
    const translated = ask(full);
    const found =
      typeof translated === 'string' && translated !== '' && translated !== full && translated !== key
        ? translated
        : (lookupIn(englishCatalogue(owner), key) ?? null);
    if (ask(LANGUAGE_KEY) === startedIn) templates.set(full, found);
    return found ?? undefined;
  };
  const lookup = (owner: string, key: string, params: Record<string, string>): string | undefined => {
    const found = template(owner, key);
    return found === undefined ? undefined : interpolate(found, params);
  };
  const SHARED = `${SHARED_NODE}.shared`;
  const language: DjiLanguage = /^zh\b/i.test(lookup(SHARED_NODE, `${SHARED}.language`, {}) ?? 'en-US') ? 'zh' : 'en';

  const render = (params: TextParams | undefined): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(params ?? {})) {
      if (value !== undefined) out[name] = isText(value) ? text(value) : String(value);
    }
    return out;
  };
  const say = (owner: string, key: string, params?: TextParams): string => lookup(owner, key, render(params)) ?? key;
  const text = (t: Text): string =>
    renderText(t, (key, params) => {
      if (key === CATALOGUE_KEY) return translateCatalogueText(params.text ?? '', language);
      return lookup(SHARED_NODE, `${SHARED}.core.${key}`, params);
    });

  return {
    language,
    node: (key, params) => say(nodeType, `${nodeType}.${key}`, params),
    shared: (key, params) => say(SHARED_NODE, `${SHARED}.${key}`, params),
    optional: (key, params) => lookup(SHARED_NODE, `${SHARED}.${key}`, render(params)),
    text,
    label: (field) => lookup(nodeType, `${nodeType}.label.${field}`, {}) ?? field,
  };
}
