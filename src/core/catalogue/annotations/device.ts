/** Annotations of the device methods: the dock and its aircraft. */
import { type DomainAnnotations, ON_OFF } from './shared';

export const DEVICE_ANNOTATIONS: DomainAnnotations = {
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
};
