import {
  DeviceObserved,
  type EventStore,
  type Observation,
  type RecordedEvent,
  streamCategories,
  streamId,
} from '@netpulse/domain';

export type WindowedObservation = Readonly<{ version: bigint; observation: Observation }>;

const PAGE = 500;

/**
 * A device's recent observations, oldest first, up to `lastVersion` (the newest one in the batch):
 * at least `minCount` of them and reaching back to `sinceMs` (observation time), or the whole
 * stream when it is shorter. Malformed entries are left out: they say nothing about health.
 */
export const readObservationWindow = async (
  store: EventStore,
  deviceId: string,
  range: Readonly<{ lastVersion: bigint; minCount: number; sinceMs?: number }>,
): Promise<WindowedObservation[]> => {
  const stream = streamId(streamCategories.observations, deviceId);
  const pages: (readonly RecordedEvent[])[] = [];
  let count = 0;
  let from = range.lastVersion;
  for (;;) {
    const { events } = await store.readStream(stream, { direction: 'backwards', from, limit: PAGE });
    if (events.length > 0) pages.push(events);
    count += events.length;
    const oldest = events[events.length - 1];
    if (!oldest || events.length < PAGE || oldest.streamVersion === 0n) break;
    const reachedTime =
      range.sinceMs === undefined ||
      Date.parse(String((oldest.data as { observedAt?: unknown }).observedAt)) <= range.sinceMs;
    if (count >= range.minCount && reachedTime) break;
    from = oldest.streamVersion - 1n;
  }
  const window: WindowedObservation[] = [];
  for (const page of pages.reverse()) {
    for (const event of [...page].reverse()) {
      const parsed = DeviceObserved.safeParse({ type: event.type, data: event.data });
      if (parsed.success) window.push({ version: event.streamVersion, observation: parsed.data.data });
    }
  }
  return window;
};

/** The window's observations up to and including `version`, at most `limit` of them. */
export const windowUpTo = (
  window: readonly WindowedObservation[],
  version: bigint,
  limit = Number.POSITIVE_INFINITY,
): Observation[] => {
  let end = window.length;
  while (end > 0 && window[end - 1]!.version > version) end--;
  return window.slice(Math.max(0, end - limit), end).map((entry) => entry.observation);
};

/** Groups a batch's events by device, keeping their order. */
export const byDevice = <T extends Readonly<{ event: Readonly<{ data: Readonly<{ deviceId: string }> }> }>>(
  items: readonly T[],
): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const id = item.event.data.deviceId;
    const group = groups.get(id);
    if (group) group.push(item);
    else groups.set(id, [item]);
  }
  return groups;
};

/** Runs `work` over `items` with at most `limit` in flight. */
export const forEachLimited = async <T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
};
