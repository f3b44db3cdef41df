import type { Observation } from './health.js';

type Numeric = number | null | undefined;
const numeric = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const maxOf = (values: readonly Numeric[]): number | null => {
  const present = values.filter((value): value is number => typeof value === 'number');
  return present.length > 0 ? Math.max(...present) : null;
};

/**
 * The value of a rule's metric in one observation, or null when the observation does not carry it
 * (another probe, a failed probe, a missing counter). Metric names: `icmp.<field>`, `tcp.<field>`,
 * `snmp.<field>` (cpuPct, memoryPct, sysUpTimeSeconds), `snmp.if.<field>` and `snmp.disk.usedPct`
 * (the worst interface or disk).
 */
export const metricValue = (observation: Observation, metric: string): number | null => {
  const [probe, field, sub] = metric.split('.');
  if (!field) return null;
  switch (probe) {
    case 'icmp':
      return observation.icmp ? numeric((observation.icmp as Record<string, unknown>)[field]) : null;
    case 'tcp':
      return observation.tcp ? numeric((observation.tcp as Record<string, unknown>)[field]) : null;
    case 'snmp': {
      const snmp = observation.snmp;
      if (!snmp) return null;
      if (field === 'if' && sub) {
        return maxOf(snmp.interfaces.map((sample) => numeric((sample as Record<string, unknown>)[sub])));
      }
      if (field === 'disk' && sub === 'usedPct') return maxOf(snmp.disks.map((disk) => disk.usedPct));
      return numeric((snmp as Record<string, unknown>)[field]);
    }
    default:
      return null;
  }
};
