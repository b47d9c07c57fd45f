/**
 * dji-command: validates and sends one DJI command per input message, then (by default) emits
 * that message once the command reaches a terminal status: output 1 on SUCCEEDED, output 2 on any
 * other terminal status. Bad input and platform errors go to Catch nodes through done(err).
 */
import { unlimitedAbortController } from '../../core/abort';
import { randomUUID } from 'crypto';
import { checkCommandPayload, commandTypeError, didYouMean, findDjiMethod } from '../../core/catalogue';
import type { UtmosConnection } from '../../core/connection';
import { describeValue } from '../../core/describe-value';
import { UtmosError, UtmosInputError } from '../../core/errors';
import { CommandTimeoutSchema, DEFAULT_COMMAND_TIMEOUT_SECONDS, IDEMPOTENCY_KEY_MAX } from '../../core/schemas';
import { isTerminalStatus } from '../../core/status';
import type { WaitHandle } from '../../core/waits';
import { attach } from '../shared/config-access';
import { clip, errorLine, failInput, reportableError } from '../shared/failure';
import { RuntimeTexts, runtimeTexts } from '../shared/i18n';
import { evaluateTyped, requireText } from '../shared/inputs';
import type { DoneFn, Node, NodeDef, NodeMessage, NodeStatus, RedApi, SendFn } from '../shared/node-red';
import { registerNode } from '../shared/register';
import { deliverOutcome, statusWord, waitingBadge } from '../shared/wait-outcome';

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

/** The Timeout setting, checked as the platform's timeout_seconds is (core schemas). */
function parseTimeoutSeconds(texts: RuntimeTexts, raw: unknown): number {
  const n = raw === undefined || raw === '' ? DEFAULT_COMMAND_TIMEOUT_SECONDS : Number(raw);
  if (!CommandTimeoutSchema.safeParse(n).success) {
    throw new UtmosInputError('timeoutSeconds', texts.node('runtime.timeoutSetting', { got: describeValue(raw) }));
  }
  return n;
}

/** Uncatalogued method names a node warns about (once each); bounded for names from messages. */
const WARNED_METHODS_MAX = 50;

/**
 * The command name and payload as the node checks them before sending anything: a DJI method name,
 * and its payload evaluated and checked (against the method's schema when the catalogue lists it
 * and `schemaCheck` is on). The editor's payload check runs the same function, so the dialog says
 * what the runtime would.
 */
async function checkedCommand(
  RED: RedApi,
  node: Node,
  texts: RuntimeTexts,
  commandTypeValue: unknown,
  payloadValue: unknown,
  payloadType: string,
  msg: NodeMessage | undefined,
  schemaCheck: boolean,
): Promise<{ commandType: string; payload: Record<string, unknown>; catalogued: boolean }> {
  const commandType = requireText(texts, 'commandType', commandTypeValue, '"cover_open"');
  const badName = commandTypeError(commandType);
  if (badName) throw badName;
  const rawPayload = await evaluateTyped(RED, node, texts, 'payload', payloadValue, payloadType, msg);
  const checked = checkCommandPayload(commandType, rawPayload, schemaCheck);
  if (!checked.ok) throw checked.error;
  return { commandType, payload: checked.payload, catalogued: findDjiMethod(commandType) !== undefined };
}

/** Stands in for a node when the editor asks for a check of a static (JSON) payload. */
const EDITOR_CHECK_NODE = { id: 'utmos-dji-payload-check', type: 'dji-command' } as unknown as Node;

/** One command on its way: the device once known, the status once accepted. */
interface Progress {
  deviceId?: string;
  status?: string;
}

