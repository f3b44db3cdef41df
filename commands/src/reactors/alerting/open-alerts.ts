import {
  type AlertEvent,
  type AlertState,
  alertDecider,
  type EventStore,
  type OpenAlert,
  streamCategories,
  streamId,
} from '@netpulse/domain';
import { CategoryFold } from '../category-fold.js';

/**
 * The open alerts, by alert stream: what the escalation sweep walks, and the hint that tells metric
 * clears which keys may need resolving (so healthy samples do not each cost a stream read).
 */
export class OpenAlerts {
  private readonly fold = new CategoryFold<AlertState, AlertEvent>(
    streamCategories.alert,
    alertDecider,
    (state) => state.status === 'open',
  );
  /**
   * Keys this instance raised that the fold does not show yet: a committed append can stay invisible
   * to readAll for a moment (behind an older transaction), and a clear must not miss it meanwhile.
   */
  private readonly raisedSinceRefresh = new Set<string>();

  async refresh(store: EventStore): Promise<void> {
    await this.fold.refresh(store);
    for (const key of this.raisedSinceRefresh) {
      if (this.fold.get(streamId(streamCategories.alert, key))) this.raisedSinceRefresh.delete(key);
    }
  }

  reset(): void {
    this.fold.reset();
    this.raisedSinceRefresh.clear();
  }

  noteRaised(alertKey: string): void {
    this.raisedSinceRefresh.add(alertKey);
  }

  /** The key was found not open when read: no need to keep hinting it. */
  noteClosed(alertKey: string): void {
    this.raisedSinceRefresh.delete(alertKey);
  }

  mayBeOpen(alertKey: string): boolean {
    return (
      this.raisedSinceRefresh.has(alertKey) ||
      this.fold.get(streamId(streamCategories.alert, alertKey)) !== undefined
    );
  }

  *open(): Generator<OpenAlert> {
    for (const [, state] of this.fold.entries()) if (state.status === 'open') yield state;
  }
}
