/** What the platform's parts (commands, device requests, events) share: clock, counters, log and the MQTT side. */
import type { Counters } from './counters';

export interface PlatformContext {
  readonly tenantId: string;
  /** Replaced as a whole when a test resets them, so read it at each use. */
  readonly counters: Counters;
  /** The platform clock (ms): real time plus the test offset. */
  now(): number;
  log(line: string): void;
  publish(topic: string, message: unknown, qos?: 0 | 1): void;
}
