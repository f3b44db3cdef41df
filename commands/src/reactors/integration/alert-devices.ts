import { type EventStore, streamCategories, streamEntityId, streamId } from '@netpulse/domain';
import { forEachLimited } from '../observation-window.js';
import type { ParsedEvent } from '../parse-event.js';
import type { IntegratedEventType } from './to-integration-message.js';

/**
 * Alert key → device. Alert events after the raise carry only the alert id, yet integrators want
 * the device on every one. Learned from raises as they pass, and for alerts raised before this
 * instance started from the first event of the alert's stream (always its first raise). Bounded:
 * the oldest keys drop out first and are read again when needed.
 */
export class AlertDevices {
  private readonly devices = new Map<string, string>();

  constructor(private readonly capacity = 100_000) {}

  get(alertKey: string): string | null {
    return this.devices.get(alertKey) ?? null;
  }

  /** Makes `get` answer for every alert event of the batch (null only if the stream has no raise). */
  async resolve(
    items: readonly ParsedEvent<IntegratedEventType>[],
    store: EventStore,
    concurrency = 8,
  ): Promise<void> {
    const unknown = new Set<string>();
    for (const { recorded, event } of items) {
      if (event.type === 'AlertRaised') this.learn(event.data.alertKey, event.data.deviceId);
      else if (event.type.startsWith('Alert')) {
        const key = streamEntityId(recorded.streamId);
        if (!this.devices.has(key)) unknown.add(key);
      }
    }
    await forEachLimited([...unknown], concurrency, async (key) => {
      const { events } = await store.readStream(streamId(streamCategories.alert, key), { limit: 1 });
      const first = events[0];
      const deviceId = (first?.data as { deviceId?: unknown } | undefined)?.deviceId;
      if (first?.type === 'AlertRaised' && typeof deviceId === 'string') this.learn(key, deviceId);
    });
  }

  private learn(alertKey: string, deviceId: string): void {
    this.devices.delete(alertKey);
    this.devices.set(alertKey, deviceId);
    if (this.devices.size > this.capacity) {
      const oldest = this.devices.keys().next().value;
      if (oldest !== undefined) this.devices.delete(oldest);
    }
  }
}
