import { describe, expect, it } from 'vitest';
import { foldEvents } from '../event-store/decider.js';
import { parseWith } from '../shared/validation.js';
import { expectDomainError, metadata, NOW, spec } from '../testing/decider-spec.js';
import { AcknowledgeAlert, AddAlertNote, type AlertCommand, type RaiseAlert } from './commands.js';
import { alertDecider } from './decider.js';
import { AlertEvent } from './events.js';
import { openInstance } from './state.js';

const alert = spec(alertDecider, AlertEvent);
const at = NOW.toISOString();
const earlier = '2025-06-01T11:00:00.000Z';
const alertId = 'al-1';
const alertKey = 'dev-1.device-down';
const operator = { kind: 'user' as const, id: 'user-1' };

const raised: AlertEvent = {
  type: 'AlertRaised',
  data: {
    alertId,
    alertKey,
    deviceId: 'dev-1',
    ruleId: null,
    condition: 'device-down',
    severity: 'major',
    summary: 'dev-1 is down',
    details: { lossPct: 100 },
    raisedAt: earlier,
  },
};
const acknowledged: AlertEvent = {
  type: 'AlertAcknowledged',
  data: { alertId, by: operator, note: null, acknowledgedAt: earlier },
};
const escalated: AlertEvent = {
  type: 'AlertEscalated',
  data: { alertId, level: 1, policyId: null, escalatedAt: earlier },
};
const suppressed: AlertEvent = {
  type: 'AlertSuppressed',
  data: { alertId, reason: 'maintenance', detail: 'mw-1', suppressedAt: earlier },
};
const resolved: AlertEvent = {
  type: 'AlertResolved',
  data: { alertId, by: { kind: 'system', id: 'reactor' }, automatic: true, note: null, resolvedAt: earlier },
};
const firstAttempt = {
  alertId,
  notificationId: 'n-1',
  channel: 'email',
  target: 'noc@example.com',
  kind: 'raised',
  attempt: 1,
} as const;
const sent: AlertEvent = { type: 'NotificationSent', data: { ...firstAttempt, sentAt: earlier } };

const raise = (data: Partial<RaiseAlert['data']> = {}): AlertCommand => ({
  type: 'RaiseAlert',
  data: {
    alertId: 'al-2',
    alertKey,
    deviceId: 'dev-1',
    ruleId: null,
    condition: 'device-down',
    severity: 'critical',
    summary: 'dev-1 is down',
    details: {},
    ...data,
  },
  metadata: metadata(),
});

const notification = {
  notificationId: 'n-2',
  channel: 'email',
  target: 'noc@example.com',
  attempt: 1,
} as const;

/** One command of every kind but raising, for the instance rules. */
const commandsFor = (id: string): readonly AlertCommand[] => [
  { type: 'AcknowledgeAlert', data: { alertId: id, note: null }, metadata: metadata() },
  { type: 'UnacknowledgeAlert', data: { alertId: id, note: null }, metadata: metadata() },
  { type: 'EscalateAlert', data: { alertId: id, level: 2, policyId: null }, metadata: metadata() },
  { type: 'SuppressAlert', data: { alertId: id, reason: 'manual', detail: 'noisy' }, metadata: metadata() },
  { type: 'UnsuppressAlert', data: { alertId: id }, metadata: metadata() },
  { type: 'ResolveAlert', data: { alertId: id, automatic: false, note: null }, metadata: metadata() },
  { type: 'AddAlertNote', data: { alertId: id, noteId: 'note-1', text: 'looking' }, metadata: metadata() },
  {
    type: 'RecordNotification',
    data: { alertId: id, ...notification, kind: 'raised', outcome: { sent: true } },
    metadata: metadata(),
  },
];
const cases = (commands: readonly AlertCommand[]) =>
  commands.map((command) => [command.type, command] as const);
const lifecycleCommands = commandsFor(alertId).filter(
  (command) => command.type !== 'AddAlertNote' && command.type !== 'RecordNotification',
);

