import { START } from '@netpulse/domain';
import { type ApiContext, authorize } from '../context.js';
import { requestedPageSize } from '../paging/connection.js';
import { storeCategories } from './event-categories.js';
import { readOwnEvents } from './own-events.js';
import { recordedEventView } from './recorded-event-view.js';

type EventsArgs = Readonly<{
  after?: string | null;
  filter?: Readonly<{ types?: readonly string[] | null; categories?: readonly string[] | null }> | null;
  first?: number | null;
}>;

/** How many events of other organizations one request may skip before answering a short page. */
const SCAN_FACTOR = 20;

export const eventLogQueries = {
  events: async (_root: unknown, args: EventsArgs, context: ApiContext) => {
    const principal = authorize(context, 'events:read');
    const wanted = requestedPageSize(context, args.first, 100);
    const types = args.filter?.types ?? [];
    const categories = storeCategories(args.filter?.categories ?? []);
    const page = await readOwnEvents((options) => context.ports.store.readAll(options), {
      organizationId: principal.organizationId,
      after: args.after ?? START,
      filter: {
        ...(types.length > 0 ? { eventTypes: types } : {}),
        ...(categories.length > 0 ? { categories } : {}),
      },
      wanted,
      maxScanned: wanted * SCAN_FACTOR,
    });
    return {
      events: page.events.map(recordedEventView),
      checkpoint: page.checkpoint,
      caughtUp: page.caughtUp,
    };
  },
};
