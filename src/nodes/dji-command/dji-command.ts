/**
 * dji-command: validates and sends one DJI command per input message, then (by default) emits
 * that message once the command reaches a terminal status: output 1 on SUCCEEDED, output 2 on any
 * other terminal status. Bad input and platform errors go to Catch nodes through done(err).
 */
import { unlimitedAbortController } from '../../core/abort';
import { randomUUID } from 'crypto';
import { checkCommandPayload, commandTypeError, findDjiMethod, suggestMethods } from '../../core/catalogue';
import type { UtmosConnection } from '../../core/connection';
import { UtmosError, UtmosInputError } from '../../core/errors';
import { IDEMPOTENCY_KEY_MAX } from '../../core/schemas';
import { SUCCESS_STATUS } from '../../core/status';
import type { WaitHandle } from '../../core/tracker';
import { attach } from '../shared/config-access';
import {
  DoneFn,
  Node,
  NodeDef,
  NodeMessage,
  NodeStatus,
  RedApi,
  SendFn,
  clip,
  describe,
  errorBadge,
  evaluateTyped,
  reportableError,
  requireText,
} from '../shared/node-red';

interface CommandDef extends NodeDef {
  server?: string;
  deviceId?: string;
  deviceIdType?: string;
  commandType?: string;
  commandTypeType?: string;
  payload?: string;
  payloadType?: string;
  idempotencyKey?: string;
  idempotencyKeyType?: string;
  timeoutSeconds?: number | string;
  waitForResult?: boolean | string;
  /** Check the payload against the catalogue's schema of the method (default on). */
  checkPayload?: boolean | string;
}

/** How long past the command's own timeout we keep asking before giving up locally. */
const RESULT_GRACE_SECONDS = 30;
/** Uncatalogued method names a node warns about (once each); bounded for names from messages. */
const WARNED_METHODS_MAX = 50;

/** The platform's 400 UNSUPPORTED_COMMAND, told in terms of the node's Command setting. */
function explainRefusedCommand(err: unknown, commandType: string): unknown {
  if (!(err instanceof UtmosError) || err.code !== 'UNSUPPORTED_COMMAND') return err;
  const close = findDjiMethod(commandType) ? [] : suggestMethods(commandType, 3);
  return err.withMessage(`commandType "${clip(commandType, 64)}" was refused by the platform: ${err.message}${close.length ? `; did you mean ${close.join(', ')}?` : ''}`);
}

function parseTimeoutSeconds(raw: unknown): number {
  const n = raw === undefined || raw === '' ? 30 : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 300) {
    throw new UtmosInputError('timeoutSeconds', `timeoutSeconds must be a whole number of seconds from 1 to 300 (got ${describe(raw)})`);
  }
  return n;
}

/**
 * The command name and payload as the node checks them before sending anything: a DJI method name,
 * and its payload evaluated and checked (against the method's schema when the catalogue lists it
 * and `schemaCheck` is on). The editor's payload check runs the same function, so the dialog says
 * what the runtime would.
 */
async function checkedCommand(
  RED: RedApi,
  node: Node,
  commandTypeValue: unknown,
  payloadValue: unknown,
  payloadType: string,
  msg: NodeMessage | undefined,
  schemaCheck: boolean,
): Promise<{ commandType: string; payload: Record<string, unknown>; catalogued: boolean }> {
  const commandType = requireText('commandType', commandTypeValue, '"cover_open"');
  const badName = commandTypeError(commandType);
  if (badName) throw badName;
  const rawPayload = await evaluateTyped(RED, node, 'payload', payloadValue, payloadType, msg);
  const checked = checkCommandPayload(commandType, rawPayload, schemaCheck);
  if (!checked.ok) throw checked.error;
  return { commandType, payload: checked.payload, catalogued: findDjiMethod(commandType) !== undefined };
}

/** Stands in for a node when the editor asks for a check of a static (JSON) payload. */
const EDITOR_CHECK_NODE = { id: 'utmos-dji-payload-check', type: 'dji-command' } as unknown as Node;

