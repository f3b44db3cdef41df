import { CURRENT_SCHEMA_VERSION, deterministicId, type StreamAppend, streamId } from '@netpulse/domain';

export type SeededDevice = Readonly<{
  deviceId: string;
  name: string;
  kind: string;
  location: string;
  tags: readonly string[];
  status: 'up' | 'degraded' | 'down';
  /** Picks a distinct loopback-range address (never contacted: probes are off). */
  index: number;
}>;

/**
 * One device's registration and current status as the command side records them, with probes off so
 * a running poller stays idle and the benchmark measures only what it means to.
 */
export const registeredDevice = (
  source: string,
  organizationId: string,
  device: SeededDevice,
  at: string,
): StreamAppend => {
  const meta = (type: string) => {
    const id = deterministicId(source, type, device.deviceId);
    return {
      id,
      type,
      metadata: {
        organizationId,
        actor: { kind: 'user' as const, id: 'bench-admin' },
        correlationId: id,
        causationId: id,
        schemaVersion: CURRENT_SCHEMA_VERSION,
      },
    };
  };
  const i = device.index;
  return {
    streamId: streamId('device', device.deviceId),
    expectedVersion: 'any',
    events: [
      {
        ...meta('DeviceRegistered'),
        data: {
          deviceId: device.deviceId,
          name: device.name,
          address: `127.${1 + Math.floor(i / 65_024)}.${Math.floor((i % 65_024) / 254)}.${(i % 254) + 1}`,
          kind: device.kind,
          location: device.location,
          tags: [...device.tags],
          parentId: null,
          probes: {
            icmp: { enabled: false, intervalSeconds: 30, packets: 3, timeoutMs: 2_000 },
            snmp: null,
            tcp: null,
          },
          registeredAt: at,
        },
      },
      {
        ...meta('DeviceStatusChanged'),
        data: {
          deviceId: device.deviceId,
          from: 'unknown',
          to: device.status,
          reason: 'bench seed',
          changedAt: at,
        },
      },
    ],
  };
};
