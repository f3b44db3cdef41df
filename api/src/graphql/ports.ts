import type { CommandBus } from '@netpulse/commands';
import type { Clock, EventStore } from '@netpulse/domain';
import type { ReadModelQueries } from '@netpulse/projections';
import type { IdentityPorts } from '../auth/identity-ports.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { LivePorts } from '../live/live-ports.js';

/**
 * Everything the GraphQL API needs from the rest of the system, injected by infra/: it never learns
 * which event store, database or cache runs behind these.
 */
export type ApiPorts = Readonly<{
  bus: CommandBus;
  queries: ReadModelQueries;
  store: EventStore;
  identity: IdentityPorts;
  live: LivePorts;
  rateLimiter: RateLimiter;
  clock: Clock;
  /** Fresh ids for commands and for entities a client did not name. */
  newId: () => string;
}>;
