/**
 * An independent check of WPML documents against the DJI WPML specification (dji-sdk/Cloud-API-Doc,
 * 00.dji-wpml: template.kml, waylines.wpml, common elements), read with @xmldom/xmldom, a different
 * XML library from the one that writes them. Its tables are written here from the documentation on
 * purpose: nothing is imported from the product. Returns every violation found, as text.
 */
import { DOMParser, Element } from '@xmldom/xmldom';
import { inflateRawSync } from 'node:zlib';

export const WPML_NS_PREFIX = 'http://www.dji.com/wpmz/';
export const KML_NS = 'http://www.opengis.net/kml/2.2';

const ENUMS = {
  flyToWaylineMode: ['safely', 'pointToPoint'],
  finishAction: ['goHome', 'noAction', 'autoLand', 'gotoFirstWaypoint'],
  exitOnRCLost: ['goContinue', 'executeLostAction'],
  executeRCLostAction: ['goBack', 'landing', 'hover'],
  templateType: ['waypoint', 'mapping2d', 'mapping3d', 'mappingStrip'],
  coordinateMode: ['WGS84'],
  heightMode: ['EGM96', 'relativeToStartPoint', 'aboveGroundLevel', 'realTimeFollowSurface'],
  executeHeightMode: ['WGS84', 'relativeToStartPoint', 'realTimeFollowSurface'],
  gimbalPitchMode: ['manual', 'usePointSetting'],
  waypointHeadingMode: ['followWayline', 'manually', 'fixed', 'smoothTransition', 'towardPOI'],
  waypointHeadingPathMode: ['clockwise', 'counterClockwise', 'followBadArc'],
  waypointTurnMode: ['coordinateTurn', 'toPointAndStopWithDiscontinuityCurvature', 'toPointAndStopWithContinuityCurvature', 'toPointAndPassWithContinuityCurvature'],
  actionGroupMode: ['sequence'],
  actionTriggerType: ['reachPoint', 'betweenAdjacentPoints', 'multipleTiming', 'multipleDistance'],
  actionActuatorFunc: ['takePhoto', 'startRecord', 'stopRecord', 'focus', 'zoom', 'customDirName', 'gimbalRotate', 'rotateYaw', 'hover', 'gimbalEvenlyRotate', 'accurateShoot', 'orientedShoot'],
  gimbalRotateMode: ['relativeAngle', 'absoluteAngle'],
  aircraftPathMode: ['clockwise', 'counterClockwise'],
  bool: ['0', '1'],
};

/** droneEnumValue → allowed droneSubEnumValue (common elements; 100 = M4D/M4TD from DJI's product-support table). */
export const DRONES: Record<number, number[]> = { 89: [0], 60: [0], 67: [0, 1], 77: [0, 1, 2], 91: [0, 1, 2], 100: [0, 1] };
/** payloadEnumValue (common elements, plus the M3D/M3TD 80/81 and M4D/M4TD 98/99 cameras of the product-support table). */
export const PAYLOADS = [42, 43, 52, 53, 61, 66, 67, 68, 65534, 80, 81, 98, 99];
/** The integrated camera of each dock aircraft: "drone-sub" → payload. */
export const DOCK_CAMERAS: Record<string, number> = { '67-0': 52, '67-1': 53, '91-0': 80, '91-1': 81, '100-0': 98, '100-1': 99 };

class Report {
  readonly problems: string[] = [];
  add(where: string, what: string): void {
    this.problems.push(`${where}: ${what}`);
  }
}

function wpmlChildren(el: Element, name: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === name) out.push(n as Element);
  }
  return out;
}

function one(el: Element, name: string, r: Report, where: string, required = true): Element | undefined {
  const found = wpmlChildren(el, name);
  if (found.length === 0 && required) r.add(where, `<${name}> is required`);
  if (found.length > 1) r.add(where, `<${name}> appears ${found.length} times`);
  const e = found[0];
  if (e && name !== 'Point' && name !== 'coordinates' && !['Document', 'Folder', 'Placemark'].includes(name) && e.namespaceURI?.startsWith(WPML_NS_PREFIX) !== true) {
    r.add(where, `<${name}> is not in the wpml namespace`);
  }
  return e;
}

