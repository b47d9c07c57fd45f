/**
 * A simulated DJI dock (gateway) and its aircraft, speaking the DJI Cloud API MQTT wire format:
 * it answers `services` on `services_reply`, reports jobs and missions with `events`, asks the
 * cloud with `requests`, and announces itself with `update_topo` on `sys/product/{sn}/status`.
 */
import { randomUUID } from 'crypto';
import type { MqttClient } from 'mqtt';
import { isPlainObject } from '../../src/core/plain-data';
import { DJI_CODES, describeDjiCode } from '../dji-codes';
import { parseObject } from '../json';
import { closeClient, firstConnect, openClient, publishJson } from '../mqtt-client';
import { TimerQueue } from '../timer-queue';
import { DockControls, DockDevice, DockOptions, DockState, Envelope, newDockState } from './device';
import { Missions } from './mission';
import type { Outcome } from './outcome';
import { osdMessages, topologyMessage } from './reports';
import { runService } from './services';

/** How many requests_reply envelopes the dock keeps for the test-control view. */
const KEPT_REQUEST_REPLIES = 200;

export class SimDock implements DockDevice {
  readonly sn: string;
  readonly aircraftSn: string;
  readonly state: DockState = newDockState();
  controls: DockControls;
  readonly missions = new Missions(this);

  // observations
  servicesReceived = 0;
  eventsRepliesReceived = 0;
  statusRepliesReceived = 0;
  readonly requestsRepliesReceived: Envelope[] = [];

  private client: MqttClient | undefined;
  private online = false;
  private isClosed = false;
  private readonly queue = new TimerQueue<() => void>((fn) => fn());
  private osdTimer: NodeJS.Timeout | undefined;
  private configTimer: NodeJS.Timeout | undefined;
  private readonly pendingRequests = new Map<string, (reply: Envelope) => void>();

  constructor(readonly options: DockOptions) {
    this.sn = options.sn;
    this.aircraftSn = options.aircraftSn;
    this.controls = {
      reply_delay_ms: options.replyDelayMs,
      reply_delay_max_ms: options.replyDelayMaxMs ?? 0,
      failure_rate: 0,
      failure_code: DJI_CODES.DOCK_BUSY,
      silent: false,
      reply_mode: 'normal',
    };
  }

  get isOnline(): boolean {
    return this.online;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  // ---------------------------------------------------------------- connection

  async connect(): Promise<void> {
    if (this.isClosed || this.client) return;
    // DJI docks connect with their SN as client id
    const client = openClient(this.options.mqttUrl, { clientId: this.sn, username: this.options.username, password: this.options.password });
    this.client = client;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('error', (err) => this.log(`mqtt error: ${err.message}`));
    client.on('close', () => {
      this.online = false;
    });
    let ready: Promise<void> = Promise.resolve();
    client.on('connect', () => {
      this.online = true;
      // (re)announce the topology on every (re)connect, after the subscriptions are in place
      ready = this.subscribeAndAnnounce(client).catch((err: Error) => this.options.log(`dock ${this.sn}: ${err.message}`));
    });
    await firstConnect(client);
    // resolve only once the dock listens on its topics, so a command sent next is not lost
    await ready;
    this.startTimers();
  }

  async disconnect(): Promise<void> {
    this.stopTimers();
    const client = this.client;
    this.client = undefined;
    this.online = false;
    if (client) await closeClient(client);
  }

  async setOnline(online: boolean): Promise<void> {
    if (online && !this.client) await this.connect();
    else if (!online && this.client) await this.disconnect();
  }

  async close(): Promise<void> {
    this.isClosed = true;
    this.queue.close();
    this.pendingRequests.clear();
    await this.disconnect();
  }

  private async subscribeAndAnnounce(client: MqttClient): Promise<void> {
    const t = `thing/product/${this.sn}`;
    await client.subscribeAsync({
      [`${t}/services`]: { qos: 1 },
      [`${t}/requests_reply`]: { qos: 1 },
      [`${t}/events_reply`]: { qos: 1 },
      [`sys/product/${this.sn}/status_reply`]: { qos: 1 },
    });
    this.announceTopology();
  }

  private startTimers(): void {
    this.stopTimers();
    const { osdIntervalMs, configRequestIntervalMs } = this.options;
    if (osdIntervalMs > 0) this.osdTimer = setInterval(() => this.publishOsd(), osdIntervalMs);
    if (configRequestIntervalMs > 0) {
      this.configTimer = setInterval(() => this.raiseRequest('config', { scope: 'dock', items: ['network', 'storage'] }), configRequestIntervalMs);
    }
  }

  private stopTimers(): void {
    if (this.osdTimer) clearInterval(this.osdTimer);
    if (this.configTimer) clearInterval(this.configTimer);
    this.osdTimer = undefined;
    this.configTimer = undefined;
  }

  // ---------------------------------------------------------------- uplink

  private log(line: string): void {
    this.options.log(`dock ${this.sn} ${line}`);
  }

  private publish(topic: string, message: unknown, qos: 0 | 1 = 1): void {
    const client = this.client;
    if (!client || !client.connected || this.isClosed) return;
    publishJson(client, topic, message, qos, (line) => this.log(line));
  }

  private replyDelay(): number {
    const { reply_delay_ms: min, reply_delay_max_ms: max } = this.controls;
    return max > min ? min + Math.random() * (max - min) : min;
  }

  later(ms: number, fn: () => void): void {
    this.queue.schedule(Date.now() + Math.max(0, ms), fn);
  }

  raiseRequest(method: string, data: unknown, onReply?: (reply: Envelope) => void): { tid: string; bid: string } {
    const tid = randomUUID();
    const bid = randomUUID();
    if (onReply) this.pendingRequests.set(tid, onReply);
    this.publish(`thing/product/${this.sn}/requests`, { tid, bid, timestamp: Date.now(), gateway: this.sn, method, data: data ?? {} });
    return { tid, bid };
  }

  sendEvent(method: string, bid: string, data: unknown, needReply: 0 | 1 = 1): void {
    this.publish(`thing/product/${this.sn}/events`, {
      tid: randomUUID(),
      bid,
      timestamp: Date.now(),
      gateway: this.sn,
      need_reply: needReply,
      method,
      data,
    });
  }

  announceTopology(): void {
    const { topic, message } = topologyMessage(this.reporter());
    this.publish(topic, message);
  }

  private publishOsd(): void {
    for (const { topic, message } of osdMessages(this.reporter())) this.publish(topic, message, 0);
  }

  private reporter(): { sn: string; aircraftSn: string; state: DockState; flying: boolean } {
    return { sn: this.sn, aircraftSn: this.aircraftSn, state: this.state, flying: this.missions.executing };
  }

  // ---------------------------------------------------------------- downlink

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseObject(payload);
    if (!parsed) return;
    const msg = parsed as unknown as Envelope;
    if (topic.endsWith('/services')) return this.onService(msg);
    if (topic.endsWith('/requests_reply')) {
      this.requestsRepliesReceived.push(msg);
      if (this.requestsRepliesReceived.length > KEPT_REQUEST_REPLIES) this.requestsRepliesReceived.shift();
      const handler = this.pendingRequests.get(msg.tid);
      if (handler) {
        this.pendingRequests.delete(msg.tid);
        handler(msg);
      }
      return;
    }
    if (topic.endsWith('/events_reply')) {
      this.eventsRepliesReceived++;
      return;
    }
    if (topic.endsWith('/status_reply')) this.statusRepliesReceived++;
  }

