import type { AlertRuleDefinition, RuleOperator } from '../alert-rule/events.js';

export type MetricSample = Readonly<{ at: number; value: number }>;

export const compare = (operator: RuleOperator, value: number, threshold: number): boolean => {
  switch (operator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
};

/** A rule watches every device when both lists are empty, else the devices listed or tagged. */
export const ruleInScope = (
  scope: AlertRuleDefinition['scope'],
  device: Readonly<{ deviceId: string; tags: readonly string[] }>,
): boolean =>
  (scope.deviceIds.length === 0 && scope.tags.length === 0) ||
  scope.deviceIds.includes(device.deviceId) ||
  scope.tags.some((tag) => device.tags.includes(tag));

export type MetricVerdict = 'raise' | 'clear' | 'hold';

type Condition = Pick<AlertRuleDefinition, 'operator' | 'threshold' | 'clearThreshold' | 'forSeconds'>;

/**
 * What the latest sample means for a rule, given the samples before it (oldest first):
 * - `raise` when the breach has now lasted `forSeconds` and had not before (once per episode, so a
 *   long breach is one raise; a new episode while the alert is open counts as a repeat);
 * - `clear` when the value is back past the clear threshold (hysteresis: between the two thresholds
 *   nothing changes);
 * - `hold` otherwise.
 */
export const evaluateMetricRule = (rule: Condition, samples: readonly MetricSample[]): MetricVerdict => {
  const latest = samples[samples.length - 1];
  if (!latest) return 'hold';
  if (!compare(rule.operator, latest.value, rule.clearThreshold)) return 'clear';
  if (!compare(rule.operator, latest.value, rule.threshold)) return 'hold';
  let start = samples.length - 1;
  while (start > 0 && compare(rule.operator, samples[start - 1]!.value, rule.threshold)) start--;
  const since = samples[start]!.at;
  const forMs = rule.forSeconds * 1000;
  const armedNow = latest.at - since >= forMs;
  const previous = samples.length - 2 >= start ? samples[samples.length - 2] : undefined;
  const armedBefore = previous !== undefined && previous.at - since >= forMs;
  return armedNow && !armedBefore ? 'raise' : 'hold';
};
