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
