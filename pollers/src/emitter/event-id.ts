import { uuidV5 } from '@netpulse/domain';

/** Namespace of NetPulse poller event ids (a random v4 UUID, fixed forever). */
export const POLLER_NAMESPACE = '6f1c2d0e-8a4b-4e55-9d3c-2b7a1f0c9e41';

/**
 * The id of one observation: the same poller probing the same device the same way for the same
 * slot always produces the same id, so a retried append (or a restart inside the slot) stores it once.
 * Ids cannot contain `|`, so the joined name is unambiguous.
 */
export const observationEventId = (
  parts: Readonly<{ pollerId: string; deviceId: string; probeKey: string; scheduledAt: string }>,
): string =>
  uuidV5(
    ['observation', parts.pollerId, parts.deviceId, parts.probeKey, parts.scheduledAt].join('|'),
    POLLER_NAMESPACE,
  );

export const trapEventId = (
  parts: Readonly<{ pollerId: string; sourceAddress: string; requestId: string; receivedAt: string }>,
): string =>
  uuidV5(
    ['trap', parts.pollerId, parts.sourceAddress, parts.requestId, parts.receivedAt].join('|'),
    POLLER_NAMESPACE,
  );
