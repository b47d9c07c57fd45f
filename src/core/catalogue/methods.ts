/**
 * The 83 DJI command methods the UTMOS Open Platform accepts, by domain (UTMOS docs: device 21,
 * camera 17, drc 12, wayline 9, psdk 10, safety 5, live 4, file 4, firmware 1).
 * `nameSource` says how sure we are of the method name itself:
 *   'utmos'    listed on the UTMOS docs pages;
 *   'inferred' not readable there; taken from the DJI Cloud API as the most likely member of the domain.
 */
export const DJI_DOMAINS = ['device', 'camera', 'drc', 'wayline', 'psdk', 'safety', 'live', 'file', 'firmware'] as const;
export type DjiDomain = (typeof DJI_DOMAINS)[number];
export type NameSource = 'utmos' | 'inferred';

export interface DjiMethodName {
  readonly method: string;
  readonly domain: DjiDomain;
  readonly nameSource: NameSource;
}

const confirmed = (domain: DjiDomain, names: string[]): DjiMethodName[] => names.map((method) => ({ method, domain, nameSource: 'utmos' as const }));
const inferred = (domain: DjiDomain, names: string[]): DjiMethodName[] => names.map((method) => ({ method, domain, nameSource: 'inferred' as const }));

export const DJI_METHOD_NAMES: readonly DjiMethodName[] = Object.freeze([
  ...confirmed('device', [
    'cover_open',
    'cover_close',
    'cover_force_close',
    'drone_open',
    'drone_close',
    'charge_open',
    'charge_close',
    'device_reboot',
    'device_format',
    'drone_format',
    'putter_open',
    'putter_close',
    'debug_mode_open',
    'debug_mode_close',
    'supplement_light_open',
    'supplement_light_close',
    'battery_maintenance_switch',
    'air_conditioner_mode_switch',
    'alarm_state_switch',
    'battery_store_mode_switch',
    'sdr_workmode_switch',
  ]),
  ...confirmed('camera', [
    'camera_mode_switch',
    'camera_photo_take',
    'camera_photo_stop',
    'camera_recording_start',
    'camera_recording_stop',
    'camera_screen_drag',
    'camera_aim',
    'camera_focal_length_set',
    'camera_frame_zoom',
    'camera_look_at',
    'camera_screen_split',
    'camera_exposure_mode_set',
    'camera_exposure_set',
    'camera_focus_mode_set',
    'camera_focus_value_set',
    'camera_point_focus_action',
    'gimbal_reset',
  ]),
  ...confirmed('drc', [
    'flight_authority_grab',
    'payload_authority_grab',
    'drc_mode_enter',
    'drc_mode_exit',
    'takeoff_to_point',
    'fly_to_point',
    'fly_to_point_stop',
    'fly_to_point_update',
    'drone_control',
    'stick_control',
    'drone_emergency_stop',
    'heart_beat',
  ]),
  ...confirmed('wayline', [
    'flighttask_create',
    'flighttask_prepare',
    'flighttask_execute',
    'flighttask_pause',
    'flighttask_recovery',
    'flighttask_undo',
    'return_home',
    'return_home_cancel',
    'flight_setup_abort',
  ]),
  ...confirmed('psdk', [
    'psdk_widget_value_set',
    'psdk_input_box_text_set',
    'speaker_audio_play_start',
    'speaker_tts_play_start',
    'speaker_replay',
    'speaker_play_stop',
    'speaker_play_mode_set',
    'speaker_play_volume_set',
    'custom_data_transmission_to_psdk',
    'custom_data_transmission_to_esdk',
  ]),
  ...inferred('safety', ['flight_areas_update', 'unlock_license_switch', 'unlock_license_update', 'unlock_license_list', 'flight_areas_get']),
  ...confirmed('live', ['live_start_push']),
  ...inferred('live', ['live_stop_push', 'live_set_quality', 'live_lens_change']),
  ...confirmed('file', ['fileupload_start']),
  ...inferred('file', ['fileupload_list', 'fileupload_update', 'upload_flighttask_media_prioritize']),
  ...inferred('firmware', ['ota_create']),
]);
