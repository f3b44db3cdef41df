import { notFound } from '@netpulse/domain';
import type { DeviceMetric, InterfaceMetric } from '@netpulse/projections';
import { type ApiContext, authorize } from '../context.js';
import { checkMetricRange, nameOf, type ResolutionName, tierOf } from './metric-range.js';

type MetricArgs = Readonly<{
  deviceId: string;
  metric: DeviceMetric | InterfaceMetric;
  ifIndex?: number | null;
  from: Date;
  to: Date;
  resolution?: ResolutionName | null;
}>;

export const metricQueries = {
  deviceMetrics: async (_root: unknown, args: MetricArgs, context: ApiContext) => {
    const principal = authorize(context, 'device:read');
    const resolution = args.resolution ?? 'auto';
    checkMetricRange({ ...args, resolution });
    const { organizationId } = principal;
    // Series are scoped by organization anyway; asking first makes an unknown (or foreign) device a
    // NOT_FOUND rather than an empty series that looks like silence.
    const device = await context.ports.queries.getDevice({ organizationId, deviceId: args.deviceId });
    if (!device) throw notFound(`device ${args.deviceId} does not exist`);
    const series = await context.ports.queries.metricSeries({
      organizationId,
      deviceId: args.deviceId,
      metric: args.metric,
      ...(args.ifIndex === null || args.ifIndex === undefined ? {} : { ifIndex: args.ifIndex }),
      from: args.from,
      to: args.to,
      resolution: tierOf(resolution),
      now: context.ports.clock.now(),
    });
    return {
      deviceId: args.deviceId,
      metric: args.metric,
      ifIndex: args.ifIndex ?? null,
      resolution: nameOf(series.resolution),
      points: series.points,
    };
  },
};
