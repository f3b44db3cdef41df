import type { IResolvers } from 'mercurius';
import type { ApiArea } from '../area.js';
import type { ApiContext } from '../context.js';
import { operatorTypeDefs } from '../schema/operators.js';
import { alertFields } from './alert-fields.js';
import { alertMutations } from './alert-mutations.js';
import { alertQueries } from './alert-queries.js';
import { alertRuleMutations } from './alert-rule-mutations.js';
import { alertRuleQueries } from './alert-rule-queries.js';
import { deviceFields } from './device-fields.js';
import { deviceMutations } from './device-mutations.js';
import { deviceQueries } from './device-queries.js';
import { metricQueries } from './metric-queries.js';

/**
 * What the NOC works with: the fleet, alerts, metrics and rules, and every command on them. Each
 * resolver is typed against its parent and arguments; the cast only forgets those types for
 * mercurius, whose resolver map is untyped per field.
 */
export const operatorsArea: ApiArea = {
  typeDefs: operatorTypeDefs,
  resolvers: {
    Query: { ...deviceQueries, ...metricQueries, ...alertQueries, ...alertRuleQueries },
    Mutation: { ...deviceMutations, ...alertMutations, ...alertRuleMutations },
    Device: deviceFields,
    Alert: alertFields,
  } as unknown as IResolvers<unknown, ApiContext>,
};
