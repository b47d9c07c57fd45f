/**
 * Putting wayline files into the simulator's object storage the way a cloud does: the platform's
 * signed presign endpoint, then a plain PUT to the returned URL. Files are built by the product's
 * wayline core (or given as raw bytes for the broken-file cases).
 */
import { createHash, randomUUID } from 'crypto';
import { buildWayline, DEFAULT_SETTINGS } from '../../src/core/wayline';
import { Creds, rawRequest, signed } from './helpers';

export const BUCKET = 'tenant-media';
export const PRESIGN = '/api/v1/open/objects/presign';

/** A short inspection route near the simulated docks (22.9078, 113.7034). */
export const DEMO_ROUTE = [
  { latitude: 22.9078, longitude: 113.7034, height: 40, actions: ['take_photo'] },
  { latitude: 22.9084, longitude: 113.7041, height: 50, speed: 8, actions: [{ type: 'hover', seconds: 2 }, 'take_photo'] },
  { latitude: 22.9089, longitude: 113.7031, height: 50, actions: [{ type: 'gimbal_pitch', angle: -45 }, 'take_photo'] },
];

export async function presign(c: Creds, body: Record<string, unknown>) {
  return signed(c, 'POST', PRESIGN, { body });
}

/** Uploads bytes under waylines/ and returns a GET URL for the dock with their MD5. */
export async function putObject(c: Creds, bytes: Buffer, ttlSeconds = 3600): Promise<{ url: string; fingerprint: string; object_key: string }> {
  const object_key = `waylines/test-${randomUUID()}.kmz`;
  const put = await presign(c, { bucket: BUCKET, object_key, method: 'PUT', expires_seconds: 300, content_type: 'application/vnd.google-earth.kmz' });
  if (put.status !== 200) throw new Error(`presign PUT: ${put.status} ${put.text}`);
  const stored = await rawRequest({ method: 'PUT', url: put.body.url, headers: put.body.headers, body: bytes });
  if (stored.status !== 200) throw new Error(`PUT: ${stored.status} ${stored.text}`);
  const get = await presign(c, { bucket: BUCKET, object_key, method: 'GET', expires_seconds: ttlSeconds });
  if (get.status !== 200) throw new Error(`presign GET: ${get.status} ${get.text}`);
  return { url: get.body.url, fingerprint: createHash('md5').update(bytes).digest('hex'), object_key };
}

/** Builds the demo route into a KMZ and uploads it. */
export async function uploadWayline(c: Creds, route: unknown = DEMO_ROUTE) {
  const built = buildWayline(route, DEFAULT_SETTINGS);
  return { ...(await putObject(c, built.kmz)), built };
}

export const preparePayload = (flightId: string, file: { url: string; fingerprint: string }): Record<string, unknown> => ({
  flight_id: flightId,
  task_type: 0,
  execute_time: Date.now(),
  file: { url: file.url, fingerprint: file.fingerprint },
  rth_altitude: 100,
  rth_mode: 1,
  out_of_control_action: 0,
  exit_wayline_when_rc_lost: 0,
});
