import { streamCategories, streamId } from '@netpulse/domain';
import type { DeviceView, PartialDeviceView } from '@netpulse/projections';
import { type ApiContext, authorize } from '../context.js';
import { requestedPageSize } from '../paging/connection.js';
import { ownedStream } from '../tenancy/stream-owner.js';
import { activeAlertsLoader, availabilityLoader } from './device-loaders.js';
import { statusTimeline } from './status-timeline.js';

/**
 * A field of a device read for a page with only the columns its selection needs (see
 * device-selection.ts). Absent means that mapping missed a column: an error, never a silent null.
 */
const read = <F extends keyof DeviceView>(device: PartialDeviceView, field: F): DeviceView[F] => {
  const value = device[field];
  if (value === undefined) throw new Error(`device field ${field} was not read for this selection`);
  return value as DeviceView[F];
};

const inWindowAt = (device: PartialDeviceView, at: Date): boolean =>
  read(device, 'maintenance').some(
    (window) => Date.parse(window.startsAt) <= at.getTime() && at.getTime() < Date.parse(window.endsAt),
  );

/** Fields of `Device` that the read-model row does not hold as such. */
export const deviceFields = {
  latest: (device: PartialDeviceView) => ({
    observedAt: device.lastObservedAt,
    reachable: device.reachable,
    rttAvgMs: device.rttAvgMs,
    lossPct: device.lossPct,
    cpuPct: device.cpuPct,
    memoryPct: device.memoryPct,
    lastError: device.lastError,
  }),

  inMaintenance: (device: PartialDeviceView, _args: unknown, context: ApiContext) =>
    inWindowAt(device, context.ports.clock.now()),

  /**
   * The event store's version, which is what expectedVersion is checked against. It may be ahead
   * of the row shown by the projection's lag; a mutation built on the row then fails with
   * VERSION_CONFLICT rather than overwrite a change its author has not seen.
   */
  version: async (device: PartialDeviceView, _args: unknown, context: ApiContext) => {
    const principal = authorize(context, 'device:read');
    const stream = await ownedStream(
      context.ports.store,
      streamId(streamCategories.device, device.deviceId),
      principal.organizationId,
    );
    return stream?.currentVersion ?? null;
  },

  statusTimeline: async (device: PartialDeviceView, args: { limit?: number | null }, context: ApiContext) => {
    authorize(context, 'device:read');
    return statusTimeline(context.ports.store, device.deviceId, requestedPageSize(context, args.limit));
  },

  availability: async (device: PartialDeviceView, _args: unknown, context: ApiContext) => {
    const principal = authorize(context, 'device:read');
    return (await availabilityLoader(context, principal).load(device.deviceId)) ?? [];
  },

  activeAlerts: async (device: PartialDeviceView, _args: unknown, context: ApiContext) => {
    const principal = authorize(context, 'alert:read');
    return (await activeAlertsLoader(context, principal).load(device.deviceId)) ?? [];
  },
};