describe('RaiseAlert', () => {
  it('raises a new instance on a fresh key', () => {
    alert
      .given([])
      .when(raise())
      .thenEvents([
        {
          type: 'AlertRaised',
          data: {
            alertId: 'al-2',
            alertKey,
            deviceId: 'dev-1',
            ruleId: null,
            condition: 'device-down',
            severity: 'critical',
            summary: 'dev-1 is down',
            details: {},
            raisedAt: at,
          },
        },
      ]);
  });

  it('raises suppressed when the reactor says so', () => {
    alert
      .given([])
      .when(raise({ alertId, suppression: { reason: 'parent-down', detail: 'sw-1 is down' } }))
      .thenEvents([
        { type: 'AlertRaised', data: { ...raised.data, severity: 'critical', details: {}, raisedAt: at } },
        {
          type: 'AlertSuppressed',
          data: { alertId, reason: 'parent-down', detail: 'sw-1 is down', suppressedAt: at },
        },
      ]);
  });

  it('counts a raise on an open instance as a repeat of that instance', () => {
    alert
      .given([raised])
      .when(raise())
      .thenEvents([
        { type: 'AlertRepeated', data: { alertId, count: 2, severity: 'critical', repeatedAt: at } },
      ]);
  });

  it('keeps counting repeats', () => {
    const repeated: AlertEvent = {
      type: 'AlertRepeated',
      data: { alertId, count: 2, severity: 'major', repeatedAt: earlier },
    };
    alert
      .given([raised, repeated])
      .when(raise({ severity: 'minor' }))
      .thenEvents([
        { type: 'AlertRepeated', data: { alertId, count: 3, severity: 'minor', repeatedAt: at } },
      ]);
  });

  it('opens a new instance after a resolution', () => {
    alert
      .given([raised, resolved])
      .when(raise())
      .thenEvents([
        {
          type: 'AlertRaised',
          data: { ...raised.data, alertId: 'al-2', severity: 'critical', details: {}, raisedAt: at },
        },
      ]);
  });

  it('rejects reusing the id of the resolved instance', () => {
    alert.given([raised, resolved]).when(raise({ alertId })).thenThrows('ILLEGAL_STATE');
  });

  it('forbids raising on another organization’s key', () => {
    alert.given([raised], { organizationId: 'org-2' }).when(raise()).thenThrows('FORBIDDEN');
  });
});

describe('rules for every other command', () => {
  it.each(cases(commandsFor(alertId)))('%s on a key never raised is NOT_FOUND', (_, command) => {
    alert.given([]).when(command).thenThrows('NOT_FOUND');
  });

  it.each(cases(commandsFor('al-other')))('%s naming another instance is NOT_FOUND', (_, command) => {
    alert.given([raised]).when(command).thenThrows('NOT_FOUND');
  });

  it.each(cases(commandsFor(alertId)))('%s from another organization is FORBIDDEN', (_, command) => {
    alert.given([raised], { organizationId: 'org-2' }).when(command).thenThrows('FORBIDDEN');
  });

  it.each(cases(lifecycleCommands))('%s on a resolved instance is ILLEGAL_STATE', (_, command) => {
    alert.given([raised, resolved]).when(command).thenThrows('ILLEGAL_STATE');
  });

  it('forbids everything on state folded from events without organization metadata', () => {
    const state = foldEvents(alertDecider, [raised]);
    expectDomainError(() => alertDecider.decide(lifecycleCommands[0]!, state), 'FORBIDDEN');
  });
});

