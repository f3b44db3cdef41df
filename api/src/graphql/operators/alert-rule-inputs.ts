import { presentOnly } from './device-inputs.js';
import type { CommandBody } from './send-command.js';

export type AlertRuleScopeInput = Readonly<{
  deviceIds?: readonly string[] | null;
  tags?: readonly string[] | null;
}>;

export type DefineAlertRuleInput = Readonly<{
  ruleId?: string | null;
  name: string;
  metric: string;
  operator: string;
  threshold: number;
  clearThreshold: number;
  forSeconds?: number | null;
  severity: string;
  scope?: AlertRuleScopeInput | null;
  enabled?: boolean | null;
}>;

export type AlertRuleChangesInput = Readonly<{
  name?: string | null;
  metric?: string | null;
  operator?: string | null;
  threshold?: number | null;
  clearThreshold?: number | null;
  forSeconds?: number | null;
  severity?: string | null;
  scope?: AlertRuleScopeInput | null;
  enabled?: boolean | null;
}>;

/** An omitted (or null) list in a scope is an empty one: the rule then does not narrow by it. */
const scopeOf = (
  scope: AlertRuleScopeInput,
): Readonly<{ deviceIds: readonly string[]; tags: readonly string[] }> => ({
  deviceIds: scope.deviceIds ?? [],
  tags: scope.tags ?? [],
});

export const defineAlertRuleCommand = (input: DefineAlertRuleInput, ruleId: string): CommandBody => ({
  type: 'DefineAlertRule',
  data: presentOnly({
    ruleId,
    name: input.name,
    metric: input.metric,
    operator: input.operator,
    threshold: input.threshold,
    clearThreshold: input.clearThreshold,
    forSeconds: input.forSeconds ?? undefined,
    severity: input.severity,
    scope: input.scope ? scopeOf(input.scope) : undefined,
    enabled: input.enabled ?? undefined,
  }),
});

export const changeAlertRuleCommand = (ruleId: string, changes: AlertRuleChangesInput): CommandBody => ({
  type: 'ChangeAlertRule',
  data: {
    ruleId,
    // A cleared scope watches every device, as an empty one does.
    changes: presentOnly({
      ...changes,
      scope: changes.scope === undefined ? undefined : scopeOf(changes.scope ?? {}),
    }),
  },
});
