/**
 * Status queries per command of a long wait, from a window shorter than the wait.
 *
 * Each status query goes into the one-second bin of its command's age (query time - the
 * platform's accepted_at); a bin's rate is its queries / the commands observed through that whole
 * second (bins observed for fewer than half the commands are left out). A command of H seconds
 * costs the sum of the first H rates plus one query for reading its result (after the event, or the
 * first poll after the dock answered). Seconds of age the window did not observe take the mean
 * rate of the trailing half of the observed seconds (at least ten): exact for a steady rate, an
 * overstatement while polling still backs off, and never blind to intervals longer than ten seconds.
 */
'use strict';
const { round } = require('./stats');

const TAIL_MIN_SECONDS = 10;

/** Per-second-of-age query rates of the commands (accepted: id -> ms) observed until windowEnd. */
function ageRates(accepted, statusCalls, windowEnd) {
  const coverage = new Map([...accepted].map(([id, a]) => [id, windowEnd - a]));
  const maxBins = Math.max(0, Math.floor(Math.max(0, ...coverage.values()) / 1000));
  const exposure = new Array(maxBins).fill(0);
  for (const c of coverage.values()) for (let k = 0; k < Math.min(maxBins, Math.floor(c / 1000)); k++) exposure[k]++;
  const calls = new Array(maxBins).fill(0);
  for (const { t, id } of statusCalls) {
    const a = accepted.get(id);
    if (a === undefined) continue;
    const k = Math.floor(Math.max(0, t - a) / 1000);
    if (k < maxBins && coverage.get(id) >= (k + 1) * 1000) calls[k]++;
  }
  const rates = [];
  for (let k = 0; k < maxBins && exposure[k] >= Math.max(1, accepted.size / 2); k++) rates.push(calls[k] / exposure[k]);
  return rates;
}

/** Mean rate of the trailing half of the observed seconds (at least the last ten). */
function tailRate(rates) {
  const last = rates.slice(-Math.max(TAIL_MIN_SECONDS, Math.floor(rates.length / 2)));
  return last.length ? last.reduce((a, b) => a + b, 0) / last.length : NaN;
}

/** Queries per command over the first horizonS seconds of age, +1 for reading the result. */
function estimatePerCommand(rates, horizonS) {
  const tail = tailRate(rates);
  let sum = 1;
  for (let k = 0; k < horizonS; k++) sum += k < rates.length ? rates[k] : tail;
  return sum;
}

/** The per-command figures of one long-wait run from its rates by age. */
function longWaitEstimates(rates, replyDelayMs) {
  return {
    status_calls_per_command: round(estimatePerCommand(rates, Math.round(replyDelayMs / 1000)), 2),
    status_calls_per_300s_command: round(estimatePerCommand(rates, 300), 2),
  };
}

module.exports = { ageRates, tailRate, estimatePerCommand, longWaitEstimates };
