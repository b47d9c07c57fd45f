/**
 * The optional command event stream (MQTT). Events are hints only: each one names a command_id or
 * request_id, and the listener fetches that object through the signed API. Nothing from an event's
 * body ever reaches a flow, so a forged event cannot complete a command or inject data.
 */
import mqtt, { IClientOptions, MqttClient } from 'mqtt';
import { UtmosInputError } from './errors';
import { text } from './text';

export const DEFAULT_EVENT_TOPICS = ['tenant/+/command/+', 'tenant/+/device_request/+'];

export interface EventHint {
  commandId?: string;
  requestId?: string;
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
  onHint: (hint: EventHint) => void;
  onState?: (state: EventStreamState, detail?: string) => void;
}

export function validateEventBrokerUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UtmosInputError('eventBrokerUrl', text('eventBroker.invalid'));
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new UtmosInputError('eventBrokerUrl', text('eventBroker.protocol', { got: `${url.protocol}//` }));
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
  return { commandId, requestId, claimedStatus: pick('public_status') ?? pick('status'), topic };
}

export class EventStream {
  private client: MqttClient | undefined;
  private state: EventStreamState = 'connecting';

  constructor(private readonly options: EventStreamOptions) {
    validateEventBrokerUrl(options.url);
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
      connectTimeout: 10_000,
      keepalive: 30,
      clean: true,
      resubscribe: true,
    };
    const client = mqtt.connect(this.options.url, opts);
    this.client = client;
    this.setState('connecting');
    client.on('connect', () => {
      client.subscribe(this.options.topics, { qos: 1 }, (err) => {
        if (err) this.setState('disconnected', `subscribe failed: ${err.message}`);
        else this.setState('connected');
      });
    });
    client.on('reconnect', () => this.setState('connecting'));
    client.on('close', () => {
      if (this.state !== 'closed') this.setState('disconnected');
    });
    client.on('error', (err) => {
      // Never include the URL's credentials; mqtt.js error messages do not carry them.
      this.setState('disconnected', err.message);
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
    if (!client) return Promise.resolve();
    if (!client.connected) {
      // Not connected (yet): a graceful end would queue its DISCONNECT and report "ended" at once,
      // leaving the socket of a CONNECT in flight open until the broker's keepalive drops it
      // (found by the 100-redeploy test). Destroy the stream instead.
      return new Promise((resolve) => {
        const force = setTimeout(resolve, 2_000);
        client.end(true, {}, () => {
          clearTimeout(force);
          resolve();
        });
      });
    }
    return new Promise((resolve) => {
      const force = setTimeout(() => {
        client.end(true);
        resolve();
      }, 2_000);
      client.end(false, {}, () => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  private setState(state: EventStreamState, detail?: string): void {
    if (this.state === 'closed' && state !== 'closed') return;
    const changed = state !== this.state;
    this.state = state;
    if (changed || detail) this.options.onState?.(state, detail);
  }
}
