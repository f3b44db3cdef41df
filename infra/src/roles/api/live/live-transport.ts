import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import mqemitter from 'mqemitter';
import MQEmitterRedis from 'mqemitter-redis';
import type { Logger } from '../../../runtime/logger.js';

/** Carries feed messages from the publisher to every API process. */
export interface LiveTransport {
  /** True when the messages cross processes (Redis): then only one publisher may run. */
  readonly distributed: boolean;
  publish(body: string): Promise<void>;
  /** Resolves once the subscription is active at the broker: later publications will arrive. */
  subscribe(onMessage: (body: string) => void): Promise<void>;
  check(): Promise<void>;
  close(): Promise<void>;
}

type Emitter = mqemitter.MQEmitter;
type Message = mqemitter.Message;

type EmitterTransportOptions = Readonly<{
  topic: string;
  distributed: boolean;
  /**
   * Set when the emitter echoes a process's own publications back through a broker: this process's
   * subscriber then gets each of its own messages at publication and skips the echo. The publisher
   * runs in an API process, whose own subscribers would otherwise wait for the broker's round trip
   * and for their event loop to come round to the echo (measured: half the live feed's delay).
   */
  origin?: string;
  check: () => Promise<void>;
  close: () => Promise<void>;
}>;

const emitterTransport = (emitter: Emitter, options: EmitterTransportOptions): LiveTransport => {
  const { topic, origin } = options;
  let deliverOwn: ((body: string) => void) | null = null;
  return {
    distributed: options.distributed,
    publish: (body) =>
      new Promise((resolve, reject) => {
        deliverOwn?.(body);
        emitter.emit({ topic, body, origin }, (error) => (error ? reject(error) : resolve()));
      }),
    subscribe: (onMessage) =>
      new Promise((resolve) => {
        if (origin !== undefined) deliverOwn = onMessage;
        emitter.on(
          topic,
          (message: Message, done: () => void) => {
            if (typeof message.body === 'string' && (origin === undefined || message.origin !== origin))
              onMessage(message.body);
            done();
          },
          () => resolve(),
        );
      }),
    check: options.check,
    close: options.close,
  };
};

/** One process: messages never leave it. */
export const createInProcessTransport = (topic: string): LiveTransport => {
  const emitter = mqemitter();
  return emitterTransport(emitter, {
    topic,
    distributed: false,
    check: async () => {},
    close: () => new Promise((resolve) => emitter.close(() => resolve())),
  });
};

export type RedisTransportOptions = Readonly<{
  url: string;
  topic: string;
  /** Names the connections in Redis's CLIENT LIST. */
  connectionName: string;
  logger: Logger;
}>;

/**
 * Redis pub/sub between API processes, on connections this module owns: the subscriber queues its
 * SUBSCRIBE until Redis answers however long that takes (so "subscribed" means subscribed, and
 * ioredis re-subscribes after every reconnect), while a publish fails within seconds when Redis is
 * away so the publisher retries from its checkpoint instead of piling messages up in memory.
 * Messages published while a subscriber was disconnected are lost: the feed's `prev` chain notices.
 */
export const createRedisTransport = (options: RedisTransportOptions): LiveTransport => {
  const { logger } = options;
  const common = { lazyConnect: false, enableAutoPipelining: true, connectionName: options.connectionName };
  const subConn = new Redis(options.url, { ...common, maxRetriesPerRequest: null });
  const pubConn = new Redis(options.url, { ...common, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  let lastWarning = 0;
  const onError = (error: unknown) => {
    // ioredis reports every failed reconnect; one line in ten seconds says enough.
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    logger.warn({ err: error }, 'live feed: Redis unavailable; reconnecting');
  };
  subConn.on('error', onError);
  pubConn.on('error', onError);
  const emitter = MQEmitterRedis({ subConn, pubConn });
  // Its `state` emitter re-emits connection errors; unheard, an 'error' event would end the process.
  (emitter as unknown as { state: EventEmitter }).state.on('error', onError);
  return emitterTransport(emitter, {
    topic: options.topic,
    distributed: true,
    origin: randomUUID(),
    check: async () => {
      await pubConn.ping();
    },
    close: async () => {
      await Promise.race([
        new Promise<void>((resolve) => emitter.close(() => resolve())),
        new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
      ]);
      subConn.disconnect();
      pubConn.disconnect();
    },
  });
};
