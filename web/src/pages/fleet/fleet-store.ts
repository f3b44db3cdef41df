import { type FleetDevice, newerOf } from './fleet-device';

/**
 * Every device of the organization, kept current by page reads and live status events. Plain
 * TypeScript: React reads it through `subscribe`/`version` (useSyncExternalStore), and bursts of
 * live events are coalesced into one notification per animation frame.
 */
export class FleetStore {
  private readonly devices = new Map<string, FleetDevice>();
  private revision = 0;
  private readonly listeners = new Set<() => void>();
  private scheduled = false;

  constructor(private readonly schedule: (flush: () => void) => void = (flush) => flush()) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes whenever the set or any device changed. */
  version = (): number => this.revision;

  get size(): number {
    return this.devices.size;
  }

  values(): IterableIterator<FleetDevice> {
    return this.devices.values();
  }

  get(deviceId: string): FleetDevice | undefined {
    return this.devices.get(deviceId);
  }

  /** Adds or refreshes devices, keeping whichever copy of each is newer. */
  upsert(devices: readonly FleetDevice[]): void {
    let changed = false;
    for (const device of devices) {
      const current = this.devices.get(device.deviceId);
      const next = newerOf(current, device);
      if (next !== current) {
        this.devices.set(device.deviceId, next);
        changed = true;
      }
    }
    if (changed) this.changed();
  }

  /** After a full re-read: devices the read did not return are gone (decommissioned). */
  retainOnly(deviceIds: ReadonlySet<string>): void {
    let changed = false;
    for (const id of this.devices.keys())
      if (!deviceIds.has(id)) {
        this.devices.delete(id);
        changed = true;
      }
    if (changed) this.changed();
  }

  private changed(): void {
    this.revision += 1;
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener();
    });
  }
}
