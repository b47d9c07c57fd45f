/**
 * What a dock does with flighttask_prepare's `file`: download it, compare its MD5 with the
 * fingerprint, open the KMZ and read wpmz/waylines.wpml, and refuse anything a dock would refuse,
 * with the DJI result code for the case. Downloads only from loopback addresses (the simulator's
 * own object storage): the simulator never reaches out to the network.
 */
import http from 'http';
import { unzipSync } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import { isLoopbackHost } from '../src/core/urls';
import { CLIMB_SPEED, groundDistance } from '../src/core/wayline/estimate';
import { md5Hex } from '../src/core/wayline/kmz';
import {
  ACTION_TRIGGERS,
  ACTUATOR_FUNCS,
  AIRCRAFT,
  EXECUTE_HEIGHT_MODES,
  EXIT_ON_RC_LOST,
  FINISH_ACTIONS,
  FLY_TO_WAYLINE_MODES,
  HEADING_MODES,
  RANGES,
  RC_LOST_ACTIONS,
  TURN_MODES,
  WAYLINES_PATH,
  inRange,
} from '../src/core/wayline/spec';
import { DJI_CODES } from './dji-codes';

const MAX_KMZ_BYTES = 16 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 10_000;

export interface FlightPoint {
  latitude: number;
  longitude: number;
  height: number;
  /** Speed from this waypoint to the next, m/s. */
  speed: number;
  /** Seconds spent on this waypoint's actions. */
  actionSeconds: number;
}

export interface ParsedWayline {
  points: FlightPoint[];
  finishAction: string;
  transitionalSpeed: number;
}

/** One stretch of a simulated flight: reaching a waypoint and doing its actions, or the way back. */
export interface FlightStep {
  ms: number;
  waypoint?: number;
}

export type WaylineLoad = { ok: true; route: ParsedWayline } | { ok: false; code: number; detail: string; httpStatus?: number };

function download(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: DOWNLOAD_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_KMZ_BYTES) req.destroy(new Error('file too large'));
        else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('download timed out')));
    req.on('error', reject);
  });
}

/** Downloads, checks and reads a wayline file as a dock would before accepting a task. */
export async function loadWayline(url: string, fingerprint: unknown): Promise<WaylineLoad> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, code: DJI_CODES.ROUTE_FILE_UNAVAILABLE, detail: 'file.url is not a URL' };
  }
  if (target.protocol !== 'http:' || !isLoopbackHost(target.hostname)) {
    return {
      ok: false,
      code: DJI_CODES.ROUTE_FILE_UNAVAILABLE,
      detail: `the simulated dock only downloads from the simulator's storage (loopback), not ${target.host}`,
    };
  }
  let got: { status: number; body: Buffer };
  try {
    got = await download(target.href);
  } catch (err) {
    return { ok: false, code: DJI_CODES.ROUTE_FILE_UNAVAILABLE, detail: `download failed: ${(err as Error).message}` };
  }
  if (got.status !== 200) {
    return { ok: false, code: DJI_CODES.ROUTE_FILE_UNAVAILABLE, detail: `download answered HTTP ${got.status}`, httpStatus: got.status };
  }
  const md5 = md5Hex(got.body);
  if (typeof fingerprint !== 'string' || fingerprint.toLowerCase() !== md5) {
    return { ok: false, code: DJI_CODES.ROUTE_FILE_CHECK_FAILED, detail: `file MD5 ${md5} does not match the fingerprint ${String(fingerprint)}` };
  }
  let wpml: string;
  try {
    const files = unzipSync(new Uint8Array(got.body));
    const entry = files[WAYLINES_PATH];
    if (!entry) return { ok: false, code: DJI_CODES.ROUTE_FILE_FORMAT_UNSUPPORTED, detail: `the KMZ holds no ${WAYLINES_PATH}` };
    wpml = Buffer.from(entry).toString('utf8');
  } catch (err) {
    return { ok: false, code: DJI_CODES.ROUTE_FILE_FORMAT_UNSUPPORTED, detail: `the file is not a KMZ (ZIP) archive: ${(err as Error).message}` };
  }
  try {
    return { ok: true, route: readWaylinesWpml(wpml) };
  } catch (err) {
    return { ok: false, code: DJI_CODES.ROUTE_FILE_INVALID, detail: (err as Error).message };
  }
}

