import type { EventStore, RecordedEvent } from '@netpulse/domain';
import type { ReadModelQueries } from '@netpulse/projections';

/** What `alertChanged` filters on, which only an alert's raise (and repeats) carry. */
export type AlertFacts = Readonly<{ deviceId: string; severity: string }>;

type Lookup = Readonly<{
  queries: Pick<ReadModelQueries, 'getAlert'>;
  store: Pick<EventStore, 'readStream'>;
}>;

const dataOf = (event: RecordedEvent): Record<string, unknown> =>
  typeof event.data === 'object' && event.data !== null ? (event.data as Record<string, unknown>) : {};

/**
 * The device and current severity of alerts, learnt from the raises and repeats the feed carries and
 * looked up once for alerts raised before this process started. Bounded: the oldest entries go first.
 */
export class AlertFactsCache {
  private readonly facts = new Map<string, AlertFacts>();

  constructor(private readonly maxEntries = 50_000) {}

  /** Remembers what an event says about its alert; cheap enough to run on every event. */
  learn(event: RecordedEvent): void {
    if (event.type !== 'AlertRaised' && event.type !== 'AlertRepeated') return;
    const data = dataOf(event);
    const alertId = data.alertId;
    const severity = data.severity;
    if (typeof alertId !== 'string' || typeof severity !== 'string') return;
    const deviceId = typeof data.deviceId === 'string' ? data.deviceId : this.facts.get(alertId)?.deviceId;
    if (deviceId === undefined) return;
    this.remember(alertId, { deviceId, severity });
  }

  known(alertId: string): AlertFacts | undefined {
    return this.facts.get(alertId);
  }

  /** The facts of an alert of `organizationId`: the read model, else the alert's own stream. */
  async of(event: RecordedEvent, organizationId: string, lookup: Lookup): Promise<AlertFacts | null> {
    const alertId = dataOf(event).alertId;
    if (typeof alertId !== 'string') return null;
    const cached = this.facts.get(alertId);
    if (cached) return cached;
    const row = await lookup.queries.getAlert({ organizationId, alertId });
    if (row) return this.remember(alertId, { deviceId: row.deviceId, severity: row.severity });
    const { events } = await lookup.store.readStream(event.streamId, {
      direction: 'backwards',
      limit: 1_000,
    });
    for (const older of events) {
      const data = dataOf(older);
      if (older.type === 'AlertRaised' && data.alertId === alertId && typeof data.deviceId === 'string')
        return this.remember(alertId, { deviceId: data.deviceId, severity: String(data.severity) });
    }
    return null;
  }

  private remember(alertId: string, facts: AlertFacts): AlertFacts {
    this.facts.delete(alertId);
    this.facts.set(alertId, facts);
    if (this.facts.size > this.maxEntries) {
      const oldest = this.facts.keys().next();
      if (!oldest.done) this.facts.delete(oldest.value);
    }
    return facts;
  }
}
