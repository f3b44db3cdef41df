import { DeviceEvent, type RecordedEvent, streamCategories, streamCategory } from '@netpulse/domain';
import type { DeviceTarget, TargetChange } from './device-target.js';

/** Strips an IPv4-mapped IPv6 prefix so `::ffff:10.0.0.1` and `10.0.0.1` are one address. */
export const normalizeAddress = (address: string): string => {
  const trimmed = address.trim().toLowerCase();
  return trimmed.startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice('::ffff:'.length) : trimmed;
};

export type ApplyResult = Readonly<{ change: TargetChange | null; rejected: boolean }>;

/**
 * The fleet as the poller sees it: a pure fold of device events. Decommissioned devices leave the
 * set for good; paused devices stay (their traps are still attributed) but are not probed.
 */
export class TargetSet {
  readonly #targets = new Map<string, DeviceTarget>();
  readonly #decommissioned = new Set<string>();
  readonly #byAddress = new Map<string, Set<string>>();

  get size(): number {
    return this.#targets.size;
  }

  get(deviceId: string): DeviceTarget | undefined {
    return this.#targets.get(deviceId);
  }

  all(): IterableIterator<DeviceTarget> {
    return this.#targets.values();
  }

  /** The device a packet from this address belongs to; the oldest registration wins a tie. */
  byAddress(address: string): DeviceTarget | undefined {
    const ids = this.#byAddress.get(normalizeAddress(address));
    if (!ids) return undefined;
    for (const id of ids) {
      const target = this.#targets.get(id);
      if (target) return target;
    }
    return undefined;
  }

  organizations(): Set<string> {
    return new Set([...this.#targets.values()].map((target) => target.organizationId));
  }

  /** Folds one recorded event; events of other categories or types are ignored. */
  apply(recorded: RecordedEvent): ApplyResult {
    if (streamCategory(recorded.streamId) !== streamCategories.device)
      return { change: null, rejected: false };
    const parsed = DeviceEvent.safeParse({ type: recorded.type, data: recorded.data });
    if (!parsed.success) return { change: null, rejected: true };
    const event = parsed.data;
    const deviceId = event.data.deviceId;
    if (this.#decommissioned.has(deviceId)) return { change: null, rejected: false };
    const current = this.#targets.get(deviceId);

    switch (event.type) {
      case 'DeviceRegistered': {
        const { deviceId: _id, registeredAt: _at, ...profile } = event.data;
        return this.#upsert({
          deviceId,
          organizationId: recorded.metadata.organizationId,
          name: profile.name,
          address: profile.address,
          probes: profile.probes,
          paused: current?.paused ?? false,
          causationId: recorded.id,
        });
      }
      case 'DeviceUpdated': {
        if (!current) return { change: null, rejected: false };
        const { changes } = event.data;
        return this.#upsert({
          ...current,
          name: changes.name ?? current.name,
          address: changes.address ?? current.address,
          probes: changes.probes ?? current.probes,
          causationId: changes.address || changes.probes ? recorded.id : current.causationId,
        });
      }
      case 'DeviceMonitoringPaused':
        return current ? this.#upsert({ ...current, paused: true, causationId: recorded.id }) : none;
      case 'DeviceMonitoringResumed':
        return current ? this.#upsert({ ...current, paused: false, causationId: recorded.id }) : none;
      case 'DeviceDecommissioned':
        this.#decommissioned.add(deviceId);
        if (!current) return none;
        this.#unindex(current);
        this.#targets.delete(deviceId);
        return { change: { kind: 'remove', deviceId }, rejected: false };
      default:
        return none;
    }
  }

  #upsert(target: DeviceTarget): ApplyResult {
    const previous = this.#targets.get(target.deviceId);
    if (previous) this.#unindex(previous);
    this.#targets.set(target.deviceId, target);
    const key = normalizeAddress(target.address);
    let ids = this.#byAddress.get(key);
    if (!ids) {
      ids = new Set();
      this.#byAddress.set(key, ids);
    }
    ids.add(target.deviceId);
    return { change: { kind: 'upsert', target }, rejected: false };
  }

  #unindex(target: DeviceTarget): void {
    const key = normalizeAddress(target.address);
    const ids = this.#byAddress.get(key);
    ids?.delete(target.deviceId);
    if (ids?.size === 0) this.#byAddress.delete(key);
  }
}

const none: ApplyResult = { change: null, rejected: false };