// ------------------------------------------------------------------------ reading waylines.wpml

type El = Record<string, unknown>;
const REPEATED = new Set(['Folder', 'Placemark', 'wpml:actionGroup', 'wpml:action']);
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: (name) => REPEATED.has(name) });

class WpmlError extends Error {}

function child(parent: unknown, name: string, where: string): El {
  const v = (parent as El | undefined)?.[name];
  if (v === undefined || v === null || typeof v !== 'object') throw new WpmlError(`${where}: <${name}> is missing`);
  return v as El;
}

function text(parent: El, name: string, where: string, required = true): string | undefined {
  const v = parent[name];
  if (v === undefined || v === '') {
    if (required) throw new WpmlError(`${where}: <${name}> is missing`);
    return undefined;
  }
  if (typeof v !== 'string') throw new WpmlError(`${where}: <${name}> must hold text`);
  return v;
}

function oneOf(parent: El, name: string, allowed: readonly string[], where: string, required = true): string | undefined {
  const v = text(parent, name, where, required);
  if (v !== undefined && !allowed.includes(v)) throw new WpmlError(`${where}: <${name}> "${v}" is not one of ${allowed.join(', ')}`);
  return v;
}

function number(parent: El, name: string, where: string, range?: { min: number; max: number; exclusiveMin?: boolean }, required = true): number | undefined {
  const v = text(parent, name, where, required);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (range && !inRange(n, range))) throw new WpmlError(`${where}: <${name}> ${v} is out of range`);
  return n;
}

/** Reads the execution file: mission config and every wayline's placemarks, checked against the WPML ranges. */
export function readWaylinesWpml(xml: string): ParsedWayline {
  let doc: El;
  try {
    doc = parser.parse(xml, true) as El;
  } catch (err) {
    throw new WpmlError(`waylines.wpml is not well-formed XML: ${(err as Error).message}`);
  }
  const document = child(child(doc, 'kml', 'waylines.wpml'), 'Document', 'kml');
  const mission = child(document, 'wpml:missionConfig', 'Document');
  const at = 'missionConfig';
  oneOf(mission, 'wpml:flyToWaylineMode', FLY_TO_WAYLINE_MODES, at);
  const finishAction = oneOf(mission, 'wpml:finishAction', FINISH_ACTIONS, at)!;
  const exit = oneOf(mission, 'wpml:exitOnRCLost', EXIT_ON_RC_LOST, at);
  oneOf(mission, 'wpml:executeRCLostAction', RC_LOST_ACTIONS, at, exit === 'executeLostAction');
  number(mission, 'wpml:takeOffSecurityHeight', at, RANGES.takeOffSecurityHeight);
  const transitional = number(mission, 'wpml:globalTransitionalSpeed', at, { min: 0, max: RANGES.speed.max })!;
  const droneEnum = number(child(mission, 'wpml:droneInfo', at), 'wpml:droneEnumValue', `${at}.droneInfo`)!;
  if (!Object.values(AIRCRAFT).some((a) => a.drone === droneEnum) && ![60, 77, 89].includes(droneEnum)) {
    throw new WpmlError(`${at}.droneInfo: droneEnumValue ${droneEnum} is not a DJI aircraft`);
  }
  number(child(mission, 'wpml:payloadInfo', at), 'wpml:payloadEnumValue', `${at}.payloadInfo`);

  const folders = document.Folder as El[] | undefined;
  if (!folders?.length) throw new WpmlError('Document: no <Folder> (wayline)');
  const points: FlightPoint[] = [];
  for (const [f, folder] of folders.entries()) {
    const fAt = `Folder ${f}`;
    number(folder, 'wpml:templateId', fAt, RANGES.id);
    number(folder, 'wpml:waylineId', fAt, RANGES.id);
    oneOf(folder, 'wpml:executeHeightMode', EXECUTE_HEIGHT_MODES, fAt);
    const globalSpeed = number(folder, 'wpml:autoFlightSpeed', fAt, RANGES.speed)!;
    const placemarks = (folder.Placemark as El[] | undefined) ?? [];
    if (placemarks.length < 2) throw new WpmlError(`${fAt}: a wayline needs at least 2 <Placemark> waypoints`);
    placemarks.forEach((p, i) => points.push(readPlacemark(p, i, `${fAt} Placemark ${i}`, globalSpeed)));
  }
  return { points, finishAction, transitionalSpeed: transitional || 10 };
}

