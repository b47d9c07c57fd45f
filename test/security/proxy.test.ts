// HTTPS_PROXY / HTTP_PROXY / NO_PROXY (upper and lower case) with a real CONNECT proxy on loopback:
// the signed API over https (private CA) and plain http through the tunnel, NO_PROXY bypass, a
// proxy that refuses, the event stream over ws through the proxy, mqtt:// straight to the broker,
// a dji-command in a real Node-RED runtime, and no tunnel left open after close.
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { UtmosClient } from '../../src/core/client';
import { UtmosConnection } from '../../src/core/connection';
import { UtmosNetworkError } from '../../src/core/errors';
import { ALL_NODES, collect, commandFlow, credsFor, helper } from '../helpers/harness';
import { MisbehavingFront, startMisbehavingFront } from '../helpers/misbehaving-front';
import { simulatorForFile } from '../helpers/simulator';
import { eventStreamState, waitUntil, withTimeout } from '../helpers/wait';
import { setUp } from '../helpers/setup';

// npm sets npm_config_* for scripts it runs; Node-RED (and so this package) reads those too.
const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy', 'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_http_proxy', 'npm_config_no_proxy'];

interface ConnectProxy {
  url: string;
  /** host:port of every CONNECT it was asked for. */
  targets: string[];
  openTunnels(): number;
  /** Answer every CONNECT with this status instead of tunnelling (e.g. 407). */
  refuseWith?: number;
  close(): Promise<void>;
}

/** Pipes a and b into each other; when either ends or fails, both are destroyed. */
function splice(a: Duplex, b: Duplex): void {
  a.pipe(b).pipe(a);
  const end = () => {
    a.destroy();
    b.destroy();
  };
  for (const s of [a, b]) {
    s.on('error', end);
    s.on('close', end);
  }
}

