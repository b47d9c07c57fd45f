/**
 * How a user node reaches its utmos-config node: the config node offers a typed contract
 * (ConfigNodeApi) through a registry kept here, keyed by the node object Node-RED hands out, so no
 * user node reads properties off another node or casts it. A user registers on start and
 * deregisters on close (reference counting as core MQTT does); status fans out from the config
 * node to its users.
 */
import type { UtmosConnection } from '../../core/connection';
import { UtmosInputError } from '../../core/errors';
import { errorLine } from './failure';
import type { RuntimeTexts } from './i18n';
import type { Node, NodeStatus, RedApi } from './node-red';

export type StatusListener = (status: NodeStatus | undefined) => void;

/** What a utmos-config node offers the nodes that use it. */
export interface ConfigNodeApi {
  /** Registers a user and returns the shared connection; throws a clear error if the config is unusable. */
  register(user: Node, onStatus?: StatusListener): UtmosConnection;
  /** Removes the user; the connection closes when the last user leaves. Always calls done. */
  deregister(user: Node, done: () => void): void;
  readonly userCount: number;
}

const configNodes = new WeakMap<object, ConfigNodeApi>();

/** Called by utmos-config for each of its nodes: from then on its users find it by id. */
export function offerConfig(configNode: Node, api: ConfigNodeApi): void {
  configNodes.set(configNode, api);
}

export function getConfigNode(RED: RedApi, id: unknown): ConfigNodeApi | undefined {
  if (typeof id !== 'string' || id === '') return undefined;
  const node = RED.nodes.getNode(id);
  return typeof node === 'object' && node !== null ? configNodes.get(node) : undefined;
}

/** A user node's link to its config node. */
export interface Attachment {
  /** The shared connection, when the config node is there and usable. */
  readonly connection?: UtmosConnection;
  /** Why there is no connection (no config node, or an unusable one): each input fails with it. */
  readonly problem?: UtmosInputError;
  /** Deregisters (the connection closes with its last user); always calls done. For the close handler. */
  detach(done: () => void): void;
}

/**
 * Connects a user node to its config node. Without a usable one it puts a red badge up and returns
 * the problem: the node then fails each input with that error.
 */
export function attach(RED: RedApi, node: Node, texts: RuntimeTexts, serverId: unknown, onStatus?: StatusListener): Attachment {
  const config = getConfigNode(RED, serverId);
  const detach = (done: () => void) => (config ? config.deregister(node, done) : done());
  if (!config) {
    node.status({ fill: 'red', shape: 'ring', text: texts.shared('badge.noConnection') });
    return { problem: new UtmosInputError('server', texts.shared('error.noConnection'), 'NO_CONNECTION'), detach };
  }
  try {
    return { connection: config.register(node, onStatus), detach };
  } catch (err) {
    node.status({ fill: 'red', shape: 'ring', text: texts.shared('badge.connectionInvalid') });
    const reason = texts.shared('error.connectionUnusable', { reason: errorLine(texts, err) });
    return { problem: new UtmosInputError('server', reason, 'CONNECTION_INVALID'), detach };
  }
}
