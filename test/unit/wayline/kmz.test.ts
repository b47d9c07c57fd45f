/**
 * The KMZ the wayline core builds, read back with an independent ZIP reader and XML library and
 * checked against the DJI WPML specification; DJI's own sample files pass the same check (and the
 * simulated dock's reader); the check fails on files that break the specification.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { AIRCRAFT_MODELS, buildWayline, DEFAULT_SETTINGS, WaylineSettings } from '../../../src/core/wayline';
import { readWaylinesWpml } from '../../../sim/wayline-file';
import { DOCK_CAMERAS, checkTemplateKml, checkWaylinesWpml, readZip } from './wpml-conformance';
import { ROOT } from '../../helpers/paths';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'dji-wpml');

const ROUTE = [
  { latitude: 22.9078, longitude: 113.7034, height: 40, actions: ['take_photo', { type: 'gimbal_pitch', angle: -45 }] },
  { latitude: 22.9084, longitude: 113.7041, height: 50, speed: 8, actions: [{ type: 'hover', seconds: 2.5 }, 'start_recording'] },
  { latitude: 22.9089, longitude: 113.7031, height: 55.5, actions: [{ type: 'rotate_yaw', heading: -90 }, 'stop_recording'] },
  { latitude: 22.909, longitude: 113.7029 },
];

function opened(settings: WaylineSettings = DEFAULT_SETTINGS, route: unknown = ROUTE) {
  const built = buildWayline(route, settings, 1_700_000_000_000);
  const entries = readZip(built.kmz);
  return { built, entries, template: entries.get('wpmz/template.kml')!.toString('utf8'), waylines: entries.get('wpmz/waylines.wpml')!.toString('utf8') };
}

/** DJI's samples hold the placeholder "longitude,latitude"; put real numbers there. */
function djiSample(name: string): string {
  let i = 0;
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8').replace(/longitude,latitude/g, () => `${(115.9876 + 0.001 * i).toFixed(4)},${(23.9805 + 0.001 * i++).toFixed(4)}`);
}

const wpml = (xml: string, name: string) => {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  return [...Array.from(doc.getElementsByTagName(`wpml:${name}`))].map((e) => e.textContent?.trim());
};