function readPlacemark(p: El, expectedIndex: number, at: string, globalSpeed: number): FlightPoint {
  const coords = text(child(p, 'Point', at), 'coordinates', at)!
    .split(',')
    .map((c) => Number(c.trim()));
  const [longitude, latitude] = coords;
  if (longitude === undefined || latitude === undefined || !inRange(longitude, RANGES.longitude) || !inRange(latitude, RANGES.latitude)) {
    throw new WpmlError(`${at}: <coordinates> must be "longitude,latitude" within range`);
  }
  const index = number(p, 'wpml:index', at, RANGES.id)!;
  if (index !== expectedIndex) throw new WpmlError(`${at}: <wpml:index> ${index} breaks the sequence 0, 1, 2, …`);
  const height = number(p, 'wpml:executeHeight', at)!;
  const speed = number(p, 'wpml:waypointSpeed', at, RANGES.speed, false) ?? globalSpeed;
  if (p['wpml:waypointHeadingParam'] !== undefined) oneOf(child(p, 'wpml:waypointHeadingParam', at), 'wpml:waypointHeadingMode', HEADING_MODES, at);
  if (p['wpml:waypointTurnParam'] !== undefined) oneOf(child(p, 'wpml:waypointTurnParam', at), 'wpml:waypointTurnMode', TURN_MODES, at);
  let actionSeconds = 0;
  for (const group of (p['wpml:actionGroup'] as El[] | undefined) ?? []) {
    number(group, 'wpml:actionGroupId', at, RANGES.id);
    oneOf(child(group, 'wpml:actionTrigger', at), 'wpml:actionTriggerType', ACTION_TRIGGERS, at);
    for (const action of (group['wpml:action'] as El[] | undefined) ?? []) {
      number(action, 'wpml:actionId', at, RANGES.id);
      const func = oneOf(action, 'wpml:actionActuatorFunc', ACTUATOR_FUNCS, at);
      actionSeconds += func === 'hover' ? number(child(action, 'wpml:actionActuatorFuncParam', at), 'wpml:hoverTime', at, RANGES.hoverTime)! : 1;
    }
  }
  return { latitude, longitude, height, speed, actionSeconds };
}

/**
 * The dock's own idea of the flight, from the parsed file: a climb to the first waypoint, each leg at
 * its speed plus that waypoint's actions, the way back at the transitional speed; each stretch scaled
 * by the simulator's time factor.
 */
export function flightPlan(route: ParsedWayline, timeFactor: number): FlightStep[] {
  const { points } = route;
  const scaled = (seconds: number) => Math.max(1, Math.round(seconds * 1000 * timeFactor));
  const steps: FlightStep[] = points.map((p, i) => {
    const prev = points[i - 1];
    const travel = prev ? Math.hypot(groundDistance(prev, p), p.height - prev.height) / prev.speed : Math.max(0, p.height) / CLIMB_SPEED;
    return { ms: scaled(travel + p.actionSeconds), waypoint: i };
  });
  const [first, last] = [points[0], points[points.length - 1]];
  if (first && last) steps.push({ ms: scaled(groundDistance(last, first) / route.transitionalSpeed) });
  return steps;
}
