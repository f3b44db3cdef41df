import type { RecordedEvent } from '@netpulse/domain';

/** What a listener hears from the process's change feed. */
export type LiveFeedListener = Readonly<{
  /** Each event of the listener's organization, in global order, never twice. */
  onEvent: (event: RecordedEvent) => void;
  /**
   * Events may have been missed since the previous call (messages lost in transit, a publisher
   * fail-over, a backlog too old to publish live). Listeners that promise no gap re-read the store.
   */
  onGap: () => void;
}>;

/**
 * The deployment's change feed as one API process sees it: one publisher follows the event store and
 * every process hears every event, whichever process its client is connected to.
 */
export interface LiveFeed {
  /**
   * Registers a listener for one organization's events. Resolves once the feed is connected: every
   * event that becomes visible in the store after that moment reaches the listener, or a gap is
   * reported before the next one does. The returned function unregisters the listener.
   */
  listen(organizationId: string, listener: LiveFeedListener): Promise<() => void>;
}

/** The subscription fields, as metric labels (a closed set). */
export type LiveField = 'deviceStatusChanged' | 'alertChanged' | 'deviceMetrics' | 'fleetSummary' | 'events';

/** What live subscriptions report; infra implements it with prom-client. */
export interface LiveMetrics {
  subscriptionOpened(field: LiveField): void;
  subscriptionClosed(field: LiveField): void;
  /** A subscription execution started or stopped: subscribers sharing one count once. */
  executionStarted(field: LiveField): void;
  executionStopped(field: LiveField): void;
  /** A subscriber that fell behind by more than the queue limit and was closed. */
  slowConsumerClosed(field: LiveField): void;
}

export type LiveLimits = Readonly<{
  /** Messages a subscriber may fall behind before it is closed as a slow consumer. */
  queueLimit: number;
  /** Unsent bytes on a subscriber's socket beyond which it counts as not keeping up either. */
  maxBufferedBytes: number;
  /** Events read per page when an `events` subscription replays. */
  replayPageSize: number;
  /** Quiet time after a change before `fleetSummary` is recomputed and re-sent. */
  fleetSummaryDebounceMs: number;
  /** How long a payload's `device` / `alert` field waits for the read model to show the change. */
  readModelWaitMs: number;
}>;

type LogFn = (obj: Readonly<Record<string, unknown>>, msg?: string) => void;

/** Shaped like pino's `(obj, msg)` calls, so a pino logger fits. */
export type LiveLogger = Readonly<{ debug: LogFn; info: LogFn; warn: LogFn; error: LogFn }>;

/** Everything the live area needs from infra. */
export type LivePorts = Readonly<{
  feed: LiveFeed;
  metrics: LiveMetrics;
  limits: LiveLimits;
  logger: LiveLogger;
}>;

export const defaultLiveLimits: LiveLimits = {
  queueLimit: 1_000,
  maxBufferedBytes: 8 * 1_048_576,
  replayPageSize: 200,
  fleetSummaryDebounceMs: 250,
  readModelWaitMs: 1_000,
};
