/** Annotations of the wayline methods: flight tasks (waylines) and return home. */
import { type DomainAnnotations, FLIGHT_ID, SIMULATE_MISSION } from './shared';

export const WAYLINE_ANNOTATIONS: DomainAnnotations = {
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
      // DJI Cloud API prose: execute_time is required for task types 0/1. UTMOS marks
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
};
