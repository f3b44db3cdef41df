/** Live views and the integrators' resumable event feed. */
export const liveTypeDefs = /* GraphQL */ `
  type DeviceStatusEvent {
    deviceId: String!
    from: DeviceStatus
    to: DeviceStatus!
    reason: String
    at: DateTime!
    checkpoint: String!
    "The device as the read model shows it once this change is applied (waits briefly for the projection)."
    device: Device
  }

  type AlertEvent {
    alertId: String!
    "The event type: AlertRaised, AlertAcknowledged, AlertResolved…"
    change: String!
    at: DateTime!
    actor: Actor!
    checkpoint: String!
    "The alert as the read model shows it once this change is applied."
    alert: Alert
  }

  "One probe's observation of a device; fields that probe does not measure are null."
  type LiveMetrics {
    deviceId: String!
    "icmp, snmp or tcp."
    probe: String!
    observedAt: DateTime!
    reachable: Boolean
    rttAvgMs: Float
    lossPct: Float
    tcpConnectMs: Float
    cpuPct: Float
    memoryPct: Float
    "Per-interface rates: [{ ifIndex, name, inBps, outBps }]."
    interfaces: JSON
    "Why the probe failed, when it did."
    error: String
  }

  extend type Subscription {
    deviceStatusChanged(deviceId: String): DeviceStatusEvent!
    "Alert lifecycle changes; minSeverity keeps alerts at least that urgent (critical is the most)."
    alertChanged(deviceId: String, minSeverity: Severity): AlertEvent!
    deviceMetrics(deviceId: String!): LiveMetrics!
    "The summary now, then again whenever it changes (debounced); a slow client gets the newest only."
    fleetSummary: FleetSummary!
    "Replays from 'after' (omit for live only, 'start' for everything), then continues live: no gap, no duplicate. Like every live subscription, a client that falls too far behind is ended with an error whose extensions.code is SLOW_CONSUMER: subscribe again after the last checkpoint received."
    events(after: String, filter: EventFilter): RecordedEvent!
  }
`;
