import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { detectRedis, testRedisUrl } from '../../../testing/redis.js';
import { createRedisTransport, type LiveTransport } from './live-transport.js';

const redis = await detectRedis();

describe.skipIf(!redis.available)('Redis live transport (real Redis)', () => {
  const opened: LiveTransport[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((transport) => transport.close()));
  });

  /** One API process's transport and everything its subscriber heard, in order. */
  const processOn = async (topic: string) => {
    const transport = createRedisTransport({
      url: testRedisUrl(),
      topic,
      connectionName: 'netpulse-live-transport-test',
      logger: pino({ level: 'silent' }),
    });
    opened.push(transport);
    const heard: string[] = [];
    await transport.subscribe((body) => heard.push(body));
    return { transport, heard };
  };

  it('gives a process its own messages at publication and once, and every other process each message once', async () => {
    const topic = `netpulse/test/${randomUUID()}`;
    const a = await processOn(topic);
    const b = await processOn(topic);

    const published = a.transport.publish('first');
    // Heard before Redis has even answered the publication.
    expect(a.heard).toEqual(['first']);
    await published;
    await expect.poll(() => b.heard, { timeout: 10_000 }).toEqual(['first']);

    // Redis delivers one channel's messages in publication order, so once A hears B's message
    // the echo of A's own came before it: it was skipped, not pending.
    await b.transport.publish('second');
    await expect.poll(() => a.heard.length, { timeout: 10_000 }).toBe(2);
    expect(a.heard).toEqual(['first', 'second']);
    expect(b.heard).toEqual(['first', 'second']);
  });
});
