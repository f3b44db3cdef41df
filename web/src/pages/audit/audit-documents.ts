import { gql } from '../../graphql/document';
import type {
  Actor,
  AlertState,
  BigIntString,
  DateTime,
  DeviceStatus,
  PageInfo,
  Severity,
} from '../../graphql/schema-types';

export type AuditEntry = Readonly<{
  eventId: string;
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string;
  streamId: string;
  streamVersion: BigIntString;
  occurredAt: DateTime;
  correlationId: string;
  note: string | null;
}>;

export type AuditFilterInput = Readonly<{
  actorKind?: string;
  actorId?: string;
  action?: string;
  entityId?: string;
  from?: DateTime;
  to?: DateTime;
}>;

export const AuditLogQuery = gql<
  { auditLog: { nodes: AuditEntry[]; pageInfo: PageInfo } },
  { filter: AuditFilterInput; first: number; after: string | null }
>(
  `query AuditLog($filter: AuditFilter, $first: Int, $after: String) {
    auditLog(filter: $filter, first: $first, after: $after) {
      nodes { eventId actor { kind id } action entityType entityId streamId streamVersion occurredAt correlationId note }
      pageInfo { endCursor hasNextPage }
    }
  }`,
);

export type RecordedEvent = Readonly<{
  eventId: string;
  type: string;
  streamId: string;
  streamVersion: BigIntString;
  globalPosition: BigIntString;
  checkpoint: string;
  recordedAt: DateTime;
  actor: Actor;
  correlationId: string;
  causationId: string;
  hash: string;
  previousHash: string;
  data: unknown;
}>;
const EVENT_FIELDS =
  'eventId type streamId streamVersion globalPosition checkpoint recordedAt actor { kind id } correlationId causationId hash previousHash data';

export const EventsQuery = gql<
  { events: { events: RecordedEvent[]; checkpoint: string; caughtUp: boolean } },
  { after: string | null; categories: string[] | null; first: number }
>(
  `query EventLog($after: String, $categories: [String!], $first: Int) {
    events(after: $after, filter: { categories: $categories }, first: $first) { events { ${EVENT_FIELDS} } checkpoint caughtUp }
  }`,
);

export const StreamHistoryQuery = gql<
  { streamHistory: { streamId: string; currentVersion: BigIntString | null; events: RecordedEvent[] } },
  { streamId: string; fromVersion: BigIntString | null; limit: number }
>(
  `query StreamHistory($streamId: String!, $fromVersion: BigInt, $limit: Int) {
    streamHistory(streamId: $streamId, fromVersion: $fromVersion, limit: $limit) { streamId currentVersion events { ${EVENT_FIELDS} } }
  }`,
);

export type VerifyResult = Readonly<{
  streamId: string;
  ok: boolean;
  eventsChecked: number;
  brokenAtVersion: BigIntString | null;
  reason: string | null;
}>;

export const VerifyStreamQuery = gql<{ verifyStream: VerifyResult }, { streamId: string }>(
  `query VerifyStream($streamId: String!) { verifyStream(streamId: $streamId) { streamId ok eventsChecked brokenAtVersion reason } }`,
);

export type DeviceSnapshot = Readonly<{
  deviceId: string;
  version: BigIntString | null;
  asOf: DateTime | null;
  exists: boolean;
  /** 'unregistered', 'active' or 'decommissioned'. */
  lifecycle: string;
  name: string | null;
  address: string | null;
  status: DeviceStatus | null;
  monitoringPaused: boolean | null;
  inMaintenance: boolean | null;
  tags: readonly string[] | null;
  state: unknown;
}>;

export const DeviceAsOfQuery = gql<{ deviceAsOf: DeviceSnapshot }, { deviceId: string; at: DateTime }>(
  `query DeviceAsOf($deviceId: String!, $at: DateTime) {
    deviceAsOf(deviceId: $deviceId, at: $at) {
      deviceId version asOf exists lifecycle name address status monitoringPaused inMaintenance tags state
    }
  }`,
);

export type AlertSnapshot = Readonly<{
  alertId: string;
  alertKey: string;
  version: BigIntString | null;
  asOf: DateTime | null;
  exists: boolean;
  deviceId: string | null;
  condition: string | null;
  summary: string | null;
  state: AlertState | null;
  severity: Severity | null;
  count: number | null;
  escalationLevel: number | null;
  suppressed: boolean | null;
  raisedAt: DateTime | null;
  acknowledgedBy: Actor | null;
  acknowledgedAt: DateTime | null;
  acknowledgementNote: string | null;
  resolvedAt: DateTime | null;
  resolvedBy: Actor | null;
}>;
const ALERT_SNAPSHOT = `alertId alertKey version asOf exists deviceId condition summary state severity count escalationLevel
  suppressed raisedAt acknowledgedBy { kind id } acknowledgedAt acknowledgementNote resolvedAt resolvedBy { kind id }`;

export const AlertAsOfQuery = gql<{ alertAsOf: AlertSnapshot }, { alertId: string; at: DateTime }>(
  `query AlertAsOf($alertId: String!, $at: DateTime) { alertAsOf(alertId: $alertId, at: $at) { ${ALERT_SNAPSHOT} } }`,
);

export const AlertsOpenAtQuery = gql<
  { alertsOpenAt: { nodes: AlertSnapshot[]; pageInfo: PageInfo } },
  { at: DateTime; first: number; after: string | null }
>(
  `query AlertsOpenAt($at: DateTime!, $first: Int, $after: String) {
    alertsOpenAt(at: $at, first: $first, after: $after) { nodes { ${ALERT_SNAPSHOT} } pageInfo { endCursor hasNextPage } }
  }`,
);
