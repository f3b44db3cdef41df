import type { Queryable } from '../sql/queryable.js';
import { alertStreamVersions, alertTimelines } from './alert-batches.js';
import { getAlertRule, listAlertRules } from './alert-rules.js';
import { type AlertFilter, getAlert, listAlerts, locateAlert } from './alerts.js';
import { type AuditFilter, auditLog } from './audit.js';
import { auditNotes } from './audit-notes.js';
import { availability } from './availability.js';
import type { Page } from './cursor.js';
import { availabilityOfDevices } from './device-availability.js';
import {
  type DeviceColumns,
  type DeviceFilter,
  type DeviceView,
  getDevice,
  getDevicesByIds,
  listDevices,
  type PartialDeviceView,
} from './devices.js';
import { fleetSummary } from './fleet.js';
import { metricSeries, type SeriesQuery } from './metrics.js';
import { activeAlertsOfDevices, alertsOpenCandidates, openAlertCount } from './open-alerts.js';
import type { ReadModelCache } from './read-model-cache.js';

type Org = Readonly<{ organizationId: string }>;

export type ReadModelQueriesOptions = Readonly<{
  /** Keeps device pages until the devices read model changes: dashboards ask for the same ones. */
  cache?: ReadModelCache;
}>;

/** Every read-model query bound to one database and schema: what the API resolvers call. */
export const readModelQueries = (q: Queryable, schema: string, options: ReadModelQueriesOptions = {}) => ({
  listDevices: (filter: DeviceFilter): Promise<Page<DeviceView>> => listDevices(q, schema, filter),
  /**
   * A page reading only `columns` of each device: what a GraphQL selection asks for. Pages come
   * from the cache when one is given, so they are shared: never change one.
   */
  listDevicesWith: (filter: DeviceFilter, columns: DeviceColumns): Promise<Page<PartialDeviceView>> =>
    options.cache
      ? options.cache.read('devices', `${columns.select}\u0000${JSON.stringify(filter)}`, () =>
          listDevices(q, schema, filter, columns),
        )
      : listDevices(q, schema, filter, columns),
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
  getDevicesByIds: (input: Org & { deviceIds: readonly string[] }) => getDevicesByIds(q, schema, input),
  availabilityOfDevices: (input: Org & { deviceIds: readonly string[]; now: Date }) =>
    availabilityOfDevices(q, schema, input),
  openAlertCount: (input: Org) => openAlertCount(q, schema, input),
  activeAlertsOfDevices: (input: Org & { deviceIds: readonly string[] }) =>
    activeAlertsOfDevices(q, schema, input),
  alertsOpenCandidates: (input: Parameters<typeof alertsOpenCandidates>[2]) =>
    alertsOpenCandidates(q, schema, input),
  alertTimelines: (input: Org & { alertIds: readonly string[] }) => alertTimelines(q, schema, input),
  alertStreamVersions: (input: Org & { alertIds: readonly string[] }) =>
    alertStreamVersions(q, schema, input),
  auditNotes: (input: Org & { eventIds: readonly string[] }) => auditNotes(q, schema, input),
  listAlertRules: (input: Org & { includeDeleted?: boolean }) => listAlertRules(q, schema, input),
  getAlertRule: (input: Org & { ruleId: string }) => getAlertRule(q, schema, input),
});
export type ReadModelQueries = ReturnType<typeof readModelQueries>;
