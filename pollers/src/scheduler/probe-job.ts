import type { ProbeKind } from '@netpulse/domain';
import type { DeviceTarget } from '../targets/device-target.js';

/**
 * One recurring probe of one device. `probeKey` tells apart several probes of one kind (one per TCP
 * port) and is part of the observation's deterministic event id.
 */
export type ProbeJobSpec = Readonly<{
  key: string;
  deviceId: string;
  probeKey: string;
  kind: ProbeKind;
  intervalMs: number;
}>;

export const jobKey = (deviceId: string, probeKey: string): string => `${deviceId}|${probeKey}`;

/** The probes a device gets: none while paused. */
export const jobsForTarget = (target: DeviceTarget): ProbeJobSpec[] => {
  if (target.paused) return [];
  const { deviceId, probes } = target;
  const jobs: ProbeJobSpec[] = [];
  const add = (probeKey: string, kind: ProbeKind, intervalSeconds: number) =>
    jobs.push({
      key: jobKey(deviceId, probeKey),
      deviceId,
      probeKey,
      kind,
      intervalMs: intervalSeconds * 1000,
    });
  if (probes.icmp.enabled) add('icmp', 'icmp', probes.icmp.intervalSeconds);
  if (probes.snmp) add('snmp', 'snmp', probes.snmp.intervalSeconds);
  if (probes.tcp) {
    for (const port of new Set(probes.tcp.ports)) add(`tcp:${port}`, 'tcp', probes.tcp.intervalSeconds);
  }
  return jobs;
};
