/**
 * dji-request-reply: answers one device request (default msg.request_id) and emits the platform's
 * reply response in msg.payload. A 404 or a refused reply is a catchable error naming the request.
 */
import { unlimitedAbortController } from '../../core/abort';
import { describeKind, describeValue } from '../../core/describe-value';
import { UtmosInputError } from '../../core/errors';
import { checkJsonData, isPlainObject } from '../../core/plain-data';
import { attach } from '../shared/config-access';
import { failInput } from '../shared/failure';
import { InputWork } from '../shared/input-work';
import { evaluateTyped, requireText } from '../shared/inputs';
import type { DoneFn, NodeDef, NodeMessage, RedApi, SendFn } from '../shared/node-red';
import { registerNode } from '../shared/register';

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
  registerNode<ReplyDef>(RED, 'dji-request-reply', (node, def, texts) => {
    const abort = unlimitedAbortController();
    const work = new InputWork();
    const attached = attach(RED, node, texts, def.server, (badge) => {
      if (badge && work.idle) node.status(badge);
    });

    async function build(msg: NodeMessage) {
      const requestId = requireText(
        texts,
        'requestId',
        await evaluateTyped(RED, node, texts, 'requestId', def.requestId ?? 'request_id', def.requestIdType || 'msg', msg),
        'msg.request_id from a dji-request-in node',
      );
      const replyCode = requireText(
        texts,
        'replyCode',
        await evaluateTyped(RED, node, texts, 'replyCode', def.replyCode ?? 'APPROVED', def.replyCodeType || 'str', msg),
        '"APPROVED"',
      );
      const messageRaw = await evaluateTyped(RED, node, texts, 'replyMessage', def.replyMessage ?? '', def.replyMessageType || 'str', msg);
      if (messageRaw !== undefined && messageRaw !== null && typeof messageRaw !== 'string') {
        throw new UtmosInputError('replyMessage', texts.node('runtime.replyMessage', { got: describeValue(messageRaw) }));
      }
      const payloadType = def.payloadType || 'none';
      let payload: Record<string, unknown> | undefined;
      if (payloadType !== 'none') {
        const raw = await evaluateTyped(RED, node, texts, 'payload', def.payload, payloadType, msg);
        if (raw !== undefined) {
          if (!isPlainObject(raw)) throw new UtmosInputError('payload', texts.node('runtime.payloadNotObject', { got: describeKind(raw) }));
          const problem = checkJsonData(raw, 'payload');
          if (problem) throw new UtmosInputError(problem.path, texts.text(problem.text), 'INVALID_INPUT', [{ field: problem.path, text: problem.text }]);
          payload = raw;
        }
      }
      return { requestId, replyCode, replyMessage: messageRaw ? String(messageRaw) : undefined, payload };
    }

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      const connection = attached.connection;
      if (!connection) {
        failInput(node, texts, msg, done, attached.problem);
        return;
      }
      node.status({ fill: 'blue', shape: 'dot', text: texts.node('status.replying') });
      work.run(node, texts, msg, done, async () => {
        const reply = await build(msg);
        const response = await connection.client.replyToDeviceRequest(
          reply.requestId,
          { reply_code: reply.replyCode, reply_message: reply.replyMessage, payload: reply.payload },
          { signal: abort.signal },
        );
        msg.request_id = reply.requestId;
        msg.payload = response;
        node.status({ fill: 'green', shape: 'dot', text: texts.node('status.replied', { code: response.reply_code ?? reply.replyCode }) });
        send(msg);
      });
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      abort.abort();
      attached.detach(done);
    });
  });
};
