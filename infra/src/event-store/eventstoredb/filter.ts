import { eventTypeFilter, excludeSystemEvents, type Filter, streamNameFilter } from '@eventstore/db-client';
import { type EventFilter, streamCategory } from '@netpulse/domain';

export type FilterOptions = Readonly<{
  /** Called as the server reports how far it has searched (filtered reads only). */
  checkpointReached?: Parameters<typeof streamNameFilter>[0]['checkpointReached'];
}>;

const nonEmpty = (values: readonly string[] | undefined): readonly string[] =>
  values && values.length > 0 ? values : [];

/** Escapes a literal for a .NET (and JavaScript) regular expression. */
export const escapeRegex = (literal: string): string => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The server-side filter for a read of `$all`. EventStoreDB filters on one dimension per
 * subscription, so categories (the more selective one) become stream-name prefixes `<category>-`,
 * otherwise event types become an anchored alternation; with neither, system events are excluded.
 * Whatever the server cannot express is checked again by `matchesFilter`.
 */
export const serverFilter = (filter: EventFilter | undefined, options: FilterOptions = {}): Filter => {
  const callback = options.checkpointReached ? { checkpointReached: options.checkpointReached } : {};
  const categories = nonEmpty(filter?.categories);
  if (categories.length > 0) {
    return streamNameFilter({ prefixes: [...new Set(categories)].map((c) => `${c}-`), ...callback });
  }
  const types = nonEmpty(filter?.eventTypes);
  if (types.length > 0) {
    return eventTypeFilter({ regex: `^(?:${[...new Set(types)].map(escapeRegex).join('|')})$`, ...callback });
  }
  return excludeSystemEvents(callback);
};

/** System streams and events (`$`-prefixed: metadata, stats, links, scavenges) are never delivered. */
export const isSystemEvent = (streamId: string, type: string): boolean =>
  streamId.startsWith('$') || type.startsWith('$');

/** The complete filter, client side: both dimensions, and no system events. */
export const matchesFilter = (filter: EventFilter | undefined, streamId: string, type: string): boolean => {
  if (isSystemEvent(streamId, type)) return false;
  const categories = nonEmpty(filter?.categories);
  if (categories.length > 0 && !categories.includes(streamCategory(streamId))) return false;
  const types = nonEmpty(filter?.eventTypes);
  return types.length === 0 || types.includes(type);
};
