/**
 * One connection per config node: the client, the status tracker, the request feed and the
 * optional event stream, created together and closed together.
 */
import { UtmosClient, UtmosClientOptions } from './client';
import { EventStream, EventStreamState, parseTopics } from './event-stream';
import { DeviceRequestFeed } from './request-feed';
import type { Text } from './text';
import { StatusTracker, TrackerOptions } from './tracker';

export interface ConnectionOptions extends UtmosClientOptions {
  maxRequestsPerSecond?: number;
  maxConcurrentRequests?: number;
  eventBrokerUrl?: string;
  eventTopics?: string;
  eventUsername?: string;
  eventPassword?: string;
  eventClientId?: string;
  tracker?: Partial<Omit<TrackerOptions, 'source'>>;
}

export class UtmosConnection {
  readonly client: UtmosClient;
  readonly tracker: StatusTracker;
  readonly feed: DeviceRequestFeed;
  readonly events?: EventStream;
  private readonly stateListeners = new Set<(state: EventStreamState, detail?: string, detailText?: Text) => void>();
  private closing?: Promise<void>;

  constructor(options: ConnectionOptions) {
    this.client = new UtmosClient(options);
    this.feed = new DeviceRequestFeed(this.client, { clock: options.clock });
    this.tracker = new StatusTracker({
      source: this.client,
      rate: this.client.rate,
      maxConcurrent: options.maxConcurrentRequests,
      clock: options.clock,
      ...options.tracker,
      // The feed trusts events as the tracker does: a silent stream brings its interval back.
      onEventHealth: (health, before) => {
        this.feed.setEventDriven(health === 'healthy');
        options.tracker?.onEventHealth?.(health, before);
      },
    });
    if (options.eventBrokerUrl) {
      try {
        this.events = new EventStream({
          url: options.eventBrokerUrl,
          topics: parseTopics(options.eventTopics),
          username: options.eventUsername,
          password: options.eventPassword,
          ca: options.ca,
          clientId: options.eventClientId,
          proxy: options.proxy,
          clock: options.clock,
          onHint: (hint) => {
            if (hint.commandId) this.tracker.hint(hint.commandId, hint.claimedStatus);
            else this.tracker.eventSeen();
            if (hint.requestId) this.feed.hint(hint);
          },
          onState: (state, detail, detailText) => {
            this.tracker.setEventDriven(state === 'connected');
            for (const listener of this.stateListeners) listener(state, detail, detailText);
          },
        });
      } catch (err) {
        this.client.close();
        throw err;
      }
      this.events.start();
    }
  }

  get eventState(): EventStreamState | undefined {
    return this.events?.currentState;
  }

  onEventState(listener: (state: EventStreamState, detail?: string, detailText?: Text) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Cancels every wait and poll, closes the event stream (bounded) and releases the HTTP agent. */
  close(): Promise<void> {
    if (!this.closing) {
      this.tracker.close();
      this.feed.close();
      this.stateListeners.clear();
      this.closing = (this.events ? this.events.close() : Promise.resolve()).finally(() => this.client.close());
    }
    return this.closing;
  }
}