function textOf(el: Element | undefined): string | undefined {
  return el?.textContent?.trim();
}

function enumValue(el: Element, name: keyof typeof ENUMS | string, allowed: readonly string[], r: Report, where: string, required = true): string | undefined {
  const v = textOf(one(el, name, r, where, required));
  if (v !== undefined && !allowed.includes(v)) r.add(where, `<${name}> "${v}" is not one of ${allowed.join('|')}`);
  return v;
}

function numberValue(el: Element, name: string, r: Report, where: string, opts: { min?: number; max?: number; gt?: number; int?: boolean; required?: boolean } = {}): number | undefined {
  const raw = textOf(one(el, name, r, where, opts.required ?? true));
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n)) {
    r.add(where, `<${name}> "${raw}" is not a number`);
    return undefined;
  }
  if (opts.int && !Number.isInteger(n)) r.add(where, `<${name}> ${n} is not an integer`);
  if (opts.min !== undefined && n < opts.min) r.add(where, `<${name}> ${n} < ${opts.min}`);
  if (opts.max !== undefined && n > opts.max) r.add(where, `<${name}> ${n} > ${opts.max}`);
  if (opts.gt !== undefined && !(n > opts.gt)) r.add(where, `<${name}> ${n} must be > ${opts.gt}`);
  return n;
}

const ID = { min: 0, max: 65535, int: true };

function parse(xml: string, r: Report): Element | undefined {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level: string, msg: string) => { if (level !== 'warning') errors.push(msg); } }).parseFromString(xml, 'text/xml');
  for (const e of errors) r.add('xml', e);
  const root = doc.documentElement;
  if (!root || root.localName !== 'kml' || root.namespaceURI !== KML_NS) {
    r.add('xml', 'the root element must be <kml> in the KML 2.2 namespace');
    return undefined;
  }
  if (!String(root.getAttribute('xmlns:wpml') ?? '').startsWith(WPML_NS_PREFIX)) r.add('kml', `xmlns:wpml must be ${WPML_NS_PREFIX}<version>`);
  const documents = wpmlChildren(root, 'Document');
  if (documents.length !== 1) r.add('kml', 'exactly one <Document> is required');
  return documents[0];
}

function checkMissionConfig(doc: Element, r: Report, file: 'template' | 'waylines'): void {
  const at = 'missionConfig';
  const mc = one(doc, 'missionConfig', r, 'Document');
  if (!mc) return;
  enumValue(mc, 'flyToWaylineMode', ENUMS.flyToWaylineMode, r, at);
  enumValue(mc, 'finishAction', ENUMS.finishAction, r, at);
  const exit = enumValue(mc, 'exitOnRCLost', ENUMS.exitOnRCLost, r, at);
  enumValue(mc, 'executeRCLostAction', ENUMS.executeRCLostAction, r, at, exit === 'executeLostAction');
  numberValue(mc, 'takeOffSecurityHeight', r, at, { min: 2, max: 1500 });
  if (file === 'template') numberValue(mc, 'globalTransitionalSpeed', r, at, { gt: 0 });
  else numberValue(mc, 'globalTransitionalSpeed', r, at, { min: 0, max: 15 });
  numberValue(mc, 'globalRTHHeight', r, at, { required: false });
  const drone = one(mc, 'droneInfo', r, at);
  let pair = '';
  if (drone) {
    const d = numberValue(drone, 'droneEnumValue', r, `${at}.droneInfo`, { int: true });
    if (d !== undefined && !(d in DRONES)) r.add(`${at}.droneInfo`, `droneEnumValue ${d} is not a DJI aircraft of the specification`);
    const sub = numberValue(drone, 'droneSubEnumValue', r, `${at}.droneInfo`, { int: true, required: d === 67 });
    if (d !== undefined && sub !== undefined && DRONES[d] && !DRONES[d].includes(sub)) r.add(`${at}.droneInfo`, `droneSubEnumValue ${sub} is not a variant of ${d}`);
    pair = `${d}-${sub ?? 0}`;
  }
  const payload = one(mc, 'payloadInfo', r, at);
  if (payload) {
    const p = numberValue(payload, 'payloadEnumValue', r, `${at}.payloadInfo`, { int: true });
    if (p !== undefined && !PAYLOADS.includes(p)) r.add(`${at}.payloadInfo`, `payloadEnumValue ${p} is not a payload of the specification`);
    if (p !== undefined && DOCK_CAMERAS[pair] !== undefined && DOCK_CAMERAS[pair] !== p) r.add(`${at}.payloadInfo`, `payload ${p} is not the camera of aircraft ${pair}`);
    enumValue(payload, 'payloadPositionIndex', ['0', '1', '2'], r, `${at}.payloadInfo`);
  }
}

