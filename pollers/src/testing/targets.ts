import {
  type ProbeSettings,
  type ProbeSettingsInput,
  ProbeSettings as ProbeSettingsSchema,
} from '@netpulse/domain';
import type { DeviceTarget } from '../targets/device-target.js';

/** A target for tests: ICMP every 30 s unless the probes say otherwise. */
export const makeTarget = (
  deviceId: string,
  overrides: Partial<Omit<DeviceTarget, 'probes'>> & { probes?: ProbeSettingsInput } = {},
): DeviceTarget => {
  const { probes, ...rest } = overrides;
  const settings: ProbeSettings = ProbeSettingsSchema.parse(probes ?? {});
  return {
    deviceId,
    organizationId: 'org-1',
    name: deviceId,
    address: '127.0.0.1',
    paused: false,
    causationId: `cause-${deviceId}`,
    ...rest,
    probes: settings,
  };
};
