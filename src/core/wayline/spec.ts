/**
 * Facts of the DJI WPML specification (dji-sdk/Cloud-API-Doc, docs/en/60.api-reference/00.dji-wpml:
 * template.kml, waylines.wpml, common elements) that building and checking a wayline rely on.
 * One home for them: the builder, the validator and the simulator's dock read these tables.
 */

export const KML_NAMESPACE = 'http://www.opengis.net/kml/2.2';
export const WPML_NAMESPACE = 'http://www.dji.com/wpmz/1.0.2';

/** Paths inside the KMZ archive (the overview's file structure). */
export const TEMPLATE_PATH = 'wpmz/template.kml';
export const WAYLINES_PATH = 'wpmz/waylines.wpml';

/**
 * The dock aircraft with their integrated cameras. Enumeration values from the common elements
 * (droneEnumValue / droneSubEnumValue, payloadEnumValue) and DJI's product-support table (M4D/M4TD:
 * drone 100, cameras 98/99). Pitch ranges: orientedShoot's gimbalPitchRotateAngle (M30 [-120, 45],
 * M3D [-90, 30]); the M4D/M4TD range is the camera's controllable tilt from DJI's product specification.
 */
export const AIRCRAFT = {
  M30: { label: 'Matrice 30 (DJI Dock)', drone: 67, droneSub: 0, payload: 52, lenses: 'wide,zoom', pitch: [-120, 45] },
  M30T: { label: 'Matrice 30T (DJI Dock)', drone: 67, droneSub: 1, payload: 53, lenses: 'wide,zoom,ir', pitch: [-120, 45] },
  M3D: { label: 'Matrice 3D (DJI Dock 2)', drone: 91, droneSub: 0, payload: 80, lenses: 'wide', pitch: [-90, 30] },
  M3TD: { label: 'Matrice 3TD (DJI Dock 2)', drone: 91, droneSub: 1, payload: 81, lenses: 'wide,ir', pitch: [-90, 30] },
  M4D: { label: 'Matrice 4D (DJI Dock 3)', drone: 100, droneSub: 0, payload: 98, lenses: 'wide,zoom', pitch: [-90, 35] },
  M4TD: { label: 'Matrice 4TD (DJI Dock 3)', drone: 100, droneSub: 1, payload: 99, lenses: 'wide,zoom,ir', pitch: [-90, 35] },
} as const;
export type AircraftModel = keyof typeof AIRCRAFT;
export const AIRCRAFT_MODELS = Object.keys(AIRCRAFT) as AircraftModel[];

export const FINISH_ACTIONS = ['goHome', 'noAction', 'autoLand', 'gotoFirstWaypoint'] as const;
export type FinishAction = (typeof FINISH_ACTIONS)[number];
export const EXIT_ON_RC_LOST = ['goContinue', 'executeLostAction'] as const;
export const RC_LOST_ACTIONS = ['goBack', 'landing', 'hover'] as const;
export type RcLostAction = (typeof RC_LOST_ACTIONS)[number];
export const FLY_TO_WAYLINE_MODES = ['safely', 'pointToPoint'] as const;
export const TEMPLATE_HEIGHT_MODES = ['EGM96', 'relativeToStartPoint', 'aboveGroundLevel', 'realTimeFollowSurface'] as const;
export const EXECUTE_HEIGHT_MODES = ['WGS84', 'relativeToStartPoint', 'realTimeFollowSurface'] as const;
export const HEADING_MODES = ['followWayline', 'manually', 'fixed', 'smoothTransition', 'towardPOI'] as const;
export const HEADING_PATH_MODES = ['clockwise', 'counterClockwise', 'followBadArc'] as const;
export const TURN_MODES = [
  'coordinateTurn',
  'toPointAndStopWithDiscontinuityCurvature',
  'toPointAndStopWithContinuityCurvature',
  'toPointAndPassWithContinuityCurvature',
] as const;
export const ACTION_TRIGGERS = ['reachPoint', 'betweenAdjacentPoints', 'multipleTiming', 'multipleDistance'] as const;
export const ACTUATOR_FUNCS = [
  'takePhoto',
  'startRecord',
  'stopRecord',
  'focus',
  'zoom',
  'customDirName',
  'gimbalRotate',
  'rotateYaw',
  'hover',
  'gimbalEvenlyRotate',
  'accurateShoot',
  'orientedShoot',
] as const;

/** Ranges the specification states (min/max inclusive unless `exclusiveMin`). */
export const RANGES = {
  latitude: { min: -90, max: 90 },
  longitude: { min: -180, max: 180 },
  /** wpml:index, templateId, waylineId, actionGroupId, actionId. */
  id: { min: 0, max: 65535 },
  /** wpml:takeOffSecurityHeight, metres above the take-off point. */
  takeOffSecurityHeight: { min: 2, max: 1500 },
  /** wpml:globalTransitionalSpeed [0, 15]; waypoint speeds (0, max speed], which is 15 m/s for wayline flight. */
  speed: { min: 0, max: 15, exclusiveMin: true },
  /** wpml:aircraftHeading and gimbal yaw. */
  heading: { min: -180, max: 180 },
  /** Waypoint heights above the take-off point: the specification bounds heights at 1500 m (takeOffSecurityHeight). */
  height: { min: -1500, max: 1500 },
  /** wpml:globalRTHHeight; flighttask_prepare's rth_altitude accepts 20 to 1500 m, so the file keeps to the same. */
  returnHomeHeight: { min: 20, max: 1500 },
  /** wpml:hoverTime > 0 (seconds); the upper bound is ours (one hour). */
  hoverTime: { min: 0, max: 3600, exclusiveMin: true },
} as const;

export function inRange(value: number, range: { min: number; max: number; exclusiveMin?: boolean }): boolean {
  return Number.isFinite(value) && (range.exclusiveMin ? value > range.min : value >= range.min) && value <= range.max;
}
