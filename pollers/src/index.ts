export {
  credentialEnvName,
  loadPollerConfig,
  PollerConfig,
  PollerConfigError,
  type PollerConfigInput,
  parsePollerConfig,
  pollerConfigFromEnv,
  redactedPollerConfig,
} from './config.js';
export { CredentialStore } from './credentials/credential-store.js';
export { SecretRedactor } from './credentials/redactor.js';
export { SnmpCredential } from './credentials/snmp-credential.js';
export { ObservationEmitter, type PendingEvent } from './emitter/emitter.js';
export { observationEventId, POLLER_NAMESPACE, trapEventId } from './emitter/event-id.js';
export {
  type ObservationInput,
  observationEvent,
  UNKNOWN_TRAPS_STREAM,
} from './emitter/observation-event.js';
export { type LogFn, type Logger, silentLogger } from './logger.js';
export { createPollerMetrics, type PollerMetrics } from './metrics.js';
export { createPoller, type Poller, type PollerDeps, type PollerStatus } from './poller.js';
export { fpingAvailable, type IcmpMode, IcmpProber } from './probes/icmp/icmp-prober.js';
export { pingProbe } from './probes/icmp/ping-probe.js';
export { failedOutcome, type ProbeOutcome } from './probes/outcome.js';
export { SnmpProber } from './probes/snmp/snmp-prober.js';
export { tcpProbe } from './probes/tcp/tcp-probe.js';
export { Limiter } from './scheduler/limiter.js';
export { Scheduler } from './scheduler/scheduler.js';
export { systemTimers, type Timers } from './scheduler/timers.js';
export { murmur2, partitionOf } from './sharing/device-partition.js';
export { type FleetShare, wholeFleet } from './sharing/fleet-share.js';
export { type Ownership, ownsNothing, PartitionedFleetShare } from './sharing/partitioned-share.js';
export type { DeviceTarget } from './targets/device-target.js';
// Test support for integration tests outside this package (infra, bench): a real snmpd on a free
// loopback port with a test configuration. Never used by the poller itself.
export { freeUdpPort, startSnmpd, type TestSnmpd } from './testing/snmpd.js';
