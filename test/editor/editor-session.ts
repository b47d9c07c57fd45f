/**
 * The Node-RED editor in headless Debian Chromium (playwright-core) driven as a user drives it, with
 * the package loaded by the real embedded runtime and the examples deployed against the simulator:
 * the browser, the runtime, the simulator, and the moves a test makes (drop from the palette, wire,
 * open a dialog, set a typed input, deploy, read the debug sidebar and the help, take screenshots).
 *
 * Screenshots go to a temporary directory (printed); UTMOS_UPDATE_SCREENSHOTS=1 also refreshes the
 * ones in docs/ (first flow, refused command, help in English and Chinese, inspection flow).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, Runtime, demoLib, majorOf, startRuntime } from '../helpers/runtime';
import { SimProcess, startSim } from '../helpers/simulator';

// Browser-side callbacks run in the page; these names exist there, not in this Node program.
declare const window: any;
declare const document: any;
type Element = any;
type HTMLElement = any;
type HTMLSelectElement = any;

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const UPDATE_DOCS = process.env.UTMOS_UPDATE_SCREENSHOTS === '1';
export const NON_CONFIG = ['dji-command', 'dji-status-wait', 'dji-request-in', 'dji-request-reply', 'dji-wayline'];
export const ALL_TYPES = ['utmos-config', ...NON_CONFIG];
const VIEWPORT = { width: 1600, height: 950 };
/** The connection every example uses. */
export const CONNECTION = 'utmos-example-config';

