/**
 * The editor side of every node, read from the source tree (not dist/): each `.html` edit dialog run
 * in a vm sandbox with a stub `RED`, so the real definition object and its validators can be
 * checked; its en-US and zh-CN catalogues and help; the icons.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { ROOT } from '../../helpers/paths';
import { NodeSpec, SPECS } from './node-contract';

export { ROOT };

export const CATEGORY = 'UTMOS DJI';
export const DOCS_URL = 'https://docs.utmos.dev/en';

export const read = (...p: string[]) => fs.readFileSync(path.join(ROOT, ...p), 'utf8');

export interface ScriptBlock {
  attrs: Record<string, string>;
  body: string;
}

export function scriptBlocks(html: string): ScriptBlock[] {
  const out: ScriptBlock[] = [];
  const re = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html)) !== null) {
    const attrs: Record<string, string> = {};
    const attrRe = /([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
    let a: RegExpExecArray | null;
    while ((a = attrRe.exec(m[1])) !== null) attrs[a[1].toLowerCase()] = a[2] ?? a[3];
    out.push({ attrs, body: m[2] });
  }
  return out;
}

export type Catalog = Record<string, unknown>;

export function lookup(catalog: Catalog, key: string): unknown {
  let cur: unknown = catalog;
  for (const part of key.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(part in (cur as Record<string, unknown>))) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function flatten(obj: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = obj;
  }
  return out;
}

/** Node-RED's i18next uses __name__ interpolation. */
export function translate(catalog: Catalog, key: string, opts?: Record<string, unknown>): string {
  const v = lookup(catalog, key.replace(/^[^:]*:/, ''));
  if (typeof v !== 'string') return key;
  return v.replace(/__(\w+)__/g, (_all, name: string) => (opts && name in opts ? String(opts[name]) : `__${name}__`));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Def = Record<string, any>;

/** The config nodes and flow nodes the stub RED knows (for onadd / single-connection checks). */
export const configNodes: Def[] = [];
export const flowNodes: Def[] = [];

/** Editor code the runtime serves from the package's resources/ folder (a script's src). */
function resourcePath(src: string): string {
  const prefix = 'resources/node-red-contrib-utmos-dji/';
  assert.ok(src.startsWith(prefix), `script src ${src} is served from ${prefix}`);
  return path.join(ROOT, 'resources', src.slice(prefix.length));
}

/** The editor code of a node: its own text/javascript blocks and the resource scripts they load. */
function editorCode(blocks: ScriptBlock[]): string {
  return blocks
    .filter((b) => b.attrs.type === 'text/javascript')
    .map((b) => (b.attrs.src ? fs.readFileSync(resourcePath(b.attrs.src), 'utf8') : b.body))
    .join('\n');
}

/** A jQuery call the dialog code made: on what (a selector, or `$` itself) and which method with what. */
export interface JqCall {
  on: unknown;
  method: string;
  args: unknown[];
}

/** A stub jQuery that finds nothing (so validators read the node) and records every call made on it. */
function recordingJQuery(calls: JqCall[]): Def {
  const chain = (on: unknown): Def =>
    new Proxy(
      { length: 0 },
      {
        get: (target, key) => {
          if (typeof key === 'symbol' || key in target) return (target as Def)[key as string];
          return (...args: unknown[]) => {
            calls.push({ on, method: key, args });
            return key === 'val' && args.length === 0 ? undefined : chain(on);
          };
        },
      },
    );
  const $ = (selector: unknown) => chain(selector);
  return new Proxy($, { get: (target, key) => (key === 'fn' ? {} : typeof key === 'symbol' ? (target as Def)[key as never] : chain('$')[key]) });
}

/** Runs every text/javascript block of an editor file with a stub RED and returns the definitions. */
function loadDefinitions(file: string, html: string, catalog: Catalog, jqCalls: JqCall[]): Record<string, Def> {
  const defs: Record<string, Def> = {};
  const $ = recordingJQuery(jqCalls);
  // A small typedInput validator in the spirit of Node-RED's (reads the type from the node).
  const typedInputValidator = (opts: string | { typeField?: string; type?: string }) => {
    const typeField = typeof opts === 'string' ? opts : opts.typeField;
    return function (this: Def, v: unknown, opt?: object): boolean | string {
      const type = typeof opts === 'object' && opts.type ? opts.type : this[typeField ?? ''];
      const s = v === undefined || v === null ? '' : String(v);
      let ok = true;
      if (type === 'msg' || type === 'flow' || type === 'global') ok = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*|\[\d+\])*$/.test(s);
      else if (type === 'num') ok = s.trim() !== '' && !isNaN(Number(s));
      else if (type === 'json') {
        try {
          JSON.parse(s);
        } catch {
          ok = false;
        }
      }
      if (ok) return true;
      return opt ? `invalid ${type} value` : false;
    };
  };
  const RED = {
    nodes: {
      registerType: (type: string, def: Def) => {
        defs[type] = def;
      },
      eachConfig: (cb: (n: Def) => void) => configNodes.forEach(cb),
      node: (id: string) => flowNodes.find((n) => n.id === id),
    },
    workspaces: { active: () => 'tab-1' },
    i18n: { lang: () => 'en-US' },
    validators: {
      number: () => (v: unknown) => !isNaN(Number(v)),
      regex: (re: RegExp) => (v: unknown) => re.test(String(v)),
      typedInput: typedInputValidator,
    },
    _: (key: string, opts?: Record<string, unknown>) => translate(catalog, key, opts),
    settings: {},
  };
  const sandbox = { RED, $, jQuery: $, window: {}, console, URL };
  vm.createContext(sandbox);
  for (const block of scriptBlocks(html)) {
    if ((block.attrs.type ?? '').toLowerCase() !== 'text/javascript') continue;
    if (block.attrs.src) {
      const resource = resourcePath(block.attrs.src);
      vm.runInContext(fs.readFileSync(resource, 'utf8'), sandbox, { filename: resource });
    } else {
      vm.runInContext(block.body, sandbox, { filename: file });
    }
  }
  return defs;
}

