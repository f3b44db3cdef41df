import { z } from 'zod';
import { Id, Tag, Timestamp } from '../shared/primitives.js';
import { Severity } from '../shared/severity.js';

export const ruleOperators = ['>', '>=', '<', '<='] as const;
export const RuleOperator = z.enum(ruleOperators);
export type RuleOperator = z.infer<typeof RuleOperator>;

/** Which devices a rule watches: all of them when both lists are empty. */
export const RuleScope = z.object({ deviceIds: z.array(Id).max(1000), tags: z.array(Tag).max(64) });

export const AlertRuleDefinition = z.object({
  name: z.string().trim().min(1).max(200),
  /** A metric of the observations, e.g. `icmp.rttAvgMs`, `icmp.lossPct`, `snmp.cpuPct`, `snmp.if.inBps`. */
  metric: z.string().regex(/^[a-z]+(\.[A-Za-z]+)+$/),
  operator: RuleOperator,
  threshold: z.number().finite(),
  /** Hysteresis: the alert clears only once the value is back past this level. */
  clearThreshold: z.number().finite(),
  /** The condition must hold this long before the alert is raised. */
  forSeconds: z.number().int().min(0).max(86_400),
  severity: Severity,
  scope: RuleScope,
  enabled: z.boolean(),
});
export type AlertRuleDefinition = z.infer<typeof AlertRuleDefinition>;

export const AlertRuleDefined = z.object({
  type: z.literal('AlertRuleDefined'),
  data: AlertRuleDefinition.extend({ ruleId: Id, definedAt: Timestamp }),
});
export const AlertRuleChanged = z.object({
  type: z.literal('AlertRuleChanged'),
  data: z.object({ ruleId: Id, changes: AlertRuleDefinition.partial(), changedAt: Timestamp }),
});
export const AlertRuleDeleted = z.object({
  type: z.literal('AlertRuleDeleted'),
  data: z.object({ ruleId: Id, deletedAt: Timestamp }),
});

export const AlertRuleEvent = z.discriminatedUnion('type', [
  AlertRuleDefined,
  AlertRuleChanged,
  AlertRuleDeleted,
]);
export type AlertRuleEvent = z.infer<typeof AlertRuleEvent>;
