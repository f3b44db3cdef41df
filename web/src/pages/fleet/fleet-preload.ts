import { matchRoute } from '../../app/routes';
import type { GraphQLClient } from '../../graphql/client';
import { type DeviceFilterInput, type FleetPageData, fleetPageQuery } from './fleet-documents';

type FirstPage = Promise<FleetPageData>;

/** A preloaded page is used only if the view asks for it soon after the page loaded. */
const FRESH_MS = 10_000;
const preloaded = new Map<string, { at: number; page: FirstPage }>();

const keyOf = (filter: DeviceFilterInput | null, first: number) => JSON.stringify([filter, first]);

/**
 * Sends the fleet's first requests while the bundle is still starting React, when the page opens
 * on the fleet with a session: the list's first rows then wait only for the API, not for React.
 */
export const preloadFleet = (
  client: GraphQLClient,
  signedIn: boolean,
  requests: readonly { filter: DeviceFilterInput | null; first: number }[],
): void => {
  if (!signedIn || matchRoute(window.location.pathname).page !== 'fleet') return;
  for (const { filter, first } of requests) {
    const page = client.request(fleetPageQuery(first), { filter, after: null });
    page.catch(() => undefined);
    preloaded.set(keyOf(filter, first), { at: Date.now(), page });
  }
};

/** The preloaded first page for this filter and size, once; undefined when there is none (or it is old). */
export const takePreloaded = (filter: DeviceFilterInput | null, first: number): FirstPage | undefined => {
  const key = keyOf(filter, first);
  const entry = preloaded.get(key);
  preloaded.delete(key);
  return entry && Date.now() - entry.at < FRESH_MS ? entry.page : undefined;
};
