/**
 * dji-wayline: turns a list of waypoints (or GeoJSON) into a DJI WPML wayline file, uploads it to
 * tenant object storage through a presigned PUT and emits a presigned GET with the file's
 * fingerprint, ready for flighttask_prepare's `file`. A message with msg.object_key and no route
 * only signs a fresh GET for that stored file (the answer to flighttask_resource_get).
 */
import { unlimitedAbortController } from '../../core/abort';
import type { UtmosClient } from '../../core/client';
import { UtmosError, UtmosInputError } from '../../core/errors';
import { isPlainObject } from '../../core/plain-data';
import {
  AircraftModel,
  DEFAULT_SETTINGS,
  FinishAction,
  LostLinkAction,
  WaylineSettings,
  buildWayline,
  checkSettings,
  publishWayline,
  signWaylineDownload,
  waylineObjectKey,
} from '../../core/wayline';

import { attach } from '../shared/config-access';
import { failInput } from '../shared/failure';
import { InputWork } from '../shared/input-work';
import { requireText, toSeconds } from '../shared/inputs';
import type { DoneFn, NodeDef, NodeMessage, RedApi, SendFn } from '../shared/node-red';
import { registerNode } from '../shared/register';

interface WaylineDef extends NodeDef {
  server?: string;
  bucket?: string;
  objectKeyPrefix?: string;
  aircraft?: string;
  speed?: number | string;
  height?: number | string;
  finishAction?: string;
  lostLinkAction?: string;
  takeOffSecurityHeight?: number | string;
  returnHomeHeight?: number | string;
  urlLifetime?: number | string;
}

/** What the node remembers of the files it built, so a fresh URL comes with its fingerprint. */
interface Remembered {
  fingerprint: string;
  distance_m: number;
  duration_s: number;
  waypoint_count: number;
}
const REMEMBERED_MAX = 200;
const CONTEXT_KEY = 'waylines';

const num = (raw: unknown, fallback: number): number => (raw === undefined || raw === '' ? fallback : Number(raw));

function settingsFrom(def: WaylineDef): WaylineSettings {
  return checkSettings({
    aircraft: (def.aircraft || DEFAULT_SETTINGS.aircraft) as AircraftModel,
    speed: num(def.speed, DEFAULT_SETTINGS.speed),
    height: num(def.height, DEFAULT_SETTINGS.height),
    finishAction: (def.finishAction || DEFAULT_SETTINGS.finishAction) as FinishAction,
    lostLinkAction: (def.lostLinkAction || DEFAULT_SETTINGS.lostLinkAction) as LostLinkAction,
    takeOffSecurityHeight: num(def.takeOffSecurityHeight, DEFAULT_SETTINGS.takeOffSecurityHeight),
    returnHomeHeight: num(def.returnHomeHeight, DEFAULT_SETTINGS.returnHomeHeight),
  });
}

/** An array, or GeoJSON with a type: anything else is "no route". */
function looksLikeRoute(payload: unknown): boolean {
  return Array.isArray(payload) || (isPlainObject(payload) && typeof payload.type === 'string' && payload.type !== '');
}

