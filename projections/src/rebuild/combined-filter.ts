import type { EventFilter } from '@netpulse/domain';

/** The narrowest filter that still passes every event any of the filters passes. */
export const combinedFilter = (filters: readonly EventFilter[]): EventFilter => {
  const union = (lists: ReadonlyArray<readonly string[] | undefined>) =>
    lists.every((list) => list && list.length > 0)
      ? [...new Set(lists.flatMap((list) => list ?? []))]
      : undefined;
  const categories = union(filters.map((filter) => filter.categories));
  const eventTypes = union(filters.map((filter) => filter.eventTypes));
  return { ...(categories ? { categories } : {}), ...(eventTypes ? { eventTypes } : {}) };
};
