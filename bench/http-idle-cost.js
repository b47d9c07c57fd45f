#!/usr/bin/env node
/**
 * node bench/http-idle-cost.js [requests]
 *
 * What one keep-alive GET with Node's bare http client costs this process in CPU, sent back to back
 * and sent one every 20 ms (the process sleeps in between, as a Node-RED process driving a fleet
 * does), next to what waking up for a bare 20 ms timer costs. The server runs in another process.
 * It explains why CPU per command depends on the command rate and why the bench's floor variant
 * costs what it does: no bench workload or package code is involved.
 */
'use strict';
const { fork } = require('child_process');
const http = require('http');

const GAP_MS = 20;

function serve() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
  });
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
}

const cpuMs = (start) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(port, n) {
  const agent = new http.Agent({ keepAlive: true });
  const get = () =>
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/x', agent }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        })
        .on('error', reject);
    });
  for (let i = 0; i < 200; i++) await get(); // warm-up: JIT and the keep-alive socket
  let start = process.cpuUsage();
  for (let i = 0; i < n; i++) await get();
  const backToBack = (cpuMs(start) * 1000) / n;
  const spacedN = Math.max(50, Math.round(n / 5));
  start = process.cpuUsage();
  for (let i = 0; i < spacedN; i++) {
    await get();
    await pause(GAP_MS);
  }
  const spaced = (cpuMs(start) * 1000) / spacedN;
  start = process.cpuUsage();
  for (let i = 0; i < spacedN; i++) await pause(GAP_MS);
  const wake = (cpuMs(start) * 1000) / spacedN;
  agent.destroy();
  return { backToBack, spaced, wake };
}

if (process.argv[2] === '--serve') serve();
else {
  const n = Number(process.argv[2]) || 1000;
  const server = fork(__filename, ['--serve']);
  server.once('message', async (port) => {
    try {
      const r = await measure(port, n);
      const us = (x) => `${x.toFixed(0)} µs`;
      process.stdout.write(
        [
          `Node ${process.version}, keep-alive GET to a local server in another process (CPU of this process, user + system)`,
          `back to back:              ${us(r.backToBack)} per request`,
          `one every ${GAP_MS} ms:            ${us(r.spaced)} per request, of which waking up for the ${GAP_MS} ms timer ${us(r.wake)}`,
          `request alone when spaced: ${us(r.spaced - r.wake)}`,
        ].join('\n') + '\n',
      );
    } finally {
      server.kill();
    }
  });
}
