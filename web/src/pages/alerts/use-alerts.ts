import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from '../../graphql/client-context';
import type { DataOf } from '../../graphql/document';
import { GraphQLRequestError } from '../../graphql/errors';
import { useReconnect, useSubscription } from '../../graphql/use-subscription';
import { AlertChangedSubscription, AlertQuery, AlertsPageQuery, type ConsoleAlert } from './alert-documents';
import { type AlertView, belongsInView, statesOfView } from './alert-order';

/** Enough for any console; beyond it the view says more exist. */
const MAX_PAGES = 20;

const newer = (current: ConsoleAlert | undefined, incoming: ConsoleAlert): boolean =>
  !current || Date.parse(incoming.lastChangedAt) >= Date.parse(current.lastChangedAt);

/**
 * The alerts of a view (active, open, acknowledged, resolved), optionally of one device, kept live
 * by the alertChanged subscription: a change moves an alert into or out of the view at once.
 */
export const useAlerts = (view: AlertView, deviceId?: string) => {
  const client = useClient();
  const [alerts, setAlerts] = useState<ReadonlyMap<string, ConsoleAlert>>(new Map());
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const [truncated, setTruncated] = useState(false);
  const generation = useRef(0);

  const apply = useCallback(
    (incoming: readonly ConsoleAlert[]) =>
      setAlerts((current) => {
        const next = new Map(current);
        for (const alert of incoming) {
          if (!newer(next.get(alert.alertId), alert)) continue;
          if (belongsInView(view, alert.state) && (!deviceId || alert.deviceId === deviceId))
            next.set(alert.alertId, alert);
          else next.delete(alert.alertId);
        }
        return next;
      }),
    [view, deviceId],
  );

  const load = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const read: ConsoleAlert[] = [];
      let after: string | null = null;
      let more = false;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const { alerts: connection }: DataOf<typeof AlertsPageQuery> = await client.request(AlertsPageQuery, {
          states: statesOfView(view),
          deviceId: deviceId ?? null,
          after,
        });
        read.push(...connection.nodes);
        more = connection.pageInfo.hasNextPage;
        if (!more || !connection.pageInfo.endCursor) break;
        after = connection.pageInfo.endCursor;
      }
      if (mine !== generation.current) return;
      setAlerts((current) => {
        const next = new Map<string, ConsoleAlert>();
        for (const alert of read) {
          const live = current.get(alert.alertId);
          next.set(alert.alertId, live && !newer(live, alert) ? live : alert);
        }
        return next;
      });
      setTruncated(more);
      setError(null);
    } catch (failure) {
      if (mine !== generation.current) return;
      setError(
        failure instanceof GraphQLRequestError
          ? failure
          : new GraphQLRequestError('AlertsPage', [{ message: String(failure) }]),
      );
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [client, view, deviceId]);

  useEffect(() => {
    setAlerts(new Map());
    void load();
    return () => {
      generation.current += 1;
    };
  }, [load]);
  useReconnect(() => void load());

  const liveError = useSubscription(
    AlertChangedSubscription,
    deviceId ? { deviceId } : {},
    ({ alertChanged }) => {
      if (alertChanged.alert) apply([alertChanged.alert]);
      else
        client.request(AlertQuery, { alertId: alertChanged.alertId }).then(
          ({ alert }) => alert && apply([alert]),
          () => undefined,
        );
    },
    { onResubscribed: () => void load() },
  );

  /** After this user's own action: the alert as the read model has it now. */
  const refresh = useCallback(
    (alertId: string) =>
      client.request(AlertQuery, { alertId }).then(
        ({ alert }) => alert && apply([alert]),
        () => undefined,
      ),
    [client, apply],
  );

  return { alerts, loading, error, liveError, truncated, reload: load, refresh };
};
