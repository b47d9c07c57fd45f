/**
 * How a user node reaches its utmos-config node: register on start, deregister on close
 * (reference counting as core MQTT does), status fan-out from the config node to its users.
 */
import type { UtmosConnection } from '../../core/connection';
import { UtmosInputError } from '../../core/errors';
import { errorLine } from './failure';
import type { RuntimeTexts } from './i18n';
import type { Node, NodeStatus, RedApi } from './node-red';

export interface ConfigNodeApi {
  /** Registers a user and returns the shared connection; throws a clear error if the config is unusable. */
  register(user: Node, onStatus?: (status: NodeStatus | undefined) => void): UtmosConnection;
  /** Removes the user; the connection closes when the last user leaves. Always calls done. */
  deregister(user: Node, done: () => void): void;
  readonly userCount: number;
}

export function getConfigNode(RED: RedApi, id: unknown): ConfigNodeApi | undefined {
  if (typeof id !== 'string' || id === '') return undefined;
  const node = RED.nodes.getNode(id) as Partial<ConfigNodeApi> | null;
  return node && typeof node.register === 'function' ? (node as ConfigNodeApi) : undefined;
}

/**
 * Connects a user node to its config node. Returns the connection, or the problem after putting a
 * red badge up (missing/unusable config): the node then fails each input with that error.
 */
export function attach(
  RED: RedApi,
  node: Node,
  texts: RuntimeTexts,
  serverId: unknown,
  onStatus?: (status: NodeStatus | undefined) => void,
): { config?: ConfigNodeApi; connection?: UtmosConnection; problem?: UtmosInputError } {
  const config = getConfigNode(RED, serverId);
  if (!config) {
    node.status({ fill: 'red', shape: 'ring', text: texts.shared('badge.noConnection') });
    return { problem: new UtmosInputError('server', texts.shared('error.noConnection'), 'NO_CONNECTION') };
  }
  try {
    return { config, connection: config.register(node, onStatus) };
  } catch (err) {
    node.status({ fill: 'red', shape: 'ring', text: texts.shared('badge.connectionInvalid') });
    const reason = texts.shared('error.connectionUnusable', { reason: errorLine(texts, err) });
    return { config, problem: new UtmosInputError('server', reason, 'CONNECTION_INVALID') };
  }
}