export = function register(RED: RedApi): void {
  registerNode<WaylineDef>(RED, 'dji-wayline', (node, def, texts) => {
    const abort = unlimitedAbortController();
    const remembered = new Map<string, Remembered>();
    const work = new InputWork();
    let closed = false;

    let settings: WaylineSettings | undefined;
    let urlLifetime = 3600;
    let configProblem: unknown;
    try {
      settings = settingsFrom(def);
      urlLifetime = toSeconds(texts, 'urlLifetime', def.urlLifetime ?? 3600, 1, 3600);
      if (!Number.isInteger(urlLifetime)) throw new UtmosInputError('urlLifetime', texts.node('error.urlLifetime', { got: urlLifetime }));
    } catch (err) {
      configProblem = err;
    }
    const attached = attach(RED, node, texts, def.server, (badge) => {
      if (badge && work.idle) node.status(badge);
    });
    configProblem = configProblem ?? attached.problem;
    if (configProblem && attached.connection) node.status({ fill: 'red', shape: 'ring', text: texts.node('status.invalid') });

    const bucketOf = (msg: NodeMessage) =>
      requireText(texts, 'bucket', typeof msg.bucket === 'string' && msg.bucket.trim() ? msg.bucket : def.bucket, '"tenant-media" in the node, or msg.bucket');

    function remember(key: string, what: Remembered): void {
      remembered.delete(key);
      remembered.set(key, what);
      while (remembered.size > REMEMBERED_MAX) remembered.delete(remembered.keys().next().value as string);
      node.context().set(CONTEXT_KEY, Object.fromEntries(remembered), () => undefined);
    }

    function recall(key: string): Promise<Remembered | undefined> {
      const known = remembered.get(key);
      if (known) return Promise.resolve(known);
      return new Promise((resolve) =>
        node
          .context()
          .get(CONTEXT_KEY, (err, stored) =>
            resolve(!err && isPlainObject(stored) && isPlainObject(stored[key]) ? (stored[key] as unknown as Remembered) : undefined),
          ),
      );
    }

    async function build(client: UtmosClient, msg: NodeMessage, s: WaylineSettings): Promise<Record<string, unknown>> {
      node.status({ fill: 'blue', shape: 'dot', text: texts.node('status.building') });
      // Everything about the route is checked here, before anything is sent.
      const built = buildWayline(msg.payload, s);
      const bucket = bucketOf(msg);
      const name = typeof msg.wayline_name === 'string' ? msg.wayline_name : node.name;
      const objectKey =
        typeof msg.object_key === 'string' && msg.object_key.trim() ? msg.object_key.trim() : waylineObjectKey(def.objectKeyPrefix ?? 'waylines/', name);
      node.status({ fill: 'blue', shape: 'dot', text: texts.node('status.uploading') });
      const published = await publishWayline(client, built.kmz, { bucket, object_key: objectKey, expires_seconds: urlLifetime }, { signal: abort.signal });
      const facts = { fingerprint: built.fingerprint, distance_m: built.distance_m, duration_s: built.duration_s, waypoint_count: built.waypoint_count };
      remember(objectKey, facts);
      node.status({ fill: 'green', shape: 'dot', text: texts.node('status.ready') });
      return { url: published.url, ...facts, object_key: objectKey, bucket, expires_at: published.expires_at };
    }

    async function renew(client: UtmosClient, msg: NodeMessage, objectKey: string): Promise<Record<string, unknown>> {
      node.status({ fill: 'blue', shape: 'dot', text: texts.node('status.signing') });
      const known = await recall(objectKey);
      const given = typeof msg.fingerprint === 'string' && /^[0-9a-fA-F]{32}$/.test(msg.fingerprint) ? msg.fingerprint.toLowerCase() : undefined;
      const fingerprint = given ?? known?.fingerprint;
      if (!fingerprint) {
        throw new UtmosInputError('fingerprint', texts.node('error.fingerprintUnknown', { key: objectKey }));
      }
      const bucket = bucketOf(msg);
      const signed = await signWaylineDownload(client, { bucket, object_key: objectKey, expires_seconds: urlLifetime }, { signal: abort.signal });
      node.status({ fill: 'green', shape: 'dot', text: texts.node('status.renewed') });
      return {
        url: signed.url,
        fingerprint,
        ...(known ? { distance_m: known.distance_m, duration_s: known.duration_s, waypoint_count: known.waypoint_count } : {}),
        object_key: objectKey,
        bucket,
        expires_at: signed.expires_at,
      };
    }

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      const fail = (err: unknown) => failInput(node, texts, msg, done, err);
      if (closed) {
        fail(new UtmosError(texts.node('error.closing'), { code: 'ABORTED' }));
        return;
      }
      const connection = attached.connection;
      if (configProblem || !connection || !settings) {
        fail(configProblem ?? attached.problem);
        return;
      }
      const objectKey = typeof msg.object_key === 'string' ? msg.object_key.trim() : '';
      if (!looksLikeRoute(msg.payload) && !objectKey) {
        fail(new UtmosInputError('payload', texts.node('error.noRoute')));
        return;
      }
      const s = settings;
      work.run(node, texts, msg, done, async () => {
        const payload = objectKey && !looksLikeRoute(msg.payload) ? await renew(connection.client, msg, objectKey) : await build(connection.client, msg, s);
        msg.payload = payload;
        msg.file = { url: payload.url, fingerprint: payload.fingerprint };
        send(msg);
      });
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      abort.abort();
      remembered.clear();
      attached.detach(done);
    });
  });
};
