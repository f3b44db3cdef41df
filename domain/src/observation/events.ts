import { z } from 'zod';
import { Id, Timestamp } from '../shared/primitives.js';

export const probeKinds = ['icmp', 'snmp', 'tcp'] as const;
export const ProbeKind = z.enum(probeKinds);
export type ProbeKind = z.infer<typeof ProbeKind>;

/** Why a probe produced no (or partial) data. Messages never contain credentials. */
export const ProbeError = z.object({
  code: z.enum([
    'TIMEOUT',
    'UNREACHABLE',
    'REFUSED',
    'SNMP_ERROR',
    'MALFORMED',
    'NOT_AVAILABLE',
    'PROBE_FAILED',
  ]),
  message: z.string().max(500),
});
export type ProbeError = z.infer<typeof ProbeError>;

const Ms = z.number().nonnegative();
const Pct = z.number().min(0).max(100);

export const IcmpResult = z.object({
  sent: z.number().int().nonnegative(),
  received: z.number().int().nonnegative(),
  lossPct: Pct,
  rttMinMs: Ms.nullable(),
  rttAvgMs: Ms.nullable(),
  rttMaxMs: Ms.nullable(),
  jitterMs: Ms.nullable(),
});
export type IcmpResult = z.infer<typeof IcmpResult>;

export const TcpResult = z.object({
  port: z.number().int().min(1).max(65_535),
  outcome: z.enum(['open', 'refused', 'timeout', 'unreachable']),
  connectMs: Ms.nullable(),
});
export type TcpResult = z.infer<typeof TcpResult>;

export const InterfaceSample = z.object({
  index: z.number().int().nonnegative(),
  name: z.string().max(200),
  operStatus: z.enum(['up', 'down', 'testing', 'unknown', 'dormant', 'notPresent', 'lowerLayerDown']),
  speedMbps: z.number().nonnegative().nullable(),
  /** Rates from counter deltas; null on the first sample or after an agent restart. */
  inBps: z.number().nonnegative().nullable(),
  outBps: z.number().nonnegative().nullable(),
  inErrors: z.number().nonnegative().nullable(),
  outErrors: z.number().nonnegative().nullable(),
  inDiscards: z.number().nonnegative().nullable(),
  outDiscards: z.number().nonnegative().nullable(),
});
export type InterfaceSample = z.infer<typeof InterfaceSample>;

export const SnmpResult = z.object({
  sysUpTimeSeconds: z.number().nonnegative().nullable(),
  sysName: z.string().max(255).nullable(),
  sysDescr: z.string().max(1024).nullable(),
  cpuPct: Pct.nullable(),
  memoryPct: Pct.nullable(),
  disks: z.array(z.object({ name: z.string().max(255), usedPct: Pct })).max(256),
  interfaces: z.array(InterfaceSample).max(4096),
  /** Parts of the poll that failed while the rest succeeded (e.g. a missing HOST-RESOURCES table). */
  partialErrors: z.array(ProbeError).max(32),
});
export type SnmpResult = z.infer<typeof SnmpResult>;

export const DeviceObserved = z.object({
  type: z.literal('DeviceObserved'),
  data: z.object({
    deviceId: Id,
    pollerId: Id,
    probe: ProbeKind,
    scheduledAt: Timestamp,
    observedAt: Timestamp,
    durationMs: Ms,
    /** True when the device answered the probe. */
    reachable: z.boolean(),
    error: ProbeError.nullable(),
    icmp: IcmpResult.nullable(),
    tcp: TcpResult.nullable(),
    snmp: SnmpResult.nullable(),
  }),
});
export type DeviceObserved = z.infer<typeof DeviceObserved>;

export const TrapVarbind = z.object({
  oid: z.string().max(256),
  type: z.string().max(64),
  value: z.string().max(4096),
});

export const TrapReceived = z.object({
  type: z.literal('TrapReceived'),
  data: z.object({
    /** Null when no registered device has the sender's address; the trap is still recorded. */
    deviceId: Id.nullable(),
    sourceAddress: z.string().max(253),
    version: z.enum(['v1', 'v2c', 'v3']),
    trapOid: z.string().max(256),
    varbinds: z.array(TrapVarbind).max(256),
    receivedAt: Timestamp,
  }),
});
export type TrapReceived = z.infer<typeof TrapReceived>;

export const ObservationEvent = z.discriminatedUnion('type', [DeviceObserved, TrapReceived]);
export type ObservationEvent = z.infer<typeof ObservationEvent>;
