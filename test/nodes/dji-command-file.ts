/**
 * What the dji-command test files share: a simulator with three docks (answering after 30 ms), put
 * back as it started after each test, and the flow of the node under test.
 */
import { commandFlow, nodeRedForFile } from '../helpers/harness';
import { resetDocks, simulatorForFile } from '../helpers/simulator';

const REPLY_DELAY_MS = 30;

export function djiCommandFile() {
  const sim = simulatorForFile({ docks: 3, replyDelayMs: REPLY_DELAY_MS });
  nodeRedForFile({ afterEach: () => resetDocks(sim, REPLY_DELAY_MS) });
  /** dji-command n1 (debug_mode_open on dock-001, waits for the result) → ok, bad; Catch → caught. */
  const flow = (props: Record<string, unknown> = {}, config: Record<string, unknown> = {}): object[] => commandFlow({ sim, props, config });
  return { sim, flow };
}
