/**
 * Route input: what a flow hands the node in msg.payload, read into raw waypoints that remember
 * where each value came from. Accepts an array of waypoints {latitude, longitude, height?, speed?,
 * actions?} or GeoJSON as map nodes and QGIS export it: a LineString, a Feature holding one, or a
 * FeatureCollection of Points (height, speed, actions in each feature's properties).
 */
import { UtmosInputError } from '../errors';
import { isPlainObject } from '../plain-data';
import { TextParam, text } from '../text';
import type { CoreTextKey } from '../texts-en';
import type { RawWaypoint } from './types';

function fail(field: string, key: CoreTextKey, params: Record<string, TextParam> = {}): never {
  throw new UtmosInputError(field, text(key, { field, ...params }));
}

/** Reads msg.payload into raw waypoints (values still unchecked). */
export function readRouteInput(input: unknown, base = 'payload'): RawWaypoint[] {
  if (Array.isArray(input)) return input.map((item, i) => fromWaypointObject(item, `${base}[${i}]`, i));
  if (!isPlainObject(input)) fail(base, 'wayline.notRoute', { got: input === undefined ? 'nothing' : typeof input });
  switch (input.type) {
    case 'LineString':
      return fromLineString(input, base, {});
    case 'Feature':
      return fromFeature(input, base);
    case 'FeatureCollection':
      return fromFeatureCollection(input, base);
    default:
      return fail(`${base}.type`, 'wayline.geoJsonType', { got: JSON.stringify(input.type ?? null) });
  }
}

function fromWaypointObject(item: unknown, at: string, index: number): RawWaypoint {
  if (!isPlainObject(item)) fail(at, 'wayline.waypointNotObject', { index });
  return {
    latitude: item.latitude ?? item.lat,
    longitude: item.longitude ?? item.lon ?? item.lng,
    height: item.height,
    speed: item.speed,
    actions: item.actions,
    at: {
      latitude: `${at}.${item.latitude === undefined && item.lat !== undefined ? 'lat' : 'latitude'}`,
      longitude: `${at}.${item.longitude === undefined ? (item.lon !== undefined ? 'lon' : item.lng !== undefined ? 'lng' : 'longitude') : 'longitude'}`,
      height: `${at}.height`,
      speed: `${at}.speed`,
      actions: `${at}.actions`,
    },
  };
}

/** A GeoJSON position [longitude, latitude, altitude?]; properties may set height, speed, actions. */
function fromPosition(position: unknown, at: string, index: number, props: Record<string, unknown>, propsAt: string): RawWaypoint {
  if (!Array.isArray(position) || position.length < 2) fail(at, 'wayline.notPosition', { index });
  const heightFromProps = props.height !== undefined;
  return {
    longitude: position[0],
    latitude: position[1],
    height: heightFromProps ? props.height : position[2],
    speed: props.speed,
    actions: props.actions,
    at: {
      longitude: `${at}[0]`,
      latitude: `${at}[1]`,
      height: heightFromProps ? `${propsAt}.height` : `${at}[2]`,
      speed: `${propsAt}.speed`,
      actions: `${propsAt}.actions`,
    },
  };
}

function fromLineString(geometry: Record<string, unknown>, at: string, props: Record<string, unknown>, propsAt = `${at}.properties`): RawWaypoint[] {
  const coords = geometry.coordinates;
  if (!Array.isArray(coords)) fail(`${at}.coordinates`, 'wayline.notArray');
  // Properties of a LineString apply to every waypoint, except per-point actions (they would repeat).
  const shared = { height: props.height, speed: props.speed };
  return coords.map((p, i) => fromPosition(p, `${at}.coordinates[${i}]`, i, shared, propsAt));
}

function fromFeature(feature: Record<string, unknown>, at: string): RawWaypoint[] {
  const geometry = feature.geometry;
  const props = isPlainObject(feature.properties) ? feature.properties : {};
  if (!isPlainObject(geometry)) fail(`${at}.geometry`, 'wayline.geometryMissing');
  if (geometry.type === 'LineString') return fromLineString(geometry, `${at}.geometry`, props, `${at}.properties`);
  return fail(`${at}.geometry.type`, 'wayline.notLineString', { got: JSON.stringify(geometry.type ?? null) });
}

function fromFeatureCollection(collection: Record<string, unknown>, at: string): RawWaypoint[] {
  const features = collection.features;
  if (!Array.isArray(features)) fail(`${at}.features`, 'wayline.notArray');
  const lines = features.filter((f) => isPlainObject(f) && isPlainObject(f.geometry) && f.geometry.type === 'LineString');
  if (lines.length === 1 && features.length === 1) return fromFeature(features[0] as Record<string, unknown>, `${at}.features[0]`);
  return features.map((feature, i) => {
    const fAt = `${at}.features[${i}]`;
    if (!isPlainObject(feature) || !isPlainObject(feature.geometry) || feature.geometry.type !== 'Point') {
      return fail(`${fAt}.geometry`, 'wayline.notPointFeature', { index: i });
    }
    const props = isPlainObject(feature.properties) ? feature.properties : {};
    return fromPosition(feature.geometry.coordinates, `${fAt}.geometry.coordinates`, i, props, `${fAt}.properties`);
  });
}
