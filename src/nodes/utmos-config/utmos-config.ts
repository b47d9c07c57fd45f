/**
 * utmos-config: endpoint and credentials; owns one shared connection (client, tracker, request
 * feed, optional event stream) for all nodes that use it, created with the first user and closed
 * when the last one leaves.
 */
import { catalogueForEditor, catalogueLanguage } from '../../core/catalogue';
import { UtmosConnection } from '../../core/connection';
import { UtmosInputError } from '../../core/errors';
import type { ProxySettings } from '../../core/proxy';
import { DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_REQUESTS_PER_SECOND } from '../../core/rate-gate';
import { StatusListener, offerConfig } from '../shared/config-access';
import type { RuntimeTexts } from '../shared/i18n';
import type { Node, NodeDef, NodeStatus, RedApi } from '../shared/node-red';
import { registerNode } from '../shared/register';

/** At most one rate-limit warning per config node per minute. */
const RATE_WARNING_INTERVAL_MS = 60_000;

interface ConfigDef extends NodeDef {
  baseUrl?: string;
  eventBrokerUrl?: string;
  eventTopics?: string;
  caCert?: string;
  requestTimeout?: number | string;
  maxRequestsPerSecond?: number | string;
  maxConcurrentRequests?: number | string;
}

function numberSetting(texts: RuntimeTexts, field: string, raw: unknown, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UtmosInputError(field, texts.node('runtime.settingRange', { field: texts.label(field), min, max, got: String(raw) }));
  }
  return n;
}

function eventBadge(texts: RuntimeTexts, state: string, detail?: string): NodeStatus | undefined {
  switch (state) {
    case 'connected':
      // Replaces "events: connecting" on idle nodes; busy nodes keep showing their own state.
      return { fill: 'green', shape: 'ring', text: texts.node('status.eventsConnected') };
    case 'connecting':
      return { fill: 'yellow', shape: 'ring', text: texts.node('status.eventsConnecting') };
    case 'disconnected':
      return { fill: 'yellow', shape: 'ring', text: texts.node(detail ? 'status.eventsDown' : 'status.eventsPolling') };
    default:
      return undefined;
  }
}

/** settings.js `proxyOptions`, as the core http request node reads them (the keys we honour). */
function proxySettings(raw: unknown): ProxySettings | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  const env = o.env && typeof o.env === 'object' ? (o.env as Record<string, string | undefined>) : undefined;
  return { env, lowerCaseOnly: o.lowerCaseOnly === true, favourUpperCase: o.favourUpperCase === true, excludeNpm: o.excludeNpm === true };
}