/** A real CONNECT proxy: tunnels TCP to the requested host:port; plain requests get 405. */
async function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels = new Set<net.Socket>();
  const proxy: Partial<ConnectProxy> & { targets: string[] } = { targets: [] };
  const server = http.createServer((_req, res) => {
    res.writeHead(405);
    res.end('this proxy only tunnels (CONNECT)');
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    proxy.targets.push(String(req.url));
    if (proxy.refuseWith) {
      client.end(`HTTP/1.1 ${proxy.refuseWith} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const [host, port] = String(req.url).split(':');
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      splice(client, upstream);
    });
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.openTunnels = () => tunnels.size;
  proxy.close = async () => {
    for (const t of tunnels) t.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return proxy as ConnectProxy;
}

/** Serves the simulator's MQTT broker over WebSocket on `server` (http or https). */
async function brokerOverWebSocket<S extends http.Server>(server: S): Promise<S> {
  const broker = new URL(sim.mqtt);
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    const tcp = net.connect(Number(broker.port), broker.hostname);
    splice(createWebSocketStream(ws), tcp);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return server;
}

// No proxy variable from the environment (npm sets some) may reach the simulator's own clients.
for (const v of PROXY_VARS) delete process.env[v];
const sim = simulatorForFile({ docks: 1, replyDelayMs: 20 });
let proxy: ConnectProxy;
let tlsFront: MisbehavingFront;
let tlsUrl: string;
let caPem: string;
let wsBridge: http.Server;
let wsUrl: string;
let wssBridge: https.Server;
let wssUrl: string;
let dir: string;
let seq = 0;

setUp(async () => {
  proxy = await startConnectProxy();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'utmos-proxy-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'), '-days', '2',
    '-subj', '/CN=utmos-proxy-test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' });
  caPem = fs.readFileSync(path.join(dir, 'c.pem'), 'utf8');
  tlsFront = await startMisbehavingFront(sim.http, { key: fs.readFileSync(path.join(dir, 'k.pem')), cert: caPem });
  tlsUrl = tlsFront.url;
  // The simulator's broker served over WebSocket (plain and TLS), as many hosted brokers are.
  wsBridge = await brokerOverWebSocket(http.createServer());
  wsUrl = `ws://127.0.0.1:${(wsBridge.address() as AddressInfo).port}/mqtt`;
  wssBridge = await brokerOverWebSocket(https.createServer({ key: fs.readFileSync(path.join(dir, 'k.pem')), cert: caPem }));
  wssUrl = `wss://127.0.0.1:${(wssBridge.address() as AddressInfo).port}/mqtt`;
});
after(async () => {
  for (const v of PROXY_VARS) delete process.env[v];
  for (const bridge of [wsBridge, wssBridge]) {
    bridge.closeAllConnections();
    await new Promise((r) => bridge.close(r));
  }
  await tlsFront.close();
  await proxy.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const v of PROXY_VARS) delete process.env[v];
  proxy.refuseWith = undefined;
  proxy.targets.length = 0;
});

const hostPort = (url: string) => new URL(url).host;

async function roundTrip(c: UtmosClient): Promise<void> {
  const created = await c.createCommand({ device_id: 'dock-001', command_type: 'debug_mode_open', payload: {}, idempotency_key: `proxy-${seq++}`, timeout_seconds: 30 });
  await sim.control.waitForCommand(created.command_id);
  assert.equal((await c.getCommand(created.command_id)).status, 'SUCCEEDED');
}

describe('the signed API through a CONNECT proxy', () => {
  for (const name of ['HTTPS_PROXY', 'https_proxy']) {
    test(`${name}: https with a private CA goes through the tunnel; the tunnel closes with the client`, async () => {
      process.env[name] = proxy.url;
      const c = new UtmosClient({ baseUrl: tlsUrl, apiId: sim.apiId, apiKey: sim.apiKey, ca: caPem });
      await roundTrip(c);
      assert.ok(proxy.targets.includes(hostPort(tlsUrl)), `CONNECT ${hostPort(tlsUrl)} seen: ${proxy.targets.join(', ')}`);
      assert.ok(proxy.openTunnels() > 0, 'the keep-alive tunnel stays open while the client lives');
      c.close();
      await waitUntil(() => proxy.openTunnels() === 0, 'no tunnel left after close');
    });
  }

  for (const name of ['HTTP_PROXY', 'http_proxy']) {
    test(`${name}: plain http goes through the tunnel`, async () => {
      process.env[name] = proxy.url;
      const c = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey });
      await roundTrip(c);
      assert.ok(proxy.targets.includes(hostPort(sim.http)), `CONNECT ${hostPort(sim.http)} seen: ${proxy.targets.join(', ')}`);
      c.close();
      await waitUntil(() => proxy.openTunnels() === 0, 'no tunnel left after close');
    });
  }

  test('HTTPS_PROXY is for https only; HTTP_PROXY for http only', async () => {
    process.env.HTTPS_PROXY = proxy.url;
    const plain = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey });
    await roundTrip(plain);
    plain.close();
    assert.deepEqual(proxy.targets, []);
    delete process.env.HTTPS_PROXY;
    process.env.HTTP_PROXY = proxy.url;
    const secure = new UtmosClient({ baseUrl: tlsUrl, apiId: sim.apiId, apiKey: sim.apiKey, ca: caPem });
    await roundTrip(secure);
    secure.close();
    assert.deepEqual(proxy.targets, []);
  });

  for (const [name, value] of [['NO_PROXY', '127.0.0.1'], ['no_proxy', 'example.com, 127.0.0.1'], ['NO_PROXY', '*'], ['no_proxy', '127.0.0.1:1']] as const) {
    test(`${name}=${value}`, async () => {
      process.env.HTTP_PROXY = proxy.url;
      process.env.HTTPS_PROXY = proxy.url;
      process.env[name] = value;
      const plain = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey });
      const secure = new UtmosClient({ baseUrl: tlsUrl, apiId: sim.apiId, apiKey: sim.apiKey, ca: caPem });
      await roundTrip(plain);
      await roundTrip(secure);
      plain.close();
      secure.close();
      // A host:port entry only bypasses that port; here the port matches neither server.
      const bypassed = !/:\d+$/.test(value);
      assert.deepEqual(proxy.targets.length === 0, bypassed, `CONNECTs seen: ${proxy.targets.join(', ')}`);
    });
  }

  test('a proxy that refuses the tunnel: a clear network error naming the proxy, never its password', async () => {
    proxy.refuseWith = 407;
    process.env.HTTPS_PROXY = proxy.url.replace('http://', 'http://corp-user:proxy-pw-777@');
    const c = new UtmosClient({ baseUrl: tlsUrl, apiId: sim.apiId, apiKey: sim.apiKey, ca: caPem, maxAttempts: 1 });
    try {
      await assert.rejects(c.getCommand('any-id'), (e: UtmosNetworkError) => {
        assert.ok(e instanceof UtmosNetworkError, String(e));
        assert.equal(e.code, 'PROXY_REFUSED');
        assert.match(e.message, /proxy http:\/\/127\.0\.0\.1:\d+ refused the tunnel .*407/);
        assert.match(e.message, /HTTPS_PROXY/);
        assert.ok(!JSON.stringify(e).includes('proxy-pw-777') && !String(e.stack).includes('proxy-pw-777'), e.message);
        return true;
      });
    } finally {
      c.close();
    }
  });
});

