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

/** A dji-wayline node as the tests deploy it: an M3D route uploaded under tenant-media/waylines/. */
export const DJI_WAYLINE_DEFAULTS = {
  type: 'dji-wayline',
  server: 'c1',
  bucket: 'tenant-media',
  objectKeyPrefix: 'waylines/',
  aircraft: 'M3D',
  speed: 10,
  height: 60,
  finishAction: 'goHome',
  lostLinkAction: 'goBack',
  takeOffSecurityHeight: 20,
  returnHomeHeight: 100,
  urlLifetime: 3600,
};