function checkPoint(pm: Element, r: Report, where: string): void {
  const point = one(pm, 'Point', r, where);
  const coords = point && textOf(one(point, 'coordinates', r, `${where}.Point`));
  if (coords === undefined) return;
  const [lon, lat, ...rest] = coords.split(',').map((c) => Number(c.trim()));
  if (!(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90) || rest.some((x) => !Number.isFinite(x))) {
    r.add(where, `<coordinates> "${coords}" must be "longitude,latitude" within [-180,180],[-90,90]`);
  }
}

function checkActionGroups(pm: Element, r: Report, where: string, groupIds: Set<number>): void {
  for (const group of wpmlChildren(pm, 'actionGroup')) {
    const at = `${where}.actionGroup`;
    const id = numberValue(group, 'actionGroupId', r, at, ID);
    if (id !== undefined) {
      if (groupIds.has(id)) r.add(at, `actionGroupId ${id} is not unique in the file`);
      groupIds.add(id);
    }
    const start = numberValue(group, 'actionGroupStartIndex', r, at, ID);
    const end = numberValue(group, 'actionGroupEndIndex', r, at, ID);
    if (start !== undefined && end !== undefined && end < start) r.add(at, 'actionGroupEndIndex must be >= actionGroupStartIndex');
    enumValue(group, 'actionGroupMode', ENUMS.actionGroupMode, r, at);
    const trigger = one(group, 'actionTrigger', r, at);
    if (trigger) enumValue(trigger, 'actionTriggerType', ENUMS.actionTriggerType, r, `${at}.actionTrigger`);
    const actionIds = new Set<number>();
    const actions = wpmlChildren(group, 'action');
    if (actions.length === 0) r.add(at, 'an action group holds at least one <action>');
    for (const action of actions) {
      const aid = numberValue(action, 'actionId', r, `${at}.action`, ID);
      if (aid !== undefined) {
        if (actionIds.has(aid)) r.add(`${at}.action`, `actionId ${aid} is not unique in its group`);
        actionIds.add(aid);
      }
      const func = enumValue(action, 'actionActuatorFunc', ENUMS.actionActuatorFunc, r, `${at}.action`);
      const param = one(action, 'actionActuatorFuncParam', r, `${at}.action`, func !== undefined);
      if (!param) continue;
      const pAt = `${at}.action(${func})`;
      if (func === 'hover') numberValue(param, 'hoverTime', r, pAt, { gt: 0 });
      if (func === 'takePhoto' || func === 'startRecord' || func === 'stopRecord' || func === 'gimbalRotate') enumValue(param, 'payloadPositionIndex', ['0', '1', '2'], r, pAt);
      if (func === 'gimbalRotate') {
        enumValue(param, 'gimbalRotateMode', ENUMS.gimbalRotateMode, r, pAt);
        for (const axis of ['Pitch', 'Roll', 'Yaw']) {
          enumValue(param, `gimbal${axis}RotateEnable`, ENUMS.bool, r, pAt);
          numberValue(param, `gimbal${axis}RotateAngle`, r, pAt);
        }
        enumValue(param, 'gimbalRotateTimeEnable', ENUMS.bool, r, pAt);
        numberValue(param, 'gimbalRotateTime', r, pAt, { min: 0 });
      }
      if (func === 'rotateYaw') {
        numberValue(param, 'aircraftHeading', r, pAt, { min: -180, max: 180 });
        enumValue(param, 'aircraftPathMode', ENUMS.aircraftPathMode, r, pAt);
      }
    }
  }
}

