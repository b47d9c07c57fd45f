/**
 * The edit dialogs: the payload check and the templates, each dialog opening without page errors
 * or wrapped labels, the connection dialog, and the command picker.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkCommandPayload } from '../../src/core/catalogue';
import { EditorSession, CONNECTION } from './editor-session';

// Browser-side callbacks run in the page; these names exist there, not in this Node program.
declare const window: any;
declare const document: any;
type Element = any;
type HTMLElement = any;

export function dialogTests(s: EditorSession): void {
  test('a static JSON payload is checked in the dialog with the message the runtime gives; "Use payload template" asks inline only for an edited payload', async () => {
    const command = await s.dropFromPalette('dji-command', 390, 440);
    s.scratch.push(command);
    await s.openDialog(command);
    await s.waitForPicker();
    const problem = s.page.locator('#utmos-dji-command-payload-problem');
    const marked = () => s.page.locator('#node-input-payload + .red-ui-typedInput-container').evaluate((el: Element) => el.classList.contains('input-error'));

    await s.page.selectOption('#utmos-dji-command-picker', 'camera_recording_start');
    assert.deepEqual(JSON.parse((await s.typed('#node-input-payload')).value), { payload_index: '80-0-0' }, 'the template follows the command');
    await s.setTyped('#node-input-payload', 'json', '{"payload_index":"80-0"}');
    const expected = checkCommandPayload('camera_recording_start', { payload_index: '80-0' });
    assert.equal(expected.ok, false);
    await s.page.waitForFunction((text: string) => (document.querySelector('#utmos-dji-command-payload-problem') as HTMLElement).textContent === text, expected.ok ? '' : expected.error.message, {
      timeout: 10_000,
    });
    assert.ok(await problem.isVisible(), 'the problem is shown under the payload');
    await s.page.waitForFunction(() => document.querySelector('#node-input-payload + .red-ui-typedInput-container')?.classList.contains('input-error'), null, { timeout: 5_000 });
    await s.shot(s.page, 'dialog-payload-check');

    // an edited payload: the template button asks in the dialog, never with a native confirm()
    const question = s.page.locator('.utmos-template-confirm');
    await s.page.click('#utmos-dji-command-template');
    await question.waitFor({ state: 'visible' });
    assert.match(await question.locator('.utmos-template-question').textContent(), /camera_recording_start/);
    await question.locator('[data-choice="keep"]').click();
    await question.waitFor({ state: 'hidden' });
    assert.equal((await s.typed('#node-input-payload')).value, '{"payload_index":"80-0"}', 'kept');
    await s.page.click('#utmos-dji-command-template');
    await question.locator('[data-choice="replace"]').click();
    assert.deepEqual(JSON.parse((await s.typed('#node-input-payload')).value), { payload_index: '80-0-0' });
    await s.page.waitForFunction(() => !(document.querySelector('#utmos-dji-command-payload-problem') as HTMLElement).offsetParent, null, { timeout: 10_000 });
    await s.page.waitForFunction(() => !document.querySelector('#node-input-payload + .red-ui-typedInput-container')?.classList.contains('input-error'), null, { timeout: 5_000 });
    assert.equal(await marked(), false);
    // the payload is still the template: it follows the next command without a question
    await s.page.click('#utmos-dji-command-template');
    assert.equal(await question.isVisible(), false, 'an unedited payload is replaced without asking');
    await s.page.selectOption('#utmos-dji-command-picker', 'cover_open');
    assert.deepEqual(JSON.parse((await s.typed('#node-input-payload')).value), {});
    assert.deepEqual(s.nativeDialogs, [], 'no native dialogs');
    await s.page.click('#node-dialog-cancel');
    await s.page.waitForSelector('#node-dialog-ok', { state: 'detached' });
  });

  test('the request reply dialog fills flighttask_resource_get and config answers', async () => {
    const reply = await s.dropFromPalette('dji-request-reply', 640, 440);
    s.scratch.push(reply);
    await s.openDialog(reply);
    assert.equal(await s.page.inputValue('#node-input-server'), CONNECTION, 'the only connection, preselected');
    assert.deepEqual(await s.typed('#node-input-payload'), { type: 'none', value: '' });
    await s.page.selectOption('#utmos-dji-request-reply-template', 'flighttask_resource_get');
    await s.page.click('#utmos-dji-request-reply-template-use');
    // the answer reads the msg.file a dji wayline node signs: no placeholder URL to replace
    assert.deepEqual(await s.typed('#node-input-payload'), { type: 'jsonata', value: '{ "file": file }' });
    await s.page.selectOption('#utmos-dji-request-reply-template', 'config');
    await s.page.click('#utmos-dji-request-reply-template-use');
    const config = JSON.parse((await s.typed('#node-input-payload')).value);
    assert.deepEqual(Object.keys(config).sort(), ['app_id', 'app_key', 'app_license', 'ntp_server_host', 'ntp_server_port']);
    await s.shot(s.page, 'dialog-dji-request-reply-template');
    await s.page.click('#node-dialog-cancel');
    await s.page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    // the two nodes of these dialog tests are not part of any flow to deploy
    await s.page.evaluate((ids: string[]) => {
      const R = (window as any).RED;
      for (const id of ids) R.nodes.remove(id);
      R.view.redraw(true);
    }, s.scratch.splice(0));
  });

  for (const [type, id] of [
    ['dji-command', 'ex01-prepare'],
    ['dji-status-wait', 'ex03-until-delivered'],
    ['dji-request-in', 'ex01-requests'],
    ['dji-request-reply', 'ex01-reply'],
    ['dji-wayline', 'ex01-wayline'],
  ] as const) {
    test(`${type} edit dialog opens without page errors; no label wraps`, async () => {
      const before = s.pageErrors.length;
      await s.page.evaluate((nid: string) => {
        const R = (window as any).RED;
        R.workspaces.show(R.nodes.node(nid).z);
        R.editor.edit(R.nodes.node(nid));
      }, id);
      await s.page.waitForSelector('#node-dialog-ok', { state: 'visible' });
      await s.page.waitForSelector(`#node-input-server`, { state: 'attached' });
      assert.equal(await s.page.inputValue('#node-input-server'), CONNECTION);
      await s.stillPage(s.page); // the tray at its final width: labels wrap or not for good
      const wrapped = await s.page.$$eval('.utmos-form .form-row > label:first-child', (els: Element[]) =>
        els.filter((e: any) => e.offsetParent && e.getClientRects()[0]?.height > 1.6 * parseFloat((window as any).getComputedStyle(e).lineHeight || '20')).map((e: any) => e.textContent.trim()),
      );
      assert.deepEqual(wrapped, [], 'labels on one line');
      await s.shot(s.page, `dialog-${type}`);
      assert.deepEqual(s.pageErrors.slice(before), []);
      await s.page.click('#node-dialog-cancel');
      await s.page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    });
  }

  test('utmos-config dialog (from the pencil button) shows the API key only as a placeholder; no label wraps', async () => {
    const before = s.pageErrors.length;
    await s.page.evaluate(() => (window as any).RED.editor.edit((window as any).RED.nodes.node('ex01-prepare')));
    await s.page.waitForSelector('#node-dialog-ok', { state: 'visible' });
    await s.page.click('#node-input-btn-server-edit');
    await s.page.waitForSelector('#node-config-input-apiKey', { state: 'visible' });
    assert.equal(await s.page.inputValue('#node-config-input-baseUrl'), s.sim.http);
    assert.equal(await s.page.inputValue('#node-config-input-apiKey'), '__PWRD__');
    assert.equal(await s.page.inputValue('#node-config-input-apiId'), s.sim.apiId);
    await s.page.click('#utmos-config-advanced-toggle');
    const wrapped = await s.page.$$eval('.utmos-form .form-row > label:first-child', (els: Element[]) =>
      els.filter((e: any) => e.offsetParent && e.getClientRects()[0]?.height > 1.6 * parseFloat((window as any).getComputedStyle(e).lineHeight || '20')).map((e: any) => e.textContent.trim()),
    );
    assert.deepEqual(wrapped, [], 'labels on one line');
    assert.match(await s.page.locator('.red-ui-tray-header .red-ui-tray-titlebar').last().textContent(), /UTMOS connection/);
    await s.shot(s.page, 'dialog-utmos-config');
    assert.ok(!(await s.page.content()).includes(s.sim.apiKey), 'API key not in the page');
    await s.page.click('#node-config-dialog-cancel');
    await s.page.click('#node-dialog-cancel');
    await s.page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    assert.deepEqual(s.pageErrors.slice(before), []);
  });

  test('command picker lists the catalogue by domain, fills the payload template, and keeps long field names in their column', async () => {
    await s.page.evaluate(() => {
      const R = (window as any).RED;
      R.workspaces.show('ex03-tab');
      // what a palette drop creates: the type's defaults
      const defaults = R.nodes.getType('dji-command').defaults;
      const fresh: any = { id: 'editor-new-cmd', type: 'dji-command', x: 300, y: 560, z: 'ex03-tab', wires: [[], []] };
      for (const k of Object.keys(defaults)) fresh[k] = defaults[k].value;
      fresh.server = 'utmos-example-config';
      R.view.importNodes([fresh]);
      R.editor.edit(R.nodes.node('editor-new-cmd'));
    });
    await s.page.waitForSelector('#node-dialog-ok', { state: 'visible' });
    await s.waitForPicker();
    const groups = await s.page.$$eval('#utmos-dji-command-picker optgroup', (els: Element[]) => els.map((e) => e.getAttribute('label')));
    assert.equal(groups.length, 9, `domains: ${groups.join(', ')}`);
    const methods = await s.page.$$eval('#utmos-dji-command-picker optgroup option', (els: Element[]) => els.length);
    assert.equal(methods, 83);
    await s.page.selectOption('#utmos-dji-command-picker', 'flighttask_prepare');
    assert.deepEqual(await s.typed('#node-input-commandType'), { type: 'str', value: 'flighttask_prepare' });
    await s.page.waitForSelector('#utmos-dji-command-info table.utmos-command-fields', { state: 'visible' });
    const payload = await s.typed('#node-input-payload');
    assert.equal(payload.type, 'json', 'the unedited payload followed the command');
    const parsed = JSON.parse(payload.value);
    assert.equal(parsed.task_type, 0);
    assert.ok(parsed.file?.url && parsed.flight_id, payload.value);
    const overflowing = await s.page.$$eval('#utmos-dji-command-info td.utmos-command-field-path', (cells: Element[]) =>
      cells
        .filter((td: any) => {
          const code = td.querySelector('code');
          return code && code.getBoundingClientRect().right > td.getBoundingClientRect().right + 0.5;
        })
        .map((td: any) => td.textContent),
    );
    assert.deepEqual(overflowing, [], 'field names stay in the field column');
    await s.setTyped('#node-input-deviceId', 'str', 'dock-002');
    await s.shot(s.page, 'dialog-dji-command-picker');
  });
}

/** Registered after the connection tests, once no dialog of theirs is open. */
export function lateAnswerTests(s: EditorSession): void {
  test('a dji command dialog closed before the command list arrives: the late answer raises no page error', async () => {
    const before = s.pageErrors.length;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const hold = async (route: any) => {
      await held;
      await route.continue();
    };
    await s.page.route('**/utmos-dji/catalogue*', hold);
    try {
      await s.page.evaluate(() => {
        const R = (window as any).RED;
        R.workspaces.show('ex01-tab');
        R.editor.edit(R.nodes.node('ex01-cover-open'));
      });
      await s.page.waitForSelector('#node-dialog-ok', { state: 'visible' });
      await s.page.click('#node-dialog-cancel');
      await s.page.waitForSelector('#node-dialog-ok', { state: 'detached' });
      // settled once jQuery has run the answer's callbacks (ajaxComplete), or one of them threw
      const settled = s.page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            const $ = (window as any).$;
            const finish = (how: string) => {
              $(document).off('ajaxComplete', onComplete);
              window.removeEventListener('error', onError);
              resolve(how);
            };
            const onComplete = (_e: unknown, _xhr: unknown, settings: any) => {
              if (/utmos-dji\/catalogue/.test(settings.url)) finish('complete');
            };
            const onError = () => finish('error');
            $(document).on('ajaxComplete', onComplete);
            window.addEventListener('error', onError);
            setTimeout(() => finish('timeout'), 15_000);
          }),
      );
      release();
      assert.equal(await settled, 'complete');
    } finally {
      release();
      await s.page.unroute('**/utmos-dji/catalogue*', hold);
    }
    assert.deepEqual(s.pageErrors.slice(before), []);
  });
}
