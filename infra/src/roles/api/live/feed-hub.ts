import type { LiveFeed, LiveFeedListener } from '@netpulse/api';
import type { Checkpoint, RecordedEvent } from '@netpulse/domain';
import type { Logger } from '../../../runtime/logger.js';
import { decodeFeedMessage } from './feed-wire.js';
import type { LiveTransport } from './live-transport.js';

export type FeedHubMetrics = Readonly<{
  gap(): void;
  /** Seconds from an event being recorded to this process hearing it. */
  heard(event: RecordedEvent, seconds: number): void;
}>;

export type FeedHubOptions = Readonly<{
  transport: LiveTransport;
  compare: (a: Checkpoint, b: Checkpoint) => number;
  logger: Logger;
  metrics: FeedHubMetrics;
  /** No message (not even a heartbeat) for this long makes the health check fail. */
  staleAfterMs: number;
}>;

/**
 * This process's end of the change feed: one transport subscription, fanned out in process to the
 * listeners of each organization. It keeps the checkpoint of the last event it passed on, so it drops
 * what it already delivered (two publishers overlapping during a hand-over, a publisher resuming
 * from a saved checkpoint) and tells its listeners when a message does not continue from there
 * (messages lost while Redis was away, a skipped backlog): they re-read the store if they promised
 * completeness.
 */
export class FeedHub implements LiveFeed {
  private readonly listeners = new Map<string, Set<LiveFeedListener>>();
  private last: Checkpoint | null = null;
  private subscribed: Promise<void> | null = null;
  private lastHeardAt = Date.now();
  private undecodable = 0;

  constructor(private readonly options: FeedHubOptions) {}

  start(): Promise<void> {
    this.subscribed ??= this.options.transport.subscribe((body) => this.receive(body));
    return this.subscribed;
  }

  async listen(organizationId: string, listener: LiveFeedListener): Promise<() => void> {
    await this.start();
    let set = this.listeners.get(organizationId);
    if (!set) {
      set = new Set();
      this.listeners.set(organizationId, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(organizationId);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(organizationId);
    };
  }

  /** Fails when the feed has gone quiet: no publisher, or the transport is cut off. */
  check(): void {
    const silentMs = Date.now() - this.lastHeardAt;
    if (silentMs > this.options.staleAfterMs)
      throw new Error(`no live feed message for ${Math.round(silentMs / 1000)} s`);
  }

  private receive(body: string): void {
    const message = decodeFeedMessage(body);
    if (!message) {
      if (this.undecodable++ % 1_000 === 0)
        this.options.logger.warn({}, 'live feed: ignored a message it cannot read');
      return;
    }
    this.lastHeardAt = Date.now();
    try {
      const { compare } = this.options;
      // Comparing a token with itself decodes it: a foreign one throws before it can become `last`.
      compare(message.prev, message.prev);
      if (this.last === null && message.events[0]) compare(message.events[0].checkpoint, message.prev);
      if (this.last === null || compare(message.prev, this.last) > 0) this.reportGap();
      for (const event of message.events) {
        if (this.last !== null && compare(event.checkpoint, this.last) <= 0) continue;
        this.last = event.checkpoint;
        this.options.metrics.heard(event, (this.lastHeardAt - event.recordedAt.getTime()) / 1000);
        this.dispatch(event);
      }
      if (message.events.length === 0 && (this.last === null || compare(message.prev, this.last) > 0))
        this.last = message.prev;
    } catch (error) {
      // A checkpoint this store cannot read: another deployment on the same channel.
      this.options.logger.warn({ err: error }, 'live feed: ignored a message from elsewhere');
    }
  }

  private dispatch(event: RecordedEvent): void {
    const set = this.listeners.get(event.metadata.organizationId);
    if (!set) return;
    for (const listener of set) {
      try {
        listener.onEvent(event);
      } catch (error) {
        this.options.logger.error({ err: error }, 'live feed listener failed');
      }
    }
  }

  private reportGap(): void {
    if (this.last !== null) this.options.metrics.gap();
    for (const set of this.listeners.values())
      for (const listener of set) {
        try {
          listener.onGap();
        } catch (error) {
          this.options.logger.error({ err: error }, 'live feed listener failed');
        }
      }
  }
}
