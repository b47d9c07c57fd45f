/** What a dock reports about itself unasked: its topology (`update_topo`) and OSD for the dock and its aircraft. */
import { randomUUID } from 'crypto';
import type { DockState } from './device';

interface Reporter {
  sn: string;
  aircraftSn: string;
  state: DockState;
  /** Whether a mission is flying. */
  flying: boolean;
}

/** `update_topo` on sys/product/{sn}/status; sub_devices is empty while the aircraft is off. */
export function topologyMessage({ sn, aircraftSn, state }: Reporter): { topic: string; message: unknown } {
  const aircraft = {
    sn: aircraftSn,
    domain: '0',
    type: 91,
    sub_type: 0,
    index: 'A',
    device_secret: 'secret',
    nonce: 'nonce',
    thing_version: '1.1.2',
  };
  return {
    topic: `sys/product/${sn}/status`,
    message: {
      tid: randomUUID(),
      bid: randomUUID(),
      timestamp: Date.now(),
      method: 'update_topo',
      data: {
        domain: '3',
        type: 2,
        sub_type: 0,
        device_secret: 'secret',
        nonce: 'nonce',
        thing_version: '1.1.2',
        sub_devices: state.droneOnline ? [aircraft] : [],
      },
    },
  };
}

/** OSD of the dock, and of its aircraft while that is on. */
export function osdMessages({ sn, aircraftSn, state, flying }: Reporter): Array<{ topic: string; message: unknown }> {
  const timestamp = Date.now();
  const envelope = (data: Record<string, unknown>): Record<string, unknown> => ({
    tid: randomUUID(),
    bid: randomUUID(),
    timestamp,
    gateway: sn,
    data,
  });
  const out = [
    {
      topic: `thing/product/${sn}/osd`,
      message: envelope({
        mode_code: state.modeCode,
        cover_state: state.coverState,
        drone_in_dock: state.droneInDock,
        putter_state: state.putterState,
        supplement_light_state: state.supplementLightState,
        flighttask_step_code: flying ? 1 : 5,
        latitude: 22.9078,
        longitude: 113.7034,
        height: 40.5,
        sub_device: {
          device_sn: aircraftSn,
          device_model_key: '0-91-0',
          device_online_status: state.droneOnline ? 1 : 0,
          device_paired: 1,
        },
        drone_charge_state: { state: state.chargeState, capacity_percent: 87 },
        network_state: { type: 2, quality: 5, rate: 1200 },
        rainfall: 0,
        wind_speed: 2.1,
        environment_temperature: 21,
      }),
    },
  ];
  if (state.droneOnline) {
    out.push({
      topic: `thing/product/${aircraftSn}/osd`,
      message: envelope({
        mode_code: flying ? 5 : 0,
        latitude: 22.9078,
        longitude: 113.7034,
        height: state.droneInDock ? 40.5 : 120,
        elevation: state.droneInDock ? 0 : 80,
        battery: { capacity_percent: 87, remain_flight_time: 1900 },
        cameras: [...state.recording.entries()].map(([payload_index, rec]) => ({
          payload_index,
          recording_state: rec ? 1 : 0,
          camera_mode: state.cameraMode.get(payload_index) ?? 0,
        })),
      }),
    });
  }
  return out;
}
