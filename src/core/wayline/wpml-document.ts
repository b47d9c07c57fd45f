/**
 * The two WPML documents of a waypoint wayline, as the DJI WPML specification lays them out:
 * template.kml (creation info, mission config, the waypoint template) and waylines.wpml (mission
 * config and the executable wayline). Written with fast-xml-parser's builder, never by hand.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { AIRCRAFT, KML_NAMESPACE, WPML_NAMESPACE } from './spec';
import type { Waypoint, WaylineAction, WaylineSettings } from './types';

type Xml = Record<string, unknown>;

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: true });

const TURN_MODE = 'toPointAndStopWithDiscontinuityCurvature';
const AUTHOR = 'node-red-contrib-utmos-dji';

/** Numbers as WPML writes them: no exponent, at most 8 decimals (about 1 mm in latitude). */
function num(n: number): string {
  return String(Math.round(n * 1e8) / 1e8);
}

function missionConfig(s: WaylineSettings, forWaylines: boolean): Xml {
  const model = AIRCRAFT[s.aircraft];
  return {
    'wpml:flyToWaylineMode': 'safely',
    'wpml:finishAction': s.finishAction,
    'wpml:exitOnRCLost': s.lostLinkAction === 'continue' ? 'goContinue' : 'executeLostAction',
    'wpml:executeRCLostAction': s.lostLinkAction === 'continue' ? 'goBack' : s.lostLinkAction,
    'wpml:takeOffSecurityHeight': num(s.takeOffSecurityHeight),
    'wpml:globalTransitionalSpeed': num(s.speed),
    ...(forWaylines ? { 'wpml:globalRTHHeight': num(s.returnHomeHeight) } : {}),
    'wpml:droneInfo': { 'wpml:droneEnumValue': model.drone, 'wpml:droneSubEnumValue': model.droneSub },
    'wpml:payloadInfo': { 'wpml:payloadEnumValue': model.payload, 'wpml:payloadSubEnumValue': 0, 'wpml:payloadPositionIndex': 0 },
  };
}

function actionParams(action: WaylineAction, waypoint: number, s: WaylineSettings): { func: string; params: Xml } {
  const lenses = AIRCRAFT[s.aircraft].lenses;
  switch (action.type) {
    case 'take_photo':
      return {
        func: 'takePhoto',
        params: { 'wpml:payloadPositionIndex': 0, 'wpml:fileSuffix': `wp${waypoint}`, 'wpml:payloadLensIndex': lenses, 'wpml:useGlobalPayloadLensIndex': 0 },
      };
    case 'start_recording':
      return {
        func: 'startRecord',
        params: { 'wpml:payloadPositionIndex': 0, 'wpml:fileSuffix': `wp${waypoint}`, 'wpml:payloadLensIndex': lenses, 'wpml:useGlobalPayloadLensIndex': 0 },
      };
    case 'stop_recording':
      return { func: 'stopRecord', params: { 'wpml:payloadPositionIndex': 0, 'wpml:payloadLensIndex': lenses } };
    case 'hover':
      return { func: 'hover', params: { 'wpml:hoverTime': num(action.seconds) } };
    case 'gimbal_pitch':
      return {
        func: 'gimbalRotate',
        params: {
          'wpml:payloadPositionIndex': 0,
          'wpml:gimbalHeadingYawBase': 'north',
          'wpml:gimbalRotateMode': 'absoluteAngle',
          'wpml:gimbalPitchRotateEnable': 1,
          'wpml:gimbalPitchRotateAngle': num(action.angle),
          'wpml:gimbalRollRotateEnable': 0,
          'wpml:gimbalRollRotateAngle': 0,
          'wpml:gimbalYawRotateEnable': 0,
          'wpml:gimbalYawRotateAngle': 0,
          'wpml:gimbalRotateTimeEnable': 0,
          'wpml:gimbalRotateTime': 0,
        },
      };
    case 'rotate_yaw':
      return { func: 'rotateYaw', params: { 'wpml:aircraftHeading': num(action.heading), 'wpml:aircraftPathMode': 'clockwise' } };
  }
}

