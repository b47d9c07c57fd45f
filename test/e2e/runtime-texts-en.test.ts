// Runtime texts in English (lang en-US): see runtime-texts.ts.
import { runtimeTextScenario } from './runtime-texts';

runtimeTextScenario({
  lang: 'en-US',
  refusedLine: 'cover_open failed on dock-001: the dock is not (or no longer) in remote debug mode, which this needs; send debug_mode_open first, then retry',
  refusedBadge: 'FAILED: not in debug mode',
  waitingBadge: 'waiting for dock-404 (not delivered yet)',
  wrongDeviceLine:
    'dock-404 did not receive debug_mode_open within 2 s: the serial number may be wrong or the device offline; check the device id and that the device is online',
  wrongDeviceBadge: 'TIMED_OUT: no answer from dock-404',
  unwiredWarning:
    'dock-404 did not receive debug_mode_open within 2 s: the serial number may be wrong or the device offline; check the device id and that the device is online (output 2 is not wired, so this shows here)',
  badPayloadLine:
    /^Bad payload for flighttask_prepare: payload\.execute_time is required \(integer no less than 0, start time, Unix time in milliseconds\) \(and 8 more problem\(s\)\)$/,
  badPayloadBadge: 'payload.execute_time missing (+8)',
});
