import type { AlertTimelineEntry } from '@netpulse/projections';
import type { Principal } from '../../auth/principal.js';
import type { ApiContext } from '../context.js';
import { requestLoader } from '../loaders/request-loaders.js';

/** Timelines by alert id for a request: a page of alerts showing theirs makes one query. */
export const timelineLoader = (context: ApiContext, principal: Principal) =>
  requestLoader<string, AlertTimelineEntry[]>(context, 'alert-timeline', (alertIds) =>
    context.ports.queries.alertTimelines({ organizationId: principal.organizationId, alertIds }),
  );

/** Stream versions by alert id for a request. */
export const alertVersionLoader = (context: ApiContext, principal: Principal) =>
  requestLoader<string, bigint>(context, 'alert-stream-version', (alertIds) =>
    context.ports.queries.alertStreamVersions({ organizationId: principal.organizationId, alertIds }),
  );
