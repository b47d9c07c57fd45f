/**
 * What the dock does with each DJI service it is sent: one handler per method (or group of methods)
 * deciding the outcome and making its state change. Methods without a handler succeed.
 */
import { DJI_CODES } from '../dji-codes';
import { nonEmptyString } from '../json';
import type { DockDevice, DockState } from './device';
import type { Missions } from './mission';
import { Outcome, done, fail, succeeded } from './outcome';

export interface ServiceCall {
  dock: DockDevice;
  missions: Missions;
  method: string;
  data: Record<string, unknown>;
}

export type ServiceHandler = (call: ServiceCall) => Outcome | Promise<Outcome>;

/** A long-running job: in_progress reply, then same-named (or dedicated) progress events to ok. */
function job(dock: DockDevice, method: string, eventMethod: string, onDone: () => void): Outcome {
  return {
    result: 0,
    output: { status: 'in_progress' },
    after: ({ bid }) => {
      const progress = (status: string, percent: number): Record<string, unknown> => ({
        result: 0,
        output: { status, progress: { percent, step_key: method } },
      });
      const total = dock.options.jobDurationMs;
      dock.later(Math.max(1, Math.floor(total / 2)), () => dock.sendEvent(eventMethod, bid, progress('in_progress', 50)));
      dock.later(total, () => {
        onDone();
        dock.sendEvent(eventMethod, bid, progress('ok', 100));
      });
    },
  };
}

/** Remote-debug jobs (they need debug mode) and the state each leaves behind when it completes. */
const DEBUG_JOB_EFFECTS: Record<string, (state: DockState, dock: DockDevice) => void> = {
  cover_open: (s) => (s.coverState = 1),
  cover_close: (s) => (s.coverState = 0),
  cover_force_close: (s) => (s.coverState = 0),
  drone_open: (s, dock) => {
    s.droneOnline = true;
    dock.announceTopology();
  },
  drone_close: (s, dock) => {
    s.droneOnline = false;
    dock.announceTopology();
  },
  charge_open: (s) => (s.chargeState = 1),
  charge_close: (s) => (s.chargeState = 0),
  putter_open: (s) => (s.putterState = 1),
  putter_close: (s) => (s.putterState = 0),
  device_reboot: () => undefined,
  device_format: () => undefined,
  drone_format: () => undefined,
};

const debugJob: ServiceHandler = ({ dock, method }) => {
  if (!dock.state.debugMode) return fail(DJI_CODES.NOT_IN_DEBUG_MODE);
  const effect = DEBUG_JOB_EFFECTS[method];
  return job(dock, method, method, () => effect?.(dock.state, dock));
};

const supplementLight: ServiceHandler = ({ dock, method }) => {
  if (!dock.state.debugMode) return fail(DJI_CODES.NOT_IN_DEBUG_MODE);
  dock.state.supplementLightState = method === 'supplement_light_open' ? 1 : 0;
  return done();
};

const recording: ServiceHandler = ({ dock, method, data }) => {
  const idx = data.payload_index;
  if (!nonEmptyString(idx)) return fail(DJI_CODES.PARAMETER_ERROR, 'payload_index');
  const state = dock.state;
  const isRecording = state.recording.get(idx) === true;
  if (method === 'camera_recording_start') {
    if (isRecording) return fail(DJI_CODES.RECORDING_START_FAILED);
    state.recording.set(idx, true);
    state.cameraMode.set(idx, 1);
  } else {
    if (!isRecording) return fail(DJI_CODES.RECORDING_STOP_FAILED);
    state.recording.set(idx, false);
  }
  return succeeded();
};

const liveStart: ServiceHandler = ({ dock, data }) => {
  const videoId = data.video_id;
  if (!nonEmptyString(videoId)) return fail(DJI_CODES.LIVE_PARAMETER_ERROR, 'video_id');
  if (!nonEmptyString(data.url)) return fail(DJI_CODES.LIVE_PARAMETER_ERROR, 'url');
  if (dock.state.live.has(videoId)) return fail(DJI_CODES.LIVE_ALREADY_STREAMING);
  dock.state.live.set(videoId, {
    url: data.url,
    url_type: typeof data.url_type === 'number' ? data.url_type : 1,
    video_quality: typeof data.video_quality === 'number' ? data.video_quality : 0,
  });
  return succeeded();
};

