import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useClient } from '../../graphql/client-context';
import { GraphQLRequestError } from '../../graphql/errors';
import { useReconnect, useSubscription } from '../../graphql/use-subscription';
import { withStatusChange } from './fleet-device';
import {
  type DeviceFilterInput,
  DeviceStatusSubscription,
  FleetDeviceQuery,
  type FleetPageData,
  type FleetSummary,
  FleetSummaryQuery,
  FleetSummarySubscription,
  fleetPageQuery,
} from './fleet-documents';
import { takePreloaded } from './fleet-preload';
import { FleetStore } from './fleet-store';

/** The API's default largest page (GRAPHQL_MAX_PAGE_SIZE); halved when a smaller limit is configured. */
const FIRST_PAGE_SIZE = 200;
const MIN_PAGE_SIZE = 25;
/** Rows a wall screen shows at once (a 4K display at 36 px a row): the first page's size. */
export const FIRST_SCREEN = 60;
export const PROBLEMS: DeviceFilterInput = { status: ['down', 'unreachable', 'degraded'] };
/** Re-read everything now and then: rtt / loss columns are not pushed for every device. */
const RESYNC_INTERVAL_MS = 5 * 60_000;

export type FleetLoad = Readonly<{
  /** loading: nothing yet; partial: first pages shown, more coming; complete: every device read. */
  phase: 'loading' | 'partial' | 'complete' | 'error';
  error: GraphQLRequestError | null;
}>;

const frame = (flush: () => void): void => {
  if (typeof document !== 'undefined' && !document.hidden && typeof requestAnimationFrame === 'function')
    requestAnimationFrame(flush);
  else setTimeout(flush, 50);
};

/**
 * The page size to try next when the API refused one as too large or too costly: the limit it
 * names (`extensions.details.maxPageSize`), else half; null when the refusal was about something else.
 */
export const smallerPage = (error: unknown, current: number): number | null => {
  if (!(error instanceof GraphQLRequestError) || error.code !== 'VALIDATION_FAILED') return null;
  if (!/first|page|cost/i.test(error.message)) return null;
  const details = error.errors[0]?.extensions?.details;
  const limit =
    typeof details === 'object' && details !== null
      ? (details as Record<string, unknown>).maxPageSize
      : undefined;
  const next = typeof limit === 'number' && limit >= 1 && limit < current ? limit : Math.floor(current / 2);
  return next >= MIN_PAGE_SIZE ? next : null;
};

/**
 * The whole fleet in memory: read page by page (the first page is on screen while the rest loads),
 * then kept live by the deviceStatusChanged and fleetSummary subscriptions, re-read after the live
 * socket reconnects and whenever the summary's total disagrees with what is loaded.
 */
