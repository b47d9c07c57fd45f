/** KMZ packing (a ZIP archive, written by fflate) and its fingerprint (MD5, as flighttask_prepare wants). */
import { createHash } from 'crypto';
import { zipSync } from 'fflate';
import { TEMPLATE_PATH, WAYLINES_PATH } from './spec';

export function packKmz(templateKml: string, waylinesWpml: string, modifiedAt: number): Buffer {
  const mtime = new Date(modifiedAt);
  const zipped = zipSync(
    {
      [TEMPLATE_PATH]: [Buffer.from(templateKml, 'utf8'), { mtime }],
      [WAYLINES_PATH]: [Buffer.from(waylinesWpml, 'utf8'), { mtime }],
    },
    { level: 6 },
  );
  return Buffer.from(zipped.buffer, zipped.byteOffset, zipped.byteLength);
}

export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}
