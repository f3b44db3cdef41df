import type { AlertRuleDefinition } from './events.js';

/**
 * The clear threshold must sit on the healthy side of the raise threshold, or an alert could clear
 * while the condition still holds (or never clear at all).
 */
export const hasValidHysteresis = (
  rule: Pick<AlertRuleDefinition, 'operator' | 'threshold' | 'clearThreshold'>,
): boolean =>
  rule.operator === '>' || rule.operator === '>='
    ? rule.clearThreshold <= rule.threshold
    : rule.clearThreshold >= rule.threshold;
