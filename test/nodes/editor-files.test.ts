/**
 * Static test of the editor side of every node: the `.html` edit dialog (evaluated in a vm sandbox
 * with a stub `RED`, so the real definition object and its validators are checked), the en-US and
 * zh-CN message catalogues and help, and the icons. Reads the source tree, not dist/.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';

const PACKAGE_NAME = 'node-red-contrib-utmos-dji';
const CATEGORY = 'UTMOS DJI';
const DOCS_URL = 'https://docs.utmos.dev/en';

/** The repository root: the folder whose package.json is ours, walking up from here (or from cwd). */
function findRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = path.resolve(start);
    for (;;) {
      const pj = path.join(dir, 'package.json');
      if (fs.existsSync(pj)) {
        try {
          if (JSON.parse(fs.readFileSync(pj, 'utf8')).name === PACKAGE_NAME) return dir;
        } catch {
          // not ours; keep walking
        }
      }
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error(`cannot find the ${PACKAGE_NAME} package root from ${__dirname} or ${process.cwd()}`);
}

const ROOT = findRoot();
const read = (...p: string[]) => fs.readFileSync(path.join(ROOT, ...p), 'utf8');

// ---------------------------------------------------------------------------------------------
// The contract: property names, defaults, credentials, typed-input types.

type Primitive = string | number | boolean;
interface NodeSpec {
  type: string;
  config?: boolean;
  inputs?: number;
  outputs?: number;
  defaults: Record<string, Primitive>;
  /** Config-node pointers: property -> config type (always required). */
  pointers?: Record<string, string>;
  credentials?: Record<string, 'text' | 'password'>;
  /** Typed inputs: property -> types offered (custom types by their value). */
  typed?: Record<string, string[]>;
}

const SPECS: NodeSpec[] = [
  {
    type: 'utmos-config',
    config: true,
    defaults: {
      name: '',
      baseUrl: 'https://dev.utmos.dev',
      eventBrokerUrl: '',
      eventTopics: 'tenant/+/command/+,tenant/+/device_request/+',
      caCert: '',
      requestTimeout: 10,
      maxRequestsPerSecond: 100,
      maxConcurrentRequests: 16,
    },
    credentials: { apiId: 'text', apiKey: 'password', eventUsername: 'text', eventPassword: 'password' },
  },
  {
    type: 'dji-command',
    inputs: 1,
    outputs: 2,
    defaults: {
      name: '',
      server: '',
      deviceId: '',
      deviceIdType: 'str',
      commandType: '',
      commandTypeType: 'str',
      payload: '{}',
      payloadType: 'json',
      idempotencyKey: '',
      idempotencyKeyType: 'auto',
      timeoutSeconds: 30,
      waitForResult: true,
      checkPayload: true,
    },
    pointers: { server: 'utmos-config' },
    typed: {
      deviceId: ['str', 'msg', 'flow', 'global', 'env', 'jsonata'],
      commandType: ['str', 'msg', 'flow', 'global', 'env', 'jsonata'],
      payload: ['json', 'msg', 'flow', 'global', 'jsonata', 'env'],
      idempotencyKey: ['auto', 'msg', 'flow', 'global', 'str', 'env', 'jsonata'],
    },
  },
  {
    type: 'dji-status-wait',
    inputs: 1,
    outputs: 3,
    defaults: {
      name: '',
      server: '',
      commandId: 'command_id',
      commandIdType: 'msg',
      until: 'terminal',
      timeout: '60',
      timeoutType: 'num',
    },
    pointers: { server: 'utmos-config' },
    typed: {
      commandId: ['msg', 'flow', 'global', 'str', 'env', 'jsonata'],
      timeout: ['num', 'msg', 'flow', 'global', 'env', 'jsonata'],
    },
  },
  {
    type: 'dji-request-in',
    inputs: 0,
    outputs: 1,
    defaults: {
      name: '',
      server: '',
      vendor: 'dji',
      deviceId: '',
      requestType: '',
      pendingOnly: true,
      pollInterval: 5,
    },
    pointers: { server: 'utmos-config' },
  },
  {
    type: 'dji-request-reply',
    inputs: 1,
    outputs: 1,
    defaults: {
      name: '',
      server: '',
      requestId: 'request_id',
      requestIdType: 'msg',
      replyCode: 'APPROVED',
      replyCodeType: 'str',
      replyMessage: '',
      replyMessageType: 'str',
      payload: '',
      payloadType: 'none',
    },
    pointers: { server: 'utmos-config' },
    typed: {
      requestId: ['msg', 'flow', 'global', 'str', 'env', 'jsonata'],
      replyCode: ['str', 'msg', 'flow', 'global', 'env', 'jsonata'],
      replyMessage: ['str', 'msg', 'flow', 'global', 'env', 'jsonata'],
      payload: ['none', 'msg', 'flow', 'global', 'json', 'jsonata', 'env'],
    },
  },
  {
    type: 'dji-wayline',
    inputs: 1,
    outputs: 1,
    defaults: {
      name: '',
      server: '',
      bucket: '',
      objectKeyPrefix: 'waylines/',
      aircraft: 'M3D',
      speed: 10,
      height: 60,
      finishAction: 'goHome',
      lostLinkAction: 'goBack',
      takeOffSecurityHeight: 20,
      returnHomeHeight: 100,
      urlLifetime: 3600,
    },
    pointers: { server: 'utmos-config' },
  },
];

