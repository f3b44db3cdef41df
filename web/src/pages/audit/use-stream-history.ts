import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from '../../graphql/client-context';
import type { DataOf } from '../../graphql/document';
import { GraphQLRequestError } from '../../graphql/errors';
import { type RecordedEvent, StreamHistoryQuery } from './audit-documents';

/** The API's largest page (GRAPHQL_MAX_PAGE_SIZE default). */
const PAGE = 200;
/** Decisions only (observations live in their own streams), so a device or alert stays well under this. */
const MAX_EVENTS = 5_000;

export type StreamHistoryState = Readonly<{
  events: readonly RecordedEvent[];
  currentVersion: string | null;
  loading: boolean;
  error: GraphQLRequestError | null;
  truncated: boolean;
  reload: () => void;
}>;

/** Every event of one stream, read page by page from version 0 (`fromVersion` = last + 1). */
export const useStreamHistory = (streamId: string): StreamHistoryState => {
  const client = useClient();
  const [events, setEvents] = useState<readonly RecordedEvent[]>([]);
  const [currentVersion, setCurrentVersion] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const [truncated, setTruncated] = useState(false);
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    if (!streamId) return;
    setLoading(true);
    try {
      const read: RecordedEvent[] = [];
      let fromVersion: string | null = null;
      let version: string | null = null;
      for (;;) {
        const { streamHistory }: DataOf<typeof StreamHistoryQuery> = await client.request(
          StreamHistoryQuery,
          {
            streamId,
            fromVersion,
            limit: PAGE,
          },
        );
        if (mine !== generation.current) return;
        read.push(...streamHistory.events);
        version = streamHistory.currentVersion;
        const last: RecordedEvent | undefined = streamHistory.events.at(-1);
        if (streamHistory.events.length < PAGE || !last || read.length >= MAX_EVENTS) break;
        fromVersion = String(BigInt(last.streamVersion) + 1n);
      }
      setEvents(read);
      setCurrentVersion(version);
      setTruncated(read.length >= MAX_EVENTS);
      setError(null);
    } catch (failure) {
      if (mine !== generation.current) return;
      setError(
        failure instanceof GraphQLRequestError
          ? failure
          : new GraphQLRequestError('StreamHistory', [{ message: String(failure) }]),
      );
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [client, streamId]);

  useEffect(() => {
    setEvents([]);
    setCurrentVersion(null);
    void reload();
  }, [reload]);

  return { events, currentVersion, loading, error, truncated, reload: () => void reload() };
};
