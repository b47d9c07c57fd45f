/**
 * Registers one of the package's node types: for every node of the type Node-RED creates, `setup`
 * runs after createNode with the node, its settings and its texts in the runtime's language.
 */
import { RuntimeTexts, runtimeTexts } from './i18n';
import type { Node, NodeDef, RedApi } from './node-red';

export function registerNode<D extends NodeDef>(
  RED: RedApi,
  type: string,
  setup: (node: Node, def: D, texts: RuntimeTexts) => void,
  options?: Record<string, unknown>,
): void {
  function UtmosNode(this: Node, def: D): void {
    RED.nodes.createNode(this, def);
    setup(this, def, runtimeTexts(RED, type));
  }
  RED.nodes.registerType(type, UtmosNode, options);
}