/** Why the browser test cannot run here, if it cannot. */
export function skipReason(): string | undefined {
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run installs it)`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nr = require(require.resolve(path.join(process.env.NODE_RED_PATH || 'node-red', 'package.json')));
  const [maj, min] = process.versions.node.split('.').map(Number);
  if (majorOf(nr.version) >= 5 && (maj < 22 || (maj === 22 && min < 9))) {
    return `Node-RED ${nr.version} on Node ${process.version}: its "unsupported Node.js" notification covers the editor; the browser test runs with Node-RED 5 on Node >= 22.9 (scripts/test-nr5.sh)`;
  }
  return undefined;
}

/** The text a markdown fragment renders to (code spans, emphasis and links unwrapped). */
function plainText(md: string): string {
  return md
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/\*([^*]+)\*/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

interface HelpEntry {
  name: string;
  type: string;
  description: string;
}

/** The `: name (type) : description` lines of a node's help, as they should read once rendered. */
function documentedEntries(type: string, lang: string): HelpEntry[] {
  const md = fs.readFileSync(path.join(ROOT, 'src', 'nodes', type, 'locales', lang, `${type}.html`), 'utf8');
  return md
    .split('\n')
    .filter((line) => line.startsWith(':'))
    .map((line) => {
      const m = /^:\s*(.+?)\s*\(([^)]+)\)\s*:\s*(.*)$/.exec(line);
      assert.ok(m, `${type} ${lang}: cannot read "${line}"`);
      return { name: plainText(m[1]), type: m[2].trim(), description: plainText(m[3]) };
    });
}

/** One browser, one runtime and one simulator for the whole editor test; the page most tests use. */
export class EditorSession {
  sim!: SimProcess;
  rt!: Runtime;
  page: any;
  private browser: any;
  private shotsDir = '';
  /** Nodes dropped only to test a dialog, removed again before the next deploy. */
  readonly scratch: string[] = [];
  readonly pageErrors: string[] = [];
  readonly consoleErrors: string[] = [];
  readonly nativeDialogs: string[] = [];

  async start(): Promise<void> {
    this.shotsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'utmos-editor-screenshots-'));
    console.log(`# editor screenshots: ${this.shotsDir}${UPDATE_DOCS ? ' (and docs/)' : ''}`);
    this.sim = await startSim({ replyDelayMs: 50, timeFactor: 0.02 }, 'child process');
    // example 01 waits for the route's flight time scaled like the simulated docks fly it
    process.env.UTMOS_TIME_SCALE = '0.02';
    const endpoint = { http: this.sim.http, mqtt: this.sim.mqtt, apiId: this.sim.apiId, apiKey: this.sim.apiKey };
    const flows = demoLib.buildFlows(demoLib.loadExamples(), endpoint);
    this.rt = await startRuntime({ flows, credentials: demoLib.credentialsFor(flows, endpoint) });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { chromium } = require('playwright-core');
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    this.page = await this.openEditor('en-US');
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.rt?.stop();
    await this.sim?.close();
  }

  /** A screenshot into the temporary directory; with `docs`, also into docs/ when asked to refresh them. */
  async shot(p: any, name: string, docs = false): Promise<void> {
    const file = path.join(this.shotsDir, `${name}.png`);
    await p.screenshot({ path: file });
    if (docs && UPDATE_DOCS) fs.copyFileSync(file, path.join(ROOT, 'docs', `${name}.png`));
  }

  /** Resolves once nothing on the page moves: no jQuery animation runs and every edit tray has slid fully in. */
  stillPage(p: any): Promise<unknown> {
    return p.waitForFunction(
      () =>
        (window as any).$(':animated').length === 0 &&
        [...document.querySelectorAll('#red-ui-editor-stack > .red-ui-tray')].every((t: any) => (window as any).getComputedStyle(t).right === '0px'),
      null,
      { timeout: 10_000, polling: 'raf' },
    );
  }

  /** A screenshot without the transient notifications (hidden, not removed: the editor removes them itself). */
  async quietShot(p: any, name: string, docs = false): Promise<void> {
    const style = await p.addStyleTag({ content: '#red-ui-notifications { visibility: hidden !important; }' });
    await this.stillPage(p);
    await this.shot(p, name, docs);
    await style.evaluate((el: Element) => el.remove());
  }

  /** A new browser context in `locale` with the editor loaded; page errors, console errors and native dialogs are recorded. */
  async openEditor(locale: string): Promise<any> {
    const context = await this.browser.newContext({ viewport: VIEWPORT, locale });
    const p = await context.newPage();
    p.on('pageerror', (e: Error) => this.pageErrors.push(`${locale}: ${String(e)}`));
    p.on('console', (m: any) => {
      if (m.type() === 'error') this.consoleErrors.push(`${locale}: ${m.text()}`);
    });
    p.on('dialog', (d: any) => {
      this.nativeDialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    await p.goto(this.rt.url);
    await p.waitForFunction(() => (window as any).RED?.nodes?.node?.('ex01-start') && !(document.querySelector('#red-ui-loading-progress') as HTMLElement | null)?.offsetParent, null, {
      timeout: 60_000,
    });
    return p;
  }

  /** Drags a node type from the palette onto the workspace at (x, y) of the chart; returns the new node's id. */
  async dropFromPalette(type: string, x: number, y: number): Promise<string> {
    const before: string[] = await this.page.evaluate((t: string) => (window as any).RED.nodes.filterNodes({ type: t }).map((n: any) => n.id), type);
    const item = this.page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
    await item.scrollIntoViewIfNeeded();
    const from = await item.boundingBox();
    const chart = await this.page.locator('#red-ui-workspace-chart').boundingBox();
    await this.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(chart.x + x, chart.y + y, { steps: 10 });
    await this.page.mouse.up();
    const handle = await this.page.waitForFunction(
      ([t, known]: [string, string[]]) => (window as any).RED.nodes.filterNodes({ type: t }).map((n: any) => n.id).find((id: string) => !known.includes(id)),
      [type, before],
      { timeout: 10_000 },
    );
    return handle.jsonValue();
  }

  /** Drags a wire from output `port` of one node to the input of another. */
  async wire(fromId: string, port: number, toId: string): Promise<void> {
    const out = await this.page.locator(`[id="${fromId}"] .red-ui-flow-port-output`).nth(port).boundingBox();
    const into = await this.page.locator(`[id="${toId}"] .red-ui-flow-port-input`).first().boundingBox();
    await this.page.mouse.move(out.x + out.width / 2, out.y + out.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(into.x + into.width / 2, into.y + into.height / 2, { steps: 10 });
    await this.page.mouse.up();
    const linked = await this.page.evaluate(
      ([f, p, t]: [string, number, string]) => {
        let found = false;
        (window as any).RED.nodes.eachLink((l: any) => {
          if (l.source.id === f && l.sourcePort === p && l.target.id === t) found = true;
        });
        return found;
      },
      [fromId, port, toId],
    );
    assert.ok(linked, `wire ${fromId}:${port} -> ${toId}`);
  }

  /** Shows the top left of the workspace (the editor may scroll it while nodes are dragged and edited). */
  scrollChartHome(): Promise<unknown> {
    return this.page.evaluate(() => (document.querySelector('#red-ui-workspace-chart') as HTMLElement).scrollTo(0, 0));
  }

  async openDialog(id: string): Promise<void> {
    await this.page.dblclick(`[id="${id}"] .red-ui-flow-node`);
    await this.page.waitForSelector('#node-dialog-ok', { state: 'visible' });
  }

  async waitForPicker(): Promise<void> {
    await this.page.waitForFunction(() => !(document.querySelector('#utmos-dji-command-picker') as HTMLSelectElement).disabled, null, { timeout: 15_000 });
  }

  /** The type and value of a typed input. */
  typed(selector: string): Promise<{ type: string; value: string }> {
    return this.page.locator(selector).evaluate((el: Element) => {
      const $el = (window as any).$(el);
      return { type: $el.typedInput('type'), value: $el.typedInput('value') };
    });
  }

  setTyped(selector: string, type: string, value: string): Promise<unknown> {
    return this.page.locator(selector).evaluate(
      (el: Element, [t, v]: [string, string]) => {
        const $el = (window as any).$(el);
        $el.typedInput('type', t);
        $el.typedInput('value', v);
      },
      [type, value],
    );
  }

  /** Presses Deploy; resolves once the runtime runs the deployed flows (the editor is told a little earlier). */
  async deploy(): Promise<void> {
    const starts = this.rt.flowStartCount;
    await this.page.click('#red-ui-header-button-deploy');
    try {
      await this.page.waitForFunction(() => !(window as any).RED.nodes.dirty(), null, { timeout: 20_000 });
    } catch (err) {
      const notes = await this.page.$$eval('.red-ui-notification', (els: Element[]) => els.map((e: any) => e.textContent));
      throw new Error(`deploy did not finish: ${notes.join(' | ')} (${(err as Error).message})`);
    }
    await this.rt.flowsStarted(starts, 20_000);
  }

  /**
   * Clicks an inject node's button; resolves with the message it sent to `next`. A timeout names
   * what the editor showed (a notification says why an inject did not go out) and keeps a screenshot.
   */
  async pressInject(inject: string, next: string): Promise<any> {
    await this.page.click(`[id="${inject}"] .red-ui-flow-node-button`);
    try {
      const [sent] = await this.rt.waitFor(next, 1, 20_000);
      return sent;
    } catch (err) {
      const notes = await this.page.$$eval('.red-ui-notification', (els: Element[]) => els.map((e: any) => e.textContent));
      await this.shot(this.page, `failed-inject-${inject}`);
      throw new Error(`${(err as Error).message}; notifications: ${notes.join(' | ') || 'none'}; screenshot failed-inject-${inject}.png in ${this.shotsDir}`);
    }
  }

  debugTexts(): Promise<string[]> {
    return this.page.$$eval('.red-ui-debug-msg', (els: Element[]) => els.map((e: any) => (e.textContent || '').replace(/\s+/g, ' ')));
  }

  /** Every node's help in the sidebar shows each documented property with its name, type and whole description. */
  async checkHelp(p: any, lang: string): Promise<void> {
    for (const type of ALL_TYPES) {
      await p.evaluate((t: string) => (window as any).RED.sidebar.help.show(t), type);
      await p.waitForFunction((t: string) => (document.querySelector('.red-ui-sidebar-help-stack .red-ui-help-title') as HTMLElement | null)?.textContent !== '' && !!document.querySelector('.red-ui-sidebar-help-stack dl.message-properties'), type);
      const rendered: HelpEntry[] = await p.$$eval('.red-ui-sidebar-help-stack .red-ui-help dl.message-properties > dt', (dts: Element[]) =>
        dts.map((dt: any) => {
          const typeEl = dt.querySelector('.property-type');
          const name = [...dt.childNodes].filter((n: any) => n !== typeEl).map((n: any) => n.textContent).join('');
          const dd = dt.nextElementSibling;
          return {
            name: name.replace(/\s+/g, ' ').trim(),
            type: (typeEl?.textContent || '').trim(),
            description: dd && dd.tagName === 'DD' ? dd.textContent.replace(/\s+/g, ' ').trim() : '(no description)',
          };
        }),
      );
      assert.deepEqual(rendered, documentedEntries(type, lang), `${type} help in ${lang}: every property shows its name, type and whole description`);
      const stray = await p.$$eval('.red-ui-sidebar-help-stack .red-ui-help p', (ps: Element[]) => ps.map((e: any) => e.textContent.trim()).filter((t: string) => t.startsWith(':')));
      assert.deepEqual(stray, [], `${type} help in ${lang}: no property line left as text`);
    }
  }
}
