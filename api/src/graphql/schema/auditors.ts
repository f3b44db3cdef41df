/** The full history, replayable: who did what and when, state as of any moment, tamper evidence. */
export const auditorTypeDefs = /* GraphQL */ `
  type RecordedEvent {
    eventId: String!
    type: String!
    streamId: String!
    streamVersion: BigInt!
    globalPosition: BigInt!
    "Opaque resume token: pass as 'after' to events queries and subscriptions."
    checkpoint: String!
    recordedAt: DateTime!
    organizationId: String!
    actor: Actor!
    correlationId: String!
    causationId: String!
    schemaVersion: Int!
    hash: String!
    previousHash: String!
    data: JSON!
  }

  type StreamHistory {
    streamId: String!
    currentVersion: BigInt
    events: [RecordedEvent!]!
  }

  type EventPage {
    events: [RecordedEvent!]!
    "Resume token after the last event of this page."
    checkpoint: String!
    "True when this page reached the end of the log as visible now."
    caughtUp: Boolean!
  }

  input EventFilter {
    types: [String!]
    "Stream categories: device, alert, alert-rule, organization, observations, traps."
    categories: [String!]
  }

  type AuditEntry {
    eventId: String!
    actor: Actor!
    action: String!
    entityType: String!
    entityId: String!
    streamId: String!
    streamVersion: BigInt!
    occurredAt: DateTime!
    correlationId: String!
    causationId: String!
    "The note an actor gave, when the action carried one."
    note: String
  }

  type AuditEntryConnection {
    nodes: [AuditEntry!]!
    pageInfo: PageInfo!
  }

  input AuditFilter {
    actorKind: String
    actorId: String
    action: String
    entityId: String
    correlationId: String
    from: DateTime
    to: DateTime
  }

  """
  A device or alert as it was: state rebuilt by replaying its stream with the domain's own evolve,
  up to a moment (compared with when each event was recorded) and/or a version. Another
  organization's entity answers exactly like one that never existed: exists false.
  """
  type DeviceSnapshot {
    deviceId: String!
    "Version of the last event replayed; null when nothing was."
    version: BigInt
    asOf: DateTime
    "Registered (and maybe decommissioned) by then."
    exists: Boolean!
    "'unregistered', 'active' or 'decommissioned'."
    lifecycle: String!
    name: String
    address: String
    "Health then; null unless active."
    status: DeviceStatus
    monitoringPaused: Boolean
    "Inside a maintenance window at asOf (or now)."
    inMaintenance: Boolean
    tags: [String!]
    "The decider's whole state."
    state: JSON!
  }

  type AlertSnapshot {
    alertId: String!
    "Null when the alert does not exist (for the caller)."
    alertKey: String
    version: BigInt
    asOf: DateTime
    "Raised by then."
    exists: Boolean!
    deviceId: String
    condition: String
    summary: String
    state: AlertState
    severity: Severity
    count: Int
    escalationLevel: Int
    suppressed: Boolean
    raisedAt: DateTime
    acknowledgedBy: Actor
    acknowledgedAt: DateTime
    acknowledgementNote: String
    resolvedAt: DateTime
    resolvedBy: Actor
    "The decider's whole state of this instance."
    snapshot: JSON!
  }

  type AlertSnapshotPage {
    "The confirmed alerts of one page of candidates: may be shorter than first while hasNextPage."
    nodes: [AlertSnapshot!]!
    pageInfo: PageInfo!
  }

  type VerifyResult {
    streamId: String!
    ok: Boolean!
    eventsChecked: Int!
    brokenAtVersion: BigInt
    reason: String
  }

  extend type Query {
    streamHistory(streamId: String!, fromVersion: BigInt, limit: Int = 100): StreamHistory!
    "The global log in commit order; every organization sees only its own events."
    events(after: String, filter: EventFilter, first: Int = 100): EventPage!
    deviceAsOf(deviceId: String!, at: DateTime, version: BigInt): DeviceSnapshot!
    alertAsOf(alertId: String!, at: DateTime, version: BigInt): AlertSnapshot!
    "Alerts open (unresolved) at a moment as recorded, newest raise first, each as it stood then."
    alertsOpenAt(at: DateTime!, first: Int = 100, after: String): AlertSnapshotPage!
    auditLog(filter: AuditFilter, first: Int = 50, after: String): AuditEntryConnection!
    verifyStream(streamId: String!): VerifyResult!
  }
`;