/** live_stop_push, live_set_quality, live_lens_change, live_camera_change: on a running stream only. */
const liveChange: ServiceHandler = ({ dock, method, data }) => {
  const videoId = data.video_id;
  if (!nonEmptyString(videoId)) return fail(DJI_CODES.LIVE_PARAMETER_ERROR, 'video_id');
  const stream = dock.state.live.get(videoId);
  if (!stream) return fail(DJI_CODES.LIVE_NOT_STARTED);
  if (method === 'live_stop_push') dock.state.live.delete(videoId);
  if (method === 'live_set_quality' && typeof data.video_quality === 'number') stream.video_quality = data.video_quality;
  return succeeded();
};

const fileUploadList: ServiceHandler = ({ dock }) => ({
  result: 0,
  extra: {
    files: [
      {
        device_sn: dock.sn,
        module: '3',
        result: 0,
        list: [{ boot_index: 1, start_time: Date.now() - 3_600_000, end_time: Date.now(), size: 24_576 }],
      },
    ],
  },
});

export const SERVICE_HANDLERS: Readonly<Record<string, ServiceHandler>> = {
  ...Object.fromEntries(Object.keys(DEBUG_JOB_EFFECTS).map((m) => [m, debugJob])),
  supplement_light_open: supplementLight,
  supplement_light_close: supplementLight,
  air_conditioner_mode_switch: done,
  alarm_state_switch: done,
  battery_maintenance_switch: done,
  battery_store_mode_switch: done,
  debug_mode_open: ({ dock, missions }) => {
    if (missions.executing) return fail(DJI_CODES.TASK_RUNNING_NO_DEBUG);
    dock.state.debugMode = true;
    dock.state.modeCode = 2;
    return done();
  },
  debug_mode_close: ({ dock }) => {
    dock.state.debugMode = false;
    if (dock.state.modeCode === 2) dock.state.modeCode = 0;
    return done();
  },
  flighttask_prepare: ({ missions, data }) => missions.prepare(data),
  flighttask_execute: ({ missions, data }) => missions.execute(data),
  flighttask_pause: ({ missions }) => missions.pause(),
  flighttask_recovery: ({ missions }) => missions.resume(),
  flighttask_undo: ({ missions, data }) => missions.undo(data),
  return_home: ({ missions }) => missions.returnHome(),
  return_home_cancel: ({ missions }) => missions.cancelReturnHome(),
  camera_recording_start: recording,
  camera_recording_stop: recording,
  camera_mode_switch: ({ dock, data }) => {
    if (nonEmptyString(data.payload_index) && typeof data.camera_mode === 'number') {
      dock.state.cameraMode.set(data.payload_index, data.camera_mode);
    }
    return succeeded();
  },
  live_start_push: liveStart,
  live_stop_push: liveChange,
  live_set_quality: liveChange,
  live_lens_change: liveChange,
  live_camera_change: liveChange,
  ota_create: ({ dock, method }) => job(dock, method, 'ota_progress', () => undefined),
  fileupload_list: fileUploadList,
  unlock_license_list: ({ data }) => ({
    result: 0,
    extra: {
      device_model_domain: typeof data.device_model_domain === 'number' ? data.device_model_domain : 0,
      consistence: true,
      licenses: [],
    },
  }),
  unlock_license_switch: ({ data }) => ({ result: 0, extra: { license_id: data.license_id ?? 0 } }),
  drone_control: ({ data }) => ({ result: 0, output: { seq: data.seq ?? 0 } }),
};

/** Decides the outcome of one service call and applies its immediate state change. */
export function runService(call: ServiceCall): Outcome | Promise<Outcome> {
  const handler = Object.prototype.hasOwnProperty.call(SERVICE_HANDLERS, call.method) ? SERVICE_HANDLERS[call.method] : undefined;
  return handler ? handler(call) : succeeded();
}
