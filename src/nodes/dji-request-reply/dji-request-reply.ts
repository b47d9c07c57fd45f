/**
 * dji-request-reply: answers one device request (default msg.request_id) and emits the platform's
 * reply response in msg.payload. A 404 or a refused reply is a catchable error naming the request.
 */
import { unlimitedAbortController } from '../../core/abort';
import { UtmosError, UtmosInputError } from '../../core/errors';
import { checkJsonData, isPlainObject } from '../../core/plain-data';
import { attach } from '../shared/config-access';
import {
  DoneFn,
  Node,
  NodeDef,
  NodeMessage,
  RedApi,
  SendFn,
  clip,
  describe,
  errorBadge,
  evaluateTyped,
  reportableError,
  requireText,
} from '../shared/node-red';

interface ReplyDef extends NodeDef {
  server?: string;
  requestId?: string;
  requestIdType?: string;
  replyCode?: string;
  replyCodeType?: string;
  replyMessage?: string;
  replyMessageType?: string;
  payload?: string;
  payloadType?: string;
}

export = function register(RED: RedApi): void {
  function DjiRequestReplyNode(this: Node, def: ReplyDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const abort = unlimitedAbortController();
    let active = 0;
    const attached = attach(RED, node, def.server, (badge) => {
      if (badge && active === 0) node.status(badge);
    });

    async function build(msg: NodeMessage) {
      const requestId = requireText(
        'requestId',
        await evaluateTyped(RED, node, 'requestId', def.requestId ?? 'request_id', def.requestIdType || 'msg', msg),
        'msg.request_id from a dji-request-in node',
      );
      const replyCode = requireText(
        'replyCode',
        await evaluateTyped(RED, node, 'replyCode', def.replyCode ?? 'APPROVED', def.replyCodeType || 'str', msg),
        '"APPROVED"',
      );
      const messageRaw = await evaluateTyped(RED, node, 'replyMessage', def.replyMessage ?? '', def.replyMessageType || 'str', msg);
      if (messageRaw !== undefined && messageRaw !== null && typeof messageRaw !== 'string') {
        throw new UtmosInputError('replyMessage', `replyMessage must be text (got ${describe(messageRaw)})`);
      }
      const payloadType = def.payloadType || 'none';
      let payload: Record<string, unknown> | undefined;
      if (payloadType !== 'none') {
        const raw = await evaluateTyped(RED, node, 'payload', def.payload, payloadType, msg);
        if (raw !== undefined) {
          if (!isPlainObject(raw)) {
            throw new UtmosInputError(
              'payload',
              `payload must be a JSON object such as {"file":{"url":"…","fingerprint":"…"}} (got ${describe(raw)}); choose "none" to send no payload`,
            );
          }
          const problem = checkJsonData(raw, 'payload');
          if (problem) throw new UtmosInputError(problem.path, problem.message);
          payload = raw;
        }
      }
      return { requestId, replyCode, replyMessage: messageRaw ? String(messageRaw) : undefined, payload };
    }

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      if (!attached.connection) {
        const err = new UtmosInputError('server', attached.problem ?? 'no utmos-config node selected');
        node.status(errorBadge(err));
        done(reportableError(err, msg));
        return;
      }
      const connection = attached.connection;
      active++;
      node.status({ fill: 'blue', shape: 'dot', text: 'replying' });
      let target: string | undefined;
      build(msg)
        .then(async (reply) => {
          target = reply.requestId;
          const response = await connection.client.replyToDeviceRequest(
            reply.requestId,
            { reply_code: reply.replyCode, reply_message: reply.replyMessage, payload: reply.payload },
            { signal: abort.signal },
          );
          active--;
          msg.request_id = reply.requestId;
          msg.payload = response;
          node.status({ fill: 'green', shape: 'dot', text: clip(response.reply_code ?? reply.replyCode) });
          send(msg);
          done();
        })
        .catch((err: unknown) => {
          active = Math.max(0, active - 1);
          if (err instanceof UtmosError && target && !(err instanceof UtmosInputError)) {
            err.message = `reply to device request ${target} failed: ${err.message}`;
          }
          node.status(errorBadge(err));
          done(reportableError(err, msg));
        });
    });

    node.on('close', (removed: boolean, done: () => void) => {
      abort.abort();
      if (attached.config) attached.config.deregister(node, done);
      else done();
    });
  }

  RED.nodes.registerType('dji-request-reply', DjiRequestReplyNode);
};
