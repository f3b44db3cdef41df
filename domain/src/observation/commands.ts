import { z } from 'zod';
import type { CommandOf } from '../shared/command-schema.js';
import { addressFamily } from '../shared/primitives.js';
import { DeviceObserved, TrapReceived } from './events.js';

const resultFields = { icmp: 'icmp', snmp: 'snmp', tcp: 'tcp' } as const;

/**
 * An observation beyond its schema: counts and round-trip times that contradict each other, or a
 * result from another probe than the one that ran, mean a broken poller, not a network fact.
 */
export const ObservationData = DeviceObserved.shape.data.superRefine((data, context) => {
  const { icmp } = data;
  if (icmp && icmp.received > icmp.sent) {
    context.addIssue({
      code: 'custom',
      path: ['icmp', 'received'],
      message: 'more replies received than sent',
    });
  }
  if (icmp?.rttMinMs != null && icmp.rttMaxMs != null && icmp.rttMinMs > icmp.rttMaxMs) {
    context.addIssue({
      code: 'custom',
      path: ['icmp', 'rttMinMs'],
      message: 'minimum rtt above maximum rtt',
    });
  }
  for (const field of Object.values(resultFields)) {
    if (field !== data.probe && data[field] !== null) {
      context.addIssue({
        code: 'custom',
        path: [field],
        message: `a ${data.probe} observation has no ${field} result`,
      });
    }
  }
});

/** Traps arrive over UDP, so their source is always an IP literal; OIDs are numeric. */
const NumericOid = /^\.?\d+(\.\d+)*$/;
export const TrapData = TrapReceived.shape.data.superRefine((data, context) => {
  const family = addressFamily(data.sourceAddress);
  if (family !== 'ipv4' && family !== 'ipv6') {
    context.addIssue({ code: 'custom', path: ['sourceAddress'], message: 'a trap source is an IP address' });
  }
  if (!NumericOid.test(data.trapOid)) {
    context.addIssue({ code: 'custom', path: ['trapOid'], message: 'a trap OID is numeric (1.3.6.1...)' });
  }
});

export const RecordObservation = z.object({ type: z.literal('RecordObservation'), data: ObservationData });
export const RecordTrap = z.object({ type: z.literal('RecordTrap'), data: TrapData });

/** Parses a command's `{ type, data }`; the handler adds the metadata. */
export const ObservationCommand = z.discriminatedUnion('type', [RecordObservation, RecordTrap]);

export type RecordObservation = CommandOf<typeof RecordObservation>;
export type RecordTrap = CommandOf<typeof RecordTrap>;
export type ObservationCommand = RecordObservation | RecordTrap;
