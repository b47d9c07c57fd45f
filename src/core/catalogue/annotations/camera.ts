/** Annotations of the camera methods: camera and gimbal. */
import { type DomainAnnotations, PAYLOAD_INDEX, CAMERA_TYPE, LOCKED, NORM_X, NORM_Y, NORM_W, NORM_H, LAT, LON, payloadOnly } from './shared';

export const CAMERA_ANNOTATIONS: DomainAnnotations = {
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
};
