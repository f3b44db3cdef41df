import { type EventFilter, streamCategory } from '@netpulse/domain';
import { tablesFor } from './read.js';

/**
 * What an append notification names: the category of each stream that received events, so that a
 * reader of alerts or of organizations is not woken by the hundred observations a second it never
 * reads. Stores before this named the table instead ('events', 'telemetry_events'); a reader still
 * wakes on those, so it hears every writer during a rolling upgrade, while a writer of an older
 * version hears only table names and falls back to polling for category notifications.
 */
export const appendTopic = (streamId: string): string => categoryTopic(streamCategory(streamId));

const categoryTopic = (category: string) => `category:${category}`;

/**
 * The notifications a reader with `filter` wakes on: its categories' topics and the tables those
 * live in (older writers). Undefined (any notification) when the filter does not name categories.
 */
export const topicsFor = (filter: EventFilter | undefined): string[] | undefined => {
  const categories = filter?.categories;
  if (!categories || categories.length === 0) return undefined;
  return [...categories.map(categoryTopic), ...tablesFor(filter)];
};