function checkHeading(el: Element, r: Report, where: string): void {
  const mode = enumValue(el, 'waypointHeadingMode', ENUMS.waypointHeadingMode, r, where);
  numberValue(el, 'waypointHeadingAngle', r, where, { required: mode === 'smoothTransition' });
  enumValue(el, 'waypointHeadingPathMode', ENUMS.waypointHeadingPathMode, r, where, false);
}

function checkIndexSequence(placemarks: Element[], r: Report, where: string): void {
  placemarks.forEach((pm, i) => {
    const index = numberValue(pm, 'index', r, `${where}.Placemark[${i}]`, ID);
    if (index !== undefined && index !== i) r.add(`${where}.Placemark[${i}]`, `wpml:index ${index} must run 0, 1, 2, … (expected ${i})`);
  });
}

/** template.kml: creation info, mission config, the template folder. */
export function checkTemplateKml(xml: string): { problems: string[]; templateIds: number[] } {
  const r = new Report();
  const doc = parse(xml, r);
  const templateIds: number[] = [];
  if (!doc) return { problems: r.problems, templateIds };
  numberValue(doc, 'createTime', r, 'Document', { required: false, int: true });
  numberValue(doc, 'updateTime', r, 'Document', { required: false, int: true });
  checkMissionConfig(doc, r, 'template');
  const folders = wpmlChildren(doc, 'Folder');
  if (folders.length === 0) r.add('Document', 'a <Folder> (template) is required');
  const groupIds = new Set<number>();
  for (const [f, folder] of folders.entries()) {
    const at = `Folder[${f}]`;
    const type = enumValue(folder, 'templateType', ENUMS.templateType, r, at);
    const id = numberValue(folder, 'templateId', r, at, ID);
    if (id !== undefined) templateIds.push(id);
    numberValue(folder, 'autoFlightSpeed', r, at, { gt: 0 });
    const sys = one(folder, 'waylineCoordinateSysParam', r, at);
    if (sys) {
      enumValue(sys, 'coordinateMode', ENUMS.coordinateMode, r, `${at}.waylineCoordinateSysParam`);
      enumValue(sys, 'heightMode', ENUMS.heightMode, r, `${at}.waylineCoordinateSysParam`);
    }
    if (type !== 'waypoint') continue;
    const turn = enumValue(folder, 'globalWaypointTurnMode', ENUMS.waypointTurnMode, r, at);
    enumValue(folder, 'globalUseStraightLine', ENUMS.bool, r, at, turn === 'toPointAndStopWithContinuityCurvature' || turn === 'toPointAndPassWithContinuityCurvature');
    const pitchMode = enumValue(folder, 'gimbalPitchMode', ENUMS.gimbalPitchMode, r, at);
    const heading = one(folder, 'globalWaypointHeadingParam', r, at, false);
    if (heading) checkHeading(heading, r, `${at}.globalWaypointHeadingParam`);
    const placemarks = wpmlChildren(folder, 'Placemark');
    if (placemarks.length < 2) r.add(at, 'a waypoint route needs at least 2 <Placemark>');
    checkIndexSequence(placemarks, r, at);
    for (const [i, pm] of placemarks.entries()) {
      const pAt = `${at}.Placemark[${i}]`;
      checkPoint(pm, r, pAt);
      const useHeight = enumValue(pm, 'useGlobalHeight', ENUMS.bool, r, pAt);
      numberValue(pm, 'ellipsoidHeight', r, pAt, { required: useHeight === '0' });
      numberValue(pm, 'height', r, pAt, { required: useHeight === '0' });
      const useSpeed = enumValue(pm, 'useGlobalSpeed', ENUMS.bool, r, pAt);
      numberValue(pm, 'waypointSpeed', r, pAt, { gt: 0, max: 15, required: useSpeed === '0' });
      const useHeading = enumValue(pm, 'useGlobalHeadingParam', ENUMS.bool, r, pAt);
      const h = one(pm, 'waypointHeadingParam', r, pAt, useHeading === '0');
      if (h) checkHeading(h, r, `${pAt}.waypointHeadingParam`);
      const useTurn = enumValue(pm, 'useGlobalTurnParam', ENUMS.bool, r, pAt);
      const t = one(pm, 'waypointTurnParam', r, pAt, useTurn === '0');
      if (t) enumValue(t, 'waypointTurnMode', ENUMS.waypointTurnMode, r, `${pAt}.waypointTurnParam`);
      numberValue(pm, 'gimbalPitchAngle', r, pAt, { required: pitchMode === 'usePointSetting' });
      checkActionGroups(pm, r, pAt, groupIds);
    }
  }
  return { problems: r.problems, templateIds };
}

