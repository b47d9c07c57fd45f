/**
 * Every platform API call this process makes, seen from outside the product: Node's own
 * diagnostics channels for http.request and for undici (fetch), so the record does not depend on
 * which transport, client or tracker the package uses. Each call is time-stamped when it goes out
 * (http: when the request gets its socket from the agent, so a request queued in the agent counts
 * when it leaves the queue; undici: when its headers are sent), classified by method and path;
 * responses are counted by status. The bench's own /__sim control calls are left out.
 */
'use strict';
const dc = require('diagnostics_channel');
const { now } = require('./runtime');

const API_PREFIX = '/api/v1/open/';
const COMMANDS = `${API_PREFIX}downlink/commands`;
const REQUESTS = `${API_PREFIX}device-requests`;

/** 'create' | 'status' | 'list' | 'request' | 'reply' | 'other', and the command id of a status query. */
function classify(method, rawPath) {
  const p = rawPath.split('?')[0];
  if (p === COMMANDS) return { kind: method === 'POST' ? 'create' : 'other' };
  if (p.startsWith(`${COMMANDS}/`)) return { kind: method === 'GET' ? 'status' : 'other', id: decodeURIComponent(p.slice(COMMANDS.length + 1)) };
  if (p === REQUESTS) return { kind: method === 'GET' ? 'list' : 'other' };
  if (p.startsWith(`${REQUESTS}/`)) return { kind: p.endsWith('/reply') ? 'reply' : 'request' };
  return { kind: 'other' };
}

function apiCallRecorder() {
  /** { t, kind, id? } in the order the requests went out. */
  const calls = [];
  /** kind -> number of responses with a 2xx status. */
  const ok = {};
  const onStart = (method, rawPath) => {
    if (typeof rawPath !== 'string' || !rawPath.startsWith(API_PREFIX)) return;
    calls.push({ t: now(), ...classify(method, rawPath) });
  };
  const onResponse = (method, rawPath, status) => {
    if (typeof rawPath !== 'string' || !rawPath.startsWith(API_PREFIX) || !(status >= 200 && status < 300)) return;
    const { kind } = classify(method, rawPath);
    ok[kind] = (ok[kind] ?? 0) + 1;
  };
  const subscriptions = [
    ['http.client.request.start', ({ request }) => onStart(request.method, request.path)],
    ['http.client.response.finish', ({ request, response }) => onResponse(request.method, request.path, response.statusCode)],
    ['undici:client:sendHeaders', ({ request }) => onStart(request.method, request.path)],
    ['undici:request:headers', ({ request, response }) => onResponse(request.method, request.path, response.statusCode)],
  ];
  for (const [name, fn] of subscriptions) dc.subscribe(name, fn);

  const select = (kind, from = -Infinity, to = Infinity) => calls.filter((c) => (kind === undefined || c.kind === kind) && c.t >= from && c.t < to);
  return {
    calls,
    /** Calls of one kind (all kinds when undefined) that went out in [from, to). */
    select,
    count: (kind, from, to) => select(kind, from, to).length,
    /** Ascending times the calls of one kind (all kinds when undefined) went out. */
    times: (kind, from, to) => select(kind, from, to).map((c) => c.t),
    /** Number of 2xx responses of one kind so far. */
    answered: (kind) => ok[kind] ?? 0,
    reset() {
      calls.length = 0;
      for (const k of Object.keys(ok)) delete ok[k];
    },
    stop() {
      for (const [name, fn] of subscriptions) dc.unsubscribe(name, fn);
    },
  };
}

module.exports = { apiCallRecorder };