export = function register(RED: RedApi): void {
  registerNode<CommandDef>(RED, 'dji-command', (node, def, texts) => {
    const waitForResult = def.waitForResult !== false && def.waitForResult !== 'false';
    const deviceIdType = def.deviceIdType || 'str';
    const commandTypeType = def.commandTypeType || 'str';
    const payloadType = def.payloadType || 'msg';
    const keyType = def.idempotencyKeyType || 'auto';
    const checkPayload = def.checkPayload !== false && def.checkPayload !== 'false';
    const warnedMethods = new Set<string>();
    let configProblem: UtmosInputError | undefined;
    let timeoutSeconds = DEFAULT_COMMAND_TIMEOUT_SECONDS;
    try {
      timeoutSeconds = parseTimeoutSeconds(texts, def.timeoutSeconds);
    } catch (err) {
      configProblem = err as UtmosInputError;
    }

    const inFlight = new Set<WaitHandle>();
    const active = new Set<Progress>();
    const abort = unlimitedAbortController();
    let closed = false;

    const showProgress = (last?: NodeStatus) => {
      const all = [...active];
      if (all.length === 1 && all[0].status === undefined) {
        // Still reading the message; the badge changes once the device is known.
        const device = all[0].deviceId;
        if (device) node.status({ fill: 'blue', shape: 'dot', text: texts.node('status.sending', { device: clip(device, 24) }) });
      } else if (all.length > 0) node.status(waitingBadge(texts, all));
      else if (last) node.status(last);
    };

    const attached = attach(RED, node, texts, def.server, (badge) => {
      if (badge && active.size === 0) node.status(badge);
    });
    const connection: UtmosConnection | undefined = attached.connection;
    configProblem = configProblem ?? attached.problem;
    if (configProblem && connection) node.status({ fill: 'red', shape: 'ring', text: texts.shared('badge.invalidSettings') });

    async function prepare(msg: NodeMessage, progress: Progress) {
      const deviceId = requireText(texts, 'deviceId', await evaluateTyped(RED, node, texts, 'deviceId', def.deviceId, deviceIdType, msg), '"dock-001"');
      progress.deviceId = deviceId;
      showProgress();
      const { commandType, payload, catalogued } = await checkedCommand(
        RED,
        node,
        texts,
        await evaluateTyped(RED, node, texts, 'commandType', def.commandType, commandTypeType, msg),
        def.payload ?? 'payload',
        payloadType,
        msg,
        checkPayload,
      );
      // The catalogue is our reading of the docs: a method it lacks is still sent, the platform decides.
      if (!catalogued && !warnedMethods.has(commandType) && warnedMethods.size < WARNED_METHODS_MAX) {
        warnedMethods.add(commandType);
        node.warn(texts.node('warn.uncatalogued', { method: commandType }));
      }
      let idempotencyKey: string;
      if (keyType === 'auto') {
        idempotencyKey = randomUUID();
      } else {
        const key = await evaluateTyped(RED, node, texts, 'idempotencyKey', def.idempotencyKey, keyType, msg);
        idempotencyKey = requireText(texts, 'idempotencyKey', key, 'msg.idempotency_key = "mission-42-cover-open"');
        if (idempotencyKey.length > IDEMPOTENCY_KEY_MAX) {
          throw new UtmosInputError('idempotencyKey', texts.node('runtime.keyTooLong', { max: IDEMPOTENCY_KEY_MAX, got: idempotencyKey.length }));
        }
      }
      return { deviceId, commandType, payload, idempotencyKey };
    }

    /** The platform's 400 UNSUPPORTED_COMMAND, told in terms of the node's Command setting (a copy: errors may be shared). */
    function explainRefusedCommand(err: unknown, command: { commandType: string; deviceId: string }): unknown {
      if (!(err instanceof UtmosError) || err.code !== 'UNSUPPORTED_COMMAND') return err;
      const suggestions = didYouMean(command.commandType);
      const params = { field: texts.label('commandType'), name: clip(command.commandType, 64), device: command.deviceId };
      return err.withMessage(
        suggestions ? texts.node('runtime.commandRefusedSuggest', { ...params, suggestions }) : texts.node('runtime.commandRefused', params),
      );
    }

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      const fail = (err: unknown) => failInput(node, texts, msg, done, err);
      if (closed) {
        done(reportableError(texts, new UtmosError(texts.node('runtime.closing'), { code: 'ABORTED' }), msg));
        return;
      }
      if (configProblem || !connection) {
        fail(configProblem ?? attached.problem);
        return;
      }
      const progress: Progress = {};
      active.add(progress);
      showProgress();
      prepare(msg, progress)
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
              throw explainRefusedCommand(err, command);
            });
          msg.command_id = accepted.command_id;
          if (!waitForResult) {
            active.delete(progress);
            msg.status = accepted.status;
            msg.payload = accepted;
            showProgress({ fill: 'green', shape: 'dot', text: statusWord(texts, accepted.status) });
            send([msg, null]);
            done();
            return;
          }
          progress.status = accepted.status;
          showProgress();
          const handle = connection.tracker.wait({
            commandId: accepted.command_id,
            until: 'terminal',
            deadlineMs: (timeoutSeconds + RESULT_GRACE_SECONDS) * 1000,
            platformTimeoutMs: timeoutSeconds * 1000,
            known: { command_id: accepted.command_id, status: accepted.status },
            kind: command.commandType,
            onStatus: (_status, effective) => {
              // A final status is shown by the outcome, right after.
              if (isTerminalStatus(effective)) return;
              progress.status = effective;
              showProgress();
            },
          });
          inFlight.add(handle);
          const outcome = await handle.promise;
          inFlight.delete(handle);
          active.delete(progress);
          const ctx = {
            commandId: accepted.command_id,
            deviceId: command.deviceId,
            commandType: command.commandType,
            waitedSeconds: timeoutSeconds + RESULT_GRACE_SECONDS,
            kind: 'command' as const,
          };
          deliverOutcome(node, texts, outcome, msg, ctx, { send, done, show: showProgress });
        })
        .catch((err) => {
          active.delete(progress);
          showProgress();
          fail(err);
        });
    });

    node.on('close', (removed: boolean, done: () => void) => {
      closed = true;
      abort.abort();
      for (const handle of inFlight) handle.cancel();
      inFlight.clear();
      active.clear();
      attached.detach(done);
    });
  });

  // The dialog's check of a static JSON payload, answered in the runtime's language with the line
  // the node itself would give; behind the editor's read permission like the catalogue.
  if (RED.httpAdmin && RED.auth) {
    const texts = runtimeTexts(RED, 'dji-command');
    RED.httpAdmin.post(
      '/utmos-dji/payload-check',
      RED.auth.needsPermission('utmos-dji.read'),
      (req: { body?: { commandType?: unknown; payload?: unknown; checkPayload?: unknown } }, res: { json(v: unknown): void }) => {
        const body = req.body ?? {};
        checkedCommand(RED, EDITOR_CHECK_NODE, texts, body.commandType, body.payload, 'json', undefined, body.checkPayload !== false).then(
          () => res.json({ ok: true }),
          (err: unknown) => {
            const field = err instanceof UtmosInputError ? err.field : undefined;
            res.json({ ok: false, field, message: errorLine(texts, err) });
          },
        );
      },
    );
  }
};
