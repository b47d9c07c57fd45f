/**
 * dji-request-in: emits each matching device request once. Which requests were emitted is kept in
 * a bounded set per node, in process memory across redeploys and in the node context so that a
 * persistent context store carries it across restarts.
 */
import { SeenIds } from '../../core/request-feed';
import type { FeedSubscription } from '../../core/request-feed';
import type { DeviceRequest } from '../../core/schemas';
import { attach } from '../shared/config-access';
import { errorBadge, errorLine, reportableError } from '../shared/failure';
import type { NodeDef, NodeMessage, RedApi } from '../shared/node-red';
import { registerNode } from '../shared/register';

interface RequestInDef extends NodeDef {
  server?: string;
  vendor?: string;
  deviceId?: string;
  requestType?: string;
  pendingOnly?: boolean | string;
  pollInterval?: number | string;
}

const CONTEXT_KEY = 'utmos_emitted_request_ids';
const SEEN_MAX = 5_000;
const SAVE_DEBOUNCE_MS = 500;

/** Survives redeploys (the runtime deletes a node's memory context on every close). */
const memoryByNode = new Map<string, SeenIds>();

export = function register(RED: RedApi): void {
  registerNode<RequestInDef>(RED, 'dji-request-in', (node, def, texts) => {
    const pendingOnly = def.pendingOnly !== false && def.pendingOnly !== 'false';
    const pollSeconds = Number(def.pollInterval ?? 5);
    const requestTypes = String(def.requestType ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    let subscription: FeedSubscription | undefined;
    let saveTimer: NodeJS.Timeout | undefined;
    let closed = false;
    let emitted = 0;
    let lastErrorCode: string | undefined;

    const attached = attach(RED, node, texts, def.server, (badge) => {
      if (badge) node.status(badge);
    });
    if (!Number.isFinite(pollSeconds) || pollSeconds < 1 || pollSeconds > 3600) {
      node.status({ fill: 'red', shape: 'ring', text: texts.node('status.badInterval') });
      node.error(texts.node('runtime.pollInterval', { got: String(def.pollInterval) }), {});
      return closeOnly();
    }
    if (!attached.connection) {
      node.error(errorLine(texts, attached.problem), {});
      return closeOnly();
    }
    const connection = attached.connection;
    const context = node.context();

    const save = (seen: SeenIds) => {
      if (saveTimer) return;
      saveTimer = setTimeout(() => {
        saveTimer = undefined;
        context.set(CONTEXT_KEY, seen.toJSON(), () => undefined);
      }, SAVE_DEBOUNCE_MS);
    };

    const loadSeen = (): Promise<{ seen: SeenIds; firstRun: boolean }> => {
      const inMemory = memoryByNode.get(node.id);
      if (inMemory) return Promise.resolve({ seen: inMemory, firstRun: false });
      return new Promise((resolve) => {
        context.get(CONTEXT_KEY, (err, value) => {
          const stored = !err && Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
          const seen = new SeenIds(SEEN_MAX, stored ?? []);
          memoryByNode.set(node.id, seen);
          resolve({ seen, firstRun: stored === undefined });
        });
      });
    };

    node.status({ fill: 'grey', shape: 'ring', text: texts.node('status.starting') });
    loadSeen()
      .then(({ seen, firstRun }) => {
        if (closed) return;
        subscription = connection.feed.subscribe({
          filter: { vendor: def.vendor || 'dji', deviceId: def.deviceId || undefined, requestTypes, pendingOnly },
          pollIntervalMs: pollSeconds * 1000,
          seen,
          firstRun,
          onRequest: (request: DeviceRequest) => {
            emitted++;
            save(seen);
            const msg: NodeMessage = {
              topic: request.request_type,
              payload: request,
              request_id: request.request_id,
              request_type: request.request_type,
              device_id: request.device_id,
            };
            node.send(msg);
          },
          onPolled: ({ pending }) => {
            lastErrorCode = undefined;
            node.status({ fill: 'green', shape: 'dot', text: texts.node('status.polling', { pending, emitted }) });
          },
          onError: (error) => {
            node.status(errorBadge(texts, error));
            // Report each new kind of failure once, not every poll; Catch nodes get a msg to act on.
            if (error.code !== lastErrorCode) {
              lastErrorCode = error.code;
              const msg: NodeMessage = {};
              node.error(reportableError(texts, error, msg), msg);
            }
          },
        });
      })
      .catch((err: unknown) => {
        // Starting the subscription failed: say so on the badge and in the log, not as an unhandled rejection.
        node.status(errorBadge(texts, err));
        const msg: NodeMessage = {};
        node.error(reportableError(texts, err, msg), msg);
      });

    node.on('close', (removed: boolean, done: () => void) => {
      closed = true;
      subscription?.close();
      subscription = undefined;
      const seen = memoryByNode.get(node.id);
      if (saveTimer) {
        clearTimeout(saveTimer);
        saveTimer = undefined;
      }
      if (removed) memoryByNode.delete(node.id);
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(guard);
        attached.detach(done);
      };
      // A context store that never answers must not hold up the redeploy.
      const guard = setTimeout(finish, 2_000);
      if (seen) context.set(CONTEXT_KEY, seen.toJSON(), () => finish());
      else finish();
    });

    function closeOnly(): void {
      node.on('close', (removed: boolean, done: () => void) => {
        if (removed) memoryByNode.delete(node.id);
        attached.detach(done);
      });
    }
  });
};
