import { type DeviceStatusChanged, type EventStore, streamCategories, streamId } from '@netpulse/domain';
import type { z } from 'zod';

export type StatusChange = Readonly<{ from: string | null; to: string; reason: string | null; at: Date }>;

type StatusData = z.infer<typeof DeviceStatusChanged>['data'];

const PAGE = 200;

/**
 * A device's status changes, newest first, read from its stream backwards. Device streams hold
 * decisions only (observations live in their own streams), and most of them are status changes, so
 * a page or two usually suffices.
 */
export const statusTimeline = async (
  store: EventStore,
  deviceId: string,
  limit: number,
): Promise<StatusChange[]> => {
  const stream = streamId(streamCategories.device, deviceId);
  const changes: StatusChange[] = [];
  let from: bigint | undefined;
  for (;;) {
    const { events } = await store.readStream(stream, {
      direction: 'backwards',
      limit: PAGE,
      ...(from === undefined ? {} : { from }),
    });
    for (const event of events) {
      if (event.type !== 'DeviceStatusChanged') continue;
      const data = event.data as StatusData;
      changes.push({ from: data.from, to: data.to, reason: data.reason, at: new Date(data.changedAt) });
      if (changes.length >= limit) return changes;
    }
    const oldest = events[events.length - 1];
    if (events.length < PAGE || !oldest || oldest.streamVersion === 0n) return changes;
    from = oldest.streamVersion - 1n;
  }
};