export const useFleet = () => {
  const client = useClient();
  const store = useMemo(() => new FleetStore(frame), []);
  const version = useSyncExternalStore(store.subscribe, store.version, store.version);
  const [load, setLoad] = useState<FleetLoad>({ phase: 'loading', error: null });
  const [summary, setSummary] = useState<FleetSummary | null>(null);
  const generation = useRef(0);
  const pageSize = useRef(FIRST_PAGE_SIZE);
  const loadingAll = useRef(false);

  /**
   * Reads pages of `filter` (all devices when null) into the store until the last page or
   * `maxPages`; returns the ids read, or null when a newer read started meanwhile.
   */
  const readPages = useCallback(
    async (mine: number, filter: DeviceFilterInput | null, maxPages: number): Promise<Set<string> | null> => {
      const seen = new Set<string>();
      let after: string | null = null;
      for (let pages = 0; pages < maxPages; ) {
        // A small first page puts rows on screen sooner; then the largest page the API allows.
        const first = after === null ? Math.min(FIRST_SCREEN, pageSize.current) : pageSize.current;
        let page: FleetPageData;
        try {
          page = await ((after === null && takePreloaded(filter, first)) ||
            client.request(fleetPageQuery(first), { filter, after }));
        } catch (error) {
          const next = smallerPage(error, first);
          if (next !== null) {
            pageSize.current = Math.min(pageSize.current, next);
            continue;
          }
          throw error;
        }
        if (mine !== generation.current) return null;
        const { nodes, pageInfo } = page.devices;
        for (const node of nodes) seen.add(node.deviceId);
        store.upsert(nodes);
        setLoad((current) => (current.phase === 'loading' ? { phase: 'partial', error: null } : current));
        pages += 1;
        if (!pageInfo.hasNextPage || !pageInfo.endCursor) break;
        after = pageInfo.endCursor;
      }
      return seen;
    },
    [client, store],
  );

  const readAll = useCallback(async () => {
    const mine = ++generation.current;
    loadingAll.current = true;
    try {
      // The devices that need eyes first, alongside the full read: the top of the wall is right at once.
      const [, seen] = await Promise.all([
        readPages(mine, PROBLEMS, 5),
        readPages(mine, null, Number.POSITIVE_INFINITY),
      ]);
      if (!seen) return;
      store.retainOnly(seen);
      setLoad({ phase: 'complete', error: null });
    } catch (error) {
      if (mine !== generation.current) return;
      const failure =
        error instanceof GraphQLRequestError
          ? error
          : new GraphQLRequestError('FleetPage', [{ message: String(error) }]);
      setLoad((current) => ({
        phase: current.phase === 'loading' ? 'error' : current.phase,
        error: failure,
      }));
    } finally {
      if (mine === generation.current) loadingAll.current = false;
    }
  }, [readPages, store]);

  const readSummary = useCallback(() => {
    client.request(FleetSummaryQuery).then(
      ({ fleetSummary }) => setSummary(fleetSummary),
      () => undefined,
    );
  }, [client]);

  useEffect(() => {
    void readAll();
    readSummary();
    const timer = setInterval(() => void readAll(), RESYNC_INTERVAL_MS);
    return () => {
      clearInterval(timer);
      generation.current += 1;
    };
  }, [readAll, readSummary]);

  useReconnect(() => {
    void readAll();
    readSummary();
  });

  const liveError = useSubscription(
    DeviceStatusSubscription,
    {},
    ({ deviceStatusChanged: event }) => {
      const known = event.device ?? store.get(event.deviceId);
      if (known) store.upsert([withStatusChange(known, event)]);
      // A device this page has not seen yet (registered since): read its row.
      else
        client.request(FleetDeviceQuery, { deviceId: event.deviceId }).then(
          ({ device }) => device && store.upsert([withStatusChange(device, event)]),
          () => undefined,
        );
    },
    { onResubscribed: () => void readAll() },
  );

  const summaryError = useSubscription(FleetSummarySubscription, {}, ({ fleetSummary }) =>
    setSummary(fleetSummary),
  );

  // Registered or decommissioned elsewhere: the summary's total moves, the loaded set follows.
  // At most every 30 s, in case the summary and the list disagree for longer (projection lag).
  const total = summary?.total;
  const lastMismatchRead = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` re-checks the loaded count as the store changes.
  useEffect(() => {
    if (total === undefined || load.phase !== 'complete' || loadingAll.current || total === store.size)
      return;
    const wait = Math.max(1_500, lastMismatchRead.current + 30_000 - Date.now());
    const timer = setTimeout(() => {
      lastMismatchRead.current = Date.now();
      void readAll();
    }, wait);
    return () => clearTimeout(timer);
  }, [total, load.phase, store, readAll, version]);

  /**
   * After a registration or edit: the row as the read model has it, retried until the projection
   * has caught up with the write (`version` = the WriteResult's).
   */
  const refreshDevice = useCallback(
    async (deviceId: string, version: string, attempts = 20): Promise<void> => {
      for (let attempt = 0; attempt < attempts; attempt += 1) {
        const { device } = await client.request(FleetDeviceQuery, { deviceId });
        if (device) store.upsert([device]);
        if (device && BigInt(device.version ?? '-1') >= BigInt(version)) return;
        await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 200 * (attempt + 1))));
      }
    },
    [client, store],
  );

  return {
    store,
    version,
    load,
    summary,
    liveError: liveError ?? summaryError,
    reload: readAll,
    refreshDevice,
  };
};
