/** Which gateway (dock) each device is behind, as the docks announce it with `update_topo`. */
import { isPlainObject } from '../../src/core/plain-data';

interface Gateway {
  subDevices: string[];
  version: number;
}

export class Topology {
  private readonly gateways = new Map<string, Gateway>();
  private readonly gatewayOfDevice = new Map<string, string>();
  private waiters: Array<() => void> = [];
  private closed = false;

  /** Records a gateway's `update_topo` data; returns its topology version (1 on the first). */
  update(sn: string, data: Record<string, unknown>): number {
    const subs = Array.isArray(data.sub_devices) ? data.sub_devices : [];
    const subDevices = subs.map((s) => (isPlainObject(s) && typeof s.sn === 'string' ? s.sn : undefined)).filter((s): s is string => Boolean(s));
    const version = (this.gateways.get(sn)?.version ?? 0) + 1;
    this.gateways.set(sn, { subDevices, version });
    this.gatewayOfDevice.set(sn, sn);
    for (const d of subDevices) this.gatewayOfDevice.set(d, sn);
    this.wake();
    return version;
  }

  gatewayFor(deviceId: string): string | undefined {
    return this.gatewayOfDevice.get(deviceId);
  }

  /** Resolves once every listed gateway has announced its topology (false on close / timeout). */
  async waitFor(sns: string[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!sns.every((sn) => this.gateways.has(sn))) {
      if (this.closed || Date.now() >= deadline) return false;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return true;
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
