/**
 * The optional command event stream (MQTT). Events are hints only: each one names a command_id or
 * request_id, and the listener fetches that object through the signed API. Nothing from an event's
 * body ever reaches a flow, so a forged event cannot complete a command or inject data.
 */
import type { Agent } from 'http';
import mqtt, { IClientOptions, MqttClient } from 'mqtt';
import { Clock, systemClock } from './clock';
import { UtmosInputError } from './errors';
import { proxyAgentFor, proxyRefusalStatus } from './http-transport';
import type { ProxySettings } from './proxy';
import { displayUrl, redactUserInfo } from './redact';
import { Text, english, raw, text as coreText } from './text';

export const DEFAULT_EVENT_TOPICS = ['tenant/+/command/+', 'tenant/+/device_request/+'];

export interface EventHint {
  commandId?: string;
  requestId?: string;
  /** The device and request type a device-request event names; only used to skip useless fetches. */
  deviceId?: string;
  requestType?: string;
  /** The status the event claims; only used to skip useless fetches, never trusted as a result. */
  claimedStatus?: string;
  topic: string;
}

export type EventStreamState = 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface EventStreamOptions {
  url: string;
  topics: string[];
  username?: string;
  password?: string;
  ca?: string;
  clientId?: string;
  reconnectPeriodMs?: number;
  /** How HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read for ws:// and wss:// (mqtt:// cannot use an HTTP proxy). */
  proxy?: ProxySettings;
  /** Bounds the close. Default: the system clock. */
  clock?: Clock;
  onHint: (hint: EventHint) => void;
  /** `detail` (English) says why the stream is down; `detailText` is the same as a text to localise. */
  onState?: (state: EventStreamState, detail?: string, detailText?: Text) => void;
}

const CONNECT_TIMEOUT_MS = 10_000;
/** A close waits this long for the broker before it drops the connection. */
const CLOSE_TIMEOUT_MS = 2_000;

/**
 * The broker URL must not carry a password: the URL is a plain property and would be saved in
 * flows.json; the password belongs in the credential field. Messages never quote user info.
 */
export function validateEventBrokerUrl(raw: string): URL {
  const text = String(raw ?? '').trim();
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url ? url.password : text.includes('@')) {
    throw new UtmosInputError('eventBrokerUrl', coreText('eventBroker.password', { example: url ? displayUrl(text) : 'mqtts://broker.example.com:8883' }));
  }
  if (!url) throw new UtmosInputError('eventBrokerUrl', coreText('eventBroker.invalid', { url: text }));
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new UtmosInputError('eventBrokerUrl', coreText('eventBroker.protocol', { got: `${url.protocol}//` }));
  }
  return url;
}

export function parseTopics(raw: string | undefined): string[] {
  const topics = (raw ?? '')
    .split(/[,\n]/)
    .map((t) => t.trim())
    .filter(Boolean);
  return topics.length ? topics : [...DEFAULT_EVENT_TOPICS];
}

/** Extracts the ids an event names; tolerant of field spellings, strict on types. */
export function hintFromEvent(topic: string, payload: Buffer): EventHint | undefined {
  if (payload.length === 0 || payload.length > 64 * 1024) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  const data = b.data && typeof b.data === 'object' && !Array.isArray(b.data) ? (b.data as Record<string, unknown>) : {};
  const pick = (key: string): string | undefined => {
    const v = b[key] ?? data[key];
    return typeof v === 'string' && v.length > 0 && v.length <= 128 ? v : undefined;
  };
  const commandId = pick('command_id');
  const requestId = pick('request_id');
  if (!commandId && !requestId) return undefined;
  const hint: EventHint = { commandId, requestId, claimedStatus: pick('public_status') ?? pick('status'), topic };
  if (requestId) {
    hint.deviceId = pick('device_id');
    hint.requestType = pick('request_type');
  }
  return hint;
}

