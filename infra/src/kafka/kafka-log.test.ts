import type { ReactorLogger } from '@netpulse/commands';
import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaLogCreator } from './kafka-log.js';

const recording = () => {
  const lines: Array<{ level: string; fields: Readonly<Record<string, unknown>>; message?: string }> = [];
  const at = (level: string) => (fields: Readonly<Record<string, unknown>>, message?: string) =>
    lines.push({ level, fields, ...(message !== undefined ? { message } : {}) });
  const logger: ReactorLogger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { logger, lines };
};

describe('kafkajs log lines in the process logger', () => {
  it('keep only fields that cannot hold a secret', () => {
    const { logger, lines } = recording();
    const log = kafkaLogCreator(logger)(logLevel.WARN);
    log({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: {
        timestamp: '2026-11-21T08:00:00.000Z',
        message: 'Connection error',
        broker: '127.0.0.1:9092',
        clientId: 'netpulse',
        error: 'connect ECONNREFUSED',
        retryCount: 2,
        sasl: { mechanism: 'plain', username: 'noc', password: 'hunter2' },
        ssl: { key: '-----BEGIN PRIVATE KEY-----' },
        stack: 'at Socket…',
      },
    });
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'Connection error',
        fields: {
          kafka: 'Connection',
          broker: '127.0.0.1:9092',
          clientId: 'netpulse',
          error: 'connect ECONNREFUSED',
          retryCount: 2,
        },
      },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/hunter2|PRIVATE KEY/);
  });

  it('drops the warning about bounded idempotent retries, which the publisher chose on purpose', () => {
    const { logger, lines } = recording();
    kafkaLogCreator(logger)(logLevel.WARN)({
      namespace: 'Producer',
      level: logLevel.WARN,
      label: 'WARN',
      log: {
        timestamp: '',
        message: 'Limiting retries for the idempotent producer may invalidate EoS guarantees',
      },
    });
    expect(lines).toEqual([]);
  });
});
