import { isDomainError } from '@netpulse/domain';
import { ApiError } from '../graphql/api-error.js';
import type { LiveField, LiveLogger } from './live-ports.js';

/**
 * An error a subscription reports to its client. Mercurius sends subscription errors to the socket
 * without the API's error formatter, and graphql-js copies an error's own `extensions` into the
 * GraphQL error, so the code travels here.
 */
export class LiveError extends Error {
  override readonly name = 'LiveError';
  constructor(
    message: string,
    readonly extensions: Readonly<{ code: string } & Record<string, unknown>>,
  ) {
    super(message);
  }
}

export const slowConsumer = (field: LiveField, queued: number, limit: number): LiveError =>
  new LiveError(
    `${field}: the subscriber fell behind (${queued} messages waiting, limit ${limit}) and was closed; ` +
      'subscribe again (events: resume after the last checkpoint received)',
    { code: 'SLOW_CONSUMER', field, queued, limit },
  );

/** Typed errors keep their code; anything else is logged and reported without its details. */
export const toLiveError = (error: unknown, field: LiveField, logger: LiveLogger): LiveError => {
  if (error instanceof LiveError) return error;
  if (error instanceof ApiError || isDomainError(error)) {
    const details = Object.keys(error.details).length > 0 ? { details: error.details } : {};
    return new LiveError(error.message, { code: error.code, ...details });
  }
  logger.error({ err: error, field }, 'live subscription failed');
  return new LiveError('internal error', { code: 'INTERNAL_SERVER_ERROR' });
};
