import { encodeCursor, type Page } from '@netpulse/projections';
import { pageSize } from '../../limits/page-size.js';
import type { ApiContext } from '../context.js';

export type Connection<T> = Readonly<{
  edges: readonly Readonly<{ cursor: string; node: T }>[];
  nodes: readonly T[];
  pageInfo: Readonly<{ endCursor: string | null; hasNextPage: boolean }>;
}>;

/**
 * A read-model page as a GraphQL connection. `sortKey` is the read model's keyset key of an item,
 * so every edge carries a cursor that resumes right after it.
 */
export const toConnection = <T>(page: Page<T>, sortKey: (item: T) => readonly unknown[]): Connection<T> => ({
  // Built only when a query selects `edges`: most pages are read as `nodes` plus `endCursor`.
  get edges() {
    return page.items.map((node) => ({ cursor: encodeCursor(sortKey(node)), node }));
  },
  nodes: page.items,
  pageInfo: { endCursor: page.nextCursor, hasNextPage: page.nextCursor !== null },
});

/** The page size a request may read: the client's `first`, refused above the configured cap. */
export const requestedPageSize = (
  context: ApiContext,
  first: number | null | undefined,
  fallback = 50,
): number => pageSize(first, context.limits, fallback);