  private onService(msg: Envelope): void {
    this.servicesReceived++;
    if (this.controls.silent) return;
    const method = typeof msg.method === 'string' ? msg.method : '';
    const data = isPlainObject(msg.data) ? msg.data : {};
    const tid = typeof msg.tid === 'string' ? msg.tid : '';
    const bid = typeof msg.bid === 'string' ? msg.bid : '';
    const crashed = (err: unknown): Outcome => {
      this.options.log(`dock ${this.sn}: ${method} crashed: ${(err as Error).message}`);
      return { result: 319999, detail: 'simulated dock internal error' };
    };
    let decided: Outcome | Promise<Outcome>;
    if (this.controls.failure_rate > 0 && Math.random() < this.controls.failure_rate) {
      decided = { result: this.controls.failure_code };
    } else {
      try {
        decided = runService({ dock: this, missions: this.missions, method, data });
      } catch (err) {
        decided = crashed(err);
      }
    }
    const replyTid = this.controls.reply_mode === 'wrong_tid' ? randomUUID() : tid;
    // flighttask_prepare downloads its file first: its outcome arrives later.
    if (decided instanceof Promise) void decided.catch(crashed).then((outcome) => this.reply(method, bid, replyTid, tid, outcome));
    else this.reply(method, bid, replyTid, tid, decided);
  }

  private reply(method: string, bid: string, replyTid: string, tid: string, outcome: Outcome): void {
    if (this.isClosed) return;
    if (outcome.result !== 0) {
      this.options.log(`dock ${this.sn}: ${method} fails with ${outcome.result} (${outcome.detail ?? describeDjiCode(outcome.result)})`);
    }
    this.later(this.replyDelay(), () => {
      // DJI services_reply data: result and output (and a few method-specific fields), no message.
      const replyData: Record<string, unknown> = { result: outcome.result };
      if (outcome.output) replyData.output = outcome.output;
      if (outcome.extra) Object.assign(replyData, outcome.extra);
      this.publish(`thing/product/${this.sn}/services_reply`, {
        tid: replyTid,
        bid,
        timestamp: Date.now(),
        gateway: this.sn,
        method,
        data: replyData,
      });
      outcome.after?.({ bid, tid });
    });
  }

  // ---------------------------------------------------------------- views

  view(): Record<string, unknown> {
    const s = this.state;
    const mission = this.missions.current;
    return {
      sn: this.sn,
      aircraft_sn: this.aircraftSn,
      online: this.online,
      mode_code: s.modeCode,
      debug_mode: s.debugMode,
      cover_state: s.coverState,
      drone_in_dock: s.droneInDock,
      drone_online: s.droneOnline,
      charge_state: s.chargeState,
      putter_state: s.putterState,
      supplement_light_state: s.supplementLightState,
      recording: Object.fromEntries(s.recording),
      live: [...s.live.entries()].map(([video_id, stream]) => ({ video_id, ...stream })),
      mission: mission ? { ...mission } : null,
      controls: { ...this.controls },
    };
  }

  detail(): Record<string, unknown> {
    return {
      ...this.view(),
      services_received: this.servicesReceived,
      events_replies_received: this.eventsRepliesReceived,
      status_replies_received: this.statusRepliesReceived,
      requests_replies_received: this.requestsRepliesReceived.slice(),
    };
  }
}