export class EventStream {
  private client: MqttClient | undefined;
  /** The tunnel agent of a ws:// or wss:// stream behind an HTTP proxy, destroyed on close. */
  private proxyAgent: Agent | undefined;
  private state: EventStreamState = 'connecting';
  private readonly url: URL;
  /** The proxy the stream goes through (no user info), if any. */
  readonly proxy: string | undefined;
  /** Why a proxy named by the environment is not used, if one is not. */
  readonly proxyProblem: Text | undefined;

  constructor(private readonly options: EventStreamOptions) {
    this.url = validateEventBrokerUrl(options.url);
    // WebSocket streams open with an HTTP request, so they can be tunnelled; mqtt:// over TCP cannot.
    if (this.url.protocol === 'ws:' || this.url.protocol === 'wss:') {
      const found = proxyAgentFor(this.url, { ca: options.ca, connectTimeoutMs: CONNECT_TIMEOUT_MS, proxy: options.proxy });
      this.proxyAgent = found.agent;
      this.proxy = found.proxy;
      this.proxyProblem = found.problem;
    }
  }

  get currentState(): EventStreamState {
    return this.state;
  }

  start(): void {
    if (this.client) return;
    const opts: IClientOptions = {
      clientId: this.options.clientId,
      username: this.options.username || undefined,
      password: this.options.password || undefined,
      ca: this.options.ca || undefined,
      reconnectPeriod: this.options.reconnectPeriodMs ?? 2_000,
      connectTimeout: CONNECT_TIMEOUT_MS,
      keepalive: 30,
      clean: true,
      resubscribe: true,
      ...(this.proxyAgent ? { wsOptions: { agent: this.proxyAgent } } : {}),
    };
    const client = mqtt.connect(this.url.href, opts);
    this.client = client;
    this.setState('connecting');
    client.on('connect', () => {
      client.subscribe(this.options.topics, { qos: 1 }, (err) => {
        if (err) this.setState('disconnected', coreText('eventStream.subscribeFailed', { reason: raw(err.message) }));
        else this.setState('connected');
      });
    });
    client.on('reconnect', () => this.setState('connecting'));
    client.on('close', () => {
      if (this.state !== 'closed') this.setState('disconnected');
    });
    client.on('error', (err) => {
      // The URL holds no password (refused above); a user name is still nobody's business in a log.
      const refused = this.proxy ? proxyRefusalStatus(err) : undefined;
      this.setState(
        'disconnected',
        refused ? coreText('eventStream.proxyRefused', { proxy: String(this.proxy), status: refused }) : raw(redactUserInfo(err.message)),
      );
    });
    client.on('message', (topic, payload) => {
      const hint = hintFromEvent(topic, payload);
      if (hint) this.options.onHint(hint);
    });
  }

  /** Ends the connection within a bounded time (close handlers must finish well under 15 s). */
  close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.setState('closed');
    const agent = this.proxyAgent;
    this.proxyAgent = undefined;
    if (!client) {
      agent?.destroy();
      return Promise.resolve();
    }
    return this.end(client).finally(() => agent?.destroy());
  }

  private end(client: MqttClient): Promise<void> {
    const clock = this.options.clock ?? systemClock;
    if (!client.connected) {
      // Not connected (yet): a graceful end would queue its DISCONNECT and report "ended" at once,
      // leaving the socket of a CONNECT in flight open until the broker's keepalive drops it
      // (found by the 100-redeploy test). Destroy the stream instead.
      return new Promise((resolve) => {
        const force = clock.setTimeout(resolve, CLOSE_TIMEOUT_MS);
        client.end(true, {}, () => {
          clock.clearTimeout(force);
          resolve();
        });
      });
    }
    return new Promise((resolve) => {
      const force = clock.setTimeout(() => {
        client.end(true);
        resolve();
      }, CLOSE_TIMEOUT_MS);
      client.end(false, {}, () => {
        clock.clearTimeout(force);
        resolve();
      });
    });
  }

  private setState(state: EventStreamState, detail?: Text): void {
    if (this.state === 'closed' && state !== 'closed') return;
    const changed = state !== this.state;
    this.state = state;
    if (changed || detail) this.options.onState?.(state, detail ? english(detail) : undefined, detail);
  }
}
