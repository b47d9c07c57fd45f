import { DEFAULT_SETTINGS } from '../../src/core/wayline/types';

/** A dji-command node as the tests deploy it: dock-001, a static JSON payload, wait for the result. */
export const DJI_COMMAND_DEFAULTS = {
  type: 'dji-command',
  server: 'c1',
  deviceId: 'dock-001',
  deviceIdType: 'str',
  commandType: 'debug_mode_open',
  commandTypeType: 'str',
  payload: '{}',
  payloadType: 'json',
  idempotencyKeyType: 'auto',
  timeoutSeconds: 30,
  waitForResult: true,
};

/** A dji-wayline node as the tests deploy it: the core's default route settings, uploaded under tenant-media/waylines/. */
export const DJI_WAYLINE_DEFAULTS = {
  type: 'dji-wayline',
  server: 'c1',
  bucket: 'tenant-media',
  objectKeyPrefix: 'waylines/',
  ...DEFAULT_SETTINGS,
  urlLifetime: 3600,
};

/** A dji-request-reply node as the tests deploy it: APPROVED to msg.request_id, no payload. */
export const DJI_REQUEST_REPLY_DEFAULTS = {
  type: 'dji-request-reply',
  server: 'c1',
  requestId: 'request_id',
  requestIdType: 'msg',
  replyCode: 'APPROVED',
  replyCodeType: 'str',
  replyMessage: '',
  replyMessageType: 'str',
  payloadType: 'none',
};
