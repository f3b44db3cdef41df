import { AlertEvent, type Checkpoint, type EventStore, START, streamCategories } from '@netpulse/domain';
import {
  type AlertEventRecord,
  evolveNotifiable,
  type NotifiableAlert,
  stillNotifiable,
} from './notifiable-alert.js';

/**
 * Every alert that may still need a notification, folded from the alert streams from START when the
 * reactor activates and brought up to date before each look for due groups. This is the reactor's
 * whole memory: alerts and delivery records live in the event store, so a new instance (after a
 * crash, a restart, a lost lease) rebuilds exactly the pending work, and nothing is sent twice.
 */
export class NotificationBook {
  private readonly alerts = new Map<string, NotifiableAlert>();
  private checkpoint: Checkpoint = START;
  private refreshing: Promise<void> = Promise.resolve();
  /** Bumped on every change, so the planner can skip work while nothing changed and nothing is due. */
  version = 0;
  malformed = 0;

  refresh(store: EventStore): Promise<void> {
    const next = this.refreshing.catch(() => {}).then(() => this.catchUp(store));
    this.refreshing = next;
    return next;
  }

  reset(): void {
    this.alerts.clear();
    this.checkpoint = START;
    this.version++;
  }

  /**
   * Applies a delivery record this instance just appended. Reads may not show a fresh commit at once
   * (it can sit behind an older transaction): without this a due group would be delivered again.
   */
  apply(event: AlertEventRecord): void {
    const before = this.alerts.get(event.streamId) ?? null;
    const after = evolveNotifiable(before, event);
    if (after === before) return;
    if (stillNotifiable(after)) this.alerts.set(event.streamId, after);
    else this.alerts.delete(event.streamId);
    this.version++;
  }

  values(): IterableIterator<NotifiableAlert> {
    return this.alerts.values();
  }

  get size(): number {
    return this.alerts.size;
  }

  private async catchUp(store: EventStore): Promise<void> {
    for (;;) {
      const page = await store.readAll({
        after: this.checkpoint,
        filter: { categories: [streamCategories.alert] },
        limit: 1_000,
      });
      for (const recorded of page.events) {
        const parsed = AlertEvent.safeParse({ type: recorded.type, data: recorded.data });
        if (!parsed.success) {
          this.malformed++;
          continue;
        }
        this.apply({
          ...parsed.data,
          id: recorded.id,
          streamId: recorded.streamId,
          metadata: recorded.metadata,
        });
      }
      this.checkpoint = page.checkpoint;
      if (page.caughtUp) return;
    }
  }
}
