/**
 * The DJI result codes the simulated dock uses. Codes are DJI's; their descriptions come from the
 * product's table (src/core/dji-result-codes.ts).
 */
import { describeDjiResultCode } from '../src/core/dji-result-codes';

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

/**
 * A short English description of a code, from the product's code table (the simulator may read
 * core data; the product never reads the simulator), with a generic text for any other code.
 */
export function describeDjiCode(code: number): string {
  return describeDjiResultCode(code, 'en')?.text ?? `the device refused the command (code ${code})`;
}
