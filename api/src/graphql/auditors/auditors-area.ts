import type { IResolvers } from 'mercurius';
import type { ApiArea } from '../area.js';
import type { ApiContext } from '../context.js';
import { auditorTypeDefs } from '../schema/auditors.js';
import { auditLogQueries } from './audit-log.js';
import { eventLogQueries } from './event-log.js';
import { streamHistoryQueries } from './stream-history.js';
import { timeTravelQueries } from './time-travel-queries.js';

/**
 * The full history, replayable: who did what and when, state as of any moment, tamper evidence.
 * The cast forgets each resolver's own parent and argument types for mercurius' untyped map.
 */
export const auditorsArea: ApiArea = {
  typeDefs: auditorTypeDefs,
  resolvers: {
    Query: { ...streamHistoryQueries, ...eventLogQueries, ...timeTravelQueries, ...auditLogQueries },
  } as unknown as IResolvers<unknown, ApiContext>,
};