export = function register(RED: RedApi): void {
  registerNode<ConfigDef>(RED, 'utmos-config', (node, def, texts) => {
    const users = new Map<string, StatusListener | undefined>();
    let connection: UtmosConnection | undefined;
    let unsubscribeState: (() => void) | undefined;
    let closing: Promise<void> | undefined;

    // A platform that throttles should be visible in the log, but not once per 429.
    let lastRateWarning = -Infinity;
    const rateChanged = (allowed: number, cap: number): void => {
      if (allowed >= cap) {
        node.log(texts.node('runtime.rateBack', { cap }));
      } else if (Date.now() - lastRateWarning >= RATE_WARNING_INTERVAL_MS) {
        lastRateWarning = Date.now();
        node.warn(texts.node('runtime.rateSlowed', { allowed, cap }));
      }
    };

    const open = (): UtmosConnection => {
      if (connection) return connection;
      const creds = node.credentials ?? {};
      connection = new UtmosConnection({
        baseUrl: String(def.baseUrl ?? ''),
        apiId: String(creds.apiId ?? ''),
        apiKey: String(creds.apiKey ?? ''),
        ca: def.caCert ? String(def.caCert) : undefined,
        requestTimeoutMs: numberSetting(texts, 'requestTimeout', def.requestTimeout, 10, 1, 120) * 1000,
        maxRequestsPerSecond: numberSetting(texts, 'maxRequestsPerSecond', def.maxRequestsPerSecond, DEFAULT_MAX_REQUESTS_PER_SECOND, 1, 1000),
        maxConcurrentRequests: numberSetting(texts, 'maxConcurrentRequests', def.maxConcurrentRequests, DEFAULT_MAX_CONCURRENT, 1, 100),
        eventBrokerUrl: def.eventBrokerUrl ? String(def.eventBrokerUrl).trim() : undefined,
        eventTopics: def.eventTopics ? String(def.eventTopics) : undefined,
        eventUsername: creds.eventUsername || undefined,
        eventPassword: creds.eventPassword || undefined,
        eventClientId: `utmos-dji-${node.id}-${Math.random().toString(16).slice(2, 8)}`,
        onRateChange: rateChanged,
        tracker: {
          onEventHealth: (health, before) => {
            if (health === 'silent') node.warn(texts.node('runtime.eventsSilent'));
            else if (health === 'healthy' && before === 'silent') node.log(texts.node('runtime.eventsFlowing'));
          },
        },
        proxy: proxySettings(RED.settings?.proxyOptions),
      });
      const conn = connection;
      for (const [what, via, problem] of [
        [texts.node('runtime.forApi'), conn.client.proxy, conn.client.proxyProblem],
        [texts.node('runtime.forEvents'), conn.events?.proxy, conn.events?.proxyProblem],
      ] as const) {
        if (via) node.log(texts.node('runtime.proxyUsed', { what, proxy: via }));
        if (problem) node.warn(texts.node('runtime.proxyProblem', { what, problem }));
      }
      unsubscribeState = conn.onEventState((state, detail, detailText) => {
        const badge = eventBadge(texts, state, detail);
        for (const listener of users.values()) listener?.(badge);
        if (state === 'disconnected' && detail) node.warn(texts.node('runtime.eventsDown', { detail: detailText ?? detail }));
      });
      return conn;
    };

    const shut = (): Promise<void> => {
      const conn = connection;
      connection = undefined;
      unsubscribeState?.();
      unsubscribeState = undefined;
      if (!conn) return Promise.resolve();
      closing = conn.close();
      return closing;
    };

    offerConfig(node, {
      register: (user: Node, onStatus?: StatusListener): UtmosConnection => {
        const conn = open();
        users.set(user.id, onStatus);
        const badge = conn.eventState ? eventBadge(texts, conn.eventState) : undefined;
        if (badge) onStatus?.(badge);
        return conn;
      },
      deregister: (user: Node, done: () => void): void => {
        users.delete(user.id);
        if (users.size === 0) {
          shut().then(done, done);
        } else {
          done();
        }
      },
      get userCount() {
        return users.size;
      },
    });
    // Visible for tests, benchmarks and diagnostics only.
    Object.defineProperty(node, 'userCount', { get: () => users.size });
    Object.defineProperty(node, 'connection', { get: () => connection });

    node.on('close', (removed: boolean, done: () => void) => {
      users.clear();
      shut()
        .then(() => closing)
        .then(
          () => done(),
          () => done(),
        );
    });
  }, {
    credentials: {
      apiId: { type: 'text' },
      apiKey: { type: 'password' },
      eventUsername: { type: 'text' },
      eventPassword: { type: 'password' },
    },
  });

  // The command picker's data; behind the editor's read permission like every admin endpoint.
  // ?lang=zh-CN (or any zh-*) gives Chinese summaries and field descriptions, English where untranslated.
  if (RED.httpAdmin && RED.auth) {
    const catalogues = { en: catalogueForEditor('en'), zh: catalogueForEditor('zh') };
    RED.httpAdmin.get(
      '/utmos-dji/catalogue',
      RED.auth.needsPermission('utmos-dji.read'),
      (req: { query?: Record<string, unknown> }, res: { json(v: unknown): void }) => {
        res.json(catalogues[catalogueLanguage(req.query?.lang)]);
      },
    );
  }
};
