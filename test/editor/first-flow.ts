/** The palette, and a first flow built from it and run: one that works and one the dock refuses. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EditorSession, CONNECTION, NON_CONFIG } from './editor-session';

// Browser-side callbacks run in the page; these names exist there, not in this Node program.
declare const window: any;
declare const document: any;
type HTMLElement = any;

export function firstFlowTests(s: EditorSession): void {
  test('each node type is in the palette (the connection type in the config-node sidebar, as "UTMOS connection")', async () => {
    for (const t of NON_CONFIG) {
      assert.equal(await s.page.locator(`.red-ui-palette-node[data-palette-type="${t}"]`).count(), 1, `${t} in palette`);
    }
    // The palette breaks long labels onto lines by measured text width, which depends on the fonts.
    const label = (await s.page.locator('.red-ui-palette-node[data-palette-type="dji-command"] .red-ui-palette-label').innerText()).replace(/\s+/g, ' ');
    assert.match(label, /dji command/);
    assert.equal(await s.page.evaluate(() => (window as any).RED.nodes.getType('utmos-config')?.category), 'config');
    await s.page.evaluate(() => (window as any).RED.sidebar.show('config'));
    await s.page.waitForSelector('li.red-ui-palette-node-config-type:has-text("utmos-config")', { timeout: 10_000 });
    await s.shot(s.page, 'palette-and-config-sidebar');
  });

  test('a first flow from palette defaults: inject → dji command → debug, the only connection preselected, debug_mode_open, deploy, click: SUCCEEDED in the debug sidebar', async () => {
    await s.page.evaluate(() => (window as any).RED.workspaces.add());
    await s.scrollChartHome();
    const inject = await s.dropFromPalette('inject', 150, 200);
    const command = await s.dropFromPalette('dji-command', 390, 200);
    const debug = await s.dropFromPalette('debug', 640, 200);
    assert.equal(await s.page.evaluate((id: string) => (window as any).RED.nodes.node(id).server, command), CONNECTION, 'dropped with the only connection');
    await s.wire(inject, 0, command);
    await s.wire(command, 0, debug);

    await s.openDialog(command);
    await s.waitForPicker();
    assert.equal(await s.page.inputValue('#node-input-server'), CONNECTION, 'the dialog shows the only connection');
    assert.deepEqual(await s.typed('#node-input-payload'), { type: 'json', value: '{}' }, 'a new node sends its own payload, not msg.payload');
    await s.setTyped('#node-input-deviceId', 'str', 'dock-002');
    await s.page.selectOption('#utmos-dji-command-picker', 'debug_mode_open');
    assert.deepEqual(await s.typed('#node-input-commandType'), { type: 'str', value: 'debug_mode_open' });
    assert.deepEqual(await s.typed('#node-input-payload'), { type: 'json', value: '{}' }, 'the template of a command without fields');
    assert.equal(await s.page.locator('.utmos-command-debug-mode').count(), 0, 'debug_mode_open itself needs no debug mode');
    await s.page.click('#node-dialog-ok');
    await s.page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    assert.equal(await s.page.evaluate((id: string) => (window as any).RED.nodes.node(id).valid, command), true, 'the node is valid');

    await s.deploy();
    await s.page.evaluate(() => (window as any).RED.sidebar.show('debug'));
    await s.pressInject(inject, command);
    const [result] = await s.rt.waitFor(debug, 1, 20_000);
    assert.equal(result.status, 'SUCCEEDED');
    assert.equal(typeof result.payload, 'object', 'the inject timestamp was not sent as the payload');
    await s.page.waitForFunction(() => [...document.querySelectorAll('.red-ui-debug-msg')].some((e: any) => /SUCCEEDED/.test(e.textContent || '')), null, { timeout: 10_000 });
    await s.page.waitForSelector(`[id="${command}"] .red-ui-flow-node-status-label:has-text("SUCCEEDED")`, { timeout: 10_000 });
    await s.scrollChartHome();
    await s.quietShot(s.page, 'first-flow', true);
  });

  test('a refused command: cover_open outside debug mode is marked in the picker and ends on output 2', async () => {
    const inject = await s.dropFromPalette('inject', 150, 320);
    const command = await s.dropFromPalette('dji-command', 390, 320);
    const failed = await s.dropFromPalette('debug', 640, 360);
    await s.wire(inject, 0, command);
    await s.wire(command, 1, failed);
    await s.openDialog(command);
    await s.waitForPicker();
    const option = await s.page.locator('#utmos-dji-command-picker option[value="cover_open"]').textContent();
    assert.match(option, /needs debug mode/, `picker option: ${option}`);
    await s.setTyped('#node-input-deviceId', 'str', 'dock-001');
    await s.page.selectOption('#utmos-dji-command-picker', 'cover_open');
    const note = await s.page.locator('.utmos-command-debug-mode').textContent();
    assert.match(note, /remote debug mode.*debug_mode_open/);
    await s.page.click('#node-dialog-ok');
    await s.page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    await s.deploy();
    await s.page.evaluate(() => (window as any).RED.view.select({ nodes: [] }));
    await s.pressInject(inject, command);
    const [refused] = await s.rt.waitFor(failed, 1, 20_000);
    assert.equal(refused.status, 'FAILED');
    assert.equal(refused.payload.command_type, 'cover_open');
    await s.page.waitForFunction(() => [...document.querySelectorAll('.red-ui-debug-msg')].some((e: any) => /FAILED/.test(e.textContent || '')), null, { timeout: 10_000 });
    // open the status object in the sidebar: the dock's code and reason are in it
    await s.page.locator(`.red-ui-debug-msg-node-${failed} .red-ui-debug-msg-object-header`).first().click();
    await s.page.waitForFunction(
      (id: string) => /response_message/.test((document.querySelector(`.red-ui-debug-msg-node-${id}`) as HTMLElement | null)?.textContent || ''),
      failed,
      { timeout: 5_000 },
    );
    await s.scrollChartHome();
    await s.quietShot(s.page, 'refused-command', true);
  });
}
