/** Connections made and changed in the dialogs: secrets kept out of flows.json and the page; the preselect. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { EditorSession } from './editor-session';

// Browser-side callbacks run in the page; these names exist there, not in this Node program.
declare const window: any;
type Element = any;

export function connectionTests(s: EditorSession): void {
  test('a utmos-config created in the dialog keeps its API key out of flows.json and the page; deploy succeeds', async () => {
    const secret = `editor-secret-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    // still in the new dji-command's dialog: add a new config node with the "+" button
    await s.page.click('#node-input-btn-server-add');
    await s.page.waitForSelector('#node-config-input-apiKey', { state: 'visible' });
    await s.page.fill('#node-config-input-name', 'created in the editor');
    await s.page.fill('#node-config-input-baseUrl', s.sim.http);
    await s.page.fill('#node-config-input-apiId', s.sim.apiId);
    await s.page.fill('#node-config-input-apiKey', secret);
    await s.shot(s.page, 'dialog-utmos-config-new');
    await s.page.click('#node-config-dialog-ok');
    await s.page.waitForSelector('#node-config-input-apiKey', { state: 'detached' });
    await s.page.click('#node-dialog-ok');
    await s.page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    await s.deploy();
    await s.page.waitForSelector('.red-ui-notification', { timeout: 10_000 });
    const notes = await s.page.$$eval('.red-ui-notification', (els: Element[]) => els.map((e) => e.textContent || ''));
    assert.ok(notes.some((t: string) => /deployed/i.test(t)), `deploy notification: ${notes.join(' | ')}`);

    const flowsJson = fs.readFileSync(path.join(s.rt.userDir, 'flows.json'), 'utf8');
    const saved = JSON.parse(flowsJson);
    const created = saved.find((n: any) => n.type === 'utmos-config' && n.name === 'created in the editor');
    assert.ok(created, 'the new config node was deployed');
    assert.equal(saved.find((n: any) => n.id === 'editor-new-cmd').server, created.id);
    assert.equal(saved.find((n: any) => n.id === 'editor-new-cmd').commandType, 'flighttask_prepare');
    assert.ok(!flowsJson.includes(secret), 'API key not in flows.json');
    const credsFile = JSON.parse(fs.readFileSync(path.join(s.rt.userDir, 'flows_cred.json'), 'utf8'));
    assert.equal(credsFile[created.id]?.apiKey, secret, 'the key was stored as a credential');
    assert.ok(!(await s.page.content()).includes(secret), 'API key not in the page');
    const apiFlows = await s.rt.get('flows', { 'Node-RED-API-Version': 'v2' });
    assert.ok(!apiFlows.body.includes(secret), 'API key not in GET /flows');
    const apiCreds = await s.rt.get(`credentials/utmos-config/${created.id}`);
    assert.ok(!apiCreds.body.includes(secret) && JSON.parse(apiCreds.body).has_apiKey === true, apiCreds.body);
    // reopen: the dialog shows the placeholder, never the key
    await s.page.evaluate((cid: string) => (window as any).RED.editor.editConfig('', 'utmos-config', cid), created.id);
    await s.page.waitForSelector('#node-config-input-apiKey', { state: 'visible' });
    assert.equal(await s.page.inputValue('#node-config-input-apiKey'), '__PWRD__');
    await s.page.click('#node-config-dialog-cancel');
    await s.page.waitForSelector('#node-config-input-apiKey', { state: 'detached' });
  });

  test('a broker URL typed with user name and password: on Done they move to the credential fields, and flows.json never holds the password', async () => {
    const secret = `broker-pw-${Date.now().toString(36)}`;
    const broker = new URL(s.sim.mqtt);
    await s.page.evaluate(() => (window as any).RED.editor.editConfig('', 'utmos-config', 'utmos-example-config'));
    await s.page.waitForSelector('#node-config-input-apiKey', { state: 'visible' });
    if (!(await s.page.isVisible('#node-config-input-eventBrokerUrl'))) await s.page.click('#utmos-config-events-toggle');
    await s.page.fill('#node-config-input-eventBrokerUrl', `mqtt://events:${secret}@${broker.host}`);
    await s.page.click('#node-config-dialog-ok');
    await s.page.waitForSelector('#node-config-input-apiKey', { state: 'detached' });
    const note = await s.page.waitForSelector('.red-ui-notification:has-text("Password")', { timeout: 10_000 });
    assert.match(await note.innerText(), /moved .*Username and Password fields/);
    assert.equal(await s.page.evaluate(() => (window as any).RED.nodes.node('utmos-example-config').eventBrokerUrl), `mqtt://${broker.host}`);
    await s.deploy();
    const flowsJson = fs.readFileSync(path.join(s.rt.userDir, 'flows.json'), 'utf8');
    assert.ok(!flowsJson.includes(secret), 'the broker password is not in flows.json');
    assert.equal(JSON.parse(flowsJson).find((n: any) => n.id === 'utmos-example-config').eventBrokerUrl, `mqtt://${broker.host}`);
    const credsFile = JSON.parse(fs.readFileSync(path.join(s.rt.userDir, 'flows_cred.json'), 'utf8'));
    assert.equal(credsFile['utmos-example-config']?.eventPassword, secret, 'the password was stored as a credential');
    assert.equal(credsFile['utmos-example-config']?.eventUsername, 'events');
    assert.ok(!(await s.page.content()).includes(secret), 'the password is not in the page');
  });

  test('with two connections a new node is left to choose (no preselect)', async () => {
    await s.page.evaluate(() => {
      const R = (window as any).RED;
      R.workspaces.show('ex03-tab');
      const defaults = R.nodes.getType('dji-status-wait').defaults;
      const fresh: any = { id: 'editor-new-wait', type: 'dji-status-wait', x: 600, y: 560, z: 'ex03-tab', wires: [[], [], []] };
      for (const k of Object.keys(defaults)) fresh[k] = defaults[k].value;
      R.view.importNodes([fresh]);
      R.editor.edit(R.nodes.node('editor-new-wait'));
    });
    await s.page.waitForSelector('#node-dialog-ok', { state: 'visible' });
    await s.stillPage(s.page); // the dialog is prepared (a preselect would have happened) and open
    assert.ok(!['utmos-example-config'].includes(await s.page.inputValue('#node-input-server')), 'nothing chosen for the user');
    await s.page.click('#node-dialog-cancel');
    await s.page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    await s.page.evaluate(() => {
      const R = (window as any).RED;
      R.nodes.remove('editor-new-wait');
      R.view.redraw(true);
    });
  });
}