// ---------------------------------------------------------------------------------------------
// Helpers: script blocks, catalogues, a sandboxed RED.

interface ScriptBlock {
  attrs: Record<string, string>;
  body: string;
}

function scriptBlocks(html: string): ScriptBlock[] {
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

type Catalog = Record<string, unknown>;

function lookup(catalog: Catalog, key: string): unknown {
  let cur: unknown = catalog;
  for (const part of key.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(part in (cur as Record<string, unknown>))) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function flatten(obj: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = obj;
  }
  return out;
}

/** Node-RED's i18next uses __name__ interpolation. */
function translate(catalog: Catalog, key: string, opts?: Record<string, unknown>): string {
  const v = lookup(catalog, key.replace(/^[^:]*:/, ''));
  if (typeof v !== 'string') return key;
  return v.replace(/__(\w+)__/g, (_all, name: string) => (opts && name in opts ? String(opts[name]) : `__${name}__`));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Def = Record<string, any>;

/** The config nodes and flow nodes the stub RED knows (for onadd / single-connection checks). */
const configNodes: Def[] = [];
const flowNodes: Def[] = [];

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
interface JqCall {
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
function nodeThis(catalog: Catalog, props: Record<string, unknown>): Def {
  return { ...props, _: (key: string, opts?: Record<string, unknown>) => translate(catalog, key, opts) };
}

interface Loaded {
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
function get(type: string): Loaded {
  let l = LOADED.get(type);
  if (!l) {
    const spec = SPECS.find((s) => s.type === type);
    if (!spec) throw new Error(`no spec for ${type}`);
    l = load(spec);
    LOADED.set(type, l);
  }
  return l;
}

function validate(l: Loaded, prop: string, value: unknown, props: Record<string, unknown> = {}): boolean | string {
  const d = l.def.defaults[prop];
  assert.ok(d && typeof d.validate === 'function', `${l.spec.type}.${prop} has a validator`);
  const self = nodeThis(l.en, { ...defaultValues(l), ...props });
  return d.validate.call(self, value, {});
}

function defaultValues(l: Loaded): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(l.def.defaults as Record<string, { value: unknown }>)) out[k] = v.value;
  return out;
}

function assertAccepts(l: Loaded, prop: string, values: unknown[], props?: Record<string, unknown>) {
  for (const v of values) {
    assert.equal(validate(l, prop, v, props), true, `${l.spec.type}.${prop} should accept ${JSON.stringify(v)} (${JSON.stringify(props ?? {})})`);
  }
}

function assertRejects(l: Loaded, prop: string, values: unknown[], props?: Record<string, unknown>) {
  for (const v of values) {
    const r = validate(l, prop, v, props);
    assert.equal(typeof r, 'string', `${l.spec.type}.${prop} should reject ${JSON.stringify(v)} with a message (got ${JSON.stringify(r)})`);
    assert.ok(!String(r).startsWith(`${l.spec.type}.`), `${l.spec.type}.${prop}: error message is translated, got key ${r}`);
    assert.ok(String(r).length > 5, `${l.spec.type}.${prop}: error message is readable`);
  }
}

const ICON_DIR = path.join(ROOT, 'icons');

// ---------------------------------------------------------------------------------------------

for (const spec of SPECS) {
  describe(`editor files: ${spec.type}`, () => {
    it('has a literal registerType in a text/javascript block (node-red-dev validate)', () => {
      const l = get(spec.type);
      const js = l.blocks.filter((b) => b.attrs.type === 'text/javascript');
      assert.ok(js.length >= 1, 'at least one <script type="text/javascript"> block');
      const literal = new RegExp(`RED\\.nodes\\.registerType\\(\\s*'${spec.type}'\\s*,\\s*\\{`);
      assert.ok(js.some((b) => literal.test(b.body)), `literal RED.nodes.registerType('${spec.type}', {`);
      assert.ok(l.def, 'the definition was registered when the script ran');
      // No other script type than the three Node-RED understands.
      for (const b of l.blocks) assert.ok(['text/javascript', 'text/html'].includes(b.attrs.type), `script type ${b.attrs.type}`);
      assert.ok(!/data-help-name/.test(l.html), 'help lives in locales/<lang>/<node>.html, not in the main .html');
    });

    it('declares the contract defaults, pointers, credentials, ports, category and icon', () => {
      const l = get(spec.type);
      const d = l.def;
      assert.deepEqual(Object.keys(d.defaults).sort(), Object.keys(spec.defaults).sort(), 'defaults keys');
      for (const [k, v] of Object.entries(spec.defaults)) {
        assert.ok(d.defaults[k], `defaults.${k}`);
        assert.strictEqual(d.defaults[k].value, v, `defaults.${k}.value`);
      }
      for (const [k, t] of Object.entries(spec.pointers ?? {})) {
        assert.equal(d.defaults[k].type, t, `defaults.${k}.type`);
        assert.equal(d.defaults[k].required, true, `defaults.${k}.required`);
      }
      for (const [k, v] of Object.entries(d.defaults as Record<string, { validate?: unknown }>)) {
        if (typeof v.validate === 'function') {
          assert.equal((v.validate as (...a: unknown[]) => unknown).length, 2, `defaults.${k}.validate takes (value, opt) so it may return a message`);
        }
      }
      if (spec.credentials) {
        assert.deepEqual(Object.keys(d.credentials).sort(), Object.keys(spec.credentials).sort(), 'credentials keys');
        for (const [k, t] of Object.entries(spec.credentials)) assert.equal(d.credentials[k].type, t, `credentials.${k}.type`);
      } else {
        assert.equal(d.credentials, undefined, 'only the config node has credentials');
      }
      if (spec.config) {
        assert.equal(d.category, 'config');
        assert.equal(d.inputs, undefined);
        assert.equal(d.outputs, undefined);
      } else {
        assert.equal(d.category, CATEGORY);
        assert.equal(d.inputs, spec.inputs, 'inputs');
        assert.equal(d.outputs, spec.outputs, 'outputs');
        assert.equal(d.color, '#7fb7df', 'one family colour');
      }
      assert.equal(typeof d.icon, 'string');
      assert.match(d.icon, /^utmos-[a-z-]+\.svg$/, 'icon name is unique to the package');
      assert.ok(fs.existsSync(path.join(ICON_DIR, d.icon)), `icons/${d.icon} exists`);
      assert.equal(typeof d.label, 'function');
    });

    it('has an edit template with an input for every property and nothing else', () => {
      const l = get(spec.type);
      assert.ok(l.template.trim(), `<script type="text/html" data-template-name="${spec.type}">`);
      const prefix = spec.config ? 'node-config-input-' : 'node-input-';
      const ids = new Set<string>();
      const idRe = /\bid="([^"]+)"/g;
      let m: RegExpExecArray | null;
      while ((m = idRe.exec(l.template)) !== null) ids.add(m[1]);
      const props = [...Object.keys(spec.defaults), ...Object.keys(spec.credentials ?? {})];
      for (const p of props) assert.ok(ids.has(prefix + p), `template has #${prefix}${p}`);
      for (const id of ids) {
        if (id.startsWith('node-input-') || id.startsWith('node-config-input-')) {
          assert.ok(id.startsWith(prefix) && props.includes(id.slice(prefix.length)), `#${id} is a declared property`);
        } else {
          assert.match(id, /^utmos-/, `own element ids are prefixed utmos- (${id})`);
        }
      }
      for (const [p, t] of Object.entries(spec.credentials ?? {})) {
        const tag = new RegExp(`<input[^>]*type="${t === 'password' ? 'password' : 'text'}"[^>]*id="${prefix}${p}"`);
        assert.match(l.template, tag, `credential ${p} uses an input of type ${t}`);
      }
    });

    it('offers the contract types in each typed input', () => {
      const l = get(spec.type);
      // The dialog as the editor prepares it, against a jQuery that records what is asked of it.
      l.jqCalls.length = 0;
      l.def.oneditprepare.call(nodeThis(l.en, { ...defaultValues(l), _def: l.def }));
      for (const [prop, types] of Object.entries(spec.typed ?? {})) {
        const call = l.jqCalls.find((c) => c.on === `#node-input-${prop}` && c.method === 'typedInput' && typeof c.args[0] === 'object');
        assert.ok(call, `typedInput set up for ${prop}`);
        const options = call.args[0] as { typeField: string; types: Array<string | { value: string }> };
        assert.equal(options.typeField, `#node-input-${prop}Type`, `typedInput of ${prop} keeps its type in ${prop}Type`);
        const offered = options.types.map((t) => (typeof t === 'string' ? t : t.value));
        for (const t of types) assert.ok(offered.includes(t), `${prop} offers type ${t} (offered: ${offered.join(',')})`);
        assert.ok(l.template.includes(`id="node-input-${prop}Type"`), `hidden #node-input-${prop}Type`);
      }
    });

    it('has en-US and zh-CN catalogues with the same keys, and every key the editor uses exists', () => {
      const l = get(spec.type);
      assert.deepEqual(Object.keys(l.en), [spec.type], 'en-US catalogue is under the node type');
      assert.deepEqual(Object.keys(l.zh), [spec.type], 'zh-CN catalogue is under the node type');
      const en = flatten(l.en);
      const zh = flatten(l.zh);
      assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort(), 'same key set in en-US and zh-CN');
      for (const [k, v] of Object.entries(en)) {
        assert.equal(typeof v, 'string', `en-US ${k} is a string`);
        assert.ok(String(v).trim(), `en-US ${k} is not empty`);
        assert.equal(typeof zh[k], 'string', `zh-CN ${k} is a string`);
        assert.ok(String(zh[k]).trim(), `zh-CN ${k} is not empty`);
        const ph = (s: string) => (s.match(/__\w+__/g) ?? []).sort();
        assert.deepEqual(ph(String(zh[k])), ph(String(v)), `zh-CN ${k} keeps the same __placeholders__`);
      }
      assert.match(Object.values(zh).join(' '), /[\u4e00-\u9fff]/, 'zh-CN catalogue is in Chinese');

      // data-i18n keys in the template (with optional [attr] prefixes, ';'-separated).
      const used: string[] = [];
      for (const m of l.template.matchAll(/data-i18n="([^"]+)"/g)) {
        for (const part of m[1].split(';')) {
          const key = part.replace(/^\[[^\]]*\]/, '').trim();
          if (key && !key.includes(':')) used.push(key);
        }
      }
      assert.ok(used.length > 0, 'the template is translated');
      // Keys named in the scripts: '<type>.x.y' literals (a trailing '.' is a prefix of a group),
      // and the ones the shared helpers add: a typed input's fallback, the template question.
      const jsKeys = [...l.code.matchAll(new RegExp(`'(${spec.type}\\.[A-Za-z0-9_.]+)'`, 'g'))].map((m) => m[1]).filter((k) => !/\.svg$/.test(k));
      if (/\.typed\(/.test(l.code)) jsKeys.push(`${spec.type}.errors.invalid`);
      for (const m of l.code.matchAll(/templateFiller\([^;]*'([\w.-]+\.)'\)/g)) jsKeys.push(...['confirmReplace', 'replace', 'keep'].map((k) => m[1] + k));
      for (const key of [...used, ...jsKeys]) {
        if (key.endsWith('.')) {
          const group = lookup(l.en, key.slice(0, -1));
          assert.ok(group && typeof group === 'object', `en-US has the group ${key.slice(0, -1)}`);
        } else {
          assert.equal(typeof lookup(l.en, key), 'string', `en-US has ${key}`);
        }
      }
      for (const key of used) {
        assert.ok(key.startsWith(`${spec.type}.`), `data-i18n key ${key} is in the node's namespace`);
      }
    });

    it('has markdown help in en-US and zh-CN with the style-guide sections', () => {
      const hasIn = (spec.inputs ?? 0) > 0;
      const hasOut = (spec.outputs ?? 0) > 0;
      const headings = {
        'en-US': { inputs: 'Inputs', outputs: 'Outputs', details: 'Details', example: 'Example', refs: 'References', props: 'Properties' },
        'zh-CN': { inputs: '输入', outputs: '输出', details: '详细', example: '示例', refs: '参考', props: '属性' },
      };
      for (const [lang, h] of Object.entries(headings)) {
        const file = path.join('src', 'nodes', spec.type, 'locales', lang, `${spec.type}.html`);
        const text = read(file);
        const blocks = scriptBlocks(text);
        assert.equal(blocks.length, 1, `${file}: one help block`);
        assert.equal(blocks[0].attrs.type, 'text/markdown', `${file}: markdown help`);
        assert.equal(blocks[0].attrs['data-help-name'], spec.type, `${file}: data-help-name="${spec.type}"`);
        const md = blocks[0].body.replace(/^\n+/, '');
        const first = md.split('\n')[0];
        assert.ok(first.trim().length > 10 && !first.startsWith('#'), `${file}: first paragraph is the palette tooltip`);
        assert.ok(!/^[ \t]+\S/m.test(md), `${file}: markdown lines have no leading indentation`);
        const has = (title: string) => new RegExp(`^### ${title}\\s*$`, 'm').test(md);
        assert.ok(has(h.details), `${file}: ### ${h.details}`);
        assert.ok(has(h.refs), `${file}: ### ${h.refs}`);
        assert.ok(md.includes(DOCS_URL), `${file}: links the UTMOS docs`);
        if (spec.config) {
          assert.ok(has(h.props), `${file}: ### ${h.props}`);
        } else {
          assert.equal(has(h.inputs), hasIn, `${file}: ### ${h.inputs} ${hasIn ? 'present' : 'absent (no input)'}`);
          assert.equal(has(h.outputs), hasOut, `${file}: ### ${h.outputs}`);
          assert.ok(has(h.example), `${file}: ### ${h.example}`);
          const outputs = md.split(`### ${h.outputs}`)[1]?.split(/^### /m)[0] ?? '';
          if ((spec.outputs ?? 0) > 1) {
            for (let i = 1; i <= (spec.outputs ?? 0); i++) assert.match(outputs, new RegExp(`^${i}\\. \\S`, 'm'), `${file}: output ${i} is numbered`);
          }
          assert.match(outputs, /^: \w+ \(\w+\) : /m, `${file}: outputs list message properties as ": name (type) : text"`);
        }
      }
    });

    it('uses no external resources and scopes its CSS', () => {
      const l = get(spec.type);
      assert.ok(!/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i.test(l.html), 'no external src/href');
      assert.ok(!/@import|url\(\s*["']?(?:https?:)?\/\//i.test(l.html), 'no external CSS');
      for (const m of l.html.matchAll(/<style>([\s\S]*?)<\/style>/g)) {
        for (const rule of m[1].matchAll(/(^|})\s*([^{}]+)\{/g)) {
          for (const sel of rule[2].split(',')) assert.match(sel.trim(), /^\.utmos-/, `CSS selector "${sel.trim()}" is scoped to a utmos- class`);
        }
      }
    });
  });
}

describe('editor files: behaviour of definitions', () => {
  it('utmos-config: base URL needs https unless the host is loopback', () => {
    const l = get('utmos-config');
    assertAccepts(l, 'baseUrl', [
      'https://dev.utmos.dev',
      'https://x',
      'http://127.0.0.1:8080',
      'http://127.10.20.30/api',
      'http://localhost:1880',
      'http://[::1]:8080',
      '  https://dev.utmos.dev/  ',
    ]);
    assertRejects(l, 'baseUrl', ['http://example.com', 'http://128.0.0.1', 'http://localhost.example.com', 'ftp://x', 'not a url', '']);
    assert.match(String(validate(l, 'baseUrl', 'http://example.com')), /https/);
  });

  it('utmos-config: event broker, topics, CA and limits', () => {
    const l = get('utmos-config');
    assertAccepts(l, 'eventBrokerUrl', ['', 'mqtt://127.0.0.1:1883', 'mqtts://broker.example.com:8883', 'ws://h/mqtt', 'wss://h']);
    assertRejects(l, 'eventBrokerUrl', ['http://h', 'tcp://h:1883', 'broker']);
    assertAccepts(l, 'eventTopics', ['tenant/+/command/+,tenant/+/device_request/+', 'a/#', '', 'x/y, z']);
    assertRejects(l, 'eventTopics', ['a/#/b', 'a/b+', 'a,,b']);
    assertAccepts(l, 'caCert', ['', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n']);
    assertRejects(l, 'caCert', ['hello', '-----BEGIN PRIVATE KEY-----']);
    assertAccepts(l, 'requestTimeout', [10, '1', '120', 2.5]);
    assertRejects(l, 'requestTimeout', [0, 121, 'x', '']);
    assertAccepts(l, 'maxRequestsPerSecond', [20, '1', 1000]);
    assertRejects(l, 'maxRequestsPerSecond', [0, 1001, 2.5]);
    assertAccepts(l, 'maxConcurrentRequests', [8, 1, '100']);
    assertRejects(l, 'maxConcurrentRequests', [0, 101, 1.5]);
    assert.match(String(validate(l, 'maxConcurrentRequests', 0)), /1.*100/, 'range interpolated into the message');
  });

  it('utmos-config: label is the name, else the host of the base URL', () => {
    const l = get('utmos-config');
    assert.equal(l.def.label.call(nodeThis(l.en, { name: '', baseUrl: 'https://dev.utmos.dev' })), 'dev.utmos.dev');
    assert.equal(l.def.label.call(nodeThis(l.en, { name: '', baseUrl: 'http://127.0.0.1:8080/x' })), '127.0.0.1:8080');
    assert.equal(l.def.label.call(nodeThis(l.en, { name: 'prod', baseUrl: 'https://dev.utmos.dev' })), 'prod');
  });

  it('dji-command: timeout, typed inputs, labels and the catalogue endpoint', () => {
    const l = get('dji-command');
    assertAccepts(l, 'timeoutSeconds', [30, '30', 1, 300]);
    assertRejects(l, 'timeoutSeconds', [0, 301, 2.5, '', 'abc', -5]);
    assertRejects(l, 'deviceId', ['', '  '], { deviceIdType: 'str' });
    assertAccepts(l, 'deviceId', ['DOCK-SN-001'], { deviceIdType: 'str' });
    assertAccepts(l, 'deviceId', ['device_id', 'payload.sn'], { deviceIdType: 'msg' });
    assertRejects(l, 'commandType', [''], { commandTypeType: 'str' });
    assertAccepts(l, 'commandType', ['cover_open'], { commandTypeType: 'str' });
    assertAccepts(l, 'payload', ['payload'], { payloadType: 'msg' });
    assertAccepts(l, 'payload', ['{"a":1}'], { payloadType: 'json' });
    assertRejects(l, 'payload', ['{'], { payloadType: 'json' });
    assertAccepts(l, 'payload', ['payload'], { payloadType: undefined });
    assertAccepts(l, 'idempotencyKey', [''], { idempotencyKeyType: 'auto' });
    assertAccepts(l, 'idempotencyKey', ['step_id'], { idempotencyKeyType: 'msg' });
    assertRejects(l, 'idempotencyKey', [''], { idempotencyKeyType: 'str' });

    const label = (props: Record<string, unknown>) => l.def.label.call(nodeThis(l.en, props));
    assert.equal(label({ name: 'open it', commandType: 'cover_open' }), 'open it');
    assert.equal(label({ name: '', commandType: 'cover_open' }), 'cover_open');
    assert.equal(label({ name: '', commandType: '' }), 'dji command');
    const out = (i: number, props: Record<string, unknown>) => l.def.outputLabels.call(nodeThis(l.en, props), i);
    assert.equal(out(0, { waitForResult: true }), 'succeeded');
    assert.equal(out(0, { waitForResult: false }), 'accepted');
    assert.equal(out(1, { waitForResult: true }), 'failed / timed out');

    assert.ok(l.code.includes("$.getJSON('utmos-dji/catalogue', { lang: RED.i18n.lang() })"), 'catalogue loaded with a relative admin URL, in the editor language');
    assert.ok(l.code.includes("url: 'utmos-dji/payload-check'"), 'static payloads are checked by the runtime');
    assert.match(l.code, /<optgroup>/, 'one optgroup per domain');
    assert.match(l.code, /templateFiller\(/, 'the shared template behaviour fills the payload');
    assert.doesNotMatch(l.code, /confirm\(/, 'no native confirm()');
    assert.match(l.code, /\.fail\(/, 'handles an unavailable endpoint');
  });

  it('dji-status-wait: until, timeout and output labels', () => {
    const l = get('dji-status-wait');
    assertAccepts(l, 'until', ['terminal', 'ACCEPTED', 'DELIVERED', 'RUNNING', 'SUCCEEDED', 'FAILED']);
    assertRejects(l, 'until', ['', 'not a status']);
    assertAccepts(l, 'timeout', ['60', 0.5, '3600'], { timeoutType: 'num' });
    assertRejects(l, 'timeout', ['0', '-1', 'abc', ''], { timeoutType: 'num' });
    assertAccepts(l, 'timeout', ['timeout'], { timeoutType: 'msg' });
    assertAccepts(l, 'commandId', ['command_id'], { commandIdType: 'msg' });
    assertRejects(l, 'commandId', [''], { commandIdType: 'str' });
    for (const u of ['terminal', 'ACCEPTED', 'DELIVERED', 'RUNNING', 'SUCCEEDED']) assert.ok(l.html.includes(`'${u}'`), `until offers ${u}`);
    const out = (i: number) => l.def.outputLabels.call(nodeThis(l.en, {}), i);
    assert.deepEqual([out(0), out(1), out(2)], ['reached / succeeded', 'failed', 'timed out (local)']);
  });

  it('dji-request-in: filters and poll interval', () => {
    const l = get('dji-request-in');
    assertAccepts(l, 'pollInterval', [5, '1', 3600]);
    assertRejects(l, 'pollInterval', [0, 3601, 'x', '']);
    assertAccepts(l, 'requestType', ['', 'config', 'flighttask_resource_get, config,update_topo']);
    assertRejects(l, 'requestType', ['a b', 'config,', ',config']);
    assertAccepts(l, 'vendor', ['dji']);
    assertRejects(l, 'vendor', ['d j i']);
    for (const t of ['flighttask_resource_get', 'config', 'update_topo', 'storage_config_get', 'airport_bind_status', 'flight_areas_get']) {
      assert.ok(l.template.includes(`<option value="${t}">`), `request type suggestion ${t}`);
    }
  });

  it('dji-request-reply: typed inputs', () => {
    const l = get('dji-request-reply');
    assertAccepts(l, 'requestId', ['request_id'], { requestIdType: 'msg' });
    assertRejects(l, 'requestId', [''], { requestIdType: 'str' });
    assertAccepts(l, 'replyCode', ['APPROVED', 'REJECTED'], { replyCodeType: 'str' });
    assertRejects(l, 'replyCode', [''], { replyCodeType: 'str' });
    assertAccepts(l, 'replyMessage', ['', 'ok'], { replyMessageType: 'str' });
    assertAccepts(l, 'payload', [''], { payloadType: 'none' });
    assertAccepts(l, 'payload', ['payload'], { payloadType: 'msg' });
  });

  it('dji-wayline: bucket, prefix, ranges from the WPML specification, choices and labels', () => {
    const l = get('dji-wayline');
    assertAccepts(l, 'bucket', ['tenant-media']);
    assertRejects(l, 'bucket', ['', '  ']);
    assertAccepts(l, 'objectKeyPrefix', ['waylines/', '', 'a/b/']);
    assertRejects(l, 'objectKeyPrefix', ['/waylines/', 'a/../b']);
    assertAccepts(l, 'speed', [10, '0.5', 15]);
    assertRejects(l, 'speed', [0, 15.5, 'fast', '']);
    assertAccepts(l, 'height', [60, -20, 1500]);
    assertRejects(l, 'height', [1501, 'x']);
    assertAccepts(l, 'takeOffSecurityHeight', [2, 1500]);
    assertRejects(l, 'takeOffSecurityHeight', [1, 1501]);
    assertAccepts(l, 'returnHomeHeight', [20, 1500]);
    assertRejects(l, 'returnHomeHeight', [19, 2000]);
    assertAccepts(l, 'urlLifetime', [1, 3600, '600']);
    assertRejects(l, 'urlLifetime', [0, 3601, 1.5]);
    assertAccepts(l, 'aircraft', ['M30', 'M30T', 'M3D', 'M3TD', 'M4D', 'M4TD']);
    assertRejects(l, 'aircraft', ['M300', '']);
    assertAccepts(l, 'finishAction', ['goHome', 'noAction', 'autoLand', 'gotoFirstWaypoint']);
    assertAccepts(l, 'lostLinkAction', ['goBack', 'landing', 'hover', 'continue']);
    assertRejects(l, 'lostLinkAction', ['panic']);
    for (const v of ['M30', 'M30T', 'M3D', 'M3TD', 'M4D', 'M4TD']) assert.ok(l.template.includes(`<option value="${v}"`), `aircraft ${v}`);
    for (const key of ['building', 'uploading', 'signing', 'ready', 'renewed', 'invalid']) {
      assert.equal(typeof lookup(l.en, `dji-wayline.status.${key}`), 'string', `status badge ${key} is translated`);
    }
    assert.equal(l.def.label.call(nodeThis(l.en, { name: '' })), 'dji wayline');
    assert.equal(l.def.outputLabels.call(nodeThis(l.en, {}), 0), 'wayline file URL and fingerprint');
  });
});

describe('editor files: shared behaviour', () => {
  it('a node dropped from the palette takes the only UTMOS connection, and only then (onadd)', () => {
    for (const spec of SPECS.filter((x) => !x.config)) {
      const l = get(spec.type);
      assert.equal(typeof l.def.onadd, 'function', `${spec.type}.onadd`);
      const drop = (configs: Def[], props: Record<string, unknown> = {}, inFlow = false) => {
        configNodes.splice(0, configNodes.length, ...configs);
        const node = nodeThis(l.en, { ...defaultValues(l), id: `new-${spec.type}`, ...props });
        flowNodes.splice(0, flowNodes.length, ...(inFlow ? [node] : []));
        l.def.onadd.call(node);
        return node.server;
      };
      try {
        assert.equal(drop([{ id: 'c1', type: 'utmos-config' }]), 'c1', `${spec.type}: the single connection`);
        assert.equal(drop([{ id: 'c1', type: 'utmos-config', z: 'tab-1' }]), 'c1', `${spec.type}: one scoped to this tab`);
        assert.equal(drop([{ id: 'c1', type: 'utmos-config' }, { id: 'c2', type: 'utmos-config' }]), '', `${spec.type}: two, none chosen`);
        assert.equal(drop([{ id: 'c1', type: 'utmos-config', z: 'other-tab' }]), '', `${spec.type}: one of another tab`);
        assert.equal(drop([{ id: 'm', type: 'mqtt-broker' }]), '', `${spec.type}: other config types do not count`);
        assert.equal(drop([{ id: 'c1', type: 'utmos-config' }], { server: 'c9' }), 'c9', `${spec.type}: a chosen one is kept`);
        assert.equal(drop([{ id: 'c1', type: 'utmos-config' }], {}, true), '', `${spec.type}: a pasted node is left alone`);
      } finally {
        configNodes.length = 0;
        flowNodes.length = 0;
      }
    }
  });

  it('shared CSS is scoped to utmos- classes and loaded by every dialog', () => {
    const css = fs.readFileSync(path.join(ROOT, 'resources', 'editor-common.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const rule of css.matchAll(/(^|})\s*([^{}]+)\{/g)) {
      for (const sel of rule[2].split(',')) assert.match(sel.trim(), /^\.utmos-/, `CSS selector "${sel.trim()}" is scoped to a utmos- class`);
    }
    for (const spec of SPECS) {
      assert.ok(get(spec.type).html.includes('<link rel="stylesheet" href="resources/node-red-contrib-utmos-dji/editor-common.css">'), `${spec.type} loads the shared CSS`);
      assert.match(get(spec.type).template, /^\s*<div class="utmos-form">/, `${spec.type}: the form is in .utmos-form`);
    }
  });

  it('help property lines are ones Node-RED renders: ": name (type) : description" with no other colon', () => {
    // Node-RED's help markdown (RED.utils.renderMarkdown) only takes a line as a property when
    // it matches this; a colon in the description (a URL, "x: y") breaks the entry.
    const rendered = /^:([^:\n]+)\(([^:\n]+)\).*?:([^:\n]*)$/;
    for (const spec of SPECS) {
      for (const lang of ['en-US', 'zh-CN']) {
        const md = read('src', 'nodes', spec.type, 'locales', lang, `${spec.type}.html`);
        const lines = md.split('\n').filter((line) => line.startsWith(':'));
        assert.ok(lines.length > 0, `${spec.type} ${lang}: documents properties`);
        for (const line of lines) assert.match(line, rendered, `${spec.type} ${lang}: ${line}`);
      }
    }
  });

  it('dji-request-reply offers payload templates for flighttask_resource_get and config answers', () => {
    const l = get('dji-request-reply');
    for (const t of ['flighttask_resource_get', 'config']) {
      assert.equal(typeof lookup(l.en, `dji-request-reply.template.${t}`), 'string', `en-US label for the ${t} template`);
      assert.ok(new RegExp(`\\b${t}: \\{`).test(l.html), `template for ${t}`);
    }
    assert.doesNotMatch(l.html, /confirm\(/, 'no native confirm()');
  });

  it('one name for the connection: "UTMOS connection" in the palette and "Connection" in every dialog', () => {
    const config = get('utmos-config');
    assert.equal(config.def.paletteLabel.call(nodeThis(config.en, {})), 'UTMOS connection');
    assert.equal(config.def.paletteLabel.call(nodeThis(config.zh, {})), 'UTMOS 连接');
    for (const spec of SPECS.filter((x) => !x.config)) {
      const l = get(spec.type);
      assert.equal(lookup(l.en, `${spec.type}.label.server`), 'Connection', spec.type);
      assert.equal(lookup(l.zh, `${spec.type}.label.server`), '连接', spec.type);
    }
    const texts = SPECS.flatMap((spec) => ['en-US', 'zh-CN'].flatMap((lang) => [
      ...Object.values(flatten(JSON.parse(read('src', 'nodes', spec.type, 'locales', lang, `${spec.type}.json`)))).map(String),
      read('src', 'nodes', spec.type, 'locales', lang, `${spec.type}.html`),
    ]));
    for (const t of texts) assert.doesNotMatch(t, /(?<!NTP )\bserver\b|(?<!NTP )服务器/i, 'no "server" for the connection (an NTP server is one)');
  });
});

describe('editor files: icons', () => {
  it('every icon is a white-on-transparent 2:3 SVG with a unique utmos- name and no external reference', () => {
    const icons = fs.readdirSync(ICON_DIR).filter((f) => f.endsWith('.svg'));
    const used = new Set(SPECS.map((s) => get(s.type).def.icon as string));
    assert.equal(used.size, SPECS.length, 'one icon per node');
    for (const icon of used) assert.ok(icons.includes(icon), `icons/${icon}`);
    for (const icon of icons) {
      assert.match(icon, /^utmos-[a-z-]+\.svg$/);
      const svg = fs.readFileSync(path.join(ICON_DIR, icon), 'utf8');
      const vb = /viewBox="\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*"/.exec(svg);
      assert.ok(vb, `${icon}: has a viewBox`);
      assert.equal(Number(vb[1]) * 3, Number(vb[2]) * 2, `${icon}: 2:3 aspect`);
      assert.ok(Number(vb[1]) >= 40, `${icon}: at least 40x60`);
      for (const m of svg.matchAll(/\b(?:fill|stroke)\s*[=:]\s*"?([^";\s]+)/g)) {
        assert.ok(['#fff', '#ffffff', 'white', 'none'].includes(m[1].toLowerCase()), `${icon}: colour ${m[1]} is white or none`);
      }
      assert.ok(!/(?:xlink:)?href\s*=|url\(/.test(svg), `${icon}: no external or referenced resources`);
      assert.ok(!/<script/i.test(svg), `${icon}: no script`);
    }
  });
});
