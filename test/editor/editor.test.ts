/**
 * The Node-RED editor in headless Debian Chromium (playwright-core), with the package loaded by
 * the real embedded runtime and the examples deployed against the simulator (editor-session.ts): a
 * first flow built from palette defaults (inject → dji command → debug) and run, a command the dock
 * refuses, the in-dialog payload check, the single-connection preselect, every edit dialog, the
 * command picker, a connection created in the dialog whose API key then appears nowhere, the help of
 * every node in English and Chinese, the layout of every example, and two example runs read from the
 * debug sidebar. One browser for all of them, in this order (later tests go on from earlier ones).
 */
import { after, before, describe, test } from 'node:test';
import { connectionTests } from './connections';
import { dialogTests, lateAnswerTests } from './dialogs';
import { EditorSession, skipReason } from './editor-session';
import { firstFlowTests } from './first-flow';
import { helpAndExampleTests } from './help-and-examples';

const reason = skipReason();

describe('editor in headless Chromium', { skip: reason }, () => {
  const s = new EditorSession();
  before(() => s.start());
  after(() => s.stop());
  firstFlowTests(s);
  dialogTests(s);
  connectionTests(s);
  lateAnswerTests(s);
  helpAndExampleTests(s);
});

if (reason) test(`editor browser test skipped: ${reason}`, { skip: reason }, () => undefined);
