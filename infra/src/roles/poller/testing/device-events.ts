import { randomUUID } from 'node:crypto';
import {
  CURRENT_SCHEMA_VERSION,
  type DeviceProfile,
  DeviceProfile as DeviceProfileSchema,
  type EventStore,
  type EventToAppend,
  streamCategories,
  streamId,
} from '@netpulse/domain';

type ProfileInput = Partial<Omit<DeviceProfile, 'probes'>> & { probes?: Record<string, unknown> };

const metadata = (organizationId: string) => {
  const id = randomUUID();
  return {
    organizationId,
    actor: { kind: 'user' as const, id: 'test-user' },
    correlationId: id,
    causationId: id,
    schemaVersion: CURRENT_SCHEMA_VERSION,
  };
};

const append = async (
  store: EventStore,
  deviceId: string,
  type: string,
  data: Record<string, unknown>,
  organizationId: string,
) => {
  const event: EventToAppend = { id: randomUUID(), type, data, metadata: metadata(organizationId) };
  await store.appendToStream(streamId(streamCategories.device, deviceId), [event], {
    expectedVersion: 'any',
  });
};

/** Writes device events the way the command side would, for tests that drive the poller. */
export const deviceEvents = (store: EventStore, organizationId = 'org-test') => ({
  register: (deviceId: string, profile: ProfileInput) =>
    append(
      store,
      deviceId,
      'DeviceRegistered',
      {
        ...DeviceProfileSchema.parse({
          name: deviceId,
          address: '127.0.0.1',
          kind: 'server',
          location: null,
          tags: [],
          parentId: null,
          ...profile,
          probes: profile.probes ?? {},
        }),
        deviceId,
        registeredAt: new Date().toISOString(),
      },
      organizationId,
    ),
  update: (deviceId: string, changes: ProfileInput) =>
    append(
      store,
      deviceId,
      'DeviceUpdated',
      {
        deviceId,
        changes: DeviceProfileSchema.partial().parse(changes),
        updatedAt: new Date().toISOString(),
      },
      organizationId,
    ),
  pause: (deviceId: string) =>
    append(
      store,
      deviceId,
      'DeviceMonitoringPaused',
      { deviceId, reason: 'test', pausedAt: new Date().toISOString() },
      organizationId,
    ),
  resume: (deviceId: string) =>
    append(
      store,
      deviceId,
      'DeviceMonitoringResumed',
      { deviceId, resumedAt: new Date().toISOString() },
      organizationId,
    ),
  decommission: (deviceId: string) =>
    append(
      store,
      deviceId,
      'DeviceDecommissioned',
      { deviceId, reason: 'test', decommissionedAt: new Date().toISOString() },
      organizationId,
    ),
});
