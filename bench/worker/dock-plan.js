/**
 * How a fleet workload feeds its docks: each dock gets its share of the N commands and works
 * through them one at a time (the next one when the previous one's result is out), and the docks'
 * first commands start spread over one typical reply duration (dock d after d/docks of it), as a
 * fleet whose docks are not synchronised.
 */
'use strict';

/** send(d) puts dock d's next command in; next(d) after its previous result, start() once. */
function dockPlan(n, docks, typicalReplyMs, send) {
  const left = Array.from({ length: docks }, (_, d) => Math.floor(n / docks) + (d < n % docks ? 1 : 0));
  const next = (d) => {
    if (left[d] === 0) return;
    left[d]--;
    send(d);
  };
  const start = () => {
    for (let d = 0; d < docks; d++) {
      const at = (d * typicalReplyMs) / docks;
      if (at === 0) next(d);
      else setTimeout(() => next(d), at);
    }
  };
  return { next, start };
}

module.exports = { dockPlan };
