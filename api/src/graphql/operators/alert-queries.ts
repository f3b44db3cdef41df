import type { AlertView } from '@netpulse/projections';
import { type ApiContext, authorize } from '../context.js';
import { requestedPageSize, toConnection } from '../paging/connection.js';

export type AlertFilterInput = Readonly<{
  state?: readonly AlertView['state'][] | null;
  severity?: readonly string[] | null;
  deviceId?: string | null;
  suppressed?: boolean | null;
}>;

type PageArgs = Readonly<{ first?: number | null; after?: string | null }>;

/** The read model's order: newest raise first, then id. */
const alertSortKey = (alert: AlertView) => [alert.raisedAt.toISOString(), alert.alertId];

export const alertQueries = {
  alerts: async (
    _root: unknown,
    args: PageArgs & { filter?: AlertFilterInput | null },
    context: ApiContext,
  ) => {
    const principal = authorize(context, 'alert:read');
    const filter = args.filter ?? {};
    const page = await context.ports.queries.listAlerts({
      organizationId: principal.organizationId,
      states: filter.state ?? undefined,
      severities: filter.severity ?? undefined,
      deviceId: filter.deviceId ?? undefined,
      suppressed: filter.suppressed ?? undefined,
      limit: requestedPageSize(context, args.first),
      cursor: args.after ?? null,
    });
    return toConnection(page, alertSortKey);
  },

  alert: async (_root: unknown, args: { alertId: string }, context: ApiContext) => {
    const principal = authorize(context, 'alert:read');
    return context.ports.queries.getAlert({
      organizationId: principal.organizationId,
      alertId: args.alertId,
    });
  },
};
