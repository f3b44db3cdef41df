import { defaultEscalationPolicy, type EscalationPolicy, streamCategories } from '@netpulse/domain';
import { byDevice, forEachLimited } from '../observation-window.js';
import { parseEvents } from '../parse-event.js';
import type { Reactor, ReactorContext } from '../reactor.js';
import { sweepEscalations } from './escalation-sweep.js';
import { handleDeviceMetrics } from './metric-alerts.js';
import { OpenAlerts } from './open-alerts.js';
import { RuleSet } from './rule-set.js';
import { handleStatusChange } from './status-alerts.js';

export type AlertingReactorOptions = Readonly<{
  name?: string;
  escalation?: EscalationPolicy;
  /** How often open alerts are checked for escalation (on the injected clock's time). */
  sweepIntervalMs?: number;
  /** Observations read before a batch's first one, at least, to judge metric rules. */
  metricWindow?: number;
  concurrency?: number;
  batchSize?: number;
}>;

export const ALERTING_REACTOR = 'alerting-reactor';

/**
 * Status changes and metric rules → alerts (raise, repeat, auto-resolve, suppressed at birth when
 * the device is in maintenance or behind a down parent), and escalation of alerts left
 * unacknowledged. Rules and open alerts are folded from their own categories, from START at
 * activation and incrementally before each batch and sweep.
 */
export const createAlertingReactor = (options: AlertingReactorOptions = {}): Reactor => {
  const name = options.name ?? ALERTING_REACTOR;
  const policy = options.escalation ?? defaultEscalationPolicy;
  const rules = new RuleSet();
  const openAlerts = new OpenAlerts();
  let reportedMalformed = 0;

  const refresh = async (context: ReactorContext) => {
    await Promise.all([rules.refresh(context.store), openAlerts.refresh(context.store)]);
    if (rules.malformed > reportedMalformed) {
      context.metrics.eventsSkipped(name, 'malformed-rule', rules.malformed - reportedMalformed);
      context.logger.warn({ reactor: name }, 'skipped malformed alert rule events');
      reportedMalformed = rules.malformed;
    }
  };

  return {
    name,
    filter: {
      categories: [streamCategories.device, streamCategories.observations],
      eventTypes: ['DeviceStatusChanged', 'DeviceObserved'],
    },
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    activate: async (context) => {
      rules.reset();
      openAlerts.reset();
      reportedMalformed = 0;
      await refresh(context);
      context.logger.info({ reactor: name, rules: rules.size }, 'alert rules and open alerts loaded');
    },
    handle: async (events, context) => {
      await refresh(context);
      const { parsed, malformed } = parseEvents(events, ['DeviceStatusChanged', 'DeviceObserved']);
      if (malformed.length > 0) {
        context.metrics.eventsSkipped(name, 'malformed', malformed.length);
        context.logger.warn(
          { reactor: name, eventIds: malformed.map((event) => event.id).slice(0, 20) },
          'skipped malformed events',
        );
      }
      for (const item of parsed) {
        if (item.event.type === 'DeviceStatusChanged') {
          await handleStatusChange(context, openAlerts, { recorded: item.recorded, event: item.event });
        }
      }
      if (rules.size === 0) return;
      const observations = parsed.flatMap((item) =>
        item.event.type === 'DeviceObserved' ? [{ recorded: item.recorded, event: item.event }] : [],
      );
      await forEachLimited([...byDevice(observations)], options.concurrency ?? 8, ([deviceId, items]) =>
        handleDeviceMetrics(context, rules, openAlerts, deviceId, items, options.metricWindow ?? 20),
      );
    },
    tick: {
      intervalMs: options.sweepIntervalMs ?? 30_000,
      run: async (context) => {
        const escalated = await sweepEscalations(context, openAlerts, policy);
        if (escalated > 0) context.logger.info({ reactor: name, escalated }, 'escalated alerts');
      },
    },
  };
};
