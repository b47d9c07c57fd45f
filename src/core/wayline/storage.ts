/**
 * Putting a wayline where a dock can fetch it: the platform presigns a PUT, the bytes go straight to
 * tenant object storage, then the platform presigns a GET for the dock (object-storage.ts).
 */
import { randomUUID } from 'crypto';
import type { CallOptions, UtmosClient } from '../client';
import { UtmosInputError } from '../errors';
import { text } from '../text';

export const KMZ_CONTENT_TYPE = 'application/vnd.google-earth.kmz';

export interface StorageTarget {
  bucket: string;
  object_key: string;
  /** Lifetime of the dock's download URL, 1..3600 s. */
  expires_seconds: number;
}

export interface PublishedWayline {
  url: string;
  bucket: string;
  object_key: string;
  expires_at: string;
}

/** prefix + a readable name + a unique suffix + .kmz; the route name of a KMZ is its file name. */
export function waylineObjectKey(prefix: string, name: string | undefined, now = Date.now()): string {
  const cleanPrefix = prefix.replace(/^\/+/, '');
  if (cleanPrefix.includes('../')) throw new UtmosInputError('objectKeyPrefix', text('wayline.prefix'));
  const base =
    (name ?? '')
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 64) || 'wayline';
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${cleanPrefix}${base}-${stamp}-${randomUUID().slice(0, 8)}.kmz`;
}

/** Uploads the KMZ through a presigned PUT and returns a presigned GET for the dock. */
export async function publishWayline(client: UtmosClient, kmz: Buffer, target: StorageTarget, options: CallOptions = {}): Promise<PublishedWayline> {
  const put = await client.presignObject(
    { bucket: target.bucket, object_key: target.object_key, method: 'PUT', expires_seconds: 300, content_type: KMZ_CONTENT_TYPE },
    options,
  );
  await client.uploadObject({ method: 'PUT', url: put.url, headers: put.headers }, kmz, options);
  return signWaylineDownload(client, target, options);
}

/** A fresh GET URL for a stored wayline: what a dock whose URL expired asks for. */
export async function signWaylineDownload(client: UtmosClient, target: StorageTarget, options: CallOptions = {}): Promise<PublishedWayline> {
  const get = await client.presignObject(
    { bucket: target.bucket, object_key: target.object_key, method: 'GET', expires_seconds: target.expires_seconds },
    options,
  );
  return { url: get.url, bucket: target.bucket, object_key: target.object_key, expires_at: get.expires_at };
}
