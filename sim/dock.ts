/**
 * A simulated DJI dock (gateway) and its aircraft, speaking the DJI Cloud API MQTT wire format:
 * it answers `services` on `services_reply`, reports jobs and missions with `events`, asks the
 * cloud with `requests`, and announces itself with `update_topo` on `sys/product/{sn}/status`.
 */
import { randomUUID } from 'crypto';
import mqtt, { MqttClient } from 'mqtt';
import { DJI_CODES, describeDjiCode } from './dji-codes';
import { TimerQueue } from './timer-queue';

export type ReplyMode = 'normal' | 'wrong_tid';
export type MissionPhase = 'prepared' | 'resource_ready' | 'executing' | 'finished' | 'failed';

export interface DockOptions {
  sn: string;
  aircraftSn: string;
  mqttUrl: string;
  username?: string;
  password?: string;
  replyDelayMs: number;
  /** When above replyDelayMs, each reply waits a duration drawn uniformly from replyDelayMs..this. */
  replyDelayMaxMs?: number;
  missionDurationMs: number;
  /** Duration of remote-debug jobs (cover_open, ...) from in_progress to ok. */
  jobDurationMs: number;
  /** OSD publishing period; 0 = off. */
  osdIntervalMs: number;
  /** Period of `config` device requests; 0 = never. */
  configRequestIntervalMs: number;
  /** How long a prepared mission waits for its flighttask_resource_get reply. */
  resourceTimeoutMs: number;
  log: (line: string) => void;
}

export interface DockControls {
  reply_delay_ms: number;
  /** 0 or at most reply_delay_ms: every reply takes reply_delay_ms; above it, uniform in between. */
  reply_delay_max_ms: number;
  failure_rate: number;
  failure_code: number;
  silent: boolean;
  reply_mode: ReplyMode;
}

export interface MissionState {
  flight_id: string;
  phase: MissionPhase;
  percent: number;
  execute_requested: boolean;
  paused: boolean;
  returning_home: boolean;
  failure_code?: number;
}

interface Envelope {
  tid: string;
  bid: string;
  timestamp: number;
  method: string;
  data: Record<string, unknown>;
  gateway?: string;
  need_reply?: number;
}

interface Outcome {
  result: number;
  output?: Record<string, unknown>;
  /** Fields placed next to `result` (fileupload_list, unlock_license_*). */
  extra?: Record<string, unknown>;
  /** Why it failed, for the simulator's log only: a real dock's services_reply carries no text. */
  detail?: string;
  /** Runs after the reply has been published (progress events, follow-up requests). */
  after?: (ctx: { bid: string; tid: string }) => void;
}