/** One action group per waypoint with actions, triggered on arrival; ids unique within the file. */
function actionGroup(w: Waypoint, index: number, s: WaylineSettings): Xml {
  if (w.actions.length === 0) return {};
  return {
    'wpml:actionGroup': {
      'wpml:actionGroupId': index,
      'wpml:actionGroupStartIndex': index,
      'wpml:actionGroupEndIndex': index,
      'wpml:actionGroupMode': 'sequence',
      'wpml:actionTrigger': { 'wpml:actionTriggerType': 'reachPoint' },
      'wpml:action': w.actions.map((a, i) => {
        const { func, params } = actionParams(a, index, s);
        return { 'wpml:actionId': i, 'wpml:actionActuatorFunc': func, 'wpml:actionActuatorFuncParam': params };
      }),
    },
  };
}

const point = (w: Waypoint): Xml => ({ Point: { coordinates: `${num(w.longitude)},${num(w.latitude)}` } });

function document(body: Xml): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    kml: { '@_xmlns': KML_NAMESPACE, '@_xmlns:wpml': WPML_NAMESPACE, Document: body },
  }) as string;
}

export function buildTemplateKml(route: Waypoint[], s: WaylineSettings, createdAt: number): string {
  return document({
    'wpml:author': AUTHOR,
    'wpml:createTime': createdAt,
    'wpml:updateTime': createdAt,
    'wpml:missionConfig': missionConfig(s, false),
    Folder: {
      'wpml:templateType': 'waypoint',
      'wpml:templateId': 0,
      'wpml:waylineCoordinateSysParam': {
        'wpml:coordinateMode': 'WGS84',
        'wpml:heightMode': 'relativeToStartPoint',
        'wpml:positioningType': 'GPS',
      },
      'wpml:autoFlightSpeed': num(s.speed),
      'wpml:globalHeight': num(s.height),
      'wpml:gimbalPitchMode': 'manual',
      'wpml:globalWaypointHeadingParam': { 'wpml:waypointHeadingMode': 'followWayline', 'wpml:waypointHeadingPathMode': 'followBadArc' },
      'wpml:globalWaypointTurnMode': TURN_MODE,
      Placemark: route.map((w, i) => ({
        ...point(w),
        'wpml:index': i,
        'wpml:ellipsoidHeight': num(w.height),
        'wpml:height': num(w.height),
        'wpml:useGlobalHeight': 0,
        'wpml:useGlobalSpeed': 0,
        'wpml:waypointSpeed': num(w.speed),
        'wpml:useGlobalHeadingParam': 1,
        'wpml:useGlobalTurnParam': 1,
        ...actionGroup(w, i, s),
      })),
      'wpml:payloadParam': { 'wpml:payloadPositionIndex': 0, 'wpml:imageFormat': AIRCRAFT[s.aircraft].lenses },
    },
  });
}

export function buildWaylinesWpml(route: Waypoint[], s: WaylineSettings): string {
  return document({
    'wpml:missionConfig': missionConfig(s, true),
    Folder: {
      'wpml:templateId': 0,
      'wpml:executeHeightMode': 'relativeToStartPoint',
      'wpml:waylineId': 0,
      'wpml:autoFlightSpeed': num(s.speed),
      Placemark: route.map((w, i) => ({
        ...point(w),
        'wpml:index': i,
        'wpml:executeHeight': num(w.height),
        'wpml:waypointSpeed': num(w.speed),
        'wpml:waypointHeadingParam': { 'wpml:waypointHeadingMode': 'followWayline', 'wpml:waypointHeadingPathMode': 'followBadArc' },
        'wpml:waypointTurnParam': { 'wpml:waypointTurnMode': TURN_MODE, 'wpml:waypointTurnDampingDist': 0 },
        ...actionGroup(w, i, s),
      })),
    },
  });
}