describe('KMZ structure against the DJI WPML specification (independent reader)', () => {
  test('a KMZ is a ZIP holding wpmz/template.kml and wpmz/waylines.wpml; fingerprint is the MD5 of its bytes', () => {
    const { built, entries } = opened();
    assert.deepEqual([...entries.keys()].sort(), ['wpmz/template.kml', 'wpmz/waylines.wpml']);
    assert.equal(built.fingerprint, createHash('md5').update(built.kmz).digest('hex'));
    assert.match(built.fingerprint, /^[0-9a-f]{32}$/);
    assert.equal(built.waypoint_count, ROUTE.length);
  });

  test('template.kml and waylines.wpml satisfy the required elements, enumerations and ranges', () => {
    const { template, waylines } = opened();
    const t = checkTemplateKml(template);
    const w = checkWaylinesWpml(waylines);
    assert.deepEqual(t.problems, []);
    assert.deepEqual(w.problems, []);
    assert.deepEqual(w.templateIds, t.templateIds, 'each wayline refers to a template of the same file');
    // what the tables require and DJI's own sample leaves out, our files carry
    assert.deepEqual(wpml(template, 'globalHeight'), ['60']);
    assert.deepEqual(wpml(waylines, 'globalRTHHeight'), ['100']);
    assert.deepEqual(wpml(waylines, 'executeHeightMode'), ['relativeToStartPoint']);
    assert.deepEqual(wpml(template, 'heightMode'), ['relativeToStartPoint']);
  });

  test('waypoints, speeds, heights and actions land where the specification puts them', () => {
    const { waylines, template } = opened();
    assert.deepEqual(wpml(waylines, 'index'), ['0', '1', '2', '3']);
    assert.deepEqual(wpml(waylines, 'executeHeight'), ['40', '50', '55.5', '60'], 'missing height → the default height');
    assert.deepEqual(wpml(waylines, 'waypointSpeed'), ['10', '8', '10', '10'], 'missing speed → the default speed');
    const doc = new DOMParser().parseFromString(waylines, 'text/xml');
    const coords = Array.from(doc.getElementsByTagName('coordinates')).map((c) => c.textContent?.trim());
    assert.deepEqual(coords, ['113.7034,22.9078', '113.7041,22.9084', '113.7031,22.9089', '113.7029,22.909'], 'longitude,latitude');
    assert.deepEqual(wpml(waylines, 'actionActuatorFunc'), ['takePhoto', 'gimbalRotate', 'hover', 'startRecord', 'rotateYaw', 'stopRecord']);
    assert.deepEqual(wpml(waylines, 'hoverTime'), ['2.5']);
    assert.deepEqual(wpml(waylines, 'gimbalPitchRotateAngle'), ['-45']);
    assert.deepEqual(wpml(waylines, 'aircraftHeading'), ['-90']);
    assert.deepEqual(wpml(waylines, 'actionGroupStartIndex'), ['0', '1', '2']);
    assert.deepEqual(wpml(template, 'actionGroupId'), ['0', '1', '2']);
  });

  test('every dock aircraft: drone and payload enumerations pair up as the specification lists them', () => {
    const expected: Record<string, string> = { M30: '67-0', M30T: '67-1', M3D: '91-0', M3TD: '91-1', M4D: '100-0', M4TD: '100-1' };
    assert.deepEqual([...AIRCRAFT_MODELS].sort(), Object.keys(expected).sort());
    for (const aircraft of AIRCRAFT_MODELS) {
      const { template, waylines } = opened({ ...DEFAULT_SETTINGS, aircraft });
      for (const xml of [template, waylines]) {
        const drone = `${wpml(xml, 'droneEnumValue')[0]}-${wpml(xml, 'droneSubEnumValue')[0]}`;
        assert.equal(drone, expected[aircraft], aircraft);
        assert.equal(Number(wpml(xml, 'payloadEnumValue')[0]), DOCK_CAMERAS[drone], `${aircraft} camera`);
      }
      assert.deepEqual(checkTemplateKml(template).problems, [], aircraft);
      assert.deepEqual(checkWaylinesWpml(waylines).problems, [], aircraft);
    }
  });

  test('finish actions and lost-link actions map to the WPML enumerations', () => {
    for (const finishAction of ['goHome', 'noAction', 'autoLand', 'gotoFirstWaypoint'] as const) {
      for (const lostLinkAction of ['continue', 'goBack', 'landing', 'hover'] as const) {
        const { waylines, template } = opened({ ...DEFAULT_SETTINGS, finishAction, lostLinkAction });
        assert.deepEqual(checkWaylinesWpml(waylines).problems, []);
        assert.deepEqual(checkTemplateKml(template).problems, []);
        assert.deepEqual(wpml(waylines, 'finishAction'), [finishAction]);
        assert.deepEqual(wpml(waylines, 'exitOnRCLost'), [lostLinkAction === 'continue' ? 'goContinue' : 'executeLostAction']);
        if (lostLinkAction !== 'continue') assert.deepEqual(wpml(waylines, 'executeRCLostAction'), [lostLinkAction]);
      }
    }
  });

  test("DJI's published sample files pass the same check, and the simulated dock reads them", () => {
    const t = checkTemplateKml(djiSample('template.kml'));
    const w = checkWaylinesWpml(djiSample('waylines.wpml'));
    assert.deepEqual(t.problems, []);
    assert.deepEqual(w.problems, []);
    const read = readWaylinesWpml(djiSample('waylines.wpml'));
    assert.equal(read.points.length, 2);
    assert.equal(read.finishAction, 'goHome');
    assert.equal(read.points[1].speed, 7);
    // and the dock reads ours the same way
    assert.equal(readWaylinesWpml(opened().waylines).points.length, ROUTE.length);
  });

  test('the check can fail: documents that break the specification are reported', () => {
    const { template, waylines } = opened();
    const broken: Array<[string, string, RegExp]> = [
      [waylines.replace('<wpml:finishAction>goHome<', '<wpml:finishAction>flyAway<'), 'waylines', /finishAction> "flyAway"/],
      [waylines.replace(/<wpml:index>2<\/wpml:index>/, '<wpml:index>7</wpml:index>'), 'waylines', /must run 0, 1, 2/],
      [waylines.replace('<wpml:takeOffSecurityHeight>20<', '<wpml:takeOffSecurityHeight>1<'), 'waylines', /takeOffSecurityHeight> 1 < 2/],
      [waylines.replace('<wpml:waypointSpeed>8<', '<wpml:waypointSpeed>0<'), 'waylines', /waypointSpeed> 0 must be > 0/],
      [waylines.replace('<wpml:droneEnumValue>91<', '<wpml:droneEnumValue>12<'), 'waylines', /droneEnumValue 12/],
      [waylines.replace('<wpml:payloadEnumValue>80<', '<wpml:payloadEnumValue>53<'), 'waylines', /not the camera of aircraft 91-0/],
      [waylines.replace('113.7041,22.9084', '113.7041,122.9084'), 'waylines', /coordinates/],
      [waylines.replace(/<wpml:executeHeightMode>[^<]*<\/wpml:executeHeightMode>/, ''), 'waylines', /executeHeightMode> is required/],
      [template.replace('<wpml:hoverTime>2.5<', '<wpml:hoverTime>0<'), 'template', /hoverTime> 0 must be > 0/],
      [template.replace('<wpml:templateType>waypoint<', '<wpml:templateType>zigzag<'), 'template', /templateType> "zigzag"/],
      [template.replace('<wpml:useGlobalHeight>0</wpml:useGlobalHeight>', '<wpml:useGlobalHeight>2</wpml:useGlobalHeight>'), 'template', /useGlobalHeight> "2"/],
      [template.replace('xmlns:wpml="http://www.dji.com/wpmz/1.0.2"', 'xmlns:wpml="urn:other"'), 'template', /xmlns:wpml/],
    ];
    for (const [xml, kind, expected] of broken) {
      const problems = (kind === 'template' ? checkTemplateKml(xml) : checkWaylinesWpml(xml)).problems;
      assert.ok(problems.some((p) => expected.test(p)), `${expected} in ${JSON.stringify(problems)}`);
    }
  });
});

