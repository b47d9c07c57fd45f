/**
 * The tenant event stream: `tenant/{tenant}/command/accepted`, `.../command/completed` and
 * `.../device_request/received` on the broker (QoS 1, not retained), published after the state
 * they announce is stored.
 */
import type { CommandRecord, DeviceRequestRecord } from './records';
import { iso } from './views';
import type { PlatformContext } from './context';

export class TenantEvents {
  constructor(private readonly ctx: PlatformContext) {}

  commandAccepted(record: CommandRecord, at: number): void {
    this.publish('command/accepted', {
      event_type: 'command.accepted',
      tenant_id: record.tenantId,
      command_id: record.id,
      device_id: record.deviceId,
      command_type: record.commandType,
      status: 'ACCEPTED',
      occurred_at: iso(at),
    });
  }

  commandCompleted(record: CommandRecord, at: number): void {
    this.publish('command/completed', {
      event_type: 'command.completed',
      tenant_id: record.tenantId,
      command_id: record.id,
      device_id: record.deviceId,
      command_type: record.commandType,
      status: record.status,
      occurred_at: iso(at),
    });
  }

  deviceRequestReceived(record: DeviceRequestRecord, at: number): void {
    this.publish('device_request/received', {
      event_type: 'device_request.received',
      tenant_id: this.ctx.tenantId,
      request_id: record.requestId,
      device_id: record.deviceId,
      request_type: record.requestType,
      occurred_at: iso(at),
    });
  }

  private publish(kind: string, body: Record<string, unknown>): void {
    this.ctx.counters.events_published++;
    this.ctx.publish(`tenant/${this.ctx.tenantId}/${kind}`, body, 1);
  }
}
