import { setMaxListeners } from 'events';

/**
 * An AbortController whose signal is shared by many concurrent requests (one node's in-flight
 * commands, the tracker's polls): each request adds and later removes its own listener, so the
 * default limit of 10 would warn about a leak that is not there.
 */
export function unlimitedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