describe('route input, validation and estimates', () => {
  const geo = {
    line: { type: 'LineString', coordinates: [[113.7034, 22.9078, 40], [113.7041, 22.9084, 50], [113.7031, 22.9089]] },
    points: {
      type: 'FeatureCollection',
      features: ROUTE.slice(0, 3).map((w) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [w.longitude, w.latitude] },
        properties: { height: w.height, speed: w.speed, actions: w.actions },
      })),
    },
  };

  test('GeoJSON LineString, Feature and FeatureCollection of Points build the same waypoints as the array', () => {
    const fromArray = opened(DEFAULT_SETTINGS, ROUTE.slice(0, 3)).waylines;
    const fromPoints = opened(DEFAULT_SETTINGS, geo.points).waylines;
    assert.equal(fromPoints, fromArray);
    const line = opened(DEFAULT_SETTINGS, geo.line).waylines;
    assert.deepEqual(wpml(line, 'executeHeight'), ['40', '50', '60'], 'altitude from the coordinates, else the default');
    const feature = opened(DEFAULT_SETTINGS, { type: 'Feature', geometry: geo.line, properties: { speed: 6 } }).waylines;
    assert.deepEqual(wpml(feature, 'waypointSpeed'), ['6', '6', '6'], 'Feature properties apply to every waypoint');
    const collection = opened(DEFAULT_SETTINGS, { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: geo.line, properties: {} }] }).waylines;
    assert.deepEqual(wpml(collection, 'index'), ['0', '1', '2']);
  });

  const problem = (route: unknown, settings: Partial<WaylineSettings> = {}) => {
    try {
      buildWayline(route, { ...DEFAULT_SETTINGS, ...settings });
    } catch (err) {
      return err as { field: string; message: string; code: string };
    }
    assert.fail('expected an input error');
  };

  test('one error naming the waypoint index and the field, for each kind of bad waypoint', () => {
    const at = (i: number, patch: Record<string, unknown>) => ROUTE.map((w, k) => (k === i ? { ...w, ...patch } : w));
    const cases: Array<[unknown, string, RegExp]> = [
      [at(2, { latitude: 95 }), 'payload[2].latitude', /waypoint 2: latitude .*between -90 and 90.*95/],
      [at(1, { longitude: 'east' }), 'payload[1].longitude', /waypoint 1: longitude .*"east"/],
      [at(3, { height: 2000 }), 'payload[3].height', /waypoint 3: height .*1500/],
      [at(0, { speed: 0 }), 'payload[0].speed', /waypoint 0: speed .*greater than 0/],
      [at(1, { speed: 16 }), 'payload[1].speed', /at most 15/],
      [at(1, { actions: [{ type: 'hover' }] }), 'payload[1].actions[0].seconds', /waypoint 1: hover seconds/],
      [at(2, { actions: ['dance'] }), 'payload[2].actions[0].type', /waypoint 2: action type "dance" .*unknown/],
      [at(0, { actions: [{ type: 'gimbal_pitch', angle: 40 }] }), 'payload[0].actions[0].angle', /gimbal pitch angle for the M3D .*-90 and 30/],
      [[ROUTE[0]], 'payload', /at least 2 waypoints/],
      [[ROUTE[0], 'here'], 'payload[1]', /waypoint 1/],
      [{ type: 'Polygon', coordinates: [] }, 'payload.type', /not a GeoJSON route/],
      [{ ...geo.points, features: [geo.points.features[0], { ...geo.points.features[1], properties: { height: -3000 } }] }, 'payload.features[1].properties.height', /waypoint 1: height/],
      [{ ...geo.line, coordinates: [[113.7, 22.9], [213.7, 22.9]] }, 'payload.coordinates[1][0]', /waypoint 1: longitude/],
      ['not a route', 'payload', /not a route/],
    ];
    for (const [route, field, message] of cases) {
      const err = problem(route);
      assert.equal(err.code, 'INVALID_INPUT');
      assert.equal(err.field, field, err.message);
      assert.match(err.message, message);
    }
    assert.match(problem(ROUTE, { aircraft: 'M300' as never }).message, /aircraft "M300".*M30, M30T, M3D, M3TD, M4D, M4TD/);
    assert.equal(problem(ROUTE, { takeOffSecurityHeight: 1 }).field, 'takeOffSecurityHeight');
    assert.equal(problem(ROUTE, { returnHomeHeight: 10 }).field, 'returnHomeHeight');
  });

  test('distance is the route length; duration adds climb, legs at their speeds, actions and the way home', () => {
    const flat = [
      { latitude: 0, longitude: 0, height: 50 },
      { latitude: 0.009, longitude: 0, height: 50, speed: 5 },
    ];
    const settings = { ...DEFAULT_SETTINGS, finishAction: 'noAction' as const, takeOffSecurityHeight: 20 };
    const built = buildWayline(flat, settings);
    assert.ok(Math.abs(built.distance_m - 1000.8) < 1, String(built.distance_m)); // 0.009° of latitude ≈ 1000.8 m
    // climb 50 m at 5 m/s (10 s) + 1000.8 m at 10 m/s (the first waypoint's speed): 110.08 s
    assert.equal(built.duration_s, 111);
    const withHover = buildWayline([{ ...flat[0], actions: [{ type: 'hover', seconds: 30 }] }, flat[1]], settings);
    assert.equal(withHover.duration_s, 141);
    const home = buildWayline(flat, { ...settings, finishAction: 'goHome', returnHomeHeight: 100 });
    // + climb to 100 m (10 s) + 1000.8 m back at 10 m/s + 100 m descent at 3 m/s
    assert.equal(home.duration_s, Math.ceil(110.08 + 10 + 100.08 + 100 / 3));
  });
});
