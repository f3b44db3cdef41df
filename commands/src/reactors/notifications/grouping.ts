import { deterministicId, severityRank } from '@netpulse/domain';
import {
  awaitsRecovery,
  type Kind,
  type Moment,
  type NotifiableAlert,
  type TargetLog,
} from './notifiable-alert.js';
import {
  type GroupLabel,
  type NotificationsConfig,
  type Receiver,
  type Route,
  targetKeyOf,
  targetOf,
} from './notification-config.js';
import { type DeviceInfo, routeAlert, routeOfReceiver } from './routing.js';

/** One alert in a notification: what the receiver is told about it, and the event that caused it. */
export type PlannedItem = Readonly<{ alert: NotifiableAlert; kind: Kind; cause: Moment }>;

/** A group's notification that is due now. */
export type PlannedFlush = Readonly<{
  /** Derived from the group and its due time: the same history plans the same id. */
  notificationId: string;
  groupKey: string;
  groupLabels: Readonly<Record<string, string>>;
  organizationId: string;
  receiver: Receiver;
  route: Route;
  dueAt: number;
  items: readonly PlannedItem[];
}>;

export type Plan = Readonly<{
  due: readonly PlannedFlush[];
  /** The earliest time something else becomes due with no new events; null when nothing waits. */
  nextDueAt: number | null;
  /** Groups holding a new alert or a recovery not yet delivered (due or waiting). */
  pendingGroups: number;
}>;

type Group = {
  key: string;
  labels: Record<string, string>;
  organizationId: string;
  receiver: Receiver;
  route: Route;
  lastAttemptAt: number | null;
  /** The most notifications in a row that failed for one of the group's alerts. */
  failedNotifications: number;
  /** Raised, escalated and resolved: wait for group_wait, then go out together. */
  fresh: { item: PlannedItem; since: number }[];
  /** Still firing, already told: due again repeat_interval after the last delivery. */
  repeats: { item: PlannedItem; dueAt: number }[];
};

const labelValue = (label: GroupLabel, alert: NotifiableAlert): string => {
  switch (label) {
    case 'severity':
      return alert.severity;
    case 'device':
      return alert.deviceId;
    case 'condition':
      return alert.condition;
    case 'rule':
      return alert.ruleId ?? '';
    case 'alert':
      return alert.alertKey;
  }
};

/** Alertmanager's group key shape: receiver, route, then the label values (organization first). */
const groupOf = (alert: NotifiableAlert, receiver: Receiver, route: Route) => {
  const labels: Record<string, string> = { organization: alert.organizationId };
  for (const label of route.timing.groupBy) labels[label] = labelValue(label, alert);
  const rendered = Object.entries(labels)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(',');
  return { key: `${receiver.name}:${route.id}:{${rendered}}`, labels };
};

/**
 * The least time between two notifications of a group: group_interval, doubled for each further
 * notification that failed in a row (a receiver down for days is not hammered, nor its alerts' history
 * filled with failures), at most repeat_interval.
 */
const spacingMs = (timing: Route['timing'], failedNotifications: number): number => {
  const interval = timing.groupIntervalSeconds * 1000;
  const backedOff = interval * 2 ** Math.min(Math.max(0, failedNotifications - 1), 20);
  return Math.min(backedOff, Math.max(interval, timing.repeatIntervalSeconds * 1000));
};

const byUrgency = (a: PlannedItem, b: PlannedItem) =>
  severityRank(a.alert.severity) - severityRank(b.alert.severity) ||
  a.alert.raised.at - b.alert.raised.at ||
  a.alert.alertId.localeCompare(b.alert.alertId);

/**
 * What a destination should be told about an alert now, if anything:
 * - resolved, and told it fires → `resolved` (always: suppression never holds back a recovery);
 * - suppressed → nothing more (a suppressed birth is never notified, a suppressed alert not repeated);
 * - never told → `raised`, or `escalated` for a receiver only an escalation step reaches;
 * - told and unacknowledged → `repeated` once repeat_interval has passed since the last delivery.
 */
const itemFor = (
  alert: NotifiableAlert,
  log: TargetLog | undefined,
  routed: Readonly<{ via: 'route' | 'escalation'; since: Moment }> | null,
  repeatMs: number,
): { item: PlannedItem; since: number } | { item: PlannedItem; dueAt: number } | null => {
  if (alert.resolved) {
    return awaitsRecovery(log)
      ? { item: { alert, kind: 'resolved', cause: alert.resolved }, since: alert.resolved.at }
      : null;
  }
  if (alert.suppressed || !routed) return null;
  if (!log?.lastSent) {
    const kind = routed.via === 'escalation' ? 'escalated' : 'raised';
    return { item: { alert, kind, cause: routed.since }, since: routed.since.at };
  }
  if (alert.acknowledged || !awaitsRecovery(log)) return null;
  return { item: { alert, kind: 'repeated', cause: log.lastSent }, dueAt: log.lastSent.at + repeatMs };
};

