import { type ApiContext, authorize } from '../context.js';
import { alertsOpenAt } from './alerts-open-at.js';
import { alertAsOf, deviceAsOf } from './time-travel.js';

type CutArgs = Readonly<{ at?: Date | null; version?: bigint | null }>;

export const timeTravelQueries = {
  deviceAsOf: async (_root: unknown, args: CutArgs & { deviceId: string }, context: ApiContext) => {
    const principal = authorize(context, 'audit:read');
    return deviceAsOf(
      context.ports.store,
      principal.organizationId,
      args.deviceId,
      args,
      context.ports.clock.now(),
    );
  },

  alertAsOf: async (_root: unknown, args: CutArgs & { alertId: string }, context: ApiContext) => {
    const principal = authorize(context, 'audit:read');
    const { organizationId } = principal;
    const alertKey = await context.ports.queries.locateAlert(args.alertId, organizationId);
    const located = alertKey ? { alertId: args.alertId, alertKey } : null;
    return alertAsOf(context.ports.store, organizationId, located, args.alertId, args);
  },

  alertsOpenAt: async (
    _root: unknown,
    args: Readonly<{ at: Date; first?: number | null; after?: string | null }>,
    context: ApiContext,
  ) => alertsOpenAt(context, authorize(context, 'audit:read'), args),
};
