/** What the NOC works with: the fleet, alerts, metrics, rules, and every command on them. */
export const operatorTypeDefs = /* GraphQL */ `
  type MaintenanceWindow {
    windowId: String!
    startsAt: DateTime!
    endsAt: DateTime!
    reason: String!
  }

  type Availability {
    "'24h', '7d' or '30d'."
    window: String!
    availabilityPct: Float
    monitoredSeconds: Float!
    downtimeSeconds: Float!
    outages: Int!
    mttrSeconds: Float
  }

  type StatusChange {
    from: DeviceStatus
    to: DeviceStatus!
    reason: String
    at: DateTime!
  }

  type LatestMetrics {
    observedAt: DateTime
    reachable: Boolean
    rttAvgMs: Float
    lossPct: Float
    cpuPct: Float
    memoryPct: Float
    lastError: String
  }

  type Device {
    deviceId: String!
    organizationId: String!
    name: String!
    address: String!
    kind: String!
    location: String
    tags: [String!]!
    parentId: String
    probes: JSON!
    status: DeviceStatus!
    statusReason: String
    statusChangedAt: DateTime
    monitoringPaused: Boolean!
    maintenance: [MaintenanceWindow!]!
    inMaintenance: Boolean!
    registeredAt: DateTime!
    updatedAt: DateTime!
    decommissionedAt: DateTime
    latest: LatestMetrics!
    "Stream version: pass as expectedVersion to mutations."
    version: BigInt
    "Status changes, newest first (from the device's history)."
    statusTimeline(limit: Int = 50): [StatusChange!]!
    availability: [Availability!]!
    "Open and acknowledged alerts of this device."
    activeAlerts: [Alert!]!
  }

  type DeviceEdge {
    cursor: String!
    node: Device!
  }

  type DeviceConnection {
    edges: [DeviceEdge!]!
    nodes: [Device!]!
    pageInfo: PageInfo!
  }

  input DeviceFilter {
    status: [DeviceStatus!]
    "Devices carrying every one of these tags."
    tags: [String!]
    location: String
    "Case-insensitive substring of name or address."
    text: String
    parentId: String
    includeDecommissioned: Boolean
  }

  enum DeviceMetricName {
    rttAvgMs
    lossPct
    tcpConnectMs
    cpuPct
    memoryPct
    inBps
    outBps
    inErrors
    outErrors
  }

  enum Resolution {
    auto
    raw
    oneMinute
    oneHour
  }

  type MetricPoint {
    time: DateTime!
    avg: Float
    min: Float
    max: Float
    samples: Int!
  }

  type MetricSeries {
    deviceId: String!
    metric: DeviceMetricName!
    ifIndex: Int
    "The tier actually read."
    resolution: Resolution!
    points: [MetricPoint!]!
  }

  type TimelineEntry {
    eventId: String!
    type: String!
    at: DateTime!
    actor: Actor!
    data: JSON
  }

  type Alert {
    alertId: String!
    alertKey: String!
    organizationId: String!
    deviceId: String!
    device: Device
    ruleId: String
    condition: String!
    severity: Severity!
    summary: String!
    details: JSON
    state: AlertState!
    count: Int!
    escalationLevel: Int!
    suppressed: Boolean!
    suppressionReason: String
    acknowledgedBy: Actor
    acknowledgedAt: DateTime
    acknowledgementNote: String
    resolvedAt: DateTime
    resolvedBy: Actor
    resolvedAutomatically: Boolean
    raisedAt: DateTime!
    lastChangedAt: DateTime!
    notificationsSent: Int!
    notificationsFailed: Int!
    "Every event of this alert, in stream order."
    timeline: [TimelineEntry!]!
    "Version of the alert's stream (keyed by reduction key): pass as expectedVersion to mutations."
    version: BigInt
  }

  type AlertEdge {
    cursor: String!
    node: Alert!
  }

  type AlertConnection {
    edges: [AlertEdge!]!
    nodes: [Alert!]!
    pageInfo: PageInfo!
  }

  input AlertFilter {
    state: [AlertState!]
    severity: [Severity!]
    deviceId: String
    suppressed: Boolean
  }

  type FleetSummary {
    organizationId: String!
    total: Int!
    up: Int!
    degraded: Int!
    down: Int!
    unreachable: Int!
    unknown: Int!
    monitoringPaused: Int!
    inMaintenance: Int!
    "Alerts not resolved yet (open or acknowledged, suppressed ones included)."
    openAlerts: Int!
  }

  type AlertRuleScope {
    deviceIds: [String!]!
    tags: [String!]!
  }

  type AlertRule {
    ruleId: String!
    name: String!
    metric: String!
    operator: String!
    threshold: Float!
    clearThreshold: Float!
    forSeconds: Int!
    severity: Severity!
    scope: AlertRuleScope!
    enabled: Boolean!
    "Stream version: pass as expectedVersion to mutations."
    version: BigInt
    definedAt: DateTime!
    changedAt: DateTime!
    "Set once the rule is deleted; deleted rules are listed only on request."
    deletedAt: DateTime
  }

  input RegisterDeviceInput {
    "Chosen by the client for idempotent retries; generated when absent."
    deviceId: String
    name: String!
    address: String!
    kind: String!
    location: String
    tags: [String!]
    parentId: String
    "Probe settings: { icmp?, snmp?, tcp? } (see the README)."
    probes: JSON
  }

  input DeviceChangesInput {
    name: String
    address: String
    kind: String
    location: String
    tags: [String!]
    parentId: String
    probes: JSON
  }

  input ScheduleMaintenanceInput {
    deviceId: String!
    windowId: String
    startsAt: DateTime!
    endsAt: DateTime!
    reason: String!
  }

  input AlertRuleScopeInput {
    deviceIds: [String!]
    tags: [String!]
  }

  input DefineAlertRuleInput {
    ruleId: String
    name: String!
    metric: String!
    operator: String!
    threshold: Float!
    clearThreshold: Float!
    forSeconds: Int
    severity: Severity!
    scope: AlertRuleScopeInput
    enabled: Boolean
  }

  input AlertRuleChangesInput {
    name: String
    metric: String
    operator: String
    threshold: Float
    clearThreshold: Float
    forSeconds: Int
    severity: Severity
    scope: AlertRuleScopeInput
    enabled: Boolean
  }

  extend type Query {
    devices(filter: DeviceFilter, first: Int = 50, after: String): DeviceConnection!
    device(deviceId: String!): Device
    deviceMetrics(
      deviceId: String!
      metric: DeviceMetricName!
      ifIndex: Int
      from: DateTime!
      to: DateTime!
      resolution: Resolution = auto
    ): MetricSeries!
    alerts(filter: AlertFilter, first: Int = 50, after: String): AlertConnection!
    alert(alertId: String!): Alert
    fleetSummary: FleetSummary!
    alertRules(includeDeleted: Boolean = false): [AlertRule!]!
    alertRule(ruleId: String!): AlertRule
  }

  extend type Mutation {
    registerDevice(input: RegisterDeviceInput!): WriteResult!
    updateDevice(deviceId: String!, changes: DeviceChangesInput!, expectedVersion: BigInt): WriteResult!
    decommissionDevice(deviceId: String!, reason: String!, expectedVersion: BigInt): WriteResult!
    pauseMonitoring(deviceId: String!, reason: String!, expectedVersion: BigInt): WriteResult!
    resumeMonitoring(deviceId: String!, expectedVersion: BigInt): WriteResult!
    scheduleMaintenance(input: ScheduleMaintenanceInput!, expectedVersion: BigInt): WriteResult!
    cancelMaintenance(deviceId: String!, windowId: String!, expectedVersion: BigInt): WriteResult!
    acknowledgeAlert(alertId: String!, note: String, expectedVersion: BigInt): WriteResult!
    unacknowledgeAlert(alertId: String!, note: String, expectedVersion: BigInt): WriteResult!
    resolveAlert(alertId: String!, note: String, expectedVersion: BigInt): WriteResult!
    addAlertNote(alertId: String!, text: String!, expectedVersion: BigInt): WriteResult!
    defineAlertRule(input: DefineAlertRuleInput!): WriteResult!
    changeAlertRule(ruleId: String!, changes: AlertRuleChangesInput!, expectedVersion: BigInt): WriteResult!
    deleteAlertRule(ruleId: String!, expectedVersion: BigInt): WriteResult!
  }
`;
