/**
 * The soak's fault injection through the simulator's /__sim/ controls: every kind of fault once
 * per round in a seeded random order, at seeded random moments, until stopped. Faults that end
 * (a dock failing, silent or offline) are undone later by timers of their own.
 */
import { simControl } from '../helpers/simulator';
import type { prng } from './capture';

const CREATE = 'POST /api/v1/open/downlink/commands';
const POLL = 'GET /api/v1/open/downlink/commands/';
const KINDS = ['5xx', '429', 'latency', 'drop_before', 'drop_after', 'dock_failure', 'dock_silent', 'dock_offline', 'broker_restart'] as const;

export class FaultInjector {
  readonly faultsByKind: Record<string, number> = {};
  private readonly undo = new Set<NodeJS.Timeout>();
  private round: Array<(typeof KINDS)[number]> = [];
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly rnd: ReturnType<typeof prng>,
    /** The simulator to talk to now (it changes when the soak restarts it). */
    private readonly http: () => string,
    private readonly dockCount: number,
    /** Resolves while the simulator is being restarted; injection waits for it. */
    private readonly restarting: () => Promise<void> | undefined,
  ) {}

  count(kind: string): void {
    this.faultsByKind[kind] = (this.faultsByKind[kind] ?? 0) + 1;
  }

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        // The fault schedule itself: the next fault comes 30..150 ms after the last one.
        await new Promise((resolve) => setTimeout(resolve, this.rnd.int(30, 150)));
        if (!this.running) break;
        await this.restarting();
        await this.injectOne();
      }
    })();
  }

  /** Stops injecting; faults waiting to be undone stay as they are. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Forgets the undo timers (the run is over). */
  clear(): void {
    this.running = false;
    for (const t of this.undo) clearTimeout(t);
    this.undo.clear();
  }

  private async control(method: string, path: string, body?: unknown): Promise<boolean> {
    try {
      await simControl({ http: this.http() }, method, path, body);
      return true;
    } catch {
      return false; // the simulator is restarting
    }
  }

  private later(ms: number, fn: () => Promise<unknown>): void {
    const t = setTimeout(() => {
      this.undo.delete(t);
      void fn();
    }, ms);
    this.undo.add(t);
  }

  private dockSn(): string {
    return `dock-${String(this.rnd.int(1, this.dockCount)).padStart(3, '0')}`;
  }

  private async injectOne(): Promise<void> {
    const rnd = this.rnd;
    const matchOf = () => rnd.pick([CREATE, POLL, undefined]);
    // Every kind once per round, in a shuffled order.
    if (this.round.length === 0) {
      this.round = [...KINDS];
      for (let j = this.round.length - 1; j > 0; j--) {
        const k = rnd.int(0, j);
        [this.round[j], this.round[k]] = [this.round[k], this.round[j]];
      }
    }
    const kind = this.round.pop()!;
    let ok = false;
    switch (kind) {
      case '5xx':
        ok = await this.control('POST', 'faults', { status: rnd.pick([500, 502, 503]), count: rnd.int(1, 3), match: matchOf() });
        break;
      case '429':
        ok = await this.control('POST', 'faults', { status: 429, count: rnd.int(1, 2), retry_after: 1, match: matchOf() });
        break;
      case 'latency':
        // Beyond the 1 s client timeout: the attempt is abandoned and retried.
        ok = await this.control('POST', 'latency', { ms: 1500, count: rnd.int(1, 2), match: matchOf() });
        break;
      case 'drop_before':
        ok = await this.control('POST', 'drop', { count: 1, phase: 'before', match: rnd.pick([CREATE, undefined]) });
        break;
      case 'drop_after':
        // The platform accepted the create, the response is lost: the retry must not create a second command.
        ok = await this.control('POST', 'drop', { count: 1, phase: 'after', match: CREATE });
        break;
      case 'dock_failure': {
        const sn = this.dockSn();
        ok = await this.control('POST', `docks/${sn}`, { failure_rate: 1, failure_code: 514300 });
        this.later(rnd.int(500, 2000), () => this.control('POST', `docks/${sn}`, { failure_rate: 0 }));
        break;
      }
      case 'dock_silent': {
        const sn = this.dockSn();
        ok = await this.control('POST', `docks/${sn}`, { silent: true });
        this.later(rnd.int(1000, 4000), () => this.control('POST', `docks/${sn}`, { silent: false }));
        break;
      }
      case 'dock_offline': {
        const sn = this.dockSn();
        ok = await this.control('POST', `docks/${sn}`, { online: false });
        this.later(rnd.int(500, 2500), () => this.control('POST', `docks/${sn}`, { online: true }));
        break;
      }
      case 'broker_restart':
        // The event stream (and the docks) lose the broker; the nodes fall back to polling.
        ok = await this.control('POST', 'broker/restart', { down_ms: rnd.int(200, 1500) });
        break;
    }
    if (ok) this.count(kind);
  }
}