describe('the event stream and a proxy', () => {
  const connected = (conn: UtmosConnection) => eventStreamState(conn);

  test('ws:// goes through HTTP_PROXY; events arrive through the tunnel; close leaves no tunnel', async () => {
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = hostPort(sim.http); // the API direct, only the event stream through the proxy
    const conn = new UtmosConnection({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey, eventBrokerUrl: wsUrl });
    try {
      await connected(conn);
      assert.deepEqual(proxy.targets, [hostPort(wsUrl)], 'one CONNECT, to the WebSocket broker');
      const created = await conn.client.createCommand({ device_id: 'dock-001', command_type: 'debug_mode_open', payload: {}, idempotency_key: `proxy-ev-${seq++}`, timeout_seconds: 30 });
      const outcome = await conn.tracker.wait({ commandId: created.command_id, until: 'terminal', deadlineMs: 10_000 }).promise;
      assert.equal(outcome.kind, 'reached');
      await waitUntil(() => conn.tracker.stats.hints > 0, 'an event hint arrived through the tunnel');
    } finally {
      await conn.close();
    }
    await waitUntil(() => proxy.openTunnels() === 0, 'no tunnel left after close');
  });

  test('wss:// (private CA) goes through HTTPS_PROXY', async () => {
    process.env.HTTPS_PROXY = proxy.url;
    const conn = new UtmosConnection({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey, eventBrokerUrl: wssUrl, ca: caPem });
    try {
      await connected(conn);
      assert.deepEqual(proxy.targets, [hostPort(wssUrl)], 'one CONNECT, to the TLS WebSocket broker');
    } finally {
      await conn.close();
    }
    await waitUntil(() => proxy.openTunnels() === 0, 'no tunnel left after close');
  });

  test('a proxy that refuses the WebSocket tunnel: the stream says so (without the proxy password) and polling goes on', async () => {
    proxy.refuseWith = 407;
    process.env.HTTP_PROXY = proxy.url.replace('http://', 'http://corp-user:proxy-pw-778@');
    process.env.NO_PROXY = hostPort(sim.http);
    const details: string[] = [];
    const conn = new UtmosConnection({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey, eventBrokerUrl: wsUrl });
    try {
      const disconnected = new Promise<void>((resolve) => {
        conn.onEventState((state, detail) => {
          if (state === 'disconnected' && detail) {
            details.push(detail);
            resolve();
          }
        });
      });
      await withTimeout(disconnected, 10_000, () => `a disconnect detail; state ${conn.eventState}`);
      assert.match(details[0], /^the proxy http:\/\/127\.0\.0\.1:\d+ refused the tunnel \(HTTP 407\)$/);
      assert.ok(!details.join('\n').includes('proxy-pw-778'));
      const created = await conn.client.createCommand({ device_id: 'dock-001', command_type: 'debug_mode_open', payload: {}, idempotency_key: `proxy-ev-${seq++}`, timeout_seconds: 30 });
      assert.equal((await conn.tracker.wait({ commandId: created.command_id, until: 'terminal', deadlineMs: 10_000 }).promise).kind, 'reached');
    } finally {
      await conn.close();
    }
  });

  test('mqtt:// (TCP) cannot use an HTTP proxy: it connects straight to the broker', async () => {
    process.env.HTTP_PROXY = proxy.url;
    process.env.HTTPS_PROXY = proxy.url;
    process.env.NO_PROXY = hostPort(sim.http);
    const conn = new UtmosConnection({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey, eventBrokerUrl: sim.mqtt });
    try {
      await connected(conn);
      assert.deepEqual(proxy.targets, []);
    } finally {
      await conn.close();
    }
  });
});

describe('in a real Node-RED runtime', () => {
  test('dji-command through HTTP_PROXY', async () => {
    process.env.HTTP_PROXY = proxy.url;
    await helper.startServer();
    try {
      await helper.load(ALL_NODES, commandFlow({ sim, props: { timeoutSeconds: 10 } }), credsFor(sim));
      const ok = collect('ok');
      helper.getNode('n1').receive({ payload: 1 });
      assert.equal((await ok.next()).status, 'SUCCEEDED');
      assert.ok(proxy.targets.includes(hostPort(sim.http)), `CONNECT seen: ${proxy.targets.join(', ')}`);
    } finally {
      await helper.unload();
      await helper.stopServer();
    }
    await waitUntil(() => proxy.openTunnels() === 0, 'no tunnel left after the flow stopped');
  });
});
