/**
 * A dock's wayline mission: flighttask_prepare downloads and checks the file before accepting the
 * task; flighttask_execute fetches it again (asking the cloud for a fresh URL with
 * flighttask_resource_get when the one it holds has expired) and flies the route it read, one
 * flighttask_progress per waypoint reached and one for the way back; pause, recovery, undo and
 * return home act on the flight in progress.
 */
import { isPlainObject } from '../../src/core/plain-data';
import { DJI_CODES } from '../dji-codes';
import { nonEmptyString } from '../json';
import { FlightStep, ParsedWayline, flightPlan, loadWayline } from '../wayline-file';
import type { DockDevice } from './device';
import { Outcome, fail, succeeded } from './outcome';

/** prepared: file downloaded and checked; fetching: fetching it again before take-off (new URL if expired). */
export type MissionPhase = 'prepared' | 'fetching' | 'executing' | 'finished' | 'failed';

export interface MissionState {
  flight_id: string;
  phase: MissionPhase;
  percent: number;
  execute_requested: boolean;
  paused: boolean;
  returning_home: boolean;
  failure_code?: number;
  /** The wayline file the dock holds (the URL may expire; flighttask_resource_get renews it). */
  file_url: string;
  fingerprint: string;
  waypoint_count: number;
  current_waypoint_index: number;
  /** Flight time of the parsed route after the simulator's time factor. */
  planned_flight_ms: number;
  /** Times the dock asked for a fresh file URL. */
  resource_requests: number;
}

/** The first required flighttask_prepare field that is missing or of the wrong type. */
function missingPrepareField(data: Record<string, unknown>): string | undefined {
  if (!nonEmptyString(data.flight_id)) return 'flight_id';
  if (typeof data.task_type !== 'number') return 'task_type';
  if (!isPlainObject(data.file)) return 'file';
  if (!nonEmptyString(data.file.url)) return 'file.url';
  if ((data.task_type === 0 || data.task_type === 1) && typeof data.execute_time !== 'number') return 'execute_time';
  if (data.task_type === 2 && !isPlainObject(data.ready_conditions)) return 'ready_conditions';
  for (const f of ['rth_altitude', 'out_of_control_action', 'exit_wayline_when_rc_lost']) {
    if (typeof data[f] !== 'number') return f;
  }
  return undefined;
}

export class Missions {
  current: MissionState | null = null;
  /** Bumped when a mission is replaced or undone, so that its pending steps know they are stale. */
  private generation = 0;
  /** The bid of flighttask_execute, which every progress event of the flight carries. */
  private bid = '';
  private plan: FlightStep[] = [];
  private nextStep = 0;

  constructor(private readonly dock: DockDevice) {}

  get executing(): boolean {
    return this.current?.phase === 'executing';
  }

  get returningHome(): boolean {
    return this.current?.returning_home === true;
  }

  /** Downloads and checks the file before accepting the task, as a dock does; refuses it with DJI's code. */
  async prepare(data: Record<string, unknown>): Promise<Outcome> {
    if (this.dock.state.debugMode) return fail(DJI_CODES.IN_REMOTE_DEBUG);
    if (this.executing) return fail(DJI_CODES.DOCK_BUSY_WITH_TASK);
    const missing = missingPrepareField(data);
    if (missing) return fail(DJI_CODES.PARAMETER_ERROR, missing);
    const flightId = data.flight_id as string;
    const file = data.file as Record<string, unknown>;
    const url = file.url as string;
    const generation = ++this.generation;
    const load = await loadWayline(url, file.fingerprint);
    if (!load.ok) return fail(load.code, load.detail);
    if (generation !== this.generation || this.dock.closed) return succeeded();
    this.current = {
      flight_id: flightId,
      phase: 'prepared',
      percent: 0,
      execute_requested: false,
      paused: false,
      returning_home: false,
      file_url: url,
      fingerprint: String(file.fingerprint).toLowerCase(),
      waypoint_count: load.route.points.length,
      current_waypoint_index: 0,
      planned_flight_ms: 0,
      resource_requests: 0,
    };
    this.setRoute(this.current, load.route);
    return succeeded();
  }

