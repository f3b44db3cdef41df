import type { Decider } from '../event-store/decider.js';
import { timestampOf } from '../shared/command-schema.js';
import { changedFields, isEmptyObject } from '../shared/diff.js';
import { illegalState, notFound, validationFailed } from '../shared/errors.js';
import { assertSameOrganization, organizationOf } from '../shared/tenancy.js';
import type { AlertRuleCommand } from './commands.js';
import type { AlertRuleDefinition, AlertRuleEvent } from './events.js';
import { hasValidHysteresis } from './hysteresis.js';
import { type AlertRuleState, initialAlertRuleState } from './state.js';

const assertHysteresis = (ruleId: string, rule: AlertRuleDefinition): void => {
  if (!hasValidHysteresis(rule)) {
    const side = rule.operator.startsWith('>') ? 'at or below' : 'at or above';
    throw validationFailed(
      `the clear threshold must be ${side} the threshold for operator ${rule.operator}`,
      {
        ruleId,
        field: 'clearThreshold',
      },
    );
  }
};

export const decideAlertRule = (
  command: AlertRuleCommand,
  state: AlertRuleState,
): readonly AlertRuleEvent[] => {
  const { ruleId } = command.data;
  const at = timestampOf(command);
  if (command.type === 'DefineAlertRule') {
    const { ruleId: _, ...definition } = command.data;
    assertHysteresis(ruleId, definition);
    if (state.status !== 'undefined') {
      assertSameOrganization(state.organizationId, command.metadata, `alert rule ${ruleId}`);
      throw illegalState(`alert rule ${ruleId} is already defined`, { ruleId });
    }
    const { name, metric, operator, threshold, clearThreshold, forSeconds, severity, scope, enabled } =
      definition;
    return [
      {
        type: 'AlertRuleDefined',
        data: {
          ruleId,
          name,
          metric,
          operator,
          threshold,
          clearThreshold,
          forSeconds,
          severity,
          scope,
          enabled,
          definedAt: at,
        },
      },
    ];
  }
  if (state.status === 'undefined') throw notFound(`alert rule ${ruleId} does not exist`, { ruleId });
  assertSameOrganization(state.organizationId, command.metadata, `alert rule ${ruleId}`);
  if (state.status === 'deleted') throw illegalState(`alert rule ${ruleId} is deleted`, { ruleId });
  if (command.type === 'DeleteAlertRule')
    return [{ type: 'AlertRuleDeleted', data: { ruleId, deletedAt: at } }];

  const changes = changedFields(state.definition, command.data.changes);
  if (isEmptyObject(changes)) return [];
  assertHysteresis(ruleId, { ...state.definition, ...changes });
  return [{ type: 'AlertRuleChanged', data: { ruleId, changes, changedAt: at } }];
};

export const evolveAlertRule = (state: AlertRuleState, event: AlertRuleEvent): AlertRuleState => {
  switch (event.type) {
    case 'AlertRuleDefined': {
      const { ruleId, definedAt: _, ...definition } = event.data;
      return { status: 'defined', ruleId, organizationId: organizationOf(event), definition };
    }
    case 'AlertRuleChanged':
      return state.status === 'defined'
        ? { ...state, definition: { ...state.definition, ...event.data.changes } }
        : state;
    case 'AlertRuleDeleted':
      return state.status === 'defined'
        ? { ...state, status: 'deleted', deletedAt: event.data.deletedAt }
        : state;
  }
};

export const alertRuleDecider: Decider<AlertRuleState, AlertRuleCommand, AlertRuleEvent> = {
  decide: decideAlertRule,
  evolve: evolveAlertRule,
  initialState: initialAlertRuleState,
};
