import type { Decider } from '../event-store/decider.js';
import { timestampOf } from '../shared/command-schema.js';
import { illegalState, notFound } from '../shared/errors.js';
import { assertSameOrganization, organizationOf } from '../shared/tenancy.js';
import type { AlertCommand, RaiseAlert, RecordNotification } from './commands.js';
import type { AlertEvent } from './events.js';
import {
  type AlertInstance,
  type AlertState,
  initialAlertState,
  type OpenAlert,
  type ResolvedAlert,
} from './state.js';

const raise = (command: RaiseAlert, state: AlertState): readonly AlertEvent[] => {
  const { suppression, ...raised } = command.data;
  const at = timestampOf(command);
  if (state.status !== 'none') {
    assertSameOrganization(state.organizationId, command.metadata, `alert ${raised.alertKey}`);
  }
  if (state.status === 'open') {
    const { alertId, count } = state.instance;
    return [
      {
        type: 'AlertRepeated',
        data: { alertId, count: count + 1, severity: raised.severity, repeatedAt: at },
      },
    ];
  }
  if (state.status === 'resolved' && state.instance.alertId === raised.alertId) {
    throw illegalState(`alert ${raised.alertId} was already raised and resolved`, {
      alertId: raised.alertId,
    });
  }
  const { alertId, alertKey, deviceId, ruleId, condition, severity, summary, details } = raised;
  const events: AlertEvent[] = [
    {
      type: 'AlertRaised',
      data: { alertId, alertKey, deviceId, ruleId, condition, severity, summary, details, raisedAt: at },
    },
  ];
  if (suppression) {
    events.push({ type: 'AlertSuppressed', data: { alertId, ...suppression, suppressedAt: at } });
  }
  return events;
};

/**
 * The instance a command names: the open one, or the last resolved one (which only accepts notes
 * and notification records). Rejects in the order NOT_FOUND, FORBIDDEN, NOT_FOUND, ILLEGAL_STATE.
 */
const requireInstance = (state: AlertState, command: AlertCommand): OpenAlert | ResolvedAlert => {
  const { alertId } = command.data;
  if (state.status === 'none') throw notFound(`alert ${alertId} does not exist`, { alertId });
  assertSameOrganization(state.organizationId, command.metadata, `alert ${alertId}`);
  if (state.instance.alertId !== alertId) {
    throw notFound(`alert ${alertId} is not the current instance of its key`, { alertId });
  }
  const allowedAfterResolution = command.type === 'AddAlertNote' || command.type === 'RecordNotification';
  if (state.status === 'resolved' && !allowedAfterResolution) {
    throw illegalState(`alert ${alertId} is resolved`, { alertId });
  }
  return state;
};

const recordNotification = (command: RecordNotification): readonly AlertEvent[] => {
  const { outcome, alertId, notificationId, channel, target, kind, attempt } = command.data;
  const notification = { alertId, notificationId, channel, target, kind, attempt };
  const at = timestampOf(command);
  return outcome.sent
    ? [{ type: 'NotificationSent', data: { ...notification, sentAt: at } }]
    : [
        {
          type: 'NotificationFailed',
          data: { ...notification, error: outcome.error, willRetry: outcome.willRetry, failedAt: at },
        },
      ];
};

