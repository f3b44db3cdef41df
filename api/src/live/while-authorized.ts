import { LiveError } from './live-errors.js';

/** setTimeout's longest delay (about 24.8 days); a later expiry is approached in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export const credentialsExpired = (): LiveError =>
  new LiveError('the credentials this subscription was opened with have expired; reconnect with fresh ones', {
    code: 'UNAUTHENTICATED',
  });

export type StreamAuthorization = Readonly<{
  /** When the credentials the socket presented stop being valid; absent when they do not expire. */
  expiresAt?: Date;
  /**
   * Checks the socket's credentials and permission again (a revoked key or role, a changed
   * password): null while they still hold, else the error that ends the stream.
   */
  recheck?: () => Promise<LiveError | null>;
  /** How often `recheck` runs. */
  recheckMs: number;
}>;

/**
 * A live stream that lasts only while its caller may still have it. A WebSocket is authenticated
 * once, at connect: without this a subscription would go on delivering for as long as the socket
 * stays open, after the access token expired, the API key or the role was revoked, or the password
 * changed. It ends with UNAUTHENTICATED at the credentials' expiry, and with the recheck's error
 * (UNAUTHENTICATED or FORBIDDEN) within `recheckMs` of a revocation; graphql-ws clients then
 * reconnect with fresh connection parameters.
 */
export const whileAuthorized = <T>(
  stream: AsyncIterableIterator<T>,
  authorization: StreamAuthorization,
  now: () => number,
): AsyncIterableIterator<T> => {
  const { expiresAt, recheck, recheckMs } = authorization;
  if (!expiresAt && !recheck) return stream;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let refusal: LiveError | null = null;
  const stop = async () => {
    stopped = true;
    clearTimeout(timer);
    await stream.return?.();
  };
  // Ending the stream wakes a `next` waiting on it (done), which then reports the refusal. Racing
  // every `next` against a promise that settles only at the end would pile a reaction onto that
  // promise per message for as long as the subscription lives.
  const end = (error: LiveError) => {
    if (stopped || refusal) return;
    refusal = error;
    void stop();
  };
  const arm = () => {
    if (stopped) return;
    if (expiresAt && expiresAt.getTime() <= now()) return end(credentialsExpired());
    const untilExpiry = expiresAt ? expiresAt.getTime() - now() : Number.POSITIVE_INFINITY;
    const delay = Math.min(untilExpiry, recheck ? recheckMs : Number.POSITIVE_INFINITY, MAX_DELAY_MS);
    timer = setTimeout(() => void check(), delay);
    timer.unref();
  };
  const check = async () => {
    // A recheck that could not run (the database away) is no refusal: the next one decides.
    const refused = recheck && !stopped ? await recheck().catch(() => null) : null;
    if (refused) return end(refused);
    arm();
  };
  arm();
  const wrapped: AsyncIterableIterator<T> = {
    next: async () => {
      let result: IteratorResult<T>;
      try {
        result = refusal ? { value: undefined, done: true } : await stream.next();
      } catch (error) {
        await stop();
        throw error;
      }
      if (refusal) throw refusal;
      return result;
    },
    return: async () => {
      await stop();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => wrapped,
  };
  return wrapped;
};
