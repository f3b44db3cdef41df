import type { ReactorLogger } from '@netpulse/commands';
import { type logCreator, logLevel } from 'kafkajs';

/** The only fields of kafkajs' log entries that reach our logs: none of them can hold a secret. */
const SAFE_FIELDS = ['broker', 'clientId', 'error', 'retryCount', 'retryTime', 'topic', 'groupId'] as const;

/**
 * kafkajs logs into the process's structured logger instead of the console. Its errors are mostly
 * transient (a broker restarting, a coordinator loading) and retried, so they are warnings here; a
 * publish that finally fails is reported by the reactor runner.
 */
export const kafkaLogCreator =
  (logger: ReactorLogger): logCreator =>
  () =>
  ({ namespace, level, log }) => {
    // Intended: retries are bounded so a dead broker fails the batch (retried from the checkpoint)
    // rather than hanging shutdown; consumers deduplicate what a new producer id sends again.
    if (log.message.startsWith('Limiting retries for the idempotent producer')) return;
    const fields: Record<string, unknown> = { kafka: namespace };
    for (const field of SAFE_FIELDS) {
      const value: unknown = log[field];
      if (typeof value === 'string' || typeof value === 'number') fields[field] = value;
    }
    if (level === logLevel.ERROR || level === logLevel.WARN) logger.warn(fields, log.message);
    else if (level === logLevel.INFO) logger.info(fields, log.message);
    else logger.debug(fields, log.message);
  };