/** Remote-debug commands that need debug mode; the first group runs as jobs with progress events. */
const DEBUG_JOBS = new Set([
  'cover_open', 'cover_close', 'cover_force_close', 'drone_open', 'drone_close', 'charge_open', 'charge_close',
  'putter_open', 'putter_close', 'device_reboot', 'device_format', 'drone_format',
]);
const DEBUG_IMMEDIATE = new Set(['supplement_light_open', 'supplement_light_close']);
const STATUS_OUTPUT_IMMEDIATE = new Set([
  'air_conditioner_mode_switch', 'alarm_state_switch', 'battery_maintenance_switch', 'battery_store_mode_switch',
]);
const MISSION_STEPS = 5;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export class SimDock {
  readonly sn: string;
  readonly aircraftSn: string;
  controls: DockControls;

  // state
  modeCode = 0;
  coverState = 0;
  droneInDock = 1;
  droneOnline = true;
  chargeState = 0;
  putterState = 0;
  supplementLightState = 0;
  debugMode = false;
  readonly recording = new Map<string, boolean>();
  readonly cameraMode = new Map<string, number>();
  readonly live = new Map<string, { url: string; url_type: number; video_quality: number }>();
  mission: MissionState | null = null;

  // observations
  servicesReceived = 0;
  eventsRepliesReceived = 0;
  statusRepliesReceived = 0;
  readonly requestsRepliesReceived: Envelope[] = [];

  private client: MqttClient | undefined;
  private online = false;
  private closed = false;
  private readonly queue = new TimerQueue<() => void>((fn) => fn());
  private osdTimer: NodeJS.Timeout | undefined;
  private configTimer: NodeJS.Timeout | undefined;
  private readonly pendingRequests = new Map<string, (reply: Envelope) => void>();
  private missionGeneration = 0;
  private missionBid = '';
  private resourceTimerGeneration = -1;

  constructor(private readonly opts: DockOptions) {
    this.sn = opts.sn;
    this.aircraftSn = opts.aircraftSn;
    this.controls = {
      reply_delay_ms: opts.replyDelayMs,
      reply_delay_max_ms: opts.replyDelayMaxMs ?? 0,
      failure_rate: 0,
      failure_code: DJI_CODES.DOCK_BUSY,
      silent: false,
      reply_mode: 'normal',
    };
  }

  get isOnline(): boolean {
    return this.online;
  }

  // ---------------------------------------------------------------- connection

  async connect(): Promise<void> {
    if (this.closed || this.client) return;
    const client = mqtt.connect(this.opts.mqttUrl, {
      clientId: this.sn, // DJI docks connect with their SN as client id
      clean: true,
      reconnectPeriod: 500,
      connectTimeout: 5000,
      username: this.opts.username,
      password: this.opts.password,
    });
    this.client = client;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('error', (err) => this.opts.log(`dock ${this.sn} mqtt error: ${err.message}`));
    client.on('close', () => {
      this.online = false;
    });
    let ready: Promise<void> = Promise.resolve();
    client.on('connect', () => {
      this.online = true;
      // (re)announce the topology on every (re)connect, after the subscriptions are in place
      ready = this.subscribeAndAnnounce(client).catch((err: Error) => this.opts.log(`dock ${this.sn}: ${err.message}`));
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      client.once('error', onError);
      client.once('connect', () => {
        client.removeListener('error', onError);
        resolve();
      });
    });
    // resolve only once the dock listens on its topics, so a command sent next is not lost
    await ready;
    this.startTimers();
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

  /** `update_topo` on sys/product/{sn}/status; sub_devices is empty while the aircraft is off. */
  private announceTopology(): void {
    this.publish(`sys/product/${this.sn}/status`, {
      tid: randomUUID(),
      bid: randomUUID(),
      timestamp: Date.now(),
      method: 'update_topo',
      data: {
        domain: '3',
        type: 2,
        sub_type: 0,
        device_secret: 'secret',
        nonce: 'nonce',
        thing_version: '1.1.2',
        sub_devices: this.droneOnline
          ? [
              {
                sn: this.aircraftSn,
                domain: '0',
                type: 91,
                sub_type: 0,
                index: 'A',
                device_secret: 'secret',
                nonce: 'nonce',
                thing_version: '1.1.2',
              },
            ]
          : [],
      },
    });
  }

  private startTimers(): void {
    this.stopTimers();
    if (this.opts.osdIntervalMs > 0) this.osdTimer = setInterval(() => this.publishOsd(), this.opts.osdIntervalMs);
    if (this.opts.configRequestIntervalMs > 0) {
      this.configTimer = setInterval(
        () => this.raiseRequest('config', { scope: 'dock', items: ['network', 'storage'] }),
        this.opts.configRequestIntervalMs,
      );
    }
  }

  private stopTimers(): void {
    if (this.osdTimer) clearInterval(this.osdTimer);
    if (this.configTimer) clearInterval(this.configTimer);
    this.osdTimer = undefined;
    this.configTimer = undefined;
  }

  async disconnect(): Promise<void> {
    this.stopTimers();
    const client = this.client;
    this.client = undefined;
    this.online = false;
    if (client) await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
  }

  async setOnline(online: boolean): Promise<void> {
    if (online && !this.client) await this.connect();
    else if (!online && this.client) await this.disconnect();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.close();
    this.pendingRequests.clear();
    await this.disconnect();
  }

  private publish(topic: string, message: unknown, qos: 0 | 1 = 1): void {
    const client = this.client;
    if (!client || !client.connected || this.closed) return;
    client.publish(topic, JSON.stringify(message), { qos, retain: false }, (err) => {
      if (err) this.opts.log(`dock ${this.sn} publish to ${topic} failed: ${err.message}`);
    });
  }

  private replyDelay(): number {
    const { reply_delay_ms: min, reply_delay_max_ms: max } = this.controls;
    return max > min ? min + Math.random() * (max - min) : min;
  }

  private later(ms: number, fn: () => void): void {
    this.queue.schedule(Date.now() + Math.max(0, ms), fn);
  }

  // ---------------------------------------------------------------- uplink helpers

  /** Publishes a DJI `requests` message; `onReply` gets the matching requests_reply envelope. */
  raiseRequest(method: string, data: unknown, onReply?: (reply: Envelope) => void): { tid: string; bid: string } {
    const tid = randomUUID();
    const bid = randomUUID();
    if (onReply) this.pendingRequests.set(tid, onReply);
    this.publish(`thing/product/${this.sn}/requests`, {
      tid,
      bid,
      timestamp: Date.now(),
      gateway: this.sn,
      method,
      data: data ?? {},
    });
    return { tid, bid };
  }

  private sendEvent(method: string, bid: string, data: unknown, needReply: 0 | 1 = 1): void {
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

  private publishOsd(): void {
    const ts = Date.now();
    this.publish(
      `thing/product/${this.sn}/osd`,
      {
        tid: randomUUID(),
        bid: randomUUID(),
        timestamp: ts,
        gateway: this.sn,
        data: {
          mode_code: this.modeCode,
          cover_state: this.coverState,
          drone_in_dock: this.droneInDock,
          putter_state: this.putterState,
          supplement_light_state: this.supplementLightState,
          flighttask_step_code: this.mission?.phase === 'executing' ? 1 : 5,
          latitude: 22.9078,
          longitude: 113.7034,
          height: 40.5,
          sub_device: {
            device_sn: this.aircraftSn,
            device_model_key: '0-91-0',
            device_online_status: this.droneOnline ? 1 : 0,
            device_paired: 1,
          },
          drone_charge_state: { state: this.chargeState, capacity_percent: 87 },
          network_state: { type: 2, quality: 5, rate: 1200 },
          rainfall: 0,
          wind_speed: 2.1,
          environment_temperature: 21,
        },
      },
      0,
    );
    if (this.droneOnline) {
      this.publish(
        `thing/product/${this.aircraftSn}/osd`,
        {
          tid: randomUUID(),
          bid: randomUUID(),
          timestamp: ts,
          gateway: this.sn,
          data: {
            mode_code: this.mission?.phase === 'executing' ? 5 : 0,
            latitude: 22.9078,
            longitude: 113.7034,
            height: this.droneInDock ? 40.5 : 120,
            elevation: this.droneInDock ? 0 : 80,
            battery: { capacity_percent: 87, remain_flight_time: 1900 },
            cameras: [...this.recording.entries()].map(([payload_index, rec]) => ({
              payload_index,
              recording_state: rec ? 1 : 0,
              camera_mode: this.cameraMode.get(payload_index) ?? 0,
            })),
          },
        },
        0,
      );
    }
  }

  // ---------------------------------------------------------------- downlink

  private onMessage(topic: string, payload: Buffer): void {
    let msg: Envelope;
    try {
      const parsed: unknown = JSON.parse(payload.toString('utf8'));
      if (!isObj(parsed)) return;
      msg = parsed as unknown as Envelope;
    } catch {
      return;
    }
    if (topic.endsWith('/services')) return this.onService(msg);
    if (topic.endsWith('/requests_reply')) {
      this.requestsRepliesReceived.push(msg);
      if (this.requestsRepliesReceived.length > 200) this.requestsRepliesReceived.shift();
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
    const data = isObj(msg.data) ? msg.data : {};
    const tid = typeof msg.tid === 'string' ? msg.tid : '';
    const bid = typeof msg.bid === 'string' ? msg.bid : '';
    let outcome: Outcome;
    if (this.controls.failure_rate > 0 && Math.random() < this.controls.failure_rate) {
      outcome = { result: this.controls.failure_code };
    } else {
      try {
        outcome = this.execute(method, data);
      } catch (err) {
        this.opts.log(`dock ${this.sn}: ${method} crashed: ${(err as Error).message}`);
        outcome = { result: 319999, detail: 'simulated dock internal error' };
      }
    }
    const replyTid = this.controls.reply_mode === 'wrong_tid' ? randomUUID() : tid;
    if (outcome.result !== 0) {
      this.opts.log(`dock ${this.sn}: ${method} fails with ${outcome.result} (${outcome.detail ?? describeDjiCode(outcome.result)})`);
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

  private fail(code: number, detail?: string): Outcome {
    return { result: code, detail: detail ? `${describeDjiCode(code)}: ${detail}` : undefined };
  }

  /** Decides the outcome of one service call and applies its immediate state change. */
  private execute(method: string, data: Record<string, unknown>): Outcome {
    if (DEBUG_JOBS.has(method) || DEBUG_IMMEDIATE.has(method)) {
      if (!this.debugMode) return this.fail(DJI_CODES.NOT_IN_DEBUG_MODE);
      if (DEBUG_IMMEDIATE.has(method)) {
        this.supplementLightState = method === 'supplement_light_open' ? 1 : 0;
        return { result: 0, output: { status: 'ok' } };
      }
      return this.job(method, method, () => this.applyJobEffect(method));
    }
    if (STATUS_OUTPUT_IMMEDIATE.has(method)) return { result: 0, output: { status: 'ok' } };
    switch (method) {
      case 'debug_mode_open':
        if (this.mission?.phase === 'executing') return this.fail(DJI_CODES.TASK_RUNNING_NO_DEBUG);
        this.debugMode = true;
        this.modeCode = 2;
        return { result: 0, output: { status: 'ok' } };
      case 'debug_mode_close':
        this.debugMode = false;
        if (this.modeCode === 2) this.modeCode = 0;
        return { result: 0, output: { status: 'ok' } };
      case 'flighttask_prepare':
        return this.prepare(data);
      case 'flighttask_execute':
        return this.executeMission(data);
      case 'flighttask_pause':
        return this.pauseMission();
      case 'flighttask_recovery':
        return this.resumeMission();
      case 'flighttask_undo':
        return this.undoMissions(data);
      case 'return_home':
        return this.returnHome();
      case 'return_home_cancel':
        if (!this.mission?.returning_home) return this.fail(DJI_CODES.RTH_CANCEL_FAILED);
        return { result: 0 };
      case 'camera_recording_start':
      case 'camera_recording_stop': {
        const idx = data.payload_index;
        if (!nonEmptyString(idx)) return this.fail(DJI_CODES.PARAMETER_ERROR, 'payload_index');
        const recording = this.recording.get(idx) === true;
        if (method === 'camera_recording_start') {
          if (recording) return this.fail(DJI_CODES.RECORDING_START_FAILED);
          this.recording.set(idx, true);
          this.cameraMode.set(idx, 1);
        } else {
          if (!recording) return this.fail(DJI_CODES.RECORDING_STOP_FAILED);
          this.recording.set(idx, false);
        }
        return { result: 0 };
      }
      case 'camera_mode_switch':
        if (nonEmptyString(data.payload_index) && typeof data.camera_mode === 'number') {
          this.cameraMode.set(data.payload_index, data.camera_mode);
        }
        return { result: 0 };
      case 'live_start_push': {
        const videoId = data.video_id;
        if (!nonEmptyString(videoId) || !nonEmptyString(data.url)) {
          return this.fail(DJI_CODES.LIVE_PARAMETER_ERROR, !nonEmptyString(videoId) ? 'video_id' : 'url');
        }
        if (this.live.has(videoId)) return this.fail(DJI_CODES.LIVE_ALREADY_STREAMING);
        this.live.set(videoId, {
          url: data.url,
          url_type: typeof data.url_type === 'number' ? data.url_type : 1,
          video_quality: typeof data.video_quality === 'number' ? data.video_quality : 0,
        });
        return { result: 0 };
      }
      case 'live_stop_push':
      case 'live_set_quality':
      case 'live_lens_change':
      case 'live_camera_change': {
        const videoId = data.video_id;
        if (!nonEmptyString(videoId)) return this.fail(DJI_CODES.LIVE_PARAMETER_ERROR, 'video_id');
        const stream = this.live.get(videoId);
        if (!stream) return this.fail(DJI_CODES.LIVE_NOT_STARTED);
        if (method === 'live_stop_push') this.live.delete(videoId);
        if (method === 'live_set_quality' && typeof data.video_quality === 'number') {
          stream.video_quality = data.video_quality;
        }
        return { result: 0 };
      }
      case 'camera_photo_take':
        return { result: 0 };
      case 'ota_create':
        return this.job(method, 'ota_progress', () => undefined);
      case 'fileupload_list':
        return {
          result: 0,
          extra: {
            files: [
              {
                device_sn: this.sn,
                module: '3',
                result: 0,
                list: [{ boot_index: 1, start_time: Date.now() - 3_600_000, end_time: Date.now(), size: 24_576 }],
              },
            ],
          },
        };
      case 'unlock_license_list':
        return {
          result: 0,
          extra: {
            device_model_domain: typeof data.device_model_domain === 'number' ? data.device_model_domain : 0,
            consistence: true,
            licenses: [],
          },
        };
      case 'unlock_license_switch':
        return { result: 0, extra: { license_id: data.license_id ?? 0 } };
      case 'drone_control':
        return { result: 0, output: { seq: data.seq ?? 0 } };
      default:
        return { result: 0 };
    }
  }

  /** A long-running job: in_progress reply, then same-named (or dedicated) progress events to ok. */
  private job(method: string, eventMethod: string, onDone: () => void): Outcome {
    return {
      result: 0,
      output: { status: 'in_progress' },
      after: ({ bid }) => {
        const half = Math.max(1, Math.floor(this.opts.jobDurationMs / 2));
        this.later(half, () =>
          this.sendEvent(eventMethod, bid, {
            result: 0,
            output: { status: 'in_progress', progress: { percent: 50, step_key: method } },
          }),
        );
        this.later(this.opts.jobDurationMs, () => {
          onDone();
          this.sendEvent(eventMethod, bid, {
            result: 0,
            output: { status: 'ok', progress: { percent: 100, step_key: method } },
          });
        });
      },
    };
  }

  private applyJobEffect(method: string): void {
    switch (method) {
      case 'cover_open':
        this.coverState = 1;
        break;
      case 'cover_close':
      case 'cover_force_close':
        this.coverState = 0;
        break;
      case 'drone_open':
      case 'drone_close':
        this.droneOnline = method === 'drone_open';
        this.announceTopology();
        break;
      case 'charge_open':
        this.chargeState = 1;
        break;
      case 'charge_close':
        this.chargeState = 0;
        break;
      case 'putter_open':
        this.putterState = 1;
        break;
      case 'putter_close':
        this.putterState = 0;
        break;
      default:
        break;
    }
  }

  // ---------------------------------------------------------------- missions

  private missingPrepareField(data: Record<string, unknown>): string | undefined {
    if (!nonEmptyString(data.flight_id)) return 'flight_id';
    if (typeof data.task_type !== 'number') return 'task_type';
    if (!isObj(data.file)) return 'file';
    if (!nonEmptyString(data.file.url)) return 'file.url';
    if ((data.task_type === 0 || data.task_type === 1) && typeof data.execute_time !== 'number') return 'execute_time';
    if (data.task_type === 2 && !isObj(data.ready_conditions)) return 'ready_conditions';
    for (const f of ['rth_altitude', 'out_of_control_action', 'exit_wayline_when_rc_lost']) {
      if (typeof data[f] !== 'number') return f;
    }
    return undefined;
  }

  private prepare(data: Record<string, unknown>): Outcome {
    if (this.debugMode) return this.fail(DJI_CODES.IN_REMOTE_DEBUG);
    if (this.mission?.phase === 'executing') return this.fail(DJI_CODES.DOCK_BUSY_WITH_TASK);
    const missing = this.missingPrepareField(data);
    if (missing) return this.fail(DJI_CODES.PARAMETER_ERROR, missing);
    const generation = ++this.missionGeneration;
    const mission: MissionState = {
      flight_id: data.flight_id as string,
      phase: 'prepared',
      percent: 0,
      execute_requested: false,
      paused: false,
      returning_home: false,
    };
    this.mission = mission;
    return {
      result: 0,
      after: () => {
        // inbound_payload fields as the requests page lists them for this type
        this.raiseRequest('flighttask_resource_get', { resource_type: 'wayline', resource_ids: [mission.flight_id] }, (reply) => {
          if (this.mission !== mission || generation !== this.missionGeneration) return;
          if (mission.phase !== 'prepared') return;
          const result = isObj(reply.data) ? reply.data.result : undefined;
          if (result === 0) {
            mission.phase = 'resource_ready';
            if (mission.execute_requested) this.startMission(mission, generation);
          } else {
            this.failMission(mission, DJI_CODES.ROUTE_FILE_UNAVAILABLE);
          }
        });
        this.resourceTimerGeneration = generation;
        this.later(this.opts.resourceTimeoutMs, () => {
          if (this.mission === mission && mission.phase === 'prepared' && this.resourceTimerGeneration === generation) {
            this.failMission(mission, DJI_CODES.ROUTE_FILE_UNAVAILABLE);
          }
        });
      },
    };
  }

  private failMission(mission: MissionState, code: number): void {
    mission.phase = 'failed';
    mission.failure_code = code;
    if (mission.execute_requested && this.missionBid) {
      this.sendEvent('flighttask_progress', this.missionBid, {
        result: code,
        output: {
          status: 'failed',
          progress: { current_step: 16, percent: 0 },
          ext: { flight_id: mission.flight_id, wayline_mission_state: 0 },
        },
      });
    }
  }

  private executeMission(data: Record<string, unknown>): Outcome {
    const flightId = data.flight_id;
    if (!nonEmptyString(flightId)) return this.fail(DJI_CODES.PARAMETER_ERROR, 'flight_id');
    if (this.debugMode) return this.fail(DJI_CODES.IN_REMOTE_DEBUG);
    const mission = this.mission;
    if (mission?.phase === 'executing' || (mission && mission.execute_requested && mission.phase !== 'finished' && mission.phase !== 'failed')) {
      return mission.flight_id === flightId
        ? this.fail(DJI_CODES.TASK_ALREADY_RUNNING)
        : this.fail(DJI_CODES.OTHER_TASK_RUNNING);
    }
    if (!mission || mission.flight_id !== flightId || mission.phase === 'finished') {
      return this.fail(DJI_CODES.OPERATION_NOT_SUPPORTED, `flight ${flightId} has not been prepared`);
    }
    if (mission.phase === 'failed') return this.fail(DJI_CODES.ROUTE_FILE_UNAVAILABLE);
    const generation = this.missionGeneration;
    mission.execute_requested = true;
    return {
      result: 0,
      after: ({ bid }) => {
        this.missionBid = bid;
        if (mission.phase === 'resource_ready') this.startMission(mission, generation);
        // otherwise the mission starts when the flighttask_resource_get reply arrives
      },
    };
  }

  private startMission(mission: MissionState, generation: number): void {
    if (this.mission !== mission || generation !== this.missionGeneration) return;
    mission.phase = 'executing';
    this.modeCode = 4;
    this.coverState = 1;
    this.droneInDock = 0;
    this.scheduleMissionStep(mission, generation, 1);
  }

  private scheduleMissionStep(mission: MissionState, generation: number, step: number): void {
    const stepMs = Math.max(1, Math.floor(this.opts.missionDurationMs / MISSION_STEPS));
    this.later(stepMs, () => {
      if (this.mission !== mission || generation !== this.missionGeneration) return;
      if (mission.phase !== 'executing' || mission.returning_home) return;
      if (mission.paused) {
        mission.percent = Math.round(((step - 1) * 100) / MISSION_STEPS);
        return; // resumed by flighttask_recovery
      }
      mission.percent = Math.round((step * 100) / MISSION_STEPS);
      const done = step >= MISSION_STEPS;
      this.sendEvent('flighttask_progress', this.missionBid, {
        result: 0,
        output: {
          status: done ? 'ok' : 'in_progress',
          progress: { current_step: done ? 29 : 24, percent: mission.percent },
          ext: {
            flight_id: mission.flight_id,
            track_id: mission.flight_id,
            wayline_id: 0,
            current_waypoint_index: step,
            media_count: 0,
            wayline_mission_state: done ? 9 : 6,
          },
        },
      });
      if (done) this.landAndFinish(mission);
      else this.scheduleMissionStep(mission, generation, step + 1);
    });
  }

  private landAndFinish(mission: MissionState): void {
    mission.phase = 'finished';
    mission.returning_home = false;
    this.droneInDock = 1;
    this.coverState = 0;
    this.modeCode = 0;
  }

  private pauseMission(): Outcome {
    const m = this.mission;
    if (!m || m.phase !== 'executing') return this.fail(321260);
    if (m.paused || m.returning_home) return this.fail(319046);
    m.paused = true;
    return { result: 0 };
  }

  private resumeMission(): Outcome {
    const m = this.mission;
    if (!m) return this.fail(DJI_CODES.OPERATION_NOT_SUPPORTED);
    if (m.phase === 'finished') return this.fail(319044);
    if (m.phase !== 'executing' || !m.paused) return this.fail(319042);
    m.paused = false;
    const generation = this.missionGeneration;
    const nextStep = Math.floor((m.percent * MISSION_STEPS) / 100) + 1;
    return { result: 0, after: () => this.scheduleMissionStep(m, generation, nextStep) };
  }

  private undoMissions(data: Record<string, unknown>): Outcome {
    const ids = Array.isArray(data.flight_ids) ? data.flight_ids : undefined;
    if (!ids) return this.fail(DJI_CODES.PARAMETER_ERROR, 'flight_ids');
    const m = this.mission;
    if (m && ids.includes(m.flight_id)) {
      if (m.phase === 'executing') return this.fail(319006);
      if (m.phase === 'prepared' || m.phase === 'resource_ready') {
        this.mission = null;
        this.missionGeneration++;
      }
    }
    return { result: 0 };
  }

  private returnHome(): Outcome {
    const m = this.mission;
    if (!m || m.phase !== 'executing') return this.fail(DJI_CODES.NO_AIRCRAFT_CONTROL);
    if (m.returning_home) return { result: 0, output: { status: 'in_progress' } };
    m.returning_home = true;
    const generation = this.missionGeneration;
    return {
      result: 0,
      output: { status: 'in_progress' },
      after: ({ bid }) => {
        this.sendEvent(
          'return_home_info',
          bid,
          { flight_id: m.flight_id, planned_path_points: [], last_point_type: 0, home_dock_sn: this.sn },
          0,
        );
        const backMs = Math.max(1, Math.floor(this.opts.missionDurationMs / MISSION_STEPS));
        this.later(backMs, () => {
          if (this.mission !== m || generation !== this.missionGeneration) return;
          this.sendEvent('flighttask_progress', this.missionBid, {
            result: DJI_CODES.USER_RTH_DURING_TASK,
            output: {
              status: 'partially_done',
              progress: { current_step: 29, percent: m.percent },
              ext: { flight_id: m.flight_id, track_id: m.flight_id, wayline_mission_state: 9 },
            },
          });
          this.landAndFinish(m);
        });
      },
    };
  }

  // ---------------------------------------------------------------- views

  state(): Record<string, unknown> {
    return {
      sn: this.sn,
      aircraft_sn: this.aircraftSn,
      online: this.online,
      mode_code: this.modeCode,
      debug_mode: this.debugMode,
      cover_state: this.coverState,
      drone_in_dock: this.droneInDock,
      drone_online: this.droneOnline,
      charge_state: this.chargeState,
      putter_state: this.putterState,
      supplement_light_state: this.supplementLightState,
      recording: Object.fromEntries(this.recording),
      live: [...this.live.entries()].map(([video_id, s]) => ({ video_id, ...s })),
      mission: this.mission ? { ...this.mission } : null,
      controls: { ...this.controls },
    };
  }

  detail(): Record<string, unknown> {
    return {
      ...this.state(),
      services_received: this.servicesReceived,
      events_replies_received: this.eventsRepliesReceived,
      status_replies_received: this.statusRepliesReceived,
      requests_replies_received: this.requestsRepliesReceived.slice(),
    };
  }
}
