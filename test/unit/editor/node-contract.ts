/**
 * The editor contract of every node: property names, defaults, credentials, typed-input types.
 * The editor files must declare exactly this (definitions.test.ts); flows saved by users rely on it.
 */

type Primitive = string | number | boolean;
export interface NodeSpec {
  type: string;
  config?: boolean;
  inputs?: number;
  outputs?: number;
  defaults: Record<string, Primitive>;
  /** Config-node pointers: property -> config type (always required). */
  pointers?: Record<string, string>;
  credentials?: Record<string, 'text' | 'password'>;
  /** Typed inputs: property -> types offered (custom types by their value). */
  typed?: Record<string, string[]>;
}


export const SPECS: NodeSpec[] = [
  {
    type: 'utmos-config',
    config: true,
    defaults: {
      name: '',
      baseUrl: 'https://dev.utmos.dev',
      eventBrokerUrl: '',
      eventTopics: 'tenant/+/command/+,tenant/+/device_request/+',
      caCert: '',
      requestTimeout: 10,
      maxRequestsPerSecond: 100,
      maxConcurrentRequests: 16,
    },
    credentials: { apiId: 'text', apiKey: 'password', eventUsername: 'text', eventPassword: 'password' },
  },
  {
    type: 'dji-command',
    inputs: 1,
    outputs: 2,
    defaults: {
      name: '',
      server: '',
      deviceId: '',
      deviceIdType: 'str',
      commandType: '',
      commandTypeType: 'str',
      payload: '{}',
      payloadType: 'json',
      idempotencyKey: '',
      idempotencyKeyType: 'auto',
      timeoutSeconds: 30,
      waitForResult: true,
      checkPayload: true,
    },
    pointers: { server: 'utmos-config' },
    typed: {
      deviceId: ['str', 'msg', 'flow', 'global', 'env', 'jsonata'],
      commandType: ['str', 'msg', 'flow', 'global', 'env', 'jsonata'],
      payload: ['json', 'msg', 'flow', 'global', 'jsonata', 'env'],
      idempotencyKey: ['auto', 'msg', 'flow', 'global', 'str', 'env', 'jsonata'],
    },
  },
  {
    type: 'dji-status-wait',
    inputs: 1,
    outputs: 3,
    defaults: {
      name: '',
      server: '',
      commandId: 'command_id',
      commandIdType: 'msg',
      until: 'terminal',
      timeout: '60',
      timeoutType: 'num',
    },
    pointers: { server: 'utmos-config' },
    typed: {
      commandId: ['msg', 'flow', 'global', 'str', 'env', 'jsonata'],
      timeout: ['num', 'msg', 'flow', 'global', 'env', 'jsonata'],
    },
  },
  {
    type: 'dji-request-in',
    inputs: 0,
    outputs: 1,
    defaults: {
      name: '',
      server: '',
      vendor: 'dji',
      deviceId: '',
      requestType: '',
      pendingOnly: true,
      pollInterval: 5,
    },
    pointers: { server: 'utmos-config' },
  },
  {
    type: 'dji-request-reply',
    inputs: 1,
    outputs: 1,
    defaults: {
      name: '',
      server: '',
      requestId: 'request_id',
      requestIdType: 'msg',
      replyCode: 'APPROVED',
      replyCodeType: 'str',
      replyMessage: '',
      replyMessageType: 'str',
      payload: '',
      payloadType: 'none',
    },
    pointers: { server: 'utmos-config' },
    typed: {
      requestId: ['msg', 'flow', 'global', 'str', 'env', 'jsonata'],
      replyCode: ['str', 'msg', 'flow', 'global', 'env', 'jsonata'],
      replyMessage: ['str', 'msg', 'flow', 'global', 'env', 'jsonata'],
      payload: ['none', 'msg', 'flow', 'global', 'json', 'jsonata', 'env'],
    },
  },
  {
    type: 'dji-wayline',
    inputs: 1,
    outputs: 1,
    defaults: {
      name: '',
      server: '',
      bucket: '',
      objectKeyPrefix: 'waylines/',
      aircraft: 'M3D',
      speed: 10,
      height: 60,
      finishAction: 'goHome',
      lostLinkAction: 'goBack',
      takeOffSecurityHeight: 20,
      returnHomeHeight: 100,
      urlLifetime: 3600,
    },
    pointers: { server: 'utmos-config' },
  },
];