/**
 * Plans notifications with Alertmanager's timers, as a pure function of the alerts (their events and
 * delivery records) and the time:
 * - a group's first notification waits group_wait from its oldest undelivered alert;
 * - two notifications of a group are at least group_interval apart (counted from the last attempt,
 *   so a failing receiver is tried again an interval after its retries ran out, then at doubling
 *   intervals up to repeat_interval while it keeps failing);
 * - new alerts joining a group that was quiet also wait group_wait, so a burst goes out as one;
 * - a firing, unacknowledged alert is repeated repeat_interval after its last delivery.
 * Each due notification carries every fresh item of its group and the repeats that are due.
 */
export const createPlanner = (config: NotificationsConfig) => {
  const byName = new Map(config.receivers.map((receiver) => [receiver.name, receiver]));
  const byTarget = new Map(
    config.receivers.map((receiver) => [targetKeyOf(receiver.channel, targetOf(receiver)), receiver]),
  );

  return (
    alerts: Iterable<NotifiableAlert>,
    deviceOf: (alert: NotifiableAlert) => DeviceInfo | null,
    now: number,
  ): Plan => {
    const groups = new Map<string, Group>();
    const consider = (
      alert: NotifiableAlert,
      receiver: Receiver,
      route: Route,
      routed: Readonly<{ via: 'route' | 'escalation'; since: Moment }> | null,
    ) => {
      const log = alert.targets[targetKeyOf(receiver.channel, targetOf(receiver))];
      const { key, labels } = groupOf(alert, receiver, route);
      let group = groups.get(key);
      if (!group) {
        group = {
          key,
          labels,
          organizationId: alert.organizationId,
          receiver,
          route,
          lastAttemptAt: null,
          failedNotifications: 0,
          fresh: [],
          repeats: [],
        };
        groups.set(key, group);
      }
      if (log) {
        group.lastAttemptAt = Math.max(group.lastAttemptAt ?? log.lastAttemptAt, log.lastAttemptAt);
        group.failedNotifications = Math.max(group.failedNotifications, log.failedNotifications);
      }
      const planned = itemFor(alert, log, routed, route.timing.repeatIntervalSeconds * 1000);
      if (planned && 'since' in planned) group.fresh.push(planned);
      else if (planned) group.repeats.push(planned);
    };

    for (const alert of alerts) {
      const seen = new Set<string>();
      for (const routing of routeAlert(alert, deviceOf(alert), config.routes)) {
        const receiver = byName.get(routing.receiver);
        if (!receiver) continue;
        seen.add(receiver.name);
        consider(alert, receiver, routing.route, routing);
      }
      // Destinations told earlier that routing no longer reaches (severity or configuration changed)
      // still get the recovery.
      for (const [targetKey, log] of Object.entries(alert.targets)) {
        const receiver = byTarget.get(targetKey);
        if (!receiver || seen.has(receiver.name) || !awaitsRecovery(log)) continue;
        const route = routeOfReceiver(receiver.name, config.routes);
        if (route) consider(alert, receiver, route, null);
      }
    }

    const due: PlannedFlush[] = [];
    let nextDueAt: number | null = null;
    let pendingGroups = 0;
    for (const group of groups.values()) {
      const { timing } = group.route;
      const spacedFrom =
        group.lastAttemptAt === null
          ? -Infinity
          : group.lastAttemptAt + spacingMs(timing, group.failedNotifications);
      const oldestFresh = group.fresh.reduce((oldest, entry) => Math.min(oldest, entry.since), Infinity);
      const freshDue = Math.max(oldestFresh + timing.groupWaitSeconds * 1000, spacedFrom);
      const repeatDue = Math.max(
        group.repeats.reduce((first, entry) => Math.min(first, entry.dueAt), Infinity),
        spacedFrom,
      );
      const dueAt = Math.min(freshDue, repeatDue);
      if (group.fresh.length > 0) pendingGroups++;
      if (dueAt === Infinity) continue;
      if (dueAt > now) {
        nextDueAt = nextDueAt === null ? dueAt : Math.min(nextDueAt, dueAt);
        continue;
      }
      const items = [
        ...group.fresh.map((entry) => entry.item),
        ...group.repeats.filter((entry) => entry.dueAt <= now).map((entry) => entry.item),
      ].sort(byUrgency);
      due.push({
        notificationId: deterministicId('notification', group.key, dueAt),
        groupKey: group.key,
        groupLabels: group.labels,
        organizationId: group.organizationId,
        receiver: group.receiver,
        route: group.route,
        dueAt,
        items,
      });
    }
    return { due, nextDueAt, pendingGroups };
  };
};

export type Planner = ReturnType<typeof createPlanner>;
