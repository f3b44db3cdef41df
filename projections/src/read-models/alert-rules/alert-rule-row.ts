import type { AlertRuleChanged, AlertRuleDefined, AlertRuleDeleted, RecordedEvent } from '@netpulse/domain';
import type { z } from 'zod';
import type { PgTime } from '../timestamps.js';

/** A row of `alert_rules_vN` as the fold sees it. */
export type AlertRuleRow = {
  rule_id: string;
  organization_id: string;
  name: string;
  metric: string;
  operator: string;
  threshold: number;
  clear_threshold: number;
  for_seconds: number;
  severity: string;
  scope_device_ids: string[];
  scope_tags: string[];
  enabled: boolean;
  /** Version of the rule's stream after the last event folded: what a client passes as expectedVersion. */
  version: string;
  defined_at: PgTime;
  changed_at: PgTime;
  deleted_at: PgTime | null;
};

type Data<S extends z.ZodType<{ data: unknown }>> = z.infer<S>['data'];
type Definition = Data<typeof AlertRuleChanged>['changes'];

const applyDefinition = (row: AlertRuleRow, changes: Definition): void => {
  if (changes.name !== undefined) row.name = changes.name;
  if (changes.metric !== undefined) row.metric = changes.metric;
  if (changes.operator !== undefined) row.operator = changes.operator;
  if (changes.threshold !== undefined) row.threshold = changes.threshold;
  if (changes.clearThreshold !== undefined) row.clear_threshold = changes.clearThreshold;
  if (changes.forSeconds !== undefined) row.for_seconds = changes.forSeconds;
  if (changes.severity !== undefined) row.severity = changes.severity;
  if (changes.enabled !== undefined) row.enabled = changes.enabled;
  if (changes.scope !== undefined) {
    row.scope_device_ids = [...changes.scope.deviceIds];
    row.scope_tags = [...changes.scope.tags];
  }
};

/**
 * Folds one alert-rule event into its row (null = not defined yet: ignored). A deleted rule keeps
 * its row with `deleted_at`, so its definition stays readable for whoever audits old alerts.
 */
export const foldAlertRule = (row: AlertRuleRow | null, event: RecordedEvent): AlertRuleRow | null => {
  const version = event.streamVersion.toString();
  if (event.type === 'AlertRuleDefined') {
    const data = event.data as Data<typeof AlertRuleDefined>;
    return {
      rule_id: data.ruleId,
      organization_id: event.metadata.organizationId,
      name: data.name,
      metric: data.metric,
      operator: data.operator,
      threshold: data.threshold,
      clear_threshold: data.clearThreshold,
      for_seconds: data.forSeconds,
      severity: data.severity,
      scope_device_ids: [...data.scope.deviceIds],
      scope_tags: [...data.scope.tags],
      enabled: data.enabled,
      version,
      defined_at: data.definedAt,
      changed_at: data.definedAt,
      deleted_at: null,
    };
  }
  if (!row) return null;
  switch (event.type) {
    case 'AlertRuleChanged': {
      const data = event.data as Data<typeof AlertRuleChanged>;
      const next = { ...row, version, changed_at: data.changedAt };
      applyDefinition(next, data.changes);
      return next;
    }
    case 'AlertRuleDeleted': {
      const data = event.data as Data<typeof AlertRuleDeleted>;
      return { ...row, version, changed_at: data.deletedAt, deleted_at: data.deletedAt };
    }
    default:
      return { ...row, version };
  }
};
