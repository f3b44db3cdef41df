import type { ProbeSettings } from '@netpulse/domain';

/** What the poller needs to know about one monitored device, folded from its device events. */
export type DeviceTarget = Readonly<{
  deviceId: string;
  organizationId: string;
  name: string;
  address: string;
  probes: ProbeSettings;
  paused: boolean;
  /** Id of the device event that last changed what is probed: the causation of its observations. */
  causationId: string;
}>;

export type TargetChange =
  | Readonly<{ kind: 'upsert'; target: DeviceTarget }>
  | Readonly<{ kind: 'remove'; deviceId: string }>;
