import { gql } from '../../graphql/document';
import type {
  Actor,
  AlertState,
  DateTime,
  PageInfo,
  Severity,
  WriteResult,
} from '../../graphql/schema-types';

export type ConsoleAlert = Readonly<{
  alertId: string;
  alertKey: string;
  deviceId: string;
  device: Readonly<{ name: string; address: string }> | null;
  ruleId: string | null;
  condition: string;
  severity: Severity;
  summary: string;
  state: AlertState;
  count: number;
  escalationLevel: number;
  suppressed: boolean;
  suppressionReason: string | null;
  acknowledgedBy: Actor | null;
  acknowledgedAt: DateTime | null;
  acknowledgementNote: string | null;
  resolvedAt: DateTime | null;
  resolvedBy: Actor | null;
  resolvedAutomatically: boolean | null;
  raisedAt: DateTime;
  lastChangedAt: DateTime;
  notificationsSent: number;
  notificationsFailed: number;
}>;

export const ALERT_FIELDS = `alertId alertKey deviceId device { name address } ruleId condition severity summary state
  count escalationLevel suppressed suppressionReason acknowledgedBy { kind id } acknowledgedAt acknowledgementNote
  resolvedAt resolvedBy { kind id } resolvedAutomatically raisedAt lastChangedAt notificationsSent notificationsFailed`;

export const AlertsPageQuery = gql<
  { alerts: { nodes: ConsoleAlert[]; pageInfo: PageInfo } },
  { states: AlertState[]; deviceId?: string | null; after: string | null }
>(
  // A literal page size: the API costs a variable one at its largest page, which this selection exceeds.
  `query AlertsPage($states: [AlertState!], $deviceId: String, $after: String) {
    alerts(filter: { state: $states, deviceId: $deviceId }, first: 100, after: $after) {
      nodes { ${ALERT_FIELDS} } pageInfo { endCursor hasNextPage }
    }
  }`,
);

export type AlertEvent = Readonly<{
  alertId: string;
  change: string;
  at: DateTime;
  actor: Actor;
  alert: ConsoleAlert | null;
}>;

export const AlertChangedSubscription = gql<{ alertChanged: AlertEvent }, { deviceId?: string }>(
  `subscription AlertChangedLive($deviceId: String) {
    alertChanged(deviceId: $deviceId) { alertId change at actor { kind id } alert { ${ALERT_FIELDS} } }
  }`,
);

export type TimelineEntry = Readonly<{
  eventId: string;
  type: string;
  at: DateTime;
  actor: Actor;
  data: unknown;
}>;

export const AlertTimelineQuery = gql<
  { alert: { alertId: string; timeline: TimelineEntry[] } | null },
  { alertId: string }
>(
  `query AlertTimeline($alertId: String!) { alert(alertId: $alertId) { alertId timeline { eventId type at actor { kind id } data } } }`,
);

const write = 'streamId version eventsWritten';
type NoteVars = { alertId: string; note: string | null };

export const AcknowledgeAlertMutation = gql<{ acknowledgeAlert: WriteResult }, NoteVars>(
  `mutation AcknowledgeAlert($alertId: String!, $note: String) { acknowledgeAlert(alertId: $alertId, note: $note) { ${write} } }`,
);
export const UnacknowledgeAlertMutation = gql<{ unacknowledgeAlert: WriteResult }, NoteVars>(
  `mutation UnacknowledgeAlert($alertId: String!, $note: String) { unacknowledgeAlert(alertId: $alertId, note: $note) { ${write} } }`,
);
export const ResolveAlertMutation = gql<{ resolveAlert: WriteResult }, NoteVars>(
  `mutation ResolveAlert($alertId: String!, $note: String) { resolveAlert(alertId: $alertId, note: $note) { ${write} } }`,
);
export const AddAlertNoteMutation = gql<{ addAlertNote: WriteResult }, { alertId: string; text: string }>(
  `mutation AddAlertNote($alertId: String!, $text: String!) { addAlertNote(alertId: $alertId, text: $text) { ${write} } }`,
);

export const AlertQuery = gql<{ alert: ConsoleAlert | null }, { alertId: string }>(
  `query AlertRow($alertId: String!) { alert(alertId: $alertId) { ${ALERT_FIELDS} } }`,
);
