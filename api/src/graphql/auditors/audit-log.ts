import { type ApiContext, authorize } from '../context.js';
import { requestedPageSize } from '../paging/connection.js';

type AuditArgs = Readonly<{
  filter?: Readonly<{
    actorKind?: string | null;
    actorId?: string | null;
    action?: string | null;
    entityId?: string | null;
    correlationId?: string | null;
    from?: Date | null;
    to?: Date | null;
  }> | null;
  first?: number | null;
  after?: string | null;
}>;

export const auditLogQueries = {
  /** Who did what to which entity and when, newest first, with the note the actor gave. */
  auditLog: async (_root: unknown, args: AuditArgs, context: ApiContext) => {
    const principal = authorize(context, 'audit:read');
    const { organizationId } = principal;
    const filter = args.filter ?? {};
    const page = await context.ports.queries.auditLog({
      organizationId,
      actorKind: filter.actorKind ?? undefined,
      actorId: filter.actorId ?? undefined,
      action: filter.action ?? undefined,
      entityId: filter.entityId ?? undefined,
      correlationId: filter.correlationId ?? undefined,
      from: filter.from ?? undefined,
      to: filter.to ?? undefined,
      limit: requestedPageSize(context, args.first),
      cursor: args.after ?? null,
    });
    const notes = await context.ports.queries.auditNotes({
      organizationId,
      eventIds: page.items.map((entry) => entry.eventId),
    });
    return {
      nodes: page.items.map((entry) => ({ ...entry, note: notes.get(entry.eventId) ?? null })),
      pageInfo: { endCursor: page.nextCursor, hasNextPage: page.nextCursor !== null },
    };
  },
};
