/**
 * Hand-written knowledge layered on top of payload-specs.generated.ts, by domain (one file each):
 * one-line summaries, ranges, enums and descriptions read from the DJI Cloud API dock-service pages
 * and the UTMOS command-payload pages, example templates and cross-field rules. This file holds the
 * shape of an annotation and the field refinements several methods share.
 *
 * `fields` refines generated fields by path (a path not in the generated list must give `type`
 * and `required`; it is then added). Required flags of UTMOS-confirmed fields are never relaxed
 * here (a test checks this against the UTMOS list).
 */
import type { ConditionalRule, FieldSpec } from '../types';

export interface MethodAnnotation {
  summary: string;
  /** The dock only accepts it in remote debug mode (after debug_mode_open), else result 514153. */
  needsDebugMode?: boolean;
  fields?: Record<string, Partial<FieldSpec>>;
  /** Full example payload; when absent one is built from the fields (see ../index.ts). */
  template?: Record<string, unknown>;
  rules?: ConditionalRule[];
}

export type DomainAnnotations = Readonly<Record<string, MethodAnnotation>>;

export const PAYLOAD_INDEX: Partial<FieldSpec> = {
  pattern: '^\\d+-\\d+-\\d+$',
  description: 'camera enumeration like "80-0-0" ({type-subtype-gimbalindex}: M3D "80-0-0", M3TD "81-0-0", M30 "52-0-0")',
};
export const CAMERA_TYPE: Partial<FieldSpec> = { enum: ['wide', 'zoom', 'ir'], description: 'lens: "wide", "zoom" or "ir"' };
export const LOCKED: Partial<FieldSpec> = { description: 'true keeps the aircraft heading locked, false lets the aircraft turn with the gimbal' };
export const NORM_X: Partial<FieldSpec> = { min: 0, max: 1, description: 'horizontal position in the view, 0 (left) to 1 (right)' };
export const NORM_Y: Partial<FieldSpec> = { min: 0, max: 1, description: 'vertical position in the view, 0 (top) to 1 (bottom)' };
export const NORM_W: Partial<FieldSpec> = { min: 0, max: 1, description: 'width as a fraction of the view, 0 to 1' };
export const NORM_H: Partial<FieldSpec> = { min: 0, max: 1, description: 'height as a fraction of the view, 0 to 1' };
export const LAT: Partial<FieldSpec> = { min: -90, max: 90, description: 'latitude in degrees (WGS84)' };
export const LON: Partial<FieldSpec> = { min: -180, max: 180, description: 'longitude in degrees (WGS84)' };
export const PSDK_INDEX: Partial<FieldSpec> = { min: 0, description: 'PSDK payload index (0 for the first payload)' };
export const VIDEO_ID: Partial<FieldSpec> = {
  min: 1,
  description: 'stream id {sn}/{camera_index}/{video_index}, like "1581F5BMD228Q00A82XX/80-0-0/normal-0"',
};
export const VIDEO_QUALITY: Partial<FieldSpec> = {
  enum: [0, 1, 2, 3, 4],
  description: '0 adaptive, 1 smooth, 2 standard, 3 high, 4 super high definition',
};
export const FLIGHT_ID: Partial<FieldSpec> = { min: 1, description: 'task id (a UUID chosen by the caller)' };
export const MAX_SPEED_1_15: Partial<FieldSpec> = { min: 1, max: 15, description: 'maximum speed in m/s (1-15)' };
export const ON_OFF: Partial<FieldSpec> = { enum: [0, 1], description: '0 off, 1 on' };
export const ENABLE_01: Partial<FieldSpec> = { enum: [0, 1], description: '0 disabled, 1 enabled' };
export const POINT_FIELDS: Record<string, Partial<FieldSpec>> = {
  points: { min: 1, max: 1, description: 'target points; exactly one point is supported' },
  'points[].latitude': LAT,
  'points[].longitude': LON,
  'points[].height': { description: 'target height in metres (WGS84 ellipsoid height)' },
};
export const SIMULATE_MISSION: Record<string, Partial<FieldSpec>> = {
  simulate_mission: { description: 'simulated take-off position (testing only)' },
  'simulate_mission.is_enable': ENABLE_01,
  'simulate_mission.latitude': LAT,
  'simulate_mission.longitude': LON,
};
export const payloadOnly = (summary: string): MethodAnnotation => ({ summary, fields: { payload_index: PAYLOAD_INDEX } });
