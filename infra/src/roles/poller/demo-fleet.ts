import { type DeviceProfile, type EventStore, streamCategories, streamId } from '@netpulse/domain';
import { CredentialStore, Limiter, type Logger, SnmpProber } from '@netpulse/pollers';
import type { z } from 'zod';
import { DEMO_CREDENTIAL_REF } from './demo-credential.js';

/** What registering one device takes; the caller's command handler fills in organization and actor. */
export type RegisterDeviceInput = Readonly<{
  deviceId: string;
  profile: z.input<typeof DeviceProfile>;
}>;
export type RegisterDevice = (input: RegisterDeviceInput) => Promise<unknown>;

export type SeedDemoFleetOptions = Readonly<{
  store: EventStore;
  registerDevice: RegisterDevice;
  logger: Logger;
  /** `--demo` / NETPULSE_DEMO: seed even when devices are registered already. */
  force: boolean;
  /** The port NetPulse's own HTTP API listens on, probed by TCP. */
  apiPort: number;
  /** Where to look for a local snmpd (default 127.0.0.1:161, community from the `demo-local` credential). */
  snmpPort?: number;
  snmpCommunity?: string;
}>;

export type SeedResult = Readonly<{ registered: string[]; skipped: string | null }>;

export const demoDeviceIds = {
  loopback: 'demo-loopback',
  api: 'demo-netpulse-api',
  snmpd: 'demo-local-snmpd',
} as const;

/** True when an SNMP agent answers on the loopback port (a stock Debian snmpd answers `public`). */
const localSnmpdAnswers = async (port: number, community: string): Promise<boolean> => {
  const prober = new SnmpProber({
    credentials: new CredentialStore({ [DEMO_CREDENTIAL_REF]: { version: 'v2c', community } }),
    limiter: new Limiter(1),
  });
  try {
    const outcome = await prober.probe('demo-detect', '127.0.0.1', {
      version: 'v2c',
      port,
      credentialRef: DEMO_CREDENTIAL_REF,
      timeoutMs: 500,
    });
    return outcome.reachable && outcome.error === null;
  } finally {
    prober.close();
  }
};

const fleetIsEmpty = async (store: EventStore): Promise<boolean> => {
  const { events } = await store.readAll({
    filter: { categories: [streamCategories.device], eventTypes: ['DeviceRegistered'] },
    limit: 1,
  });
  return events.length === 0;
};

const isRegistered = async (store: EventStore, deviceId: string): Promise<boolean> =>
  (await store.readStream(streamId(streamCategories.device, deviceId), { limit: 1 })).currentVersion !== null;

/**
 * Gives a newcomer live data at once: on a first start with no devices (or with `--demo`), registers
 * loopback targets — 127.0.0.1 by ICMP, NetPulse's own API port by TCP, and the local snmpd when one
 * answers. Only loopback addresses, so the demo never sends a packet off the machine. Devices that
 * already exist are left alone, so running it again is harmless.
 */
export const seedDemoFleet = async (options: SeedDemoFleetOptions): Promise<SeedResult> => {
  const { store, registerDevice, logger } = options;
  if (!options.force && !(await fleetIsEmpty(store))) {
    return { registered: [], skipped: 'devices are registered already' };
  }
  const base = { kind: 'server' as const, location: 'this machine', tags: ['demo'], parentId: null };
  const candidates: RegisterDeviceInput[] = [
    {
      deviceId: demoDeviceIds.loopback,
      profile: {
        ...base,
        name: 'Loopback (ICMP demo)',
        address: '127.0.0.1',
        probes: { icmp: { intervalSeconds: 30 } },
      },
    },
    {
      deviceId: demoDeviceIds.api,
      profile: {
        ...base,
        name: 'NetPulse API (TCP demo)',
        address: '127.0.0.1',
        probes: { icmp: { enabled: false }, tcp: { ports: [options.apiPort], intervalSeconds: 30 } },
      },
    },
  ];
  const snmpPort = options.snmpPort ?? 161;
  if (await localSnmpdAnswers(snmpPort, options.snmpCommunity ?? 'public')) {
    candidates.push({
      deviceId: demoDeviceIds.snmpd,
      profile: {
        ...base,
        name: 'Local snmpd (SNMP demo)',
        address: '127.0.0.1',
        probes: {
          icmp: { enabled: false },
          snmp: { version: 'v2c', port: snmpPort, credentialRef: DEMO_CREDENTIAL_REF, intervalSeconds: 60 },
        },
      },
    });
  } else {
    logger.info({ port: snmpPort }, 'demo: no local snmpd answers on 127.0.0.1; no SNMP demo device');
  }

  const registered: string[] = [];
  for (const candidate of candidates) {
    if (await isRegistered(store, candidate.deviceId)) continue;
    try {
      await registerDevice(candidate);
      registered.push(candidate.deviceId);
    } catch (error) {
      logger.warn(
        { deviceId: candidate.deviceId, err: error instanceof Error ? error.message : String(error) },
        'demo: could not register a demo device',
      );
    }
  }
  if (registered.length > 0) {
    logger.info(
      { devices: registered },
      `demo: registered ${registered.length} loopback devices so live data shows at once ` +
        '(127.0.0.1 by ICMP, the NetPulse API port by TCP, the local snmpd by SNMP when present); ' +
        'decommission them when you add your own',
    );
  }
  return { registered, skipped: null };
};