/** A node-like `this` for validators and label functions. */
export function nodeThis(catalog: Catalog, props: Record<string, unknown>): Def {
  return { ...props, _: (key: string, opts?: Record<string, unknown>) => translate(catalog, key, opts) };
}

export interface Loaded {
  spec: NodeSpec;
  html: string;
  blocks: ScriptBlock[];
  /** Its editor code, with the resource scripts it loads. */
  code: string;
  /** The jQuery calls its code made (run oneditprepare to see the dialog's). */
  jqCalls: JqCall[];
  template: string;
  en: Catalog;
  zh: Catalog;
  def: Def;
}

function load(spec: NodeSpec): Loaded {
  const dir = path.join('src', 'nodes', spec.type);
  const html = read(dir, `${spec.type}.html`);
  const blocks = scriptBlocks(html);
  const en = JSON.parse(read(dir, 'locales', 'en-US', `${spec.type}.json`)) as Catalog;
  const zh = JSON.parse(read(dir, 'locales', 'zh-CN', `${spec.type}.json`)) as Catalog;
  const jqCalls: JqCall[] = [];
  const defs = loadDefinitions(path.join(ROOT, dir, `${spec.type}.html`), html, en, jqCalls);
  const tpl = blocks.find((b) => b.attrs.type === 'text/html' && b.attrs['data-template-name'] === spec.type);
  return { spec, html, blocks, code: editorCode(blocks), jqCalls, template: tpl ? tpl.body : '', en, zh, def: defs[spec.type] };
}

const LOADED = new Map<string, Loaded>();
export function get(type: string): Loaded {
  let l = LOADED.get(type);
  if (!l) {
    const spec = SPECS.find((s) => s.type === type);
    if (!spec) throw new Error(`no spec for ${type}`);
    l = load(spec);
    LOADED.set(type, l);
  }
  return l;
}

export function validate(l: Loaded, prop: string, value: unknown, props: Record<string, unknown> = {}): boolean | string {
  const d = l.def.defaults[prop];
  assert.ok(d && typeof d.validate === 'function', `${l.spec.type}.${prop} has a validator`);
  const self = nodeThis(l.en, { ...defaultValues(l), ...props });
  return d.validate.call(self, value, {});
}

export function defaultValues(l: Loaded): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(l.def.defaults as Record<string, { value: unknown }>)) out[k] = v.value;
  return out;
}

export function assertAccepts(l: Loaded, prop: string, values: unknown[], props?: Record<string, unknown>) {
  for (const v of values) {
    assert.equal(validate(l, prop, v, props), true, `${l.spec.type}.${prop} should accept ${JSON.stringify(v)} (${JSON.stringify(props ?? {})})`);
  }
}

export function assertRejects(l: Loaded, prop: string, values: unknown[], props?: Record<string, unknown>) {
  for (const v of values) {
    const r = validate(l, prop, v, props);
    assert.equal(typeof r, 'string', `${l.spec.type}.${prop} should reject ${JSON.stringify(v)} with a message (got ${JSON.stringify(r)})`);
    assert.ok(!String(r).startsWith(`${l.spec.type}.`), `${l.spec.type}.${prop}: error message is translated, got key ${r}`);
    assert.ok(String(r).length > 5, `${l.spec.type}.${prop}: error message is readable`);
  }
}

export const ICON_DIR = path.join(ROOT, 'icons');
