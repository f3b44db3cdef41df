import { LiveError } from './live-errors.js';

/** setTimeout's longest delay (about 24.8 days); a later expiry is approached in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export const credentialsExpired = (): LiveError =>
  new LiveError('the credentials this subscription was opened with have expired; reconnect with fresh ones', {
    code: 'UNAUTHENTICATED',
  });

/**
 * A live stream that ends with UNAUTHENTICATED when the caller's credentials expire. A WebSocket is
 * authenticated once, at connect; without this a subscription would go on delivering for as long as
 * the socket stays open, long after the access token or API key it was opened with stopped being
 * valid. graphql-ws clients reconnect with fresh connection parameters.
 */
export const untilCredentialsExpire = <T>(
  stream: AsyncIterableIterator<T>,
  expiresAt: Date | undefined,
  now: () => number,
): AsyncIterableIterator<T> => {
  if (!expiresAt) return stream;
  let timer: NodeJS.Timeout | undefined;
  let expire: (error: LiveError) => void = () => {};
  const expired = new Promise<never>((_, reject) => {
    expire = reject;
  });
  // Rejected before anyone waits on it when the credentials expire between two `next` calls.
  expired.catch(() => {});
  const arm = () => {
    const remaining = expiresAt.getTime() - now();
    if (remaining <= 0) {
      expire(credentialsExpired());
      return;
    }
    timer = setTimeout(arm, Math.min(remaining, MAX_DELAY_MS));
    timer.unref();
  };
  arm();
  const end = async () => {
    clearTimeout(timer);
    await stream.return?.();
  };
  const wrapped: AsyncIterableIterator<T> = {
    next: async () => {
      try {
        return await Promise.race([stream.next(), expired]);
      } catch (error) {
        await end();
        throw error;
      }
    },
    return: async () => {
      await end();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => wrapped,
  };
  return wrapped;
};
