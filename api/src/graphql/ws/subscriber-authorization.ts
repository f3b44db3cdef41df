import type { Permission } from '../../auth/permissions.js';
import type { StreamAuthorization } from '../../live/authorization-watch.js';
import { toLiveError } from '../../live/live-errors.js';
import type { LiveField } from '../../live/live-ports.js';
import { ApiError } from '../api-error.js';
import { type ApiContext, authorize } from '../context.js';

/** How often an open subscription checks that its caller still holds the credentials and the permission. */
export const RECHECK_MS = 5_000;

/**
 * What keeps one subscriber authorized: its credentials' expiry, and its socket's credentials
 * authenticated again with the field's permission checked every RECHECK_MS.
 */
export const subscriberAuthorization = (
  context: ApiContext,
  permission: Permission,
  field: LiveField,
): StreamAuthorization => {
  const { reauthenticate } = context;
  const expiresAt = context.principal?.credentialsExpireAt;
  const recheck = async () => {
    try {
      authorize({ ...context, principal: (await reauthenticate?.()) ?? null }, permission);
      return null;
    } catch (error) {
      if (error instanceof ApiError) return toLiveError(error, field, context.ports.live.logger);
      throw error;
    }
  };
  return {
    ...(expiresAt ? { expiresAt } : {}),
    ...(reauthenticate ? { recheck } : {}),
    recheckMs: RECHECK_MS,
  };
};
