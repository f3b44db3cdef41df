import { z } from 'zod';
import { Role } from '../shared/actor.js';
import { Id, Timestamp } from '../shared/primitives.js';

export const OrganizationCreated = z.object({
  type: z.literal('OrganizationCreated'),
  data: z.object({ organizationId: Id, name: z.string().trim().min(1).max(200), createdAt: Timestamp }),
});
export const UserAdded = z.object({
  type: z.literal('UserAdded'),
  data: z.object({
    userId: Id,
    email: z.email().max(320),
    displayName: z.string().trim().min(1).max(200),
    addedAt: Timestamp,
  }),
});
export const RoleGranted = z.object({
  type: z.literal('RoleGranted'),
  data: z.object({ userId: Id, role: Role, grantedAt: Timestamp }),
});
export const RoleRevoked = z.object({
  type: z.literal('RoleRevoked'),
  data: z.object({ userId: Id, role: Role, revokedAt: Timestamp }),
});
export const ApiKeyIssued = z.object({
  type: z.literal('ApiKeyIssued'),
  data: z.object({
    keyId: Id,
    name: z.string().trim().min(1).max(200),
    roles: z.array(Role).min(1),
    /** SHA-256 of the key: enough to verify a presented key, useless to recover it. */
    secretHash: z.string().regex(/^[0-9a-f]{64}$/),
    expiresAt: z.iso.datetime({ offset: true }).nullable(),
    issuedAt: Timestamp,
  }),
});
export const ApiKeyRevoked = z.object({
  type: z.literal('ApiKeyRevoked'),
  data: z.object({ keyId: Id, revokedAt: Timestamp }),
});

export const OrganizationEvent = z.discriminatedUnion('type', [
  OrganizationCreated,
  UserAdded,
  RoleGranted,
  RoleRevoked,
  ApiKeyIssued,
  ApiKeyRevoked,
]);
export type OrganizationEvent = z.infer<typeof OrganizationEvent>;
