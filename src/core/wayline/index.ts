/**
 * Waylines: from a list of waypoints (or GeoJSON) to a DJI WPML KMZ with its fingerprint and
 * estimates. Node-RED-free; the dji-wayline node and the tests use it.
 */
import { packKmz, md5Hex } from './kmz';
import { readRouteInput } from './route-input';
import { checkRoute, checkSettings } from './validate';
import { estimateRoute } from './estimate';
import { buildTemplateKml, buildWaylinesWpml } from './wpml-document';
import type { BuiltWayline, WaylineSettings } from './types';

export { DEFAULT_SETTINGS } from './types';
export type { BuiltWayline, LostLinkAction, RawWaypoint, RouteEstimate, WaylineAction, WaylineActionType, WaylineSettings, Waypoint } from './types';
export { AIRCRAFT, AIRCRAFT_MODELS, FINISH_ACTIONS, RC_LOST_ACTIONS, TEMPLATE_PATH, WAYLINES_PATH } from './spec';
export type { AircraftModel, FinishAction } from './spec';
export { readRouteInput } from './route-input';
export { checkRoute, checkSettings, MAX_WAYPOINTS } from './validate';
export { estimateRoute, groundDistance } from './estimate';
export { md5Hex } from './kmz';
export { publishWayline, signWaylineDownload, waylineObjectKey } from './storage';
export type { PublishedWayline, StorageTarget } from './storage';

/** Reads, checks and builds; throws an input error naming the waypoint and field before anything is built. */
export function buildWayline(input: unknown, settings: WaylineSettings, now = Date.now()): BuiltWayline {
  const checked = checkSettings(settings);
  const route = checkRoute(readRouteInput(input), checked);
  const templateKml = buildTemplateKml(route, checked, now);
  const waylinesWpml = buildWaylinesWpml(route, checked);
  const kmz = packKmz(templateKml, waylinesWpml, now);
  return { kmz, fingerprint: md5Hex(kmz), waypoint_count: route.length, templateKml, waylinesWpml, ...estimateRoute(route, checked) };
}
