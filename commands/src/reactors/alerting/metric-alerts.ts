import {
  alertKeyOf,
  evaluateMetricRule,
  type MetricSample,
  metricValue,
  type Observation,
  suppressionFor,
} from '@netpulse/domain';
import { causeOf } from '../cause.js';
import { readObservationWindow, windowUpTo } from '../observation-window.js';
import type { ParsedEvent } from '../parse-event.js';
import type { ReactorContext } from '../reactor.js';
import { loadDevice, parentHealthOf, raiseAlert, resolveIfOpen } from './alert-commands.js';
import type { OpenAlerts } from './open-alerts.js';
import type { ActiveRule, RuleSet } from './rule-set.js';

const samplesOf = (observations: readonly Observation[], metric: string): MetricSample[] => {
  const samples: MetricSample[] = [];
  for (const observation of observations) {
    const value = metricValue(observation, metric);
    if (value !== null) samples.push({ at: Date.parse(observation.observedAt), value });
  }
  return samples;
};

const describe = (rule: ActiveRule, value: number): string => {
  const { name, metric, operator, threshold } = rule.definition;
  return `${name}: ${metric} ${value} ${operator} ${threshold}`;
};

/**
 * Metric rules over one device's observations of a batch. Each observation carrying a rule's metric
 * is judged with the samples before it (`evaluateMetricRule`: `for` duration, hysteresis); the
 * window reaches back far enough to cover the longest `for` of the rules in scope.
 */
export const handleDeviceMetrics = async (
  context: ReactorContext,
  rules: RuleSet,
  openAlerts: OpenAlerts,
  deviceId: string,
  observations: readonly ParsedEvent<'DeviceObserved'>[],
  minWindow: number,
): Promise<void> => {
  const device = await loadDevice(context, deviceId);
  if (device.status !== 'active') return;
  const applicable = rules.rulesFor({
    deviceId,
    organizationId: device.organizationId,
    tags: device.profile.tags,
  });
  if (applicable.length === 0) return;
  const first = observations[0]!;
  const last = observations[observations.length - 1]!;
  const longestForMs = Math.max(...applicable.map((rule) => rule.definition.forSeconds)) * 1000;
  const window = await readObservationWindow(context.store, deviceId, {
    lastVersion: last.recorded.streamVersion,
    minCount: observations.length + minWindow,
    sinceMs: Date.parse(first.event.data.observedAt) - longestForMs - 1000,
  });
  let parentHealth: Awaited<ReturnType<typeof parentHealthOf>> | undefined;
  for (const { recorded, event } of observations) {
    const upTo = windowUpTo(window, recorded.streamVersion);
    const now = new Date(event.data.observedAt);
    for (const rule of applicable) {
      const value = metricValue(event.data, rule.definition.metric);
      if (value === null) continue;
      const verdict = evaluateMetricRule(rule.definition, samplesOf(upTo, rule.definition.metric));
      if (verdict === 'hold') continue;
      const alertKey = alertKeyOf({ deviceId, ruleId: rule.ruleId });
      if (verdict === 'clear') {
        if (openAlerts.mayBeOpen(alertKey))
          await resolveIfOpen(context, openAlerts, causeOf(recorded), now, alertKey);
        continue;
      }
      if (parentHealth === undefined) parentHealth = await parentHealthOf(context, device);
      const { metric, operator, threshold, clearThreshold, severity } = rule.definition;
      await raiseAlert(context, openAlerts, causeOf(recorded), now, {
        alertKey,
        deviceId,
        ruleId: rule.ruleId,
        condition: `metric:${metric}`.slice(0, 200),
        severity,
        summary: describe(rule, value),
        details: { metric, value, operator, threshold, clearThreshold },
        suppression: suppressionFor({ device, parentHealth, at: now }),
      });
    }
  }
};