  execute(data: Record<string, unknown>): Outcome {
    const flightId = data.flight_id;
    if (!nonEmptyString(flightId)) return fail(DJI_CODES.PARAMETER_ERROR, 'flight_id');
    if (this.dock.state.debugMode) return fail(DJI_CODES.IN_REMOTE_DEBUG);
    const mission = this.current;
    const underway = mission && mission.execute_requested && mission.phase !== 'finished' && mission.phase !== 'failed';
    if (mission && (mission.phase === 'executing' || underway)) {
      return fail(mission.flight_id === flightId ? DJI_CODES.TASK_ALREADY_RUNNING : DJI_CODES.OTHER_TASK_RUNNING);
    }
    if (!mission || mission.flight_id !== flightId || mission.phase === 'finished') {
      return fail(DJI_CODES.OPERATION_NOT_SUPPORTED, `flight ${flightId} has not been prepared`);
    }
    if (mission.phase === 'failed') return fail(DJI_CODES.ROUTE_FILE_UNAVAILABLE);
    const generation = this.generation;
    mission.execute_requested = true;
    mission.phase = 'fetching';
    return {
      result: 0,
      after: ({ bid }) => {
        this.bid = bid;
        void this.fetchAndFly(mission, generation);
      },
    };
  }

  pause(): Outcome {
    const m = this.current;
    if (!m || m.phase !== 'executing') return fail(321260);
    if (m.paused || m.returning_home) return fail(319046);
    m.paused = true;
    return succeeded();
  }

  resume(): Outcome {
    const m = this.current;
    if (!m) return fail(DJI_CODES.OPERATION_NOT_SUPPORTED);
    if (m.phase === 'finished') return fail(319044);
    if (m.phase !== 'executing' || !m.paused) return fail(319042);
    m.paused = false;
    const generation = this.generation;
    return { result: 0, after: () => this.scheduleStep(m, generation) };
  }

  undo(data: Record<string, unknown>): Outcome {
    const ids: unknown[] | undefined = Array.isArray(data.flight_ids) ? data.flight_ids : undefined;
    if (!ids) return fail(DJI_CODES.PARAMETER_ERROR, 'flight_ids');
    const m = this.current;
    if (m && ids.includes(m.flight_id)) {
      if (m.phase === 'executing') return fail(319006);
      if (m.phase === 'prepared') {
        this.current = null;
        this.generation++;
      }
    }
    return succeeded();
  }

  returnHome(): Outcome {
    const m = this.current;
    if (!m || m.phase !== 'executing') return fail(DJI_CODES.NO_AIRCRAFT_CONTROL);
    if (m.returning_home) return { result: 0, output: { status: 'in_progress' } };
    m.returning_home = true;
    const generation = this.generation;
    return {
      result: 0,
      output: { status: 'in_progress' },
      after: ({ bid }) => {
        const info = { flight_id: m.flight_id, planned_path_points: [], last_point_type: 0, home_dock_sn: this.dock.sn };
        this.dock.sendEvent('return_home_info', bid, info, 0);
        const backMs = Math.max(1, this.plan[this.plan.length - 1]?.ms ?? 1);
        this.dock.later(backMs, () => {
          if (this.current !== m || generation !== this.generation) return;
          this.dock.sendEvent('flighttask_progress', this.bid, {
            result: DJI_CODES.USER_RTH_DURING_TASK,
            output: {
              status: 'partially_done',
              progress: { current_step: 29, percent: m.percent },
              ext: { flight_id: m.flight_id, track_id: m.flight_id, wayline_mission_state: 9 },
            },
          });
          this.landAndFinish(m);
        });
      },
    };
  }

  cancelReturnHome(): Outcome {
    return this.returningHome ? succeeded() : fail(DJI_CODES.RTH_CANCEL_FAILED);
  }

  private setRoute(mission: MissionState, route: ParsedWayline): void {
    this.plan = flightPlan(route, this.dock.options.timeFactor);
    this.nextStep = 0;
    mission.waypoint_count = route.points.length;
    mission.planned_flight_ms = this.plan.reduce((sum, step) => sum + step.ms, 0);
  }

  private stale(mission: MissionState, generation: number): boolean {
    return this.dock.closed || this.current !== mission || generation !== this.generation;
  }

