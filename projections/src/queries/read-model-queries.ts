import type { Queryable } from '../sql/queryable.js';
import { type AlertFilter, getAlert, listAlerts, locateAlert } from './alerts.js';
import { type AuditFilter, auditLog } from './audit.js';
import { availability } from './availability.js';
import { type DeviceFilter, getDevice, listDevices } from './devices.js';
import { fleetSummary } from './fleet.js';
import { metricSeries, type SeriesQuery } from './metrics.js';

/** Every read-model query bound to one database and schema: what the API resolvers call. */
export const readModelQueries = (q: Queryable, schema: string) => ({
  listDevices: (filter: DeviceFilter) => listDevices(q, schema, filter),
  getDevice: (input: { organizationId: string; deviceId: string }) => getDevice(q, schema, input),
  fleetSummary: (input: { organizationId: string; now: Date }) => fleetSummary(q, schema, input),
  metricSeries: (query: SeriesQuery) => metricSeries(q, schema, query),
  availability: (input: { organizationId: string; deviceId?: string; now: Date }) =>
    availability(q, schema, input),
  listAlerts: (filter: AlertFilter) => listAlerts(q, schema, filter),
  getAlert: (input: { organizationId: string; alertId: string }) => getAlert(q, schema, input),
  /** Fits `AlertLocator` of @netpulse/commands. */
  locateAlert: (alertId: string, organizationId: string) => locateAlert(q, schema, alertId, organizationId),
  auditLog: (filter: AuditFilter) => auditLog(q, schema, filter),
});
export type ReadModelQueries = ReturnType<typeof readModelQueries>;
