import { z } from 'zod';
import { Role } from '../shared/actor.js';
import type { CommandOf } from '../shared/command-schema.js';
import { Id } from '../shared/primitives.js';
import { ApiKeyIssued, OrganizationCreated, RoleGranted, UserAdded } from './events.js';

export const CreateOrganization = z.object({
  type: z.literal('CreateOrganization'),
  data: OrganizationCreated.shape.data.omit({ createdAt: true }),
});

/** `roles` are granted right after the user is added, one RoleGranted each. */
export const AddUser = z.object({
  type: z.literal('AddUser'),
  data: UserAdded.shape.data.omit({ addedAt: true }).extend({ roles: z.array(Role).optional() }),
});

export const GrantRole = z.object({
  type: z.literal('GrantRole'),
  data: RoleGranted.shape.data.omit({ grantedAt: true }),
});

export const RevokeRole = z.object({
  type: z.literal('RevokeRole'),
  data: RoleGranted.shape.data.omit({ grantedAt: true }),
});

export const IssueApiKey = z.object({
  type: z.literal('IssueApiKey'),
  data: ApiKeyIssued.shape.data.omit({ issuedAt: true }),
});

export const RevokeApiKey = z.object({
  type: z.literal('RevokeApiKey'),
  data: z.object({ keyId: Id }),
});

/** Parses a command's `{ type, data }`; the handler adds the metadata. */
export const OrganizationCommand = z.discriminatedUnion('type', [
  CreateOrganization,
  AddUser,
  GrantRole,
  RevokeRole,
  IssueApiKey,
  RevokeApiKey,
]);

export type CreateOrganization = CommandOf<typeof CreateOrganization>;
export type AddUser = CommandOf<typeof AddUser>;
export type GrantRole = CommandOf<typeof GrantRole>;
export type RevokeRole = CommandOf<typeof RevokeRole>;
export type IssueApiKey = CommandOf<typeof IssueApiKey>;
export type RevokeApiKey = CommandOf<typeof RevokeApiKey>;
export type OrganizationCommand =
  | CreateOrganization
  | AddUser
  | GrantRole
  | RevokeRole
  | IssueApiKey
  | RevokeApiKey;
