import { streamCategories, streamId } from '@netpulse/domain';
import type { DeviceView } from '@netpulse/projections';
import { type ApiContext, authorize } from '../context.js';
import { requestedPageSize } from '../paging/connection.js';
import { ownedStream } from '../tenancy/stream-owner.js';
import { activeAlertsLoader, availabilityLoader } from './device-loaders.js';
import { statusTimeline } from './status-timeline.js';

const inWindowAt = (device: DeviceView, at: Date): boolean =>
  device.maintenance.some(
    (window) => Date.parse(window.startsAt) <= at.getTime() && at.getTime() < Date.parse(window.endsAt),
  );

/** Fields of `Device` that the read-model row does not hold as such. */
export const deviceFields = {
  latest: (device: DeviceView) => ({
    observedAt: device.lastObservedAt,
    reachable: device.reachable,
    rttAvgMs: device.rttAvgMs,
    lossPct: device.lossPct,
    cpuPct: device.cpuPct,
    memoryPct: device.memoryPct,
    lastError: device.lastError,
  }),

  inMaintenance: (device: DeviceView, _args: unknown, context: ApiContext) =>
    inWindowAt(device, context.ports.clock.now()),

  /**
   * The event store's version, which is what expectedVersion is checked against. It may be ahead
   * of the row shown by the projection's lag; a mutation built on the row then fails with
   * VERSION_CONFLICT rather than overwrite a change its author has not seen.
   */
  version: async (device: DeviceView, _args: unknown, context: ApiContext) => {
    const principal = authorize(context, 'device:read');
    const stream = await ownedStream(
      context.ports.store,
      streamId(streamCategories.device, device.deviceId),
      principal.organizationId,
    );
    return stream?.currentVersion ?? null;
  },

  statusTimeline: async (device: DeviceView, args: { limit?: number | null }, context: ApiContext) => {
    authorize(context, 'device:read');
    return statusTimeline(context.ports.store, device.deviceId, requestedPageSize(context, args.limit));
  },

  availability: async (device: DeviceView, _args: unknown, context: ApiContext) => {
    const principal = authorize(context, 'device:read');
    return (await availabilityLoader(context, principal).load(device.deviceId)) ?? [];
  },

  activeAlerts: async (device: DeviceView, _args: unknown, context: ApiContext) => {
    const principal = authorize(context, 'alert:read');
    return (await activeAlertsLoader(context, principal).load(device.deviceId)) ?? [];
  },
};
