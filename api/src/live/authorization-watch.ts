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
   * password): null while they still hold, else the error that ends the subscription.
   */
  recheck?: () => Promise<LiveError | null>;
  /** How often `recheck` runs. */
  recheckMs: number;
}>;

/**
 * Watches a subscriber's right to go on receiving. A WebSocket is authenticated once, at connect:
 * without this a subscription would go on delivering for as long as the socket stays open, after the
 * access token expired, the API key or the role was revoked, or the password changed. `onRefused`
 * runs once, with UNAUTHENTICATED at the credentials' expiry or with the recheck's error
 * (UNAUTHENTICATED or FORBIDDEN) within `recheckMs` of a revocation; graphql-ws clients then
 * reconnect with fresh connection parameters. Returns the function that stops watching.
 */
export const watchAuthorization = (
  authorization: StreamAuthorization,
  now: () => number,
  onRefused: (error: LiveError) => void,
): (() => void) => {
  const { expiresAt, recheck, recheckMs } = authorization;
  if (!expiresAt && !recheck) return () => {};
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
  };
  const refuse = (error: LiveError) => {
    if (stopped) return;
    stop();
    onRefused(error);
  };
  const arm = () => {
    if (stopped) return;
    if (expiresAt && expiresAt.getTime() <= now()) return refuse(credentialsExpired());
    const untilExpiry = expiresAt ? expiresAt.getTime() - now() : Number.POSITIVE_INFINITY;
    const delay = Math.min(untilExpiry, recheck ? recheckMs : Number.POSITIVE_INFINITY, MAX_DELAY_MS);
    timer = setTimeout(() => void check(), delay);
    timer.unref();
  };
  const check = async () => {
    // A recheck that could not run (the database away) is no refusal: the next one decides.
    const refused = recheck && !stopped ? await recheck().catch(() => null) : null;
    if (refused) return refuse(refused);
    arm();
  };
  arm();
  return stop;
};
