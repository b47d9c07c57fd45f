/**
 * Small numeric helpers shared by the bench runner and its workers: rounding, percentiles, the
 * busiest sliding one-second window, and folding several runs into min / median / max.
 */
'use strict';

const round = (x, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);

/** Nearest-rank percentile of an ascending array (null when empty). */
function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/** Most timestamps (ms, ascending) inside any window of windowMs: the busiest second by default. */
function peakInWindow(times, windowMs = 1000) {
  let peak = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi] - times[lo] >= windowMs) lo++;
    peak = Math.max(peak, hi - lo + 1);
  }
  return peak;
}

function median(sorted) {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * Folds the results of several runs of one workload (objects of the same shape) into one object
 * of the same shape holding the median of every number (booleans: true only if true in every
 * run), and a parallel `range` tree of [min, median, max] for every number.
 */
function foldRuns(runs) {
  const present = runs.filter((r) => r !== null && r !== undefined);
  if (present.length === 0) return { value: null, range: null };
  const first = present[0];
  if (typeof first === 'number' || first === null) {
    const nums = present.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
    if (nums.length === 0) return { value: null, range: null };
    // Keep the precision of the inputs: the median of two 2-decimal figures stays 2-decimal.
    const decimals = Math.max(...nums.map((x) => (String(x).split('.')[1] || '').length));
    const med = round(median(nums), Math.max(decimals, 1));
    return { value: med, range: [nums[0], med, nums[nums.length - 1]] };
  }
  if (typeof first === 'boolean') return { value: present.every((x) => x === true), range: undefined };
  if (Array.isArray(first) || typeof first !== 'object') return { value: first, range: undefined };
  const value = {};
  const range = {};
  for (const key of Object.keys(first)) {
    const folded = foldRuns(present.map((r) => (r ? r[key] : undefined)));
    value[key] = folded.value;
    if (
      folded.range !== undefined &&
      folded.range !== null &&
      !(typeof folded.range === 'object' && !Array.isArray(folded.range) && Object.keys(folded.range).length === 0)
    ) {
      range[key] = folded.range;
    }
  }
  return { value, range };
}

module.exports = { round, percentile, peakInWindow, foldRuns };