export const decideAlert = (command: AlertCommand, state: AlertState): readonly AlertEvent[] => {
  if (command.type === 'RaiseAlert') return raise(command, state);
  const { instance } = requireInstance(state, command);
  const { alertId } = instance;
  const by = command.metadata.actor;
  const at = timestampOf(command);
  switch (command.type) {
    case 'AcknowledgeAlert':
      if (instance.acknowledged) throw illegalState(`alert ${alertId} is already acknowledged`, { alertId });
      return [
        { type: 'AlertAcknowledged', data: { alertId, by, note: command.data.note, acknowledgedAt: at } },
      ];
    case 'UnacknowledgeAlert':
      if (!instance.acknowledged) throw illegalState(`alert ${alertId} is not acknowledged`, { alertId });
      return [
        { type: 'AlertUnacknowledged', data: { alertId, by, note: command.data.note, unacknowledgedAt: at } },
      ];
    case 'EscalateAlert': {
      const { level, policyId } = command.data;
      if (instance.acknowledged) throw illegalState(`alert ${alertId} is acknowledged`, { alertId });
      if (level <= instance.escalationLevel) {
        throw illegalState(`alert ${alertId} is already at escalation level ${instance.escalationLevel}`, {
          alertId,
          level: instance.escalationLevel,
        });
      }
      return [{ type: 'AlertEscalated', data: { alertId, level, policyId, escalatedAt: at } }];
    }
    case 'SuppressAlert': {
      const { reason, detail } = command.data;
      if (instance.suppressed) throw illegalState(`alert ${alertId} is already suppressed`, { alertId });
      return [{ type: 'AlertSuppressed', data: { alertId, reason, detail, suppressedAt: at } }];
    }
    case 'UnsuppressAlert':
      if (!instance.suppressed) throw illegalState(`alert ${alertId} is not suppressed`, { alertId });
      return [{ type: 'AlertUnsuppressed', data: { alertId, unsuppressedAt: at } }];
    case 'ResolveAlert': {
      const { automatic, note } = command.data;
      return [{ type: 'AlertResolved', data: { alertId, by, automatic, note, resolvedAt: at } }];
    }
    case 'AddAlertNote': {
      const { noteId, text } = command.data;
      if (instance.noteIds.includes(noteId)) {
        throw illegalState(`note ${noteId} already exists on alert ${alertId}`, { alertId, noteId });
      }
      return [{ type: 'AlertNoteAdded', data: { alertId, noteId, by, text, addedAt: at } }];
    }
    case 'RecordNotification':
      return recordNotification(command);
  }
};

/** Applies `change` to the instance an event names; events about other instances change nothing. */
const withInstance = (
  state: AlertState,
  alertId: string,
  change: (instance: AlertInstance) => AlertInstance,
): AlertState =>
  state.status !== 'none' && state.instance.alertId === alertId
    ? { ...state, instance: change(state.instance) }
    : state;

const whileOpen = (
  state: AlertState,
  alertId: string,
  change: (instance: AlertInstance) => AlertInstance,
): AlertState => (state.status === 'open' ? withInstance(state, alertId, change) : state);

export const evolveAlert = (state: AlertState, event: AlertEvent): AlertState => {
  const { alertId } = event.data;
  switch (event.type) {
    case 'AlertRaised': {
      const { alertKey, deviceId, ruleId, condition, severity, summary, raisedAt } = event.data;
      return {
        status: 'open',
        organizationId: organizationOf(event),
        instance: {
          alertId,
          alertKey,
          deviceId,
          ruleId,
          condition,
          severity,
          summary,
          raisedAt,
          lastSeenAt: raisedAt,
          count: 1,
          acknowledged: null,
          escalationLevel: 0,
          suppressed: null,
          notified: false,
          noteIds: [],
        },
      };
    }
    case 'AlertRepeated': {
      const { count, severity, repeatedAt } = event.data;
      return whileOpen(state, alertId, (instance) => ({
        ...instance,
        count,
        severity,
        lastSeenAt: repeatedAt,
      }));
    }
    case 'AlertAcknowledged': {
      const { by, note, acknowledgedAt } = event.data;
      return whileOpen(state, alertId, (instance) => ({
        ...instance,
        acknowledged: { by, note, at: acknowledgedAt },
      }));
    }
    case 'AlertUnacknowledged':
      return whileOpen(state, alertId, (instance) => ({ ...instance, acknowledged: null }));
    case 'AlertEscalated':
      return whileOpen(state, alertId, (instance) => ({ ...instance, escalationLevel: event.data.level }));
    case 'AlertSuppressed': {
      const { reason, detail } = event.data;
      return whileOpen(state, alertId, (instance) => ({ ...instance, suppressed: { reason, detail } }));
    }
    case 'AlertUnsuppressed':
      return whileOpen(state, alertId, (instance) => ({ ...instance, suppressed: null }));
    case 'AlertResolved': {
      if (state.status !== 'open' || state.instance.alertId !== alertId) return state;
      const { by, automatic, note, resolvedAt } = event.data;
      return {
        status: 'resolved',
        organizationId: state.organizationId,
        instance: state.instance,
        resolution: { by, automatic, note, at: resolvedAt },
      };
    }
    case 'AlertNoteAdded':
      return withInstance(state, alertId, (instance) => ({
        ...instance,
        noteIds: [...instance.noteIds, event.data.noteId],
      }));
    case 'NotificationSent':
      return withInstance(state, alertId, (instance) => ({ ...instance, notified: true }));
    case 'NotificationFailed':
      return state;
  }
};

export const alertDecider: Decider<AlertState, AlertCommand, AlertEvent> = {
  decide: decideAlert,
  evolve: evolveAlert,
  initialState: initialAlertState,
};