  private failMission(mission: MissionState, code: number): void {
    mission.phase = 'failed';
    mission.failure_code = code;
    if (mission.execute_requested && this.bid) {
      this.dock.sendEvent('flighttask_progress', this.bid, {
        result: code,
        output: {
          status: 'failed',
          progress: { current_step: 16, percent: 0 },
          ext: { flight_id: mission.flight_id, wayline_mission_state: 0 },
        },
      });
    }
  }

  /**
   * Before take-off the dock fetches its file again (DJI's "get KMZ URL" / "download KMZ" steps).
   * A URL that storage no longer honours (403: expired) makes it ask the cloud for a fresh one with
   * flighttask_resource_get; the new file must pass the same checks.
   */
  private async fetchAndFly(mission: MissionState, generation: number): Promise<void> {
    const again = await loadWayline(mission.file_url, mission.fingerprint);
    if (this.stale(mission, generation)) return;
    if (again.ok) return this.takeOff(mission, generation);
    if (again.httpStatus !== 403) return this.failMission(mission, again.code);
    mission.resource_requests++;
    let answered = false;
    const stillFetching = (): boolean => !this.stale(mission, generation) && mission.phase === 'fetching';
    // inbound_payload fields as the requests page lists them for this type
    this.dock.raiseRequest('flighttask_resource_get', { resource_type: 'wayline', resource_ids: [mission.flight_id] }, (reply) => {
      answered = true;
      if (!stillFetching()) return;
      const body = isPlainObject(reply.data) ? reply.data : {};
      const file = isPlainObject(body.output) && isPlainObject(body.output.file) ? body.output.file : undefined;
      const url = file?.url;
      if (body.result !== 0 || !file || !nonEmptyString(url)) return this.failMission(mission, DJI_CODES.ROUTE_FILE_UNAVAILABLE);
      void loadWayline(url, file.fingerprint).then((fresh) => {
        if (!stillFetching()) return;
        if (!fresh.ok) return this.failMission(mission, fresh.code);
        mission.file_url = url;
        mission.fingerprint = String(file.fingerprint).toLowerCase();
        this.setRoute(mission, fresh.route);
        this.takeOff(mission, generation);
      });
    });
    this.dock.later(this.dock.options.resourceTimeoutMs, () => {
      if (!answered && stillFetching()) this.failMission(mission, DJI_CODES.ROUTE_FILE_UNAVAILABLE);
    });
  }

  private takeOff(mission: MissionState, generation: number): void {
    if (this.stale(mission, generation)) return;
    mission.phase = 'executing';
    const state = this.dock.state;
    state.modeCode = 4;
    state.coverState = 1;
    state.droneInDock = 0;
    this.scheduleStep(mission, generation);
  }

  /** Flies the parsed route step by step: take-off, each waypoint with its actions, the way back. */
  private scheduleStep(mission: MissionState, generation: number): void {
    const step = this.plan[this.nextStep];
    if (!step) return;
    this.dock.later(step.ms, () => {
      if (this.stale(mission, generation)) return;
      if (mission.phase !== 'executing' || mission.returning_home || mission.paused) return; // resumed by flighttask_recovery
      this.nextStep++;
      const finished = this.nextStep >= this.plan.length;
      mission.percent = finished ? 100 : Math.min(99, Math.round((this.nextStep * 100) / this.plan.length));
      if (step.waypoint !== undefined) mission.current_waypoint_index = step.waypoint;
      this.dock.sendEvent('flighttask_progress', this.bid, {
        result: 0,
        output: {
          status: finished ? 'ok' : 'in_progress',
          progress: { current_step: finished ? 29 : 24, percent: mission.percent },
          ext: {
            flight_id: mission.flight_id,
            track_id: mission.flight_id,
            wayline_id: 0,
            current_waypoint_index: mission.current_waypoint_index,
            media_count: 0,
            wayline_mission_state: finished ? 9 : 6,
          },
        },
      });
      if (finished) this.landAndFinish(mission);
      else this.scheduleStep(mission, generation);
    });
  }

  private landAndFinish(mission: MissionState): void {
    mission.phase = 'finished';
    mission.returning_home = false;
    const state = this.dock.state;
    state.droneInDock = 1;
    state.coverState = 0;
    state.modeCode = 0;
  }
}
