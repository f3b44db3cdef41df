import type { RecordedEvent } from '@netpulse/domain';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { compareCheckpoints } from '../../../event-store/postgres/checkpoint.js';
import { FeedHub } from './feed-hub.js';
import { encodeFeedMessage } from './feed-wire.js';
import { createInProcessTransport, type LiveTransport } from './live-transport.js';

const event = (position: number, organizationId = 'org-a'): RecordedEvent => ({
  id: `e${position}`,
  type: 'Counted',
  data: { position },
  streamId: `test-${position}`,
  streamVersion: 0n,
  globalPosition: BigInt(position),
  checkpoint: `10:${position}`,
  recordedAt: new Date(),
  metadata: {
    organizationId,
    actor: { kind: 'system', id: 'test' },
    correlationId: 'c',
    causationId: 'c',
    schemaVersion: 1,
    hash: 'h',
    previousHash: 'p',
  },
});
const at = (position: number) => (position === 0 ? 'start' : `10:${position}`);

describe('FeedHub', () => {
  let transport: LiveTransport;
  let gaps = 0;

  const hubWith = async () => {
    transport = createInProcessTransport('test/feed');
    const hub = new FeedHub({
      transport,
      compare: compareCheckpoints,
      logger: pino({ level: 'silent' }),
      metrics: {
        gap: () => {
          gaps += 1;
        },
        heard: () => {},
      },
      staleAfterMs: 60_000,
    });
    const heard: string[] = [];
    let reported = 0;
    const unlisten = await hub.listen('org-a', {
      onEvent: (e) => heard.push(e.id),
      onGap: () => {
        reported += 1;
      },
    });
    const send = async (prev: number, positions: number[], organizationId = 'org-a') =>
      transport.publish(
        encodeFeedMessage({ prev: at(prev), events: positions.map((p) => event(p, organizationId)) }),
      );
    return { hub, heard, gapsReported: () => reported, unlisten, send };
  };

  afterEach(async () => {
    gaps = 0;
    await transport?.close();
  });

  it('passes on a contiguous feed once, in order, and drops what it already passed on', async () => {
    const { heard, gapsReported, send } = await hubWith();
    await send(0, [1, 2, 3]);
    await send(3, [4]);
    // A successor publisher resuming from an older saved position repeats 3 and 4.
    await send(2, [3, 4, 5]);
    await send(5, []);
    expect(heard).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    // The first message may follow events this process never heard: that is reported, but not counted.
    expect(gapsReported()).toBe(1);
    expect(gaps).toBe(0);
  });

  it('reports a gap when a message does not continue from the last event, and when a heartbeat is ahead', async () => {
    const { heard, gapsReported, send } = await hubWith();
    await send(0, [1]);
    await send(3, [4]);
    expect(gapsReported()).toBe(2);
    await send(6, []);
    expect(gapsReported()).toBe(3);
    // After the heartbeat, the hub knows the log up to 6 was published: 7 continues it.
    await send(6, [7]);
    expect(gapsReported()).toBe(3);
    expect(heard).toEqual(['e1', 'e4', 'e7']);
    expect(gaps).toBe(2);
  });

  it("routes each event to its organization's listeners only, and survives a listener that throws", async () => {
    const { hub, heard, send, unlisten } = await hubWith();
    const heardByB: string[] = [];
    await hub.listen('org-b', {
      onEvent: (e) => {
        heardByB.push(e.id);
        throw new Error('listener bug');
      },
      onGap: () => {},
    });
    await send(0, [1]);
    await send(1, [2], 'org-b');
    await send(2, [3]);
    expect(heard).toEqual(['e1', 'e3']);
    expect(heardByB).toEqual(['e2']);
    unlisten();
    await send(3, [4]);
    expect(heard).toEqual(['e1', 'e3']);
  });

  it('ignores messages it cannot read', async () => {
    const { heard, send } = await hubWith();
    await transport.publish('not json');
    await transport.publish(JSON.stringify({ v: 2, prev: 'x', events: [] }));
    await transport.publish(encodeFeedMessage({ prev: 'C:1/P:1', events: [] }));
    await send(0, [1]);
    expect(heard).toEqual(['e1']);
  });
});
