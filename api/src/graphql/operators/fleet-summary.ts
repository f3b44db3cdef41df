import type { ApiPorts } from '../ports.js';

/**
 * The fleet at a glance for one organization, with its unresolved alerts. Exported for the live
 * area, whose `fleetSummary` subscription pushes the same shape.
 */
export const fleetSummaryOf = async (ports: ApiPorts, organizationId: string) => {
  const [fleet, openAlerts] = await Promise.all([
    ports.queries.fleetSummary({ organizationId, now: ports.clock.now() }),
    ports.queries.openAlertCount({ organizationId }),
  ]);
  return { ...fleet, openAlerts };
};