describe('acknowledgement', () => {
  const ack: AlertCommand = {
    type: 'AcknowledgeAlert',
    data: { alertId, note: 'on it' },
    metadata: metadata(),
  };
  const unack: AlertCommand = {
    type: 'UnacknowledgeAlert',
    data: { alertId, note: null },
    metadata: metadata(),
  };

  it('acknowledges, by the commanding actor', () => {
    alert
      .given([raised])
      .when(ack)
      .thenEvents([
        { type: 'AlertAcknowledged', data: { alertId, by: operator, note: 'on it', acknowledgedAt: at } },
      ]);
  });

  it('rejects acknowledging twice', () => {
    alert.given([raised, acknowledged]).when(ack).thenThrows('ILLEGAL_STATE');
  });

  it('unacknowledges', () => {
    alert
      .given([raised, acknowledged])
      .when(unack)
      .thenEvents([
        { type: 'AlertUnacknowledged', data: { alertId, by: operator, note: null, unacknowledgedAt: at } },
      ]);
  });

  it('rejects unacknowledging an alert nobody acknowledged', () => {
    alert.given([raised]).when(unack).thenThrows('ILLEGAL_STATE');
  });

  it('rejects an empty note', () => {
    expectDomainError(
      () => parseWith(AcknowledgeAlert, { type: 'AcknowledgeAlert', data: { alertId, note: '  ' } }),
      'VALIDATION_FAILED',
    );
  });
});

describe('EscalateAlert', () => {
  const escalate = (level: number): AlertCommand => ({
    type: 'EscalateAlert',
    data: { alertId, level, policyId: 'pol-1' },
    metadata: metadata(),
  });

  it('escalates to a higher level', () => {
    alert
      .given([raised, escalated])
      .when(escalate(2))
      .thenEvents([
        { type: 'AlertEscalated', data: { alertId, level: 2, policyId: 'pol-1', escalatedAt: at } },
      ]);
  });

  it('rejects escalating an acknowledged alert', () => {
    alert.given([raised, acknowledged]).when(escalate(1)).thenThrows('ILLEGAL_STATE');
  });

  it('escalates again once unacknowledged', () => {
    const unacknowledged: AlertEvent = {
      type: 'AlertUnacknowledged',
      data: { alertId, by: operator, note: null, unacknowledgedAt: earlier },
    };
    alert
      .given([raised, acknowledged, unacknowledged])
      .when(escalate(1))
      .thenEvents([
        { type: 'AlertEscalated', data: { alertId, level: 1, policyId: 'pol-1', escalatedAt: at } },
      ]);
  });

  it('rejects the current level', () => {
    alert.given([raised, escalated]).when(escalate(1)).thenThrows('ILLEGAL_STATE');
  });

  it('rejects a lower level', () => {
    const level2: AlertEvent = { type: 'AlertEscalated', data: { ...escalated.data, level: 2 } };
    alert.given([raised, escalated, level2]).when(escalate(1)).thenThrows('ILLEGAL_STATE');
  });
});

describe('suppression', () => {
  const suppress: AlertCommand = {
    type: 'SuppressAlert',
    data: { alertId, reason: 'manual', detail: 'known issue' },
    metadata: metadata(),
  };
  const unsuppress: AlertCommand = { type: 'UnsuppressAlert', data: { alertId }, metadata: metadata() };

  it('suppresses', () => {
    alert
      .given([raised])
      .when(suppress)
      .thenEvents([
        {
          type: 'AlertSuppressed',
          data: { alertId, reason: 'manual', detail: 'known issue', suppressedAt: at },
        },
      ]);
  });

  it('rejects suppressing twice', () => {
    alert.given([raised, suppressed]).when(suppress).thenThrows('ILLEGAL_STATE');
  });

  it('unsuppresses', () => {
    alert
      .given([raised, suppressed])
      .when(unsuppress)
      .thenEvents([{ type: 'AlertUnsuppressed', data: { alertId, unsuppressedAt: at } }]);
  });

  it('rejects unsuppressing an alert that is not suppressed', () => {
    alert.given([raised]).when(unsuppress).thenThrows('ILLEGAL_STATE');
  });
});