/** waylines.wpml: mission config and the executable waylines. */
export function checkWaylinesWpml(xml: string): { problems: string[]; templateIds: number[] } {
  const r = new Report();
  const doc = parse(xml, r);
  const templateIds: number[] = [];
  if (!doc) return { problems: r.problems, templateIds };
  checkMissionConfig(doc, r, 'waylines');
  const folders = wpmlChildren(doc, 'Folder');
  if (folders.length === 0) r.add('Document', 'a <Folder> (wayline) is required');
  const groupIds = new Set<number>();
  const waylineIds = new Set<number>();
  for (const [f, folder] of folders.entries()) {
    const at = `Folder[${f}]`;
    const id = numberValue(folder, 'templateId', r, at, ID);
    if (id !== undefined) templateIds.push(id);
    const wid = numberValue(folder, 'waylineId', r, at, ID);
    if (wid !== undefined) {
      if (waylineIds.has(wid)) r.add(at, `waylineId ${wid} is not unique`);
      waylineIds.add(wid);
    }
    numberValue(folder, 'autoFlightSpeed', r, at, { gt: 0 });
    enumValue(folder, 'executeHeightMode', ENUMS.executeHeightMode, r, at);
    const placemarks = wpmlChildren(folder, 'Placemark');
    if (placemarks.length < 2) r.add(at, 'a wayline needs at least 2 <Placemark>');
    checkIndexSequence(placemarks, r, at);
    for (const [i, pm] of placemarks.entries()) {
      const pAt = `${at}.Placemark[${i}]`;
      checkPoint(pm, r, pAt);
      numberValue(pm, 'executeHeight', r, pAt);
      numberValue(pm, 'waypointSpeed', r, pAt, { gt: 0, max: 15 });
      const h = one(pm, 'waypointHeadingParam', r, pAt);
      if (h) checkHeading(h, r, `${pAt}.waypointHeadingParam`);
      const t = one(pm, 'waypointTurnParam', r, pAt);
      if (t) {
        const mode = enumValue(t, 'waypointTurnMode', ENUMS.waypointTurnMode, r, `${pAt}.waypointTurnParam`);
        numberValue(t, 'waypointTurnDampingDist', r, `${pAt}.waypointTurnParam`, { min: 0, required: mode === 'coordinateTurn' });
      }
      checkActionGroups(pm, r, pAt, groupIds);
    }
  }
  return { problems: r.problems, templateIds };
}

/**
 * The entries of a ZIP archive, read from its central directory with node:zlib: the test's own
 * reader, so the KMZ is not only read back by the library that wrote it.
 */
export function readZip(buf: Buffer): Map<string, Buffer> {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a ZIP archive: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('broken central directory');
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataStart, dataStart + compressed);
    if (method !== 0 && method !== 8) throw new Error(`${name}: compression method ${method} is neither stored nor deflate`);
    out.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
