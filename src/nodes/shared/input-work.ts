/**
 * The messages a node is working on: counted (the connection's badges wait until the node is
 * idle), and each ended once, with done() when its work succeeds or as a failure when it fails.
 */
import { failInput } from './failure';
import type { RuntimeTexts } from './i18n';
import type { DoneFn, Node, NodeMessage } from './node-red';

export class InputWork {
  private count = 0;

  get idle(): boolean {
    return this.count === 0;
  }

  run(node: Node, texts: RuntimeTexts, msg: NodeMessage, done: DoneFn, work: () => Promise<void>): void {
    this.count++;
    work().then(
      () => {
        this.count--;
        done();
      },
      (err: unknown) => {
        this.count--;
        failInput(node, texts, msg, done, err);
      },
    );
  }
}
