import type { Logger } from '@netpulse/pollers';
import type { LogEntry, logCreator } from 'kafkajs';
import { kafkaLogCreator } from '../kafka-log.js';

const REPEAT_WINDOW_MS = 30_000;

/**
 * kafkajs's own logging, through the shared field-filtering log creator, but with each repeated
 * message written at most once per 30 s: a poller keeps retrying an unreachable broker for as long
 * as it is down, and kafkajs reports every attempt.
 */
export const pollerGroupLogCreator =
  (logger: Logger, now: () => number = Date.now): logCreator =>
  (level) => {
    const write = kafkaLogCreator(logger)(level);
    const lastWritten = new Map<string, number>();
    return (entry: LogEntry) => {
      const key = `${entry.namespace}|${entry.level}|${entry.log.message}`;
      const at = now();
      const previous = lastWritten.get(key);
      if (previous !== undefined && at - previous < REPEAT_WINDOW_MS) return;
      if (lastWritten.size >= 500) lastWritten.clear();
      lastWritten.set(key, at);
      write(entry);
    };
  };
