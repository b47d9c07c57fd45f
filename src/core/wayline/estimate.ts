/**
 * Route length and an estimated flight time. The dock's position is not part of the route, so the
 * estimate assumes the take-off point lies under the first waypoint: climb, the legs at their speeds,
 * the actions, then the finish action (the way back to the take-off point for goHome).
 */
import type { RouteEstimate, Waypoint, WaylineAction, WaylineSettings } from './types';

const EARTH_RADIUS_M = 6_371_008.8;
/** Conservative vertical speeds of the dock aircraft (m/s). */
export const CLIMB_SPEED = 5;
export const DESCENT_SPEED = 3;
/** Seconds an action holds the aircraft at a waypoint (hover: its own time). */
const ACTION_SECONDS: Record<Exclude<WaylineAction['type'], 'hover'>, number> = {
  take_photo: 1,
  start_recording: 1,
  stop_recording: 1,
  gimbal_pitch: 2,
  rotate_yaw: 3,
};

const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function groundDistance(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

function legLength(a: Waypoint, b: Waypoint): number {
  return Math.hypot(groundDistance(a, b), b.height - a.height);
}

export function actionSeconds(action: WaylineAction): number {
  return action.type === 'hover' ? action.seconds : ACTION_SECONDS[action.type];
}

export function estimateRoute(route: Waypoint[], settings: WaylineSettings): RouteEstimate {
  const first = route[0];
  const last = route.at(-1);
  if (!first || !last) throw new RangeError('estimateRoute: the route has no waypoints');
  let distance = 0;
  let seconds = Math.max(settings.takeOffSecurityHeight, first.height, 0) / CLIMB_SPEED;
  route.forEach((here, i) => {
    seconds += here.actions.reduce((sum, a) => sum + actionSeconds(a), 0);
    const next = route[i + 1];
    if (next) {
      const leg = legLength(here, next);
      distance += leg;
      // wpml:waypointSpeed is the speed from this waypoint to the next.
      seconds += leg / here.speed;
    }
  });
  const back = groundDistance(last, first);
  switch (settings.finishAction) {
    case 'goHome':
      seconds += Math.max(0, settings.returnHomeHeight - last.height) / CLIMB_SPEED + back / settings.speed + settings.returnHomeHeight / DESCENT_SPEED;
      break;
    case 'gotoFirstWaypoint':
      seconds += back / settings.speed;
      break;
    case 'autoLand':
      seconds += Math.max(0, last.height) / DESCENT_SPEED;
      break;
    default:
      break;
  }
  return { distance_m: Math.round(distance * 10) / 10, duration_s: Math.ceil(seconds) };
}
