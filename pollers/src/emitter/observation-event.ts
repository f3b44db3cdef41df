import {
  CURRENT_SCHEMA_VERSION,
  DeviceObserved,
  type EventMetadata,
  type ProbeKind,
  streamCategories,
  streamId,
  TrapReceived,
} from '@netpulse/domain';
import type { ProbeOutcome } from '../probes/outcome.js';
import type { DeviceTarget } from '../targets/device-target.js';
import type { PendingEvent } from './emitter.js';
import { observationEventId, trapEventId } from './event-id.js';

export type ObservationInput = Readonly<{
  pollerId: string;
  target: DeviceTarget;
  probeKey: string;
  kind: ProbeKind;
  scheduledAt: Date;
  observedAt: Date;
  outcome: ProbeOutcome;
}>;

const pollerMetadata = (
  pollerId: string,
  organizationId: string,
  eventId: string,
  causationId: string,
): EventMetadata => ({
  organizationId,
  actor: { kind: 'poller', id: pollerId },
  // Each observation starts a causal chain of its own (status changes and alerts it triggers carry
  // its id); it was caused by the device event that put the device under these probe settings.
  correlationId: eventId,
  causationId,
  schemaVersion: CURRENT_SCHEMA_VERSION,
});

/**
 * The DeviceObserved event for one probe result, on the device's observation stream. The result
 * is checked against the event schema here: an agent that sent something absurd yields an
 * observation carrying a MALFORMED error, not an append the store would refuse.
 */
export const observationEvent = (input: ObservationInput): PendingEvent => {
  const { pollerId, target, probeKey, kind, outcome } = input;
  const scheduledAt = input.scheduledAt.toISOString();
  const id = observationEventId({ pollerId, deviceId: target.deviceId, probeKey, scheduledAt });
  const data = {
    deviceId: target.deviceId,
    pollerId,
    probe: kind,
    scheduledAt,
    observedAt: input.observedAt.toISOString(),
    durationMs: outcome.durationMs,
    reachable: outcome.reachable,
    error: outcome.error,
    icmp: outcome.icmp,
    tcp: outcome.tcp,
    snmp: outcome.snmp,
  };
  const parsed = DeviceObserved.safeParse({ type: 'DeviceObserved', data });
  const event = parsed.success
    ? parsed.data
    : {
        type: 'DeviceObserved' as const,
        data: {
          ...data,
          error: {
            code: 'MALFORMED' as const,
            message: `probe result rejected: ${parsed.error.issues
              .slice(0, 3)
              .map((issue) => `${issue.path.join('.')} ${issue.message}`)
              .join('; ')}`.slice(0, 500),
          },
          icmp: null,
          tcp: null,
          snmp: null,
        },
      };
  return {
    streamId: streamId(streamCategories.observations, target.deviceId),
    event: {
      ...event,
      id,
      metadata: pollerMetadata(pollerId, target.organizationId, id, target.causationId),
    },
  };
};

export type TrapInput = Readonly<{
  pollerId: string;
  /** The device whose address sent the trap, or null for an unknown sender. */
  target: DeviceTarget | null;
  /** Organization to file an unknown sender's trap under. */
  fallbackOrganizationId: string;
  requestId: string;
  trap: Omit<TrapReceived['data'], 'deviceId'>;
}>;

export const UNKNOWN_TRAPS_STREAM = streamId(streamCategories.traps, 'unknown');

/** A TrapReceived event on the sender's observation stream, or on `traps-unknown`. */
export const trapEvent = (input: TrapInput): PendingEvent | null => {
  const { pollerId, target, trap } = input;
  const id = trapEventId({
    pollerId,
    sourceAddress: trap.sourceAddress,
    requestId: input.requestId,
    receivedAt: trap.receivedAt,
  });
  const parsed = TrapReceived.safeParse({
    type: 'TrapReceived',
    data: { ...trap, deviceId: target?.deviceId ?? null },
  });
  if (!parsed.success) return null;
  return {
    streamId: target ? streamId(streamCategories.observations, target.deviceId) : UNKNOWN_TRAPS_STREAM,
    event: {
      ...parsed.data,
      id,
      metadata: pollerMetadata(
        pollerId,
        target?.organizationId ?? input.fallbackOrganizationId,
        id,
        target?.causationId ?? id,
      ),
    },
  };
};
