import { describe, expect, it } from 'vitest';
import { expectDomainError, metadata } from '../testing/decider-spec.js';
import type { RecordObservation, RecordTrap } from './commands.js';
import { DeviceObserved, TrapReceived } from './events.js';
import { recordObservation, recordTrap } from './record.js';

type ObservationInput = RecordObservation['data'];
type IcmpInput = NonNullable<ObservationInput['icmp']>;

const icmp: IcmpInput = {
  sent: 3,
  received: 3,
  lossPct: 0,
  rttMinMs: 0.4,
  rttAvgMs: 0.5,
  rttMaxMs: 0.7,
  jitterMs: 0.1,
};
const observation: ObservationInput = {
  deviceId: 'dev-1',
  pollerId: 'poller-1',
  probe: 'icmp',
  scheduledAt: '2025-06-01T12:00:00.000Z',
  observedAt: '2025-06-01T12:00:00.120Z',
  durationMs: 120,
  reachable: true,
  error: null,
  icmp,
  tcp: null,
  snmp: null,
};
const observe = (
  data: Partial<ObservationInput>,
  icmpChanges: Partial<IcmpInput> = {},
): RecordObservation => ({
  type: 'RecordObservation',
  data: { ...observation, icmp: { ...icmp, ...icmpChanges }, ...data },
  metadata: metadata({ actor: { kind: 'poller', id: 'poller-1' } }),
});

const trap: RecordTrap['data'] = {
  deviceId: null,
  sourceAddress: '127.0.0.1',
  version: 'v2c',
  trapOid: '1.3.6.1.6.3.1.1.5.3',
  varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.2', type: 'Integer', value: '2' }],
  receivedAt: '2025-06-01T12:00:00.000Z',
};
const receive = (data: Partial<RecordTrap['data']>): RecordTrap => ({
  type: 'RecordTrap',
  data: { ...trap, ...data },
  metadata: metadata({ actor: { kind: 'poller', id: 'trapd-1' } }),
});

const issuesOf = (fn: () => unknown): unknown => expectDomainError(fn, 'VALIDATION_FAILED').details.issues;

describe('recordObservation', () => {
  it('returns a DeviceObserved event for valid data', () => {
    const event = recordObservation(observe({}));
    expect(event).toStrictEqual({ type: 'DeviceObserved', data: observation });
    expect(DeviceObserved.parse(event)).toStrictEqual(event);
  });

  it('accepts an unreachable device with a probe error', () => {
    const event = recordObservation(
      observe(
        { reachable: false, error: { code: 'TIMEOUT', message: 'no reply' } },
        {
          received: 0,
          lossPct: 100,
          rttMinMs: null,
          rttAvgMs: null,
          rttMaxMs: null,
          jitterMs: null,
        },
      ),
    );
    expect(event.data.reachable).toBe(false);
  });

  it('rejects a loss above 100 %, with the zod issues in details', () => {
    expect(issuesOf(() => recordObservation(observe({}, { lossPct: 150 })))).toMatchObject([
      { path: ['icmp', 'lossPct'], code: 'too_big' },
    ]);
  });

  it('rejects more replies than requests', () => {
    expect(issuesOf(() => recordObservation(observe({}, { received: 4 })))).toMatchObject([
      { path: ['icmp', 'received'], code: 'custom' },
    ]);
  });

  it('rejects a minimum rtt above the maximum', () => {
    expect(issuesOf(() => recordObservation(observe({}, { rttMinMs: 2, rttMaxMs: 1 })))).toMatchObject([
      { path: ['icmp', 'rttMinMs'] },
    ]);
  });

  it('rejects a result from another probe than the one that ran', () => {
    const tcp = { port: 22, outcome: 'open', connectMs: 1 } as const;
    expect(issuesOf(() => recordObservation(observe({ tcp })))).toMatchObject([{ path: ['tcp'] }]);
  });

  it('rejects a malformed device id', () => {
    expectDomainError(() => recordObservation(observe({ deviceId: 'dev 1' })), 'VALIDATION_FAILED');
  });
});

describe('recordTrap', () => {
  it('returns a TrapReceived event for valid data', () => {
    const event = recordTrap(receive({ deviceId: 'dev-1', sourceAddress: '::1' }));
    expect(event).toStrictEqual({
      type: 'TrapReceived',
      data: { ...trap, deviceId: 'dev-1', sourceAddress: '::1' },
    });
    expect(TrapReceived.parse(event)).toStrictEqual(event);
  });

  it('rejects a source that is not an IP address', () => {
    expect(issuesOf(() => recordTrap(receive({ sourceAddress: 'router.example.net' })))).toMatchObject([
      { path: ['sourceAddress'] },
    ]);
  });

  it('rejects a symbolic trap OID', () => {
    expect(issuesOf(() => recordTrap(receive({ trapOid: 'IF-MIB::linkDown' })))).toMatchObject([
      { path: ['trapOid'] },
    ]);
  });

  it('rejects a malformed receive time', () => {
    expect(issuesOf(() => recordTrap(receive({ receivedAt: 'yesterday' })))).toMatchObject([
      { path: ['receivedAt'] },
    ]);
  });
});
