import pino, { type Logger } from 'pino';

/**
 * Structured logs. Secrets never reach a log line: known secret-bearing keys are censored wherever
 * they appear, and connection strings are logged only through `redactUrl`.
 */
export const createLogger = (level: string, name = 'netpulse'): Logger =>
  pino({
    name,
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        'community',
        '*.community',
        'authKey',
        '*.authKey',
        'privKey',
        '*.privKey',
        'secret',
        '*.secret',
        'apiKey',
        '*.apiKey',
        'connectionString',
        '*.connectionString',
        'req.headers.authorization',
      ],
      censor: '[redacted]',
    },
  });

export type { Logger };
