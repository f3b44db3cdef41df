import { type Document, gql } from '../../graphql/document';
import type { DateTime, DeviceStatus, PageInfo, WriteResult } from '../../graphql/schema-types';
import { FLEET_DEVICE_FIELDS, type FleetDevice } from './fleet-device';

export type FleetSummary = Readonly<{
  total: number;
  up: number;
  degraded: number;
  down: number;
  unreachable: number;
  unknown: number;
  monitoringPaused: number;
  inMaintenance: number;
  openAlerts: number;
}>;
const SUMMARY_FIELDS = 'total up degraded down unreachable unknown monitoringPaused inMaintenance openAlerts';

export type DeviceFilterInput = Readonly<{ status?: readonly DeviceStatus[] }>;

export type FleetPageData = { devices: { nodes: FleetDevice[]; pageInfo: PageInfo } };
type FleetPageVariables = { filter: DeviceFilterInput | null; after: string | null };

const fleetPages = new Map<number, Document<FleetPageData, FleetPageVariables>>();

/**
 * A page of the fleet, its size written into the document: the API costs a `first` given as a
 * variable at its largest allowed page, which a deployment may raise without raising the cost limit.
 */
export const fleetPageQuery = (first: number): Document<FleetPageData, FleetPageVariables> => {
  let document = fleetPages.get(first);
  if (!document) {
    document = gql<FleetPageData, FleetPageVariables>(
      `query FleetPage($filter: DeviceFilter, $after: String) {
        devices(filter: $filter, first: ${Math.floor(first)}, after: $after) { nodes { ${FLEET_DEVICE_FIELDS} } pageInfo { endCursor hasNextPage } }
      }`,
    );
    fleetPages.set(first, document);
  }
  return document;
};

/** The sizes the dashboard uses: a wall screen first, then the API's default largest page. */
export const FleetFirstPageQuery = fleetPageQuery(60);
export const FleetPageQuery = fleetPageQuery(200);

export const FleetDeviceQuery = gql<
  { device: (FleetDevice & { version: string | null }) | null },
  { deviceId: string }
>(`query FleetDevice($deviceId: String!) { device(deviceId: $deviceId) { ${FLEET_DEVICE_FIELDS} version } }`);

export const FleetSummaryQuery = gql<{ fleetSummary: FleetSummary }>(
  `query FleetSummary { fleetSummary { ${SUMMARY_FIELDS} } }`,
);

export const FleetSummarySubscription = gql<{ fleetSummary: FleetSummary }>(
  `subscription FleetSummaryLive { fleetSummary { ${SUMMARY_FIELDS} } }`,
);

export type DeviceStatusEvent = Readonly<{
  deviceId: string;
  from: DeviceStatus | null;
  to: DeviceStatus;
  reason: string | null;
  at: DateTime;
  device: FleetDevice | null;
}>;

export const DeviceStatusSubscription = gql<
  { deviceStatusChanged: DeviceStatusEvent },
  { deviceId?: string }
>(
  `subscription DeviceStatusLive($deviceId: String) {
    deviceStatusChanged(deviceId: $deviceId) { deviceId from to reason at device { ${FLEET_DEVICE_FIELDS} } }
  }`,
);

export type RegisterDeviceInput = Readonly<{
  deviceId?: string;
  name: string;
  address: string;
  kind: string;
  location?: string | null;
  tags?: readonly string[];
  parentId?: string | null;
  probes?: unknown;
}>;
export type DeviceChangesInput = Partial<Omit<RegisterDeviceInput, 'deviceId'>>;

export const RegisterDeviceMutation = gql<{ registerDevice: WriteResult }, { input: RegisterDeviceInput }>(
  `mutation RegisterDevice($input: RegisterDeviceInput!) { registerDevice(input: $input) { streamId version eventsWritten } }`,
);

export const UpdateDeviceMutation = gql<
  { updateDevice: WriteResult },
  { deviceId: string; changes: DeviceChangesInput; expectedVersion: string | null }
>(
  `mutation UpdateDevice($deviceId: String!, $changes: DeviceChangesInput!, $expectedVersion: BigInt) {
    updateDevice(deviceId: $deviceId, changes: $changes, expectedVersion: $expectedVersion) { streamId version eventsWritten }
  }`,
);

export const DeviceProbesQuery = gql<
  { device: { deviceId: string; probes: unknown; version: string | null } | null },
  { deviceId: string }
>(`query DeviceProbes($deviceId: String!) { device(deviceId: $deviceId) { deviceId probes version } }`);