describe('ResolveAlert', () => {
  const resolve: AlertCommand = {
    type: 'ResolveAlert',
    data: { alertId, automatic: false, note: 'fixed the cable' },
    metadata: metadata(),
  };

  it('resolves, by the commanding actor', () => {
    alert
      .given([raised, acknowledged, suppressed])
      .when(resolve)
      .thenEvents([
        {
          type: 'AlertResolved',
          data: { alertId, by: operator, automatic: false, note: 'fixed the cable', resolvedAt: at },
        },
      ]);
  });

  it('rejects resolving twice', () => {
    alert.given([raised, resolved]).when(resolve).thenThrows('ILLEGAL_STATE');
  });
});

describe('AddAlertNote', () => {
  const note = (noteId: string): AlertCommand => ({
    type: 'AddAlertNote',
    data: { alertId, noteId, text: 'root cause: power' },
    metadata: metadata(),
  });
  const added: AlertEvent = {
    type: 'AlertNoteAdded',
    data: { alertId, noteId: 'note-1', by: operator, text: 'root cause: power', addedAt: at },
  };

  it('adds a note', () => {
    alert.given([raised]).when(note('note-1')).thenEvents([added]);
  });

  it('adds a note to the resolved instance (post-mortems come after resolution)', () => {
    alert.given([raised, resolved]).when(note('note-1')).thenEvents([added]);
  });

  it('rejects a duplicate note id', () => {
    alert.given([raised, added]).when(note('note-1')).thenThrows('ILLEGAL_STATE');
  });

  it('rejects empty note text', () => {
    expectDomainError(
      () => parseWith(AddAlertNote, { type: 'AddAlertNote', data: { alertId, noteId: 'note-2', text: '' } }),
      'VALIDATION_FAILED',
    );
  });
});

describe('RecordNotification', () => {
  const record = (
    id: string,
    kind: 'raised' | 'resolved',
    outcome: { sent: true } | { sent: false; error: string; willRetry: boolean },
  ): AlertCommand => ({
    type: 'RecordNotification',
    data: { alertId: id, ...notification, kind, outcome },
    metadata: metadata(),
  });

  it('records a sent notification', () => {
    alert
      .given([raised])
      .when(record(alertId, 'raised', { sent: true }))
      .thenEvents([
        { type: 'NotificationSent', data: { alertId, ...notification, kind: 'raised', sentAt: at } },
      ]);
  });

  it('records a failed notification', () => {
    alert
      .given([raised])
      .when(record(alertId, 'raised', { sent: false, error: 'HTTP 503', willRetry: true }))
      .thenEvents([
        {
          type: 'NotificationFailed',
          data: {
            alertId,
            ...notification,
            kind: 'raised',
            error: 'HTTP 503',
            willRetry: true,
            failedAt: at,
          },
        },
      ]);
  });

  it('records a recovery notification for the last resolved instance', () => {
    alert
      .given([raised, sent, resolved])
      .when(record(alertId, 'resolved', { sent: true }))
      .thenEvents([
        { type: 'NotificationSent', data: { alertId, ...notification, kind: 'resolved', sentAt: at } },
      ]);
  });

  it('rejects a notification for an older instance', () => {
    const reraised: AlertEvent = { type: 'AlertRaised', data: { ...raised.data, alertId: 'al-2' } };
    alert
      .given([raised, resolved, reraised])
      .when(record(alertId, 'resolved', { sent: true }))
      .thenThrows('NOT_FOUND');
  });

  it('remembers whether the instance was notified, across resolution', () => {
    const failed: AlertEvent = {
      type: 'NotificationFailed',
      data: { ...firstAttempt, error: 'timeout', willRetry: false, failedAt: earlier },
    };
    expect(alert.given([raised, failed]).state()).toMatchObject({ instance: { notified: false } });
    expect(alert.given([raised, sent, resolved]).state()).toMatchObject({
      status: 'resolved',
      instance: { notified: true },
    });
    const reraised: AlertEvent = { type: 'AlertRaised', data: { ...raised.data, alertId: 'al-2' } };
    expect(openInstance(alert.given([raised, sent, resolved, reraised]).state())).toMatchObject({
      alertId: 'al-2',
      notified: false,
      count: 1,
    });
  });
});
