/**
 * The DJI result codes the simulated dock uses, with short descriptions written for this project.
 * Codes are DJI's (see the DJI Cloud API error-code table); the texts are our own paraphrases.
 */
export const DJI_CODES = {
  /** The state of the device does not allow the operation. */
  OPERATION_NOT_SUPPORTED: 314000,
  /** The wayline file is not a KMZ the dock can open (not a ZIP, or no wpmz/waylines.wpml). */
  ROUTE_FILE_FORMAT_UNSUPPORTED: 314003,
  /** The dock could not obtain the wayline file for the task (download failed or refused). */
  ROUTE_FILE_UNAVAILABLE: 314013,
  /** The wayline file opened but its WPML is invalid (missing element, value out of range). */
  ROUTE_FILE_INVALID: 314016,
  /** The downloaded wayline file does not match its fingerprint (MD5). */
  ROUTE_FILE_CHECK_FAILED: 314017,
  /** The dock is busy running a task (or uploading logs). */
  DOCK_BUSY_WITH_TASK: 319001,
  /** Another task is running on the dock. */
  OTHER_TASK_RUNNING: 319016,
  /** No control over the aircraft (nothing is flying that could be commanded). */
  NO_AIRCRAFT_CONTROL: 319030,
  /** Cancelling the return to home failed. */
  RTH_CANCEL_FAILED: 319043,
  /** The same task is already running. */
  TASK_ALREADY_RUNNING: 321257,
  /** The user sent the aircraft home before the task was complete. */
  USER_RTH_DURING_TASK: 322283,
  /** A parameter of the cloud command is missing or invalid. */
  PARAMETER_ERROR: 325001,
  /** Starting a video recording failed. */
  RECORDING_START_FAILED: 327007,
  /** Stopping a video recording failed. */
  RECORDING_STOP_FAILED: 327008,
  /** The camera given for the livestream does not exist. */
  LIVE_CAMERA_MISSING: 513002,
  /** That camera is already streaming. */
  LIVE_ALREADY_STREAMING: 513003,
  /** No livestream is running for that video. */
  LIVE_NOT_STARTED: 513011,
  /** Livestream parameters are missing or invalid. */
  LIVE_PARAMETER_ERROR: 513014,
  /** The dock is busy with another command. */
  DOCK_BUSY: 514116,
  /** The dock is in remote debugging mode, so no task can run. */
  IN_REMOTE_DEBUG: 514146,
  /** A task is running, so the dock cannot enter remote debugging mode. */
  TASK_RUNNING_NO_DEBUG: 514148,
  /** The dock is not (any more) in remote debugging mode. */
  NOT_IN_DEBUG_MODE: 514153,
} as const;

const DESCRIPTIONS: Record<number, string> = {
  314000: 'the device state does not allow this operation',
  314003: 'the route file format is not supported, check the file',
  314013: 'the dock could not get the route file for this task',
  314016: 'the route file could not be processed, check the file',
  314017: 'the route file failed its check, check the file and try again',
  319001: 'the dock is busy with a task',
  319016: 'another task is running on the dock',
  319030: 'no aircraft in flight to control',
  319043: 'the aircraft is not returning home, nothing to cancel',
  319006: 'the task is running and cannot be cancelled',
  319042: 'there is no paused task to resume',
  319044: 'the task has already finished and cannot be resumed',
  319046: 'the task is already paused or returning home',
  319999: 'simulated dock internal error, restart the dock',
  321257: 'this task is already running',
  321260: 'no task is running, nothing to pause',
  322283: 'task ended early: return to home requested by the user',
  325001: 'command parameters are missing or invalid',
  327007: 'could not start recording: this camera is already recording',
  327008: 'could not stop recording: this camera is not recording',
  513002: 'no such camera for the livestream',
  513003: 'this video is already being streamed',
  513011: 'no livestream is running for this video',
  513014: 'livestream parameters are missing or invalid',
  514116: 'the dock is busy with another command, try again later',
  514146: 'the dock is in remote debug mode and cannot run a task',
  514148: 'a task is running, remote debug mode is not available',
  514153: 'the dock is not in remote debug mode',
};

/** A short English description of a code the simulator uses (generic text for any other code). */
export function describeDjiCode(code: number): string {
  return DESCRIPTIONS[code] ?? `the device refused the command (code ${code})`;
}
