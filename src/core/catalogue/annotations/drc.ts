/** Annotations of the drc methods: live flight control (DRC). */
import { type DomainAnnotations, LAT, LON, FLIGHT_ID, MAX_SPEED_1_15, POINT_FIELDS, SIMULATE_MISSION, payloadOnly } from './shared';

export const DRC_ANNOTATIONS: DomainAnnotations = {
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
      // UTMOS takeoff_to_point page: "max speed 1–15 m/s optional".
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
};