export = function register(RED: RedApi): void {
  function DjiCommandNode(this: Node, def: CommandDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const waitForResult = def.waitForResult !== false && def.waitForResult !== 'false';
    const deviceIdType = def.deviceIdType || 'str';
    const commandTypeType = def.commandTypeType || 'str';
    const payloadType = def.payloadType || 'msg';
    const keyType = def.idempotencyKeyType || 'auto';
    const checkPayload = def.checkPayload !== false && def.checkPayload !== 'false';
    const warnedMethods = new Set<string>();
    let configProblem: string | undefined;
    let timeoutSeconds = 30;
    try {
      timeoutSeconds = parseTimeoutSeconds(def.timeoutSeconds);
    } catch (err) {
      configProblem = (err as Error).message;
    }

    const inFlight = new Set<WaitHandle>();
    const abort = unlimitedAbortController();
    let sending = 0;
    let closed = false;

    const showProgress = (last?: NodeStatus) => {
      const n = sending + inFlight.size;
      if (n > 0) node.status({ fill: 'blue', shape: 'dot', text: `waiting ${n}` });
      else if (last) node.status(last);
    };

    const attached = attach(RED, node, def.server, (badge) => {
      if (badge && sending + inFlight.size === 0) node.status(badge);
    });
    const connection: UtmosConnection | undefined = attached.connection;
    configProblem = configProblem ?? attached.problem;
    if (configProblem && connection) node.status({ fill: 'red', shape: 'ring', text: 'invalid settings' });

    async function prepare(msg: NodeMessage) {
      const deviceId = requireText('deviceId', await evaluateTyped(RED, node, 'deviceId', def.deviceId, deviceIdType, msg), '"dock-001"');
      const { commandType, payload, catalogued } = await checkedCommand(
        RED,
        node,
        await evaluateTyped(RED, node, 'commandType', def.commandType, commandTypeType, msg),
        def.payload ?? 'payload',
        payloadType,
        msg,
        checkPayload,
      );
      // The catalogue is our reading of the docs: a method it lacks is still sent, the platform decides.
      if (!catalogued && !warnedMethods.has(commandType) && warnedMethods.size < WARNED_METHODS_MAX) {
        warnedMethods.add(commandType);
        node.warn(RED._ ? RED._('dji-command.warn.uncatalogued', { method: commandType }) : `${commandType} is not in the catalogue`);
      }
      let idempotencyKey: string;
      if (keyType === 'auto') {
        idempotencyKey = randomUUID();
      } else {
        const key = await evaluateTyped(RED, node, 'idempotencyKey', def.idempotencyKey, keyType, msg);
        idempotencyKey = requireText('idempotencyKey', key, 'msg.idempotency_key = "mission-42-cover-open"');
        if (idempotencyKey.length > IDEMPOTENCY_KEY_MAX) {
          throw new UtmosInputError('idempotencyKey', `idempotencyKey must be at most ${IDEMPOTENCY_KEY_MAX} characters (got ${idempotencyKey.length})`);
        }
      }
      return { deviceId, commandType, payload, idempotencyKey };
    }

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      const fail = (err: unknown) => {
        const error = reportableError(err, msg);
        node.status(errorBadge(err));
        done(error);
      };
      if (closed) {
        done(new UtmosError('dji-command is closing; message not sent', { code: 'ABORTED' }));
        return;
      }
      if (configProblem || !connection) {
        fail(new UtmosInputError('server', configProblem ?? 'no utmos-config node selected'));
        return;
      }
      sending++;
      let stillSending = true;
      const sent = () => {
        if (stillSending) sending--;
        stillSending = false;
      };
      showProgress();
      prepare(msg)
        .then(async (command) => {
          msg.idempotency_key = command.idempotencyKey;
          const accepted = await connection.client
            .createCommand(
              {
                device_id: command.deviceId,
                command_type: command.commandType,
                payload: command.payload,
                idempotency_key: command.idempotencyKey,
                timeout_seconds: timeoutSeconds,
              },
              { signal: abort.signal },
            )
            .catch((err: unknown) => {
              throw explainRefusedCommand(err, command.commandType);
            });
          sent();
          msg.command_id = accepted.command_id;
          if (!waitForResult) {
            msg.status = accepted.status;
            msg.payload = accepted;
            showProgress({ fill: 'green', shape: 'dot', text: accepted.status });
            send([msg, null]);
            done();
            return;
          }
          const handle = connection.tracker.wait({
            commandId: accepted.command_id,
            until: 'terminal',
            deadlineMs: (timeoutSeconds + RESULT_GRACE_SECONDS) * 1000,
            known: { command_id: accepted.command_id, status: accepted.status },
            kind: command.commandType,
          });
          inFlight.add(handle);
          showProgress();
          const outcome = await handle.promise;
          inFlight.delete(handle);
          switch (outcome.kind) {
            case 'reached': {
              msg.status = outcome.effective;
              msg.payload = outcome.status;
              const ok = outcome.effective === SUCCESS_STATUS;
              const code = outcome.status.response_code;
              showProgress(
                ok
                  ? { fill: 'green', shape: 'dot', text: outcome.effective }
                  : { fill: 'yellow', shape: 'dot', text: clip(`${outcome.effective}${code !== undefined && code !== null ? ` ${code}` : ''}`) },
              );
              send(ok ? [msg, null] : [null, msg]);
              done();
              return;
            }
            case 'deadline': {
              const last = outcome.last?.status ?? outcome.last?.public_status ?? 'unknown';
              const why = outcome.lastError ? `; last error: ${outcome.lastError.message}` : '';
              throw new UtmosError(
                `no terminal status for command ${accepted.command_id} within ${timeoutSeconds + RESULT_GRACE_SECONDS} s (last status ${last}${why}); follow it up with a dji-status-wait node`,
                { code: 'RESULT_TIMEOUT' },
              );
            }
            case 'error':
              throw outcome.error.withMessage(`command ${accepted.command_id}: ${outcome.error.message}`);
            case 'cancelled':
              throw new UtmosError(
                `dji-command closed before command ${accepted.command_id} finished; follow it up with a dji-status-wait node`,
                { code: 'ABORTED' },
              );
          }
        })
        .catch((err) => {
          sent();
          showProgress();
          fail(err);
        });
    });

    node.on('close', (removed: boolean, done: () => void) => {
      closed = true;
      abort.abort();
      for (const handle of inFlight) handle.cancel();
      inFlight.clear();
      if (attached.config) attached.config.deregister(node, done);
      else done();
    });
  }

  RED.nodes.registerType('dji-command', DjiCommandNode);

  // The dialog's check of a static JSON payload; behind the editor's read permission like the catalogue.
  if (RED.httpAdmin && RED.auth) {
    RED.httpAdmin.post(
      '/utmos-dji/payload-check',
      RED.auth.needsPermission('utmos-dji.read'),
      (req: { body?: { commandType?: unknown; payload?: unknown; checkPayload?: unknown } }, res: { json(v: unknown): void }) => {
        const body = req.body ?? {};
        checkedCommand(RED, EDITOR_CHECK_NODE, body.commandType, body.payload, 'json', undefined, body.checkPayload !== false).then(
          () => res.json({ ok: true }),
          (err: unknown) => {
            const field = err instanceof UtmosInputError ? err.field : undefined;
            res.json({ ok: false, field, message: err instanceof Error ? err.message : String(err) });
          },
        );
      },
    );
  }
};
