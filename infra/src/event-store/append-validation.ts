import { type StreamAppend, validationFailed } from '@netpulse/domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STREAM_ID = /^[a-z][a-z0-9]*-.+/;

/** Event ids compare case-insensitively everywhere; they are stored lower-case. */
export const normalizeAppends = (appends: readonly StreamAppend[]): StreamAppend[] =>
  appends.map((append) => ({
    ...append,
    events: append.events.map((event) => ({ ...event, id: event.id.toLowerCase() })),
  }));

/**
 * Rejects the whole call before anything is written: an empty append, a stream id that is not
 * `<category>-<id>` (which also keeps callers out of `$`-prefixed system streams), an event id
 * that is not a UUID, or an id given twice.
 */
export const validateAppends = (appends: readonly StreamAppend[]): void => {
  const seen = new Set<string>();
  for (const append of appends) {
    if (append.events.length === 0) throw validationFailed(`append to ${append.streamId} has no events`);
    if (!STREAM_ID.test(append.streamId)) {
      throw validationFailed(`stream id ${append.streamId} is not <category>-<id>`);
    }
    for (const event of append.events) {
      if (!UUID.test(event.id)) throw validationFailed(`event id ${event.id} is not a UUID`);
      const id = event.id.toLowerCase();
      if (seen.has(id)) throw validationFailed(`event id ${event.id} appears twice in one append`);
      seen.add(id);
    }
  }
};
