import type { DeviceTarget, TargetChange } from '../targets/device-target.js';
import type { FleetShare } from './fleet-share.js';

/** The part of the scheduler this needs: where owned devices go. */
export type ProbeSchedule = Readonly<{
  upsert(target: DeviceTarget): void;
  remove(deviceId: string): void;
}>;

/** Every device the poller knows of, owned or not (the TargetSet). */
export type KnownFleet = Readonly<{ all(): Iterable<DeviceTarget> }>;

export type Reconciled = Readonly<{ pickedUp: readonly string[]; dropped: readonly string[] }>;

/**
 * Stands between the fleet (every device the poller knows) and the scheduler, so only devices this
 * process owns are scheduled. Target changes pass through `apply`; after an ownership change
 * `reconcile` schedules what was gained and unschedules what was lost.
 */
export class OwnedFleet {
  readonly #share: FleetShare;
  readonly #fleet: KnownFleet;
  readonly #schedule: ProbeSchedule;
  readonly #scheduled = new Set<string>();

  constructor(options: Readonly<{ share: FleetShare; fleet: KnownFleet; schedule: ProbeSchedule }>) {
    this.#share = options.share;
    this.#fleet = options.fleet;
    this.#schedule = options.schedule;
  }

  /** Devices currently scheduled here (paused ones included: owned, though nothing is probed). */
  get size(): number {
    return this.#scheduled.size;
  }

  apply(change: TargetChange): void {
    if (change.kind === 'remove') {
      this.#drop(change.deviceId);
      return;
    }
    const { target } = change;
    if (this.#share.owns(target.deviceId)) {
      this.#schedule.upsert(target);
      this.#scheduled.add(target.deviceId);
    } else {
      this.#drop(target.deviceId);
    }
  }

  reconcile(): Reconciled {
    const pickedUp: string[] = [];
    const dropped: string[] = [];
    const known = new Set<string>();
    for (const target of this.#fleet.all()) {
      const { deviceId } = target;
      known.add(deviceId);
      const owned = this.#share.owns(deviceId);
      if (owned && !this.#scheduled.has(deviceId)) {
        this.#schedule.upsert(target);
        this.#scheduled.add(deviceId);
        pickedUp.push(deviceId);
      } else if (!owned && this.#drop(deviceId)) {
        dropped.push(deviceId);
      }
    }
    // A device the fleet no longer holds was removed through `apply`; this only guards the invariant.
    for (const deviceId of [...this.#scheduled]) {
      if (!known.has(deviceId) && this.#drop(deviceId)) dropped.push(deviceId);
    }
    return { pickedUp, dropped };
  }

  #drop(deviceId: string): boolean {
    if (!this.#scheduled.delete(deviceId)) return false;
    this.#schedule.remove(deviceId);
    return true;
  }
}
