import type { CommandMetadata } from '@netpulse/domain';
import { hasPermission, type Permission } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import type { ApiLimits } from '../limits/api-limits.js';
import { ApiError, forbiddenOperation, unauthenticated } from './api-error.js';
import type { ApiPorts } from './ports.js';

/**
 * What every resolver receives. Plain data: mercurius merges a WebSocket's `connection_init` result
 * into it by spreading, so behaviour lives in the functions below, not in methods.
 */
export type ApiContext = {
  ports: ApiPorts;
  /** Bounds resolvers enforce themselves (page sizes), besides those checked before execution. */
  limits: ApiLimits;
  principal: Principal | null;
  /** Why the presented credentials were refused, reported on first use rather than at connect. */
  authError?: ApiError;
  /** Correlates the commands of one request in the audit trail. */
  correlationId?: string;
  /**
   * Over a WebSocket: authenticates the credentials presented at connect again, since they may have
   * expired or been revoked while the socket stayed open. Absent over HTTP (every request presents
   * its credentials).
   */
  reauthenticate?: () => Promise<Principal | null>;
  /**
   * On a subscription's context, set by the transport running it: a live stream that fails on its
   * own (its subscriber fell behind) reports here at once, since its consumer may be blocked on a
   * socket the client stopped reading.
   */
  liveStreamFailed?: (error: Error) => void;
};

/**
 * The gate every resolver passes: UNAUTHENTICATED without a caller, FORBIDDEN without the
 * permission. Returns the caller, whose organization scopes every read and write.
 */
export const authorize = (context: ApiContext, permission: Permission): Principal => {
  const { principal } = context;
  if (!principal) throw context.authError ?? unauthenticated();
  // Over a WebSocket the caller was identified once, at connect: the credentials may since have expired.
  const expiresAt = principal.credentialsExpireAt?.getTime();
  if (expiresAt !== undefined && expiresAt <= context.ports.clock.now().getTime())
    throw unauthenticated('credentials expired; sign in again');
  if (!hasPermission(principal.roles, permission))
    throw forbiddenOperation(
      `${permission} is not granted to roles ${principal.roles.join(', ') || '(none)'}`,
    );
  return principal;
};

/** Metadata for a command sent on behalf of the caller: time and ids come from the ports. */
export const commandMetadata = (context: ApiContext, principal: Principal): CommandMetadata => {
  const commandId = context.ports.newId();
  return {
    commandId,
    now: context.ports.clock.now(),
    organizationId: principal.organizationId,
    actor: { kind: principal.kind, id: principal.id },
    correlationId: context.correlationId ?? commandId,
  };
};

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;
