import { streamCategories, streamId } from '@netpulse/domain';
import { type ApiContext, authorize } from '../context.js';
import {
  type AlertRuleChangesInput,
  changeAlertRuleCommand,
  type DefineAlertRuleInput,
  defineAlertRuleCommand,
} from './alert-rule-inputs.js';
import { type StreamGuard, sendCommand } from './send-command.js';

type Versioned = Readonly<{ expectedVersion?: bigint | null }>;

const guardOf = (ruleId: string, expect: StreamGuard['expect'] = 'existing'): StreamGuard => ({
  streamId: streamId(streamCategories.alertRule, ruleId),
  what: `alert rule ${ruleId}`,
  expect,
});

export const alertRuleMutations = {
  defineAlertRule: (_root: unknown, { input }: { input: DefineAlertRuleInput }, context: ApiContext) => {
    const principal = authorize(context, 'rule:write');
    const ruleId = input.ruleId ?? context.ports.newId();
    return sendCommand(context, principal, defineAlertRuleCommand(input, ruleId), {
      guard: guardOf(ruleId, 'new'),
    });
  },

  changeAlertRule: (
    _root: unknown,
    args: Versioned & { ruleId: string; changes: AlertRuleChangesInput },
    context: ApiContext,
  ) =>
    sendCommand(
      context,
      authorize(context, 'rule:write'),
      changeAlertRuleCommand(args.ruleId, args.changes),
      {
        expectedVersion: args.expectedVersion,
        guard: guardOf(args.ruleId),
      },
    ),

  deleteAlertRule: (_root: unknown, args: Versioned & { ruleId: string }, context: ApiContext) =>
    sendCommand(
      context,
      authorize(context, 'rule:write'),
      { type: 'DeleteAlertRule', data: { ruleId: args.ruleId } },
      { expectedVersion: args.expectedVersion, guard: guardOf(args.ruleId) },
    ),
};
