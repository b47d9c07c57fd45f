/**
 * Hand-written knowledge layered on top of payload-specs.generated.ts: one-line summaries,
 * ranges/enums/descriptions read from the DJI Cloud API prose (shared/spec/dji-cloud-api.md §3-4)
 * and the UTMOS field descriptions (utmos-open-platform.md §8.4-8.5), example templates and
 * cross-field rules.
 *
 * `fields` refines generated fields by path (a path not in the generated list must give `type`
 * and `required`; it is then added). Required flags of UTMOS-confirmed fields are never relaxed
 * here (a test checks this against the UTMOS list).
 */
import type { ConditionalRule, FieldSpec } from './types';

export interface MethodAnnotation {
  summary: string;
  /** The dock only accepts it in remote debug mode (after debug_mode_open), else result 514153. */
  needsDebugMode?: boolean;
  fields?: Record<string, Partial<FieldSpec>>;
  /** Full example payload; when absent one is built from the fields (see index.ts). */
  template?: Record<string, unknown>;
  rules?: ConditionalRule[];
}

// ---- shared field refinements ------------------------------------------------------------

const PAYLOAD_INDEX: Partial<FieldSpec> = {
  pattern: '^\\d+-\\d+-\\d+$',
  description: 'camera enumeration like "80-0-0" ({type-subtype-gimbalindex}: M3D "80-0-0", M3TD "81-0-0", M30 "52-0-0")',
};
const CAMERA_TYPE: Partial<FieldSpec> = { enum: ['wide', 'zoom', 'ir'], description: 'lens: "wide", "zoom" or "ir"' };
const LOCKED: Partial<FieldSpec> = { description: 'true keeps the aircraft heading locked, false lets the aircraft turn with the gimbal' };
const NORM_X: Partial<FieldSpec> = { min: 0, max: 1, description: 'horizontal position in the view, 0 (left) to 1 (right)' };
const NORM_Y: Partial<FieldSpec> = { min: 0, max: 1, description: 'vertical position in the view, 0 (top) to 1 (bottom)' };
const NORM_W: Partial<FieldSpec> = { min: 0, max: 1, description: 'width as a fraction of the view, 0 to 1' };
const NORM_H: Partial<FieldSpec> = { min: 0, max: 1, description: 'height as a fraction of the view, 0 to 1' };
const LAT: Partial<FieldSpec> = { min: -90, max: 90, description: 'latitude in degrees (WGS84)' };
const LON: Partial<FieldSpec> = { min: -180, max: 180, description: 'longitude in degrees (WGS84)' };
const PSDK_INDEX: Partial<FieldSpec> = { min: 0, description: 'PSDK payload index (0 for the first payload)' };
const VIDEO_ID: Partial<FieldSpec> = {
  min: 1,
  description: 'stream id {sn}/{camera_index}/{video_index}, like "1581F5BMD228Q00A82XX/80-0-0/normal-0"',
};
const VIDEO_QUALITY: Partial<FieldSpec> = {
  enum: [0, 1, 2, 3, 4],
  description: '0 adaptive, 1 smooth, 2 standard, 3 high, 4 super high definition',
};
const FLIGHT_ID: Partial<FieldSpec> = { min: 1, description: 'task id (a UUID chosen by the caller)' };
const MAX_SPEED_1_15: Partial<FieldSpec> = { min: 1, max: 15, description: 'maximum speed in m/s (1-15)' };
const ON_OFF: Partial<FieldSpec> = { enum: [0, 1], description: '0 off, 1 on' };
const ENABLE_01: Partial<FieldSpec> = { enum: [0, 1], description: '0 disabled, 1 enabled' };
const POINT_FIELDS: Record<string, Partial<FieldSpec>> = {
  points: { min: 1, max: 1, description: 'target points; exactly one point is supported' },
  'points[].latitude': LAT,
  'points[].longitude': LON,
  'points[].height': { description: 'target height in metres (WGS84 ellipsoid height)' },
};
const SIMULATE_MISSION: Record<string, Partial<FieldSpec>> = {
  simulate_mission: { description: 'simulated take-off position (testing only)' },
  'simulate_mission.is_enable': ENABLE_01,
  'simulate_mission.latitude': LAT,
  'simulate_mission.longitude': LON,
};
const payloadOnly = (summary: string): MethodAnnotation => ({ summary, fields: { payload_index: PAYLOAD_INDEX } });

