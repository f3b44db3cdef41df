import { streamCategories } from '@netpulse/domain';
import { fleetSummaryOf } from '../graphql/operators/fleet-summary.js';
import type { ApiPorts } from '../graphql/ports.js';
import { processShared } from './process-shared.js';

export type FleetSummary = Awaited<ReturnType<typeof fleetSummaryOf>>;
type Send = (summary: FleetSummary) => void;

/** Categories whose events can change the summary (device states, alerts). */
const relevant = new Set<string>([streamCategories.device, streamCategories.alert]);
const categoryOf = (streamId: string) => streamId.slice(0, Math.max(0, streamId.indexOf('-')));

/** The projection trails the feed: one more look after a change catches what the first read missed. */
const SETTLE_MS = 1_500;
/** Maintenance windows open and close by the clock, with no event to announce it. */
const PERIODIC_MS = 60_000;

/**
 * One organization's fleet summary as this process watches it, shared by every subscriber of that
 * organization: changes are debounced, the read model is queried once per burst, and subscribers hear
 * the summary only when it differs from the last one sent.
 */
class FleetSummaryWatch {
  private readonly subscribers = new Set<Send>();
  private last: { json: string; value: FleetSummary } | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private settle: NodeJS.Timeout | null = null;
  private readonly periodic: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;
  private unlisten: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly ports: ApiPorts,
    private readonly organizationId: string,
    private readonly onIdle: () => void,
  ) {
    this.periodic = setInterval(() => void this.refresh(), PERIODIC_MS);
    this.periodic.unref();
  }

  get active(): boolean {
    return !this.stopped;
  }

  async start(): Promise<void> {
    try {
      this.unlisten = await this.ports.live.feed.listen(this.organizationId, {
        onEvent: (event) => {
          if (relevant.has(categoryOf(event.streamId))) this.schedule();
        },
        onGap: () => this.schedule(),
      });
    } catch (error) {
      this.stop();
      throw error;
    }
    if (this.stopped) this.unlisten();
    await this.refresh();
  }

  add(send: Send): () => void {
    this.subscribers.add(send);
    if (this.last) send(this.last.value);
    return () => {
      this.subscribers.delete(send);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  private schedule(): void {
    if (this.debounce || this.stopped) return;
    this.debounce = setTimeout(() => {
      this.debounce = null;
      void this.refresh().then(() => {
        if (this.settle || this.stopped) return;
        this.settle = setTimeout(() => {
          this.settle = null;
          void this.refresh();
        }, SETTLE_MS);
        this.settle.unref();
      });
    }, this.ports.live.limits.fleetSummaryDebounceMs);
    this.debounce.unref();
  }

  /** One query at a time; a change arriving meanwhile runs one more afterwards. */
  private refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          const value = await fleetSummaryOf(this.ports, this.organizationId);
          const json = JSON.stringify(value);
          if (this.stopped || json === this.last?.json) continue;
          this.last = { json, value };
          for (const send of this.subscribers) send(value);
        } catch (error) {
          this.ports.live.logger.warn(
            { err: error, organizationId: this.organizationId },
            'fleet summary refresh failed; will retry on the next change',
          );
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private stop(): void {
    this.stopped = true;
    clearInterval(this.periodic);
    if (this.debounce) clearTimeout(this.debounce);
    if (this.settle) clearTimeout(this.settle);
    this.unlisten?.();
    this.onIdle();
  }
}

/**
 * Sends the organization's summary now and whenever it changes; the returned function stops. The first
 * subscriber of an organization starts its watch, the last one leaving stops it.
 */
export const watchFleetSummary = async (
  ports: ApiPorts,
  organizationId: string,
  send: Send,
): Promise<() => void> => {
  const watches = processShared(
    ports,
    'fleet-summary-watches',
    () => new Map<string, Promise<FleetSummaryWatch>>(),
  );
  for (;;) {
    let watch = watches.get(organizationId);
    if (!watch) {
      const created = new FleetSummaryWatch(ports, organizationId, () => {
        if (watches.get(organizationId) === watch) watches.delete(organizationId);
      });
      watch = created.start().then(() => created);
      watches.set(organizationId, watch);
    }
    const ready = await watch;
    // The last subscriber of a watch may have left while this one waited for it to start.
    if (ready.active) return ready.add(send);
  }
};
