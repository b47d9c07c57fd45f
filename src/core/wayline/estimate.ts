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
  let distance = 0;
  let seconds = Math.max(settings.takeOffSecurityHeight, route[0].height, 0) / CLIMB_SPEED;
  for (let i = 0; i < route.length; i++) {
    const here = route[i];
    seconds += here.actions.reduce((sum, a) => sum + actionSeconds(a), 0);
    if (i + 1 < route.length) {
      const leg = legLength(here, route[i + 1]);
      distance += leg;
      // wpml:waypointSpeed is the speed from this waypoint to the next.
      seconds += leg / here.speed;
    }
  }
  const last = route[route.length - 1];
  const back = groundDistance(last, route[0]);
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
