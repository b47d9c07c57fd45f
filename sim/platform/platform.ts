/**
 * The simulated UTMOS Open Platform: its state (credentials, commands, device requests, topology,
 * counters) and its MQTT side, a real client of the broker that sends DJI `services` and takes in
 * `services_reply`, `requests`, `events` and `status`. The HTTP layer calls into it; it knows
 * nothing about HTTP.
 */
import { randomUUID } from 'crypto';
import type { MqttClient } from 'mqtt';
import { isPlainObject } from '../../src/core/plain-data';
import { parseObject } from '../json';
import { closeClient, firstConnect, openClient, publishJson } from '../mqtt-client';
import { CommandBook } from './commands';
import type { PlatformContext } from './context';
import { Counters, newCounters } from './counters';
import { DeviceRequestBook } from './device-requests';
import { TenantEvents } from './events';
import type { Credential } from './records';
import { Topology } from './topology';

export interface PlatformOptions {
  tenantId: string;
  timestampWindowSeconds: number;
  secondReply: 'overwrite' | 'conflict';
  log: (line: string) => void;
  /** The API's route keys, counted per call from zero. */
  callKeys: readonly string[];
  /** Whether the dock with this SN currently holds an MQTT connection to the broker. */
  isGatewayConnected: (sn: string) => boolean;
  /** Device requests kept in memory (oldest dropped first). */
  maxDeviceRequests?: number;
  /** Request types the platform answers itself (reply_source "auto"); default none. */
  autoReplyRequestTypes?: readonly string[];
}

export class PlatformCore implements PlatformContext {
  readonly tenantId: string;
  readonly timestampWindowSeconds: number;
  secondReply: 'overwrite' | 'conflict';
  /** Request types answered by the platform itself as they arrive (the auto-reply switch). */
  autoReplyRequestTypes: Set<string>;
  clockOffsetMs = 0;
  counters: Counters;
  readonly credentials = new Map<string, Credential>();
  readonly topology = new Topology();
  readonly commands: CommandBook;
  readonly requests: DeviceRequestBook;

  private client: MqttClient | undefined;
  private closed = false;

  constructor(private readonly opts: PlatformOptions) {
    this.tenantId = opts.tenantId;
    this.timestampWindowSeconds = opts.timestampWindowSeconds;
    this.secondReply = opts.secondReply;
    this.autoReplyRequestTypes = new Set(opts.autoReplyRequestTypes ?? []);
    this.counters = newCounters(opts.callKeys);
    const events = new TenantEvents(this);
    this.commands = new CommandBook(this, events, {
      gatewayFor: (deviceId) => this.topology.gatewayFor(deviceId),
      isGatewayConnected: opts.isGatewayConnected,
    });
    this.requests = new DeviceRequestBook(this, events, opts.maxDeviceRequests ?? 20000);
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  log(line: string): void {
    this.opts.log(line);
  }

  resetCounters(): void {
    this.counters = newCounters(this.opts.callKeys);
  }

  publish(topic: string, message: unknown, qos: 0 | 1 = 1): void {
    const client = this.client;
    if (!client || this.closed) return;
    publishJson(client, topic, message, qos, (line) => this.log(`platform ${line}`));
  }

  async connect(url: string, username?: string, password?: string): Promise<void> {
    const client = openClient(url, { clientId: 'utmos-platform-' + randomUUID().slice(0, 8), username, password });
    this.client = client;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('error', (err) => this.log(`platform mqtt error: ${err.message}`));
    await firstConnect(client);
    await client.subscribeAsync({
      'thing/product/+/services_reply': { qos: 1 },
      'thing/product/+/requests': { qos: 1 },
      'thing/product/+/events': { qos: 1 },
      'sys/product/+/status': { qos: 1 },
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.commands.close();
    this.topology.close();
    const client = this.client;
    this.client = undefined;
    if (client) await closeClient(client);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parts = topic.split('/');
    if (parts.length !== 4) return;
    const [root, , sn = '', kind] = parts;
    const msg = parseObject(payload);
    if (!msg) {
      this.log(`platform: unparseable message on ${topic}`);
      if (kind === 'services_reply') this.commands.onUnreadableReply();
      return;
    }
    if (root === 'sys' && kind === 'status') return this.onStatus(sn, msg);
    if (root !== 'thing') return;
    if (kind === 'services_reply') return this.commands.onServicesReply(msg);
    if (kind === 'requests') return this.onRequest(sn, msg);
    if (kind === 'events') return this.onEvent(sn, msg);
  }

  private onStatus(sn: string, msg: Record<string, unknown>): void {
    if (msg.method === 'update_topo') {
      const data = isPlainObject(msg.data) ? msg.data : {};
      const version = this.topology.update(sn, data);
      // The requests page lists update_topo as a device request too. The status_reply below is
      // its answer, given by the platform itself, so the record is auto-answered.
      const rec = this.requests.record(sn, {
        method: 'update_topo',
        data: { topo_version: version, topo_payload: data },
        tid: msg.tid,
        bid: msg.bid,
      });
      this.requests.answerAutomatically(rec, false);
    }
    this.acknowledge(`sys/product/${sn}/status_reply`, msg);
  }

  private onRequest(sn: string, msg: Record<string, unknown>): void {
    if (typeof msg.method !== 'string' || !msg.method) return;
    const rec = this.requests.record(sn, msg);
    if (this.autoReplyRequestTypes.has(rec.requestType)) this.requests.answerAutomatically(rec, true);
  }

  private onEvent(sn: string, msg: Record<string, unknown>): void {
    if (Number(msg.need_reply) === 1) this.acknowledge(`thing/product/${sn}/events_reply`, msg);
  }

  /** The platform's `{result: 0}` answer to a dock message, with its tid, bid and method. */
  private acknowledge(topic: string, msg: Record<string, unknown>): void {
    this.publish(topic, { tid: msg.tid, bid: msg.bid, timestamp: this.now(), method: msg.method, data: { result: 0 } });
  }
}
