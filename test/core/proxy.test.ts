// Which proxy a URL gets: the same answer as Node-RED's own helper (the one its core http request
// node uses, from the node-red devDependency) for http and https URLs over a table of environments,
// and ws/wss looked up as the http/https request that opens them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyForUrl } from '../../src/core/proxy';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- Node-RED's own proxy helper, an internal file without type declarations
const nodeRed: { getProxyForUrl(url: string, options?: object): string } = require(
  require.resolve('@node-red/nodes/core/network/lib/proxyHelper.js', {
    paths: [require.resolve(process.env.NODE_RED_PATH || 'node-red')],
  }),
);

const ENVS: Array<Record<string, string>> = [
  {},
  { HTTPS_PROXY: 'http://upper:3128' },
  { https_proxy: 'http://lower:3128' },
  { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128' },
  { HTTP_PROXY: 'http://plain:8080' },
  { http_proxy: 'plain-no-scheme:8080' },
  { ALL_PROXY: 'http://all:1' },
  { npm_config_proxy: 'http://npm:2', HTTP_PROXY: 'http://plain:8080' },
  { npm_config_https_proxy: 'http://npm-https:3', HTTPS_PROXY: 'http://upper:3128' },
  { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: 'dev.utmos.dev' },
  { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', no_proxy: '.utmos.dev' },
  { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: '*.utmos.dev,localhost' },
  { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: 'utmos.dev' },
  { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: 'dev.utmos.dev:443' },
  { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: 'dev.utmos.dev:8443 127.0.0.1' },
  { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: '*' },
  { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: 'DEV.UTMOS.DEV' },
  { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', no_proxy: '[::1]' },
  { HTTPS_PROXY: 'http://p:1', npm_config_no_proxy: 'dev.utmos.dev', NO_PROXY: 'other' },
];
const URLS = [
  'https://dev.utmos.dev',
  'https://dev.utmos.dev:8443/base',
  'https://api.dev.utmos.dev',
  'http://127.0.0.1:8787',
  'http://localhost:1880',
  'http://[::1]:9000',
  'https://utmos.dev',
];
const OPTIONS = [{}, { lowerCaseOnly: true }, { favourUpperCase: true }, { excludeNpm: true }];

test('the same proxy as Node-RED’s core helper for every URL, environment and proxyOptions', () => {
  let compared = 0;
  for (const env of ENVS) {
    for (const options of OPTIONS) {
      for (const url of URLS) {
        const expected = nodeRed.getProxyForUrl(url, { ...options, env });
        assert.equal(proxyForUrl(new URL(url), { ...options, env }), expected, `${url} with ${JSON.stringify(env)} ${JSON.stringify(options)}`);
        compared++;
      }
    }
  }
  assert.equal(compared, ENVS.length * OPTIONS.length * URLS.length);
});

test('WebSocket URLs use the proxy of the HTTP request that opens them; mqtt:// gets none', () => {
  const env = { HTTP_PROXY: 'http://plain:8080', HTTPS_PROXY: 'http://secure:3128', NO_PROXY: 'inside.example' };
  assert.equal(proxyForUrl(new URL('ws://broker.example/mqtt'), { env }), 'http://plain:8080');
  assert.equal(proxyForUrl(new URL('wss://broker.example/mqtt'), { env }), 'http://secure:3128');
  assert.equal(proxyForUrl(new URL('wss://inside.example/mqtt'), { env }), '');
  assert.equal(proxyForUrl(new URL('mqtt://broker.example:1883'), { env }), '');
  assert.equal(proxyForUrl(new URL('mqtts://broker.example:8883'), { env }), '');
});
