import { type ApiContext, authorize } from '../context.js';

export const alertRuleQueries = {
  alertRules: async (_root: unknown, args: { includeDeleted?: boolean | null }, context: ApiContext) => {
    const principal = authorize(context, 'rule:read');
    return context.ports.queries.listAlertRules({
      organizationId: principal.organizationId,
      includeDeleted: args.includeDeleted ?? false,
    });
  },

  alertRule: async (_root: unknown, args: { ruleId: string }, context: ApiContext) => {
    const principal = authorize(context, 'rule:read');
    return context.ports.queries.getAlertRule({
      organizationId: principal.organizationId,
      ruleId: args.ruleId,
    });
  },
};
