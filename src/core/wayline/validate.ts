/**
 * Route validation: raw waypoints and settings against the ranges of the DJI WPML specification.
 * The first problem becomes one input error naming the waypoint index, the field and the fix.
 */
import { UtmosInputError } from '../errors';
import { Text, TextParam, raw, text } from '../text';
import { isPlainObject } from '../plain-data';
import { AIRCRAFT, AIRCRAFT_MODELS, FINISH_ACTIONS, RANGES, RC_LOST_ACTIONS, inRange } from './spec';
import type { RawWaypoint, Waypoint, WaylineAction, WaylineActionType, WaylineSettings } from './types';

/** DJI waypoint indices run from 0 to 65535. */
export const MAX_WAYPOINTS = RANGES.id.max + 1;

type Range = { min: number; max: number; exclusiveMin?: boolean };

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 30 ? `${value.slice(0, 29)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

function numberIn(value: unknown, range: Range, field: string, what: Text | string, unit: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !inRange(n, range)) {
    const bounds = text(range.exclusiveMin ? 'wayline.rangeAboveMin' : 'wayline.range', { min: range.min, max: range.max, unit });
    throw new UtmosInputError(
      field,
      text('wayline.outOfRange', { what: typeof what === 'string' ? raw(what) : what, range: bounds, got: shown(value), field }),
    );
  }
  return n;
}

const atWaypoint = (index: number, name: TextParam): Text => text('wayline.waypointValue', { index, name });

/** Checks the node's settings (they come from the editor, or from msg overrides). */
export function checkSettings(s: WaylineSettings): WaylineSettings {
  if (!AIRCRAFT_MODELS.includes(s.aircraft)) {
    throw new UtmosInputError('aircraft', text('wayline.aircraft', { got: shown(s.aircraft), choices: AIRCRAFT_MODELS.join(', ') }));
  }
  if (!FINISH_ACTIONS.includes(s.finishAction)) {
    throw new UtmosInputError(
      'finishAction',
      text('wayline.choice', { field: 'finishAction', got: shown(s.finishAction), choices: FINISH_ACTIONS.join(', ') }),
    );
  }
  if (s.lostLinkAction !== 'continue' && !RC_LOST_ACTIONS.includes(s.lostLinkAction)) {
    throw new UtmosInputError(
      'lostLinkAction',
      text('wayline.choice', { field: 'lostLinkAction', got: shown(s.lostLinkAction), choices: ['continue', ...RC_LOST_ACTIONS].join(', ') }),
    );
  }
  return {
    ...s,
    speed: numberIn(s.speed, RANGES.speed, 'speed', 'speed', ' m/s'),
    height: numberIn(s.height, RANGES.height, 'height', 'height', ' m'),
    takeOffSecurityHeight: numberIn(s.takeOffSecurityHeight, RANGES.takeOffSecurityHeight, 'takeOffSecurityHeight', 'takeOffSecurityHeight', ' m'),
    returnHomeHeight: numberIn(s.returnHomeHeight, RANGES.returnHomeHeight, 'returnHomeHeight', 'returnHomeHeight', ' m'),
  };
}

const ACTION_ALIASES: Record<string, WaylineActionType> = {
  take_photo: 'take_photo',
  takephoto: 'take_photo',
  photo: 'take_photo',
  start_recording: 'start_recording',
  startrecord: 'start_recording',
  stop_recording: 'stop_recording',
  stoprecord: 'stop_recording',
  hover: 'hover',
  gimbal_pitch: 'gimbal_pitch',
  gimbalrotate: 'gimbal_pitch',
  rotate_yaw: 'rotate_yaw',
  rotateyaw: 'rotate_yaw',
};
const ACTION_NAMES = 'take_photo, start_recording, stop_recording, {type:"hover", seconds}, {type:"gimbal_pitch", angle}, {type:"rotate_yaw", heading}';

function checkAction(input: unknown, at: string, index: number, settings: WaylineSettings): WaylineAction {
  const spec = typeof input === 'string' ? { type: input } : input;
  if (!isPlainObject(spec) || typeof spec.type !== 'string') {
    throw new UtmosInputError(at, text('wayline.notAction', { index, got: shown(input), field: at, actions: ACTION_NAMES }));
  }
  const type = ACTION_ALIASES[spec.type.toLowerCase()];
  if (!type) throw new UtmosInputError(`${at}.type`, text('wayline.actionType', { index, got: shown(spec.type), field: `${at}.type`, actions: ACTION_NAMES }));
  switch (type) {
    case 'hover':
      return { type, seconds: numberIn(spec.seconds, RANGES.hoverTime, `${at}.seconds`, atWaypoint(index, 'hover seconds'), ' s') };
    case 'gimbal_pitch': {
      const [min, max] = AIRCRAFT[settings.aircraft].pitch;
      return {
        type,
        angle: numberIn(spec.angle, { min, max }, `${at}.angle`, atWaypoint(index, text('wayline.gimbalPitch', { aircraft: settings.aircraft })), '°'),
      };
    }
    case 'rotate_yaw':
      return { type, heading: numberIn(spec.heading, RANGES.heading, `${at}.heading`, atWaypoint(index, 'heading'), '°') };
    default:
      return { type };
  }
}

function checkWaypoint(raw: RawWaypoint, index: number, settings: WaylineSettings): Waypoint {
  const latitude = numberIn(raw.latitude, RANGES.latitude, raw.at.latitude, atWaypoint(index, 'latitude'), '°');
  const longitude = numberIn(raw.longitude, RANGES.longitude, raw.at.longitude, atWaypoint(index, 'longitude'), '°');
  const height =
    raw.height === undefined || raw.height === null ? settings.height : numberIn(raw.height, RANGES.height, raw.at.height, atWaypoint(index, 'height'), ' m');
  const speed =
    raw.speed === undefined || raw.speed === null ? settings.speed : numberIn(raw.speed, RANGES.speed, raw.at.speed, atWaypoint(index, 'speed'), ' m/s');
  let actions: WaylineAction[] = [];
  if (raw.actions !== undefined && raw.actions !== null) {
    const list = Array.isArray(raw.actions) ? raw.actions : [raw.actions];
    actions = list.map((a, i) => checkAction(a, Array.isArray(raw.actions) ? `${raw.at.actions}[${i}]` : raw.at.actions, index, settings));
  }
  return { latitude, longitude, height, speed, actions };
}

/** Checks every waypoint (defaults filled in from the settings); throws on the first problem. */
export function checkRoute(raw: RawWaypoint[], settings: WaylineSettings, base = 'payload'): Waypoint[] {
  if (raw.length < 2) {
    throw new UtmosInputError(base, text('wayline.tooFew', { count: raw.length, field: base }));
  }
  if (raw.length > MAX_WAYPOINTS) {
    throw new UtmosInputError(base, text('wayline.tooMany', { max: MAX_WAYPOINTS, count: raw.length }));
  }
  return raw.map((r, i) => checkWaypoint(r, i, settings));
}
