/** The shapes a wayline passes through: raw route input, checked waypoints, settings, the built file. */
import type { AircraftModel, FinishAction, RcLostAction } from './spec';

export type WaylineAction =
  | { type: 'take_photo' }
  | { type: 'start_recording' }
  | { type: 'stop_recording' }
  | { type: 'hover'; seconds: number }
  | { type: 'gimbal_pitch'; angle: number }
  | { type: 'rotate_yaw'; heading: number };
export type WaylineActionType = WaylineAction['type'];

/** A checked waypoint: degrees WGS84, metres above the take-off point, m/s. */
export interface Waypoint {
  latitude: number;
  longitude: number;
  height: number;
  speed: number;
  actions: WaylineAction[];
}

/** What the route input said about one waypoint, with where each value came from (for errors). */
export interface RawWaypoint {
  latitude: unknown;
  longitude: unknown;
  height: unknown;
  speed: unknown;
  actions: unknown;
  /** Message paths of each value, e.g. "payload[2].latitude" or "payload.coordinates[2][1]". */
  at: Record<'latitude' | 'longitude' | 'height' | 'speed' | 'actions', string>;
}

/** "continue" keeps flying the route when the link to the dock is lost; the others leave it. */
export type LostLinkAction = 'continue' | RcLostAction;

export interface WaylineSettings {
  aircraft: AircraftModel;
  /** Default waypoint speed and the transitional speed (m/s). */
  speed: number;
  /** Default waypoint height above the take-off point (m). */
  height: number;
  finishAction: FinishAction;
  lostLinkAction: LostLinkAction;
  takeOffSecurityHeight: number;
  returnHomeHeight: number;
}

export const DEFAULT_SETTINGS: WaylineSettings = {
  aircraft: 'M3D',
  speed: 10,
  height: 60,
  finishAction: 'goHome',
  lostLinkAction: 'goBack',
  takeOffSecurityHeight: 20,
  returnHomeHeight: 100,
};

export interface RouteEstimate {
  /** Length of the route from the first to the last waypoint, metres. */
  distance_m: number;
  /** Estimated flight time: take-off and transit, legs at their speeds, actions, the way back. */
  duration_s: number;
}

export interface BuiltWayline extends RouteEstimate {
  kmz: Buffer;
  /** Lowercase hex MD5 of the KMZ bytes: flighttask_prepare's file.fingerprint. */
  fingerprint: string;
  waypoint_count: number;
  templateKml: string;
  waylinesWpml: string;
}
