import type { Role } from '@netpulse/domain';

/** Who is calling: a person (JWT) or an integrator's API key, always inside one organization. */
export type Principal = Readonly<{
  kind: 'user' | 'api-key';
  id: string;
  organizationId: string;
  roles: readonly Role[];
  displayName: string | null;
  /**
   * When the credentials that identified the caller stop being valid (the access token's expiry,
   * the API key's); absent when they do not expire. A live subscription ends then.
   */
  credentialsExpireAt?: Date;
}>;