// ---- per-method annotations ----------------------------------------------------------------

export const ANNOTATIONS: Readonly<Record<string, MethodAnnotation>> = {
  // device
  cover_open: { summary: 'Open the dock cover', needsDebugMode: true },
  cover_close: { summary: 'Close the dock cover', needsDebugMode: true },
  cover_force_close: { summary: 'Force the dock cover closed', needsDebugMode: true },
  drone_open: { summary: 'Power on the aircraft in the dock', needsDebugMode: true },
  drone_close: { summary: 'Power off the aircraft in the dock', needsDebugMode: true },
  charge_open: { summary: 'Start charging the aircraft', needsDebugMode: true },
  charge_close: { summary: 'Stop charging the aircraft', needsDebugMode: true },
  device_reboot: { summary: 'Reboot the dock', needsDebugMode: true },
  device_format: { summary: 'Format the dock storage', needsDebugMode: true },
  drone_format: { summary: 'Format the aircraft storage', needsDebugMode: true },
  putter_open: { summary: 'Open the landing-pad push rods (Dock 1)', needsDebugMode: true },
  putter_close: { summary: 'Close the landing-pad push rods (Dock 1)', needsDebugMode: true },
  debug_mode_open: { summary: 'Enter remote debug mode (needed for manual dock actions)' },
  debug_mode_close: { summary: 'Leave remote debug mode' },
  supplement_light_open: { summary: 'Turn the dock fill light on', needsDebugMode: true },
  supplement_light_close: { summary: 'Turn the dock fill light off', needsDebugMode: true },
  battery_maintenance_switch: {
    summary: 'Turn aircraft battery maintenance on or off',
    fields: { action: ON_OFF },
    template: { action: 1 },
  },
  air_conditioner_mode_switch: {
    summary: 'Set the dock air-conditioner mode',
    fields: { action: { enum: [0, 1, 2, 3], description: '0 idle, 1 cooling, 2 heating, 3 dehumidifying' } },
    template: { action: 1 },
  },
  alarm_state_switch: {
    summary: 'Turn the dock sound-and-light alarm on or off',
    fields: { action: ON_OFF },
    template: { action: 1 },
  },
  battery_store_mode_switch: {
    summary: 'Choose the battery storage mode (plan or standby)',
    fields: { action: { enum: [1, 2], description: '1 plan mode, 2 standby mode' } },
    template: { action: 1 },
  },
  sdr_workmode_switch: {
    summary: 'Choose the video-link work mode (SDR only or SDR + 4G)',
    fields: { link_workmode: { min: 0, description: 'link work mode (DJI enum; 0 SDR only, 1 SDR with 4G enhancement)' } },
    template: { link_workmode: 1 },
  },

  // camera
  camera_mode_switch: {
    summary: 'Switch the camera mode (photo, video, low light, panorama)',
    fields: {
      payload_index: PAYLOAD_INDEX,
      camera_mode: { enum: [0, 1, 2, 3], description: '0 photo, 1 video, 2 low-light smart, 3 panorama' },
    },
    template: { payload_index: '80-0-0', camera_mode: 0 },
  },
  camera_photo_take: payloadOnly('Take a photo'),
  camera_photo_stop: payloadOnly('Stop a panorama capture'),
  camera_recording_start: payloadOnly('Start recording video'),
  camera_recording_stop: payloadOnly('Stop recording video'),
  camera_screen_drag: {
    summary: 'Turn the gimbal by dragging the view',
    fields: {
      payload_index: PAYLOAD_INDEX,
      locked: LOCKED,
      pitch_speed: { description: 'gimbal pitch speed in degrees per second' },
      yaw_speed: { description: 'gimbal yaw speed in degrees per second' },
    },
    template: { payload_index: '80-0-0', locked: false, pitch_speed: 5, yaw_speed: 0 },
  },
  camera_aim: {
    summary: 'Aim the camera at a spot in the view',
    fields: { payload_index: PAYLOAD_INDEX, camera_type: CAMERA_TYPE, locked: LOCKED, x: NORM_X, y: NORM_Y },
    template: { payload_index: '80-0-0', camera_type: 'wide', locked: false, x: 0.5, y: 0.5 },
  },
  camera_focal_length_set: {
    summary: 'Set the camera zoom factor',
    fields: {
      payload_index: PAYLOAD_INDEX,
      camera_type: CAMERA_TYPE,
      zoom_factor: { min: 0, description: 'zoom factor (the valid range depends on the lens)' },
    },
    template: { payload_index: '80-0-0', camera_type: 'zoom', zoom_factor: 5 },
  },
  camera_frame_zoom: {
    summary: 'Zoom in on a selected area of the view (Dock 2)',
    fields: {
      payload_index: PAYLOAD_INDEX,
      camera_type: CAMERA_TYPE,
      locked: LOCKED,
      x: NORM_X,
      y: NORM_Y,
      width: NORM_W,
      height: NORM_H,
    },
    template: { payload_index: '80-0-0', camera_type: 'zoom', locked: false, x: 0.4, y: 0.4, width: 0.2, height: 0.2 },
  },
  camera_look_at: {
    summary: 'Point the camera at a geographic position',
    fields: {
      payload_index: PAYLOAD_INDEX,
      locked: LOCKED,
      latitude: LAT,
      longitude: LON,
      height: { description: 'target height in metres (WGS84 ellipsoid height)' },
    },
    template: { payload_index: '80-0-0', locked: false, latitude: 22.5431, longitude: 113.9427, height: 60 },
  },
  camera_screen_split: {
    summary: 'Turn the split-screen view on or off',
    fields: { payload_index: PAYLOAD_INDEX, enable: { description: 'true shows wide and zoom side by side' } },
    template: { payload_index: '80-0-0', enable: true },
  },
  camera_exposure_mode_set: {
    summary: 'Set the camera exposure mode',
    fields: {
      payload_index: PAYLOAD_INDEX,
      camera_type: CAMERA_TYPE,
      exposure_mode: { enum: [1, 2, 3, 4], description: '1 auto, 2 shutter priority, 3 aperture priority, 4 manual' },
    },
    template: { payload_index: '80-0-0', camera_type: 'zoom', exposure_mode: 1 },
  },
  camera_exposure_set: {
    summary: 'Set the exposure compensation',
    fields: {
      payload_index: PAYLOAD_INDEX,
      camera_type: CAMERA_TYPE,
      exposure_value: {
        enum: [...Array.from({ length: 31 }, (_, i) => String(i + 1)), '255'],
        description: 'exposure value as a string: "1" = -5.0 EV ... "16" = 0 EV ... "31" = +5.0 EV, "255" = fixed',
      },
    },
    template: { payload_index: '80-0-0', camera_type: 'zoom', exposure_value: '16' },
  },
  camera_focus_mode_set: {
    summary: 'Set the camera focus mode (MF, AF-S, AF-C)',
    fields: {
      payload_index: PAYLOAD_INDEX,
      camera_type: CAMERA_TYPE,
      focus_mode: { enum: [0, 1, 2], description: '0 manual (MF), 1 single auto (AF-S), 2 continuous auto (AF-C)' },
    },
    template: { payload_index: '80-0-0', camera_type: 'zoom', focus_mode: 1 },
  },
  camera_focus_value_set: {
    summary: 'Set the manual focus value',
    fields: { payload_index: PAYLOAD_INDEX, camera_type: CAMERA_TYPE, focus_value: { description: 'focus value (range reported by the camera)' } },
    template: { payload_index: '80-0-0', camera_type: 'zoom', focus_value: 100 },
  },
  camera_point_focus_action: {
    summary: 'Focus on a point in the view',
    fields: { payload_index: PAYLOAD_INDEX, camera_type: CAMERA_TYPE, x: NORM_X, y: NORM_Y },
    template: { payload_index: '80-0-0', camera_type: 'zoom', x: 0.5, y: 0.5 },
  },
  gimbal_reset: {
    summary: 'Reset the gimbal (recenter or point down)',
    fields: {
      payload_index: PAYLOAD_INDEX,
      reset_mode: { enum: [0, 1, 2, 3], description: '0 recenter, 1 down, 2 recenter pan only, 3 pitch down only' },
    },
    template: { payload_index: '80-0-0', reset_mode: 0 },
  },

  // drc (live flight control)
  flight_authority_grab: { summary: 'Take flight control authority' },
  payload_authority_grab: payloadOnly('Take camera (payload) control authority'),
  drc_mode_enter: {
    summary: 'Enter live flight control (DRC) mode',
    fields: {
      mqtt_broker: { description: 'MQTT broker the dock connects to for the DRC link' },
      'mqtt_broker.address': { min: 1, description: 'broker host:port, like "mqtt.example.com:8883"' },
      'mqtt_broker.expire_time': { min: 0, description: 'credential expiry, Unix time in seconds' },
      'mqtt_broker.enable_tls': { description: 'true to connect with TLS' },
      osd_frequency: { min: 1, max: 30, description: 'OSD push rate in Hz (1-30)' },
      hsi_frequency: { min: 1, max: 30, description: 'obstacle (HSI) push rate in Hz (1-30)' },
    },
    template: {
      mqtt_broker: {
        address: 'mqtt.example.com:8883',
        client_id: 'drc-1581F5BMD228Q00A82XX',
        username: 'drc-user',
        password: 'drc-password',
        expire_time: 1767229200,
        enable_tls: true,
      },
      osd_frequency: 10,
      hsi_frequency: 1,
    },
  },
  drc_mode_exit: { summary: 'Leave live flight control (DRC) mode' },
  takeoff_to_point: {
    summary: 'Take off from the dock and fly to a point (one-key takeoff)',
    fields: {
      target_latitude: LAT,
      target_longitude: LON,
      target_height: { min: 2, max: 1500, description: 'target height in metres (ellipsoid, 2-1500)' },
      security_takeoff_height: {
        min: 2,
        max: 1500,
        description: 'safe take-off height in metres relative to the dock (Dock 2: 20-1500, Dock 1: 2-1500)',
      },
      rth_mode: { enum: [0, 1], description: '0 smart altitude, 1 preset altitude' },
      rth_altitude: { min: 2, max: 1500, description: 'return-to-home altitude in metres relative to the dock (2-1500)' },
      rc_lost_action: { enum: [0, 1, 2], description: 'on remote-control signal loss: 0 hover, 1 land, 2 return home' },
      commander_mode_lost_action: { enum: [0, 1], description: 'on signal loss during the fly-to: 0 continue, 1 exit and apply rc_lost_action' },
      commander_flight_mode: { enum: [0, 1], description: '0 smart height flight, 1 set height flight' },
      commander_flight_height: { min: 2, max: 3000, description: 'fly-to height in metres (2-3000)' },
      flight_id: FLIGHT_ID,
      // UTMOS takeoff_to_point page (utmos-open-platform.md §8.5): "max speed 1–15 m/s optional".
      max_speed: { ...MAX_SPEED_1_15, required: false },
      ...SIMULATE_MISSION,
      flight_safety_advance_check: { description: 'true to run the advanced flight-safety check' },
    },
    template: {
      target_latitude: 22.5431,
      target_longitude: 113.9427,
      target_height: 150,
      security_takeoff_height: 100,
      rth_mode: 1,
      rth_altitude: 100,
      rc_lost_action: 2,
      commander_mode_lost_action: 1,
      commander_flight_mode: 1,
      commander_flight_height: 100,
      flight_id: 'b1f4c9d2-6a3e-4c8f-9e21-7d5a0c3b8f16',
      max_speed: 12,
    },
  },
  fly_to_point: {
    summary: 'Fly to a target point',
    fields: {
      fly_to_id: { min: 1, description: 'fly-to task id (a UUID chosen by the caller)' },
      max_speed: { min: 0, max: 15, description: 'maximum speed in m/s (0-15)' },
      ...POINT_FIELDS,
    },
    template: {
      fly_to_id: '3e7a9c20-5b1d-4f6e-8a42-c9d0e1f2a3b4',
      max_speed: 12,
      points: [{ latitude: 22.5431, longitude: 113.9427, height: 150 }],
    },
  },
  fly_to_point_stop: { summary: 'Stop the current fly-to' },
  fly_to_point_update: {
    summary: 'Change the target of the current fly-to',
    fields: { max_speed: MAX_SPEED_1_15, ...POINT_FIELDS },
    template: { max_speed: 12, points: [{ latitude: 22.5435, longitude: 113.943, height: 150 }] },
  },
  drone_control: {
    summary: 'Send one DRC velocity frame (seq, x, y, h, w)',
    fields: {
      seq: { min: 0, description: 'frame sequence number, increasing' },
      x: { description: 'forward (+) / backward (-) speed in m/s' },
      y: { description: 'right (+) / left (-) speed in m/s' },
      h: { description: 'up (+) / down (-) speed in m/s' },
      w: { description: 'yaw rate in degrees per second, clockwise (+)' },
    },
    template: { seq: 1, x: 0, y: 0, h: 0, w: 0 },
  },
  stick_control: {
    summary: 'Send virtual stick positions (roll, pitch, throttle, yaw)',
    fields: {
      roll: { min: 364, max: 1684, description: 'stick value 364-1684, 1024 = centre' },
      pitch: { min: 364, max: 1684, description: 'stick value 364-1684, 1024 = centre' },
      throttle: { min: 364, max: 1684, description: 'stick value 364-1684, 1024 = centre (hover)' },
      yaw: { min: 364, max: 1684, description: 'stick value 364-1684, 1024 = centre' },
    },
    template: { roll: 1024, pitch: 1024, throttle: 1024, yaw: 1024 },
  },
  drone_emergency_stop: { summary: 'Emergency brake: stop and hover' },
  heart_beat: {
    summary: 'Keep the DRC link alive (heartbeat)',
    fields: {
      seq: { min: 0, description: 'sequence number (deprecated in data; DJI moved it to the envelope)' },
      timestamp: { min: 0, description: 'Unix time in milliseconds' },
    },
    template: { timestamp: 1767225600000 },
  },

  // wayline
  flighttask_create: {
    summary: 'Create a wayline task',
    fields: {
      flight_id: FLIGHT_ID,
      type: { description: 'wayline type, like "wayline", "mapping_2d", "mapping_3d" or "mapping_strip"' },
      'file.url': { min: 1, description: 'URL of the wayline file (.kmz)' },
      'file.sign': { description: 'MD5 of the wayline file' },
    },
    template: {
      flight_id: 'c5f1a2e4-3b6d-4f1e-9a57-2d0e8b7c1f30',
      type: 'wayline',
      file: { url: 'https://storage.example.com/waylines/survey.kmz', sign: '9e107d9d372bb6826bd81d3542a419d6' },
    },
  },
  flighttask_prepare: {
    summary: 'Send a wayline task to the dock (prepare)',
    fields: {
      flight_id: FLIGHT_ID,
      task_type: { enum: [0, 1, 2], description: '0 immediate, 1 timed, 2 conditional' },
      execute_time: { min: 0, description: 'start time, Unix time in milliseconds' },
      file: { description: 'wayline file' },
      'file.url': { min: 1, description: 'URL of the wayline file (.kmz)' },
      'file.fingerprint': { description: 'MD5 of the wayline file' },
      rth_altitude: { min: 20, max: 1500, description: 'return-to-home altitude in metres (20-1500)' },
      rth_mode: { enum: [0, 1], description: '0 smart altitude, 1 preset altitude (the dock supports 1)' },
      out_of_control_action: { enum: [0, 1, 2], description: 'on signal loss: 0 return home, 1 hover, 2 land' },
      exit_wayline_when_rc_lost: { enum: [0, 1], description: '0 continue the wayline, 1 exit and apply out_of_control_action' },
      wayline_precision_type: { enum: [0, 1], description: '0 GPS, 1 RTK (Dock 2)' },
      ready_conditions: { description: 'when a conditional task may start (required for task_type 2)' },
      'ready_conditions.battery_capacity': { min: 0, max: 100, description: 'minimum battery level in percent' },
      'ready_conditions.begin_time': { min: 0, description: 'window start, Unix time in milliseconds' },
      'ready_conditions.end_time': { min: 0, description: 'window end, Unix time in milliseconds' },
      executable_conditions: { description: 'conditions checked before the task runs' },
      'executable_conditions.storage_capacity': { min: 0, description: 'minimum free storage in MB' },
      break_point: { description: 'resume a task from a breakpoint' },
      'break_point.state': { enum: [0, 1], description: '0 on a segment, 1 on a waypoint' },
      'break_point.progress': { min: 0, max: 1, description: 'progress on the segment, 0 to 1' },
      ...SIMULATE_MISSION,
      flight_safety_advance_check: { description: 'true to run the advanced flight-safety check (Dock 2)' },
    },
    rules: [
      // DJI prose (dji-cloud-api.md §4): execute_time is required for task types 0/1. UTMOS marks
      // it required for every task type, so that rule never fires alone; it is kept so the
      // conditional requirement stays documented if UTMOS relaxes the flag.
      { if: { path: 'task_type', in: [0, 1], label: 'task_type is 0 (immediate) or 1 (timed)' }, then: 'execute_time' },
      { if: { path: 'task_type', in: [2], label: 'task_type is 2 (conditional)' }, then: 'ready_conditions' },
    ],
    template: {
      flight_id: 'c5f1a2e4-3b6d-4f1e-9a57-2d0e8b7c1f30',
      task_type: 0,
      execute_time: 1767225600000,
      file: { url: 'https://storage.example.com/waylines/survey.kmz', fingerprint: '9e107d9d372bb6826bd81d3542a419d6' },
      rth_altitude: 100,
      rth_mode: 1,
      out_of_control_action: 0,
      exit_wayline_when_rc_lost: 1,
      wayline_precision_type: 1,
    },
  },
  flighttask_execute: {
    summary: 'Start a prepared wayline task',
    fields: { flight_id: FLIGHT_ID, multi_dock_task: { description: 'leapfrog (multi-dock) task settings, Dock 2 only' } },
    template: { flight_id: 'c5f1a2e4-3b6d-4f1e-9a57-2d0e8b7c1f30' },
  },
  flighttask_pause: { summary: 'Pause the running wayline task' },
  flighttask_recovery: { summary: 'Resume the paused wayline task' },
  flighttask_undo: {
    summary: 'Cancel wayline tasks that have not started',
    fields: {
      flight_ids: { min: 1, description: 'ids of the tasks to cancel' },
      'flight_ids[]': { type: 'string', required: true, min: 1, description: 'task id', source: 'catalogue' },
    },
    template: { flight_ids: ['c5f1a2e4-3b6d-4f1e-9a57-2d0e8b7c1f30'] },
  },
  return_home: { summary: 'Return the aircraft to the dock' },
  return_home_cancel: { summary: 'Cancel return to home (the aircraft hovers)' },
  flight_setup_abort: { summary: 'Abort take-off preparation (Dock 1)' },

  // psdk
  psdk_widget_value_set: {
    summary: 'Set a PSDK widget value',
    fields: { psdk_index: PSDK_INDEX, index: { min: 0, description: 'widget index' }, value: { description: 'widget value' } },
    template: { psdk_index: 0, index: 0, value: 1 },
  },
  psdk_input_box_text_set: {
    summary: 'Fill a PSDK text input box',
    fields: { psdk_index: PSDK_INDEX, value: { description: 'text to send' } },
    template: { psdk_index: 0, value: 'hello' },
  },
  speaker_audio_play_start: {
    summary: 'Play an audio file on the speaker',
    fields: {
      psdk_index: PSDK_INDEX,
      'file.name': { description: 'file name shown to operators' },
      'file.url': { min: 1, description: 'URL the speaker downloads the audio from' },
      'file.md5': { description: 'MD5 of the audio file' },
      'file.format': { description: 'audio format, like "pcm"' },
    },
    template: {
      psdk_index: 0,
      file: {
        name: 'keep-clear.pcm',
        url: 'https://storage.example.com/audio/keep-clear.pcm',
        md5: 'e2fc714c4727ee9395f324cd2e7f331f',
        format: 'pcm',
      },
    },
  },
  speaker_tts_play_start: {
    summary: 'Speak a text on the speaker (TTS)',
    fields: {
      psdk_index: PSDK_INDEX,
      'tts.name': { description: 'name shown to operators' },
      'tts.text': { min: 1, description: 'text to speak' },
      'tts.md5': { description: 'MD5 of the text' },
    },
    template: {
      psdk_index: 0,
      tts: { name: 'keep-clear', text: 'Please keep clear of the dock.', md5: '5d41402abc4b2a76b9719d911017c592' },
    },
  },
  speaker_replay: { summary: 'Replay the last speaker audio', fields: { psdk_index: PSDK_INDEX }, template: { psdk_index: 0 } },
  speaker_play_stop: { summary: 'Stop speaker playback', fields: { psdk_index: PSDK_INDEX }, template: { psdk_index: 0 } },
  speaker_play_mode_set: {
    summary: 'Set the speaker play mode (single or loop)',
    fields: { psdk_index: PSDK_INDEX, play_mode: { min: 0, description: 'play mode (DJI enum; 0 single, 1 loop)' } },
    template: { psdk_index: 0, play_mode: 0 },
  },
  speaker_play_volume_set: {
    summary: 'Set the speaker volume (0-100)',
    fields: {
      psdk_index: { min: 0, max: 3, description: 'PSDK payload index (0-3)' },
      index: { min: 0, description: 'speaker index on the payload (UTMOS field)' },
      play_volume: { min: 0, max: 100, description: 'volume in percent (0-100)' },
    },
    template: { psdk_index: 0, index: 0, play_volume: 60 },
  },
  custom_data_transmission_to_psdk: {
    summary: 'Send custom data to a PSDK payload',
    fields: { value: { description: 'data to pass through (text)' } },
    template: { value: 'hello payload' },
  },
  custom_data_transmission_to_esdk: {
    summary: 'Send custom data to an ESDK device',
    fields: { value: { description: 'data to pass through (text)' } },
    template: { value: 'hello esdk' },
  },

  // safety
  flight_areas_update: { summary: 'Ask the dock to sync custom flight areas' },
  unlock_license_switch: {
    summary: 'Enable or disable an unlock licence',
    fields: { license_id: { min: 0, description: 'licence id from unlock_license_list' }, enable: { description: 'true to enable' } },
    template: { license_id: 1, enable: true },
  },
  unlock_license_update: {
    summary: 'Update unlock licences from a licence file',
    fields: {
      file: { description: 'licence file; omit to update online' },
      'file.url': { min: 1, description: 'URL of the licence file' },
      'file.fingerprint': { description: 'MD5 of the licence file' },
    },
    template: {
      file: { url: 'https://storage.example.com/licenses/unlock.json', fingerprint: '0cc175b9c0f1b6a831c399e269772661' },
    },
  },
  unlock_license_list: {
    summary: 'List the unlock licences of a device',
    fields: { device_model_domain: { min: 0, description: 'device domain (DJI enum; 0 aircraft, 3 dock)' } },
    template: { device_model_domain: 0 },
  },
  flight_areas_get: { summary: 'Get custom flight area files (payload not documented)' },

  // live
  live_start_push: {
    summary: 'Start a live video stream',
    fields: {
      url_type: { enum: [0, 1, 3, 4], description: '0 Agora, 1 RTMP, 3 GB28181, 4 WebRTC (WHIP)' },
      url: { min: 1, description: 'stream address (format depends on url_type), like "rtmp://live.example.com/live/dock"' },
      video_id: VIDEO_ID,
      video_quality: VIDEO_QUALITY,
    },
    template: {
      url_type: 1,
      url: 'rtmp://live.example.com/live/dock-1581F5BMD228Q00A82XX',
      video_id: '1581F5BMD228Q00A82XX/80-0-0/normal-0',
      video_quality: 0,
    },
  },
  live_stop_push: {
    summary: 'Stop a live video stream',
    fields: { video_id: VIDEO_ID },
    template: { video_id: '1581F5BMD228Q00A82XX/80-0-0/normal-0' },
  },
  live_set_quality: {
    summary: 'Change the live stream quality',
    fields: { video_id: VIDEO_ID, video_quality: VIDEO_QUALITY },
    template: { video_id: '1581F5BMD228Q00A82XX/80-0-0/normal-0', video_quality: 3 },
  },
  live_lens_change: {
    summary: 'Switch the live stream lens (wide, zoom, IR)',
    fields: { video_id: VIDEO_ID, video_type: { enum: ['normal', 'wide', 'zoom', 'ir'], description: 'lens: "normal", "wide", "zoom" or "ir"' } },
    template: { video_id: '1581F5BMD228Q00A82XX/80-0-0/normal-0', video_type: 'zoom' },
  },

  // file (remote logs, media)
  fileupload_start: {
    summary: 'Upload device logs to object storage',
    fields: {
      bucket: { min: 1, description: 'object storage bucket' },
      region: { description: 'storage region, like "us-east-1"' },
      credentials: { description: 'temporary storage credentials' },
      'credentials.expire': { min: 0, description: 'credential lifetime in seconds' },
      endpoint: { min: 1, description: 'storage endpoint URL' },
      provider: { description: 'storage provider: "ali", "aws" or "minio" (DJI values)' },
      params: { description: 'which log files to upload' },
      'params.files': { min: 1 },
      'params.files[].object_key': { min: 1, description: 'object key to upload to' },
      'params.files[].module': { description: 'log module as a string: "0" aircraft, "3" dock' },
      'params.files[].list': { description: 'DJI fileupload_start: the logs to upload, an array of {"boot_index": n} taken from fileupload_list' },
      'params.files[].list[].boot_index': { min: 0, description: 'boot index from fileupload_list' },
    },
    template: {
      bucket: 'dock-logs',
      region: 'us-east-1',
      credentials: {
        access_key_id: 'your-access-key-id',
        access_key_secret: 'your-access-key-secret',
        expire: 3600,
        security_token: 'example-session-token',
      },
      endpoint: 'https://s3.us-east-1.amazonaws.com',
      provider: 'aws',
      params: {
        files: [{ object_key: 'logs/1581F5BMD228Q00A82XX/dock-boot-12.tar.gz', module: '3', list: [{ boot_index: 12 }] }],
      },
    },
  },
  fileupload_list: {
    summary: 'List device log files that can be uploaded',
    fields: { module_list: { min: 1, description: 'log modules as strings: "0" aircraft, "3" dock' } },
    template: { module_list: ['0', '3'] },
  },
  fileupload_update: {
    summary: 'Cancel a log upload',
    fields: {
      status: { enum: ['cancel'], description: '"cancel" (the only documented value)' },
      module_list: { description: 'log modules as strings: "0" aircraft, "3" dock' },
    },
    template: { status: 'cancel', module_list: ['0', '3'] },
  },
  upload_flighttask_media_prioritize: {
    summary: 'Upload the media of one task first',
    fields: { flight_id: FLIGHT_ID },
    template: { flight_id: 'c5f1a2e4-3b6d-4f1e-9a57-2d0e8b7c1f30' },
  },

  // firmware
  ota_create: {
    summary: 'Start a firmware upgrade',
    fields: {
      devices: { min: 1, description: 'devices to upgrade' },
      'devices[].sn': { min: 1, description: 'device serial number' },
      'devices[].product_version': { min: 1, description: 'firmware version to install, like "10.01.16.04"' },
      'devices[].firmware_upgrade_type': { enum: [2, 3], description: '2 consistency upgrade, 3 normal upgrade' },
      // DJI's own ota_create example sends only sn, product_version and firmware_upgrade_type
      // (dji-cloud-api.md §3.6), so the file details are optional here.
      'devices[].file_url': { required: false, description: 'firmware file URL' },
      'devices[].md5': { required: false, description: 'MD5 of the firmware file' },
      'devices[].file_size': { required: false, min: 0, description: 'firmware size in bytes' },
      'devices[].file_name': { required: false, description: 'firmware file name' },
    },
    template: {
      devices: [
        {
          sn: '1581F5BMD228Q00A82XX',
          product_version: '10.01.16.04',
          firmware_upgrade_type: 3,
          file_url: 'https://storage.example.com/firmware/dock2_v10.01.16.04.bin',
          md5: 'c4ca4238a0b923820dcc509a6f75849b',
          file_size: 104857600,
          file_name: 'dock2_v10.01.16.04.bin',
        },
      ],
    },
  },
};
