/** Every method's annotation, gathered from the domain files (see shared.ts for what they hold). */
import { DEVICE_ANNOTATIONS } from './device';
import { CAMERA_ANNOTATIONS } from './camera';
import { DRC_ANNOTATIONS } from './drc';
import { WAYLINE_ANNOTATIONS } from './wayline';
import { PSDK_ANNOTATIONS } from './psdk';
import { SAFETY_ANNOTATIONS } from './safety';
import { LIVE_ANNOTATIONS } from './live';
import { FILE_ANNOTATIONS } from './file';
import { FIRMWARE_ANNOTATIONS } from './firmware';
import type { DomainAnnotations } from './shared';

export type { MethodAnnotation } from './shared';

export const ANNOTATIONS: DomainAnnotations = {
  ...DEVICE_ANNOTATIONS,
  ...CAMERA_ANNOTATIONS,
  ...DRC_ANNOTATIONS,
  ...WAYLINE_ANNOTATIONS,
  ...PSDK_ANNOTATIONS,
  ...SAFETY_ANNOTATIONS,
  ...LIVE_ANNOTATIONS,
  ...FILE_ANNOTATIONS,
  ...FIRMWARE_ANNOTATIONS,
};
