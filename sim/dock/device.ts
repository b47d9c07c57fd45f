/** A simulated dock's settings, its device state, and what its service handlers and mission may do with it. */

export type ReplyMode = 'normal' | 'wrong_tid';

export interface DockOptions {
  sn: string;
  aircraftSn: string;
  mqttUrl: string;
  username?: string;
  password?: string;
  replyDelayMs: number;
  /** When above replyDelayMs, each reply waits a duration drawn uniformly from replyDelayMs..this. */
  replyDelayMaxMs?: number;
  /** Simulated flight time per real second of the route's estimate (0.05: a 2-minute route flies in 6 s). */
  timeFactor: number;
  /** Duration of remote-debug jobs (cover_open, ...) from in_progress to ok. */
  jobDurationMs: number;
  /** OSD publishing period; 0 = off. */
  osdIntervalMs: number;
  /** Period of `config` device requests; 0 = never. */
  configRequestIntervalMs: number;
  /** How long a mission whose file URL expired waits for its flighttask_resource_get reply. */
  resourceTimeoutMs: number;
  log: (line: string) => void;
}

/** What a test may change at run time (POST /__sim/docks/{sn}). */
export interface DockControls {
  reply_delay_ms: number;
  /** 0 or at most reply_delay_ms: every reply takes reply_delay_ms; above it, uniform in between. */
  reply_delay_max_ms: number;
  failure_rate: number;
  failure_code: number;
  silent: boolean;
  reply_mode: ReplyMode;
}

/** The dock's and aircraft's physical state, as OSD and the state view report it. */
export interface DockState {
  modeCode: number;
  coverState: number;
  droneInDock: number;
  droneOnline: boolean;
  chargeState: number;
  putterState: number;
  supplementLightState: number;
  debugMode: boolean;
  readonly recording: Map<string, boolean>;
  readonly cameraMode: Map<string, number>;
  readonly live: Map<string, { url: string; url_type: number; video_quality: number }>;
}

export function newDockState(): DockState {
  return {
    modeCode: 0,
    coverState: 0,
    droneInDock: 1,
    droneOnline: true,
    chargeState: 0,
    putterState: 0,
    supplementLightState: 0,
    debugMode: false,
    recording: new Map(),
    cameraMode: new Map(),
    live: new Map(),
  };
}

/** A DJI message envelope as the dock receives it. */
export interface Envelope {
  tid: string;
  bid: string;
  timestamp: number;
  method: string;
  data: Record<string, unknown>;
  gateway?: string;
  need_reply?: number;
}

/** The dock as its service handlers and its mission see it. */
export interface DockDevice {
  readonly sn: string;
  readonly state: DockState;
  readonly options: DockOptions;
  /** True once the dock is closed: nothing it scheduled may act any more. */
  readonly closed: boolean;
  /** Runs `fn` after `ms` on the dock's timer queue. */
  later(ms: number, fn: () => void): void;
  sendEvent(method: string, bid: string, data: unknown, needReply?: 0 | 1): void;
  /** Publishes a DJI `requests` message; `onReply` gets the matching requests_reply envelope. */
  raiseRequest(method: string, data: unknown, onReply?: (reply: Envelope) => void): { tid: string; bid: string };
  /** Publishes `update_topo` (after the aircraft was switched on or off). */
  announceTopology(): void;
}
