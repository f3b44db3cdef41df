import type { PartialDeviceView } from '@netpulse/projections';
import type { GraphQLResolveInfo } from 'graphql';
import { type ApiContext, authorize } from '../context.js';
import { requestedPageSize, toConnection } from '../paging/connection.js';
import { devicePageColumns } from './device-selection.js';
import { fleetSummaryOf } from './fleet-summary.js';

export type DeviceFilterInput = Readonly<{
  status?: readonly string[] | null;
  tags?: readonly string[] | null;
  location?: string | null;
  text?: string | null;
  parentId?: string | null;
  includeDecommissioned?: boolean | null;
}>;

type PageArgs = Readonly<{ first?: number | null; after?: string | null }>;

/** The read model's order: by name, then id. */
const deviceSortKey = (device: PartialDeviceView) => [device.name, device.deviceId];

export const deviceQueries = {
  devices: async (
    _root: unknown,
    args: PageArgs & { filter?: DeviceFilterInput | null },
    context: ApiContext,
    info: GraphQLResolveInfo,
  ) => {
    const principal = authorize(context, 'device:read');
    const filter = args.filter ?? {};
    const page = await context.ports.queries.listDevicesWith(
      {
        organizationId: principal.organizationId,
        statuses: filter.status ?? undefined,
        tags: filter.tags ?? undefined,
        location: filter.location ?? undefined,
        search: filter.text ?? undefined,
        parentId: filter.parentId ?? undefined,
        includeDecommissioned: filter.includeDecommissioned ?? false,
        limit: requestedPageSize(context, args.first),
        cursor: args.after ?? null,
      },
      devicePageColumns(info),
    );
    return toConnection(page, deviceSortKey);
  },

  device: async (_root: unknown, args: { deviceId: string }, context: ApiContext) => {
    const principal = authorize(context, 'device:read');
    return context.ports.queries.getDevice({
      organizationId: principal.organizationId,
      deviceId: args.deviceId,
    });
  },

  fleetSummary: async (_root: unknown, _args: unknown, context: ApiContext) => {
    const principal = authorize(context, 'device:read');
    return fleetSummaryOf(context.ports, principal.organizationId);
  },
};
