import {
  type ApiKeyIssued,
  type Event,
  notFound,
  organizationDecider,
  type Role,
  streamCategories,
  streamId,
} from '@netpulse/domain';
import type { z } from 'zod';
import { invalidInput } from '../graphql/api-error.js';
import type { ApiArea } from '../graphql/area.js';
import { type ApiContext, authorize, commandMetadata } from '../graphql/context.js';
import { authTypeDefs } from '../graphql/schema/auth.js';
import { expectedVersionOption, toWriteResult } from '../graphql/write-result.js';
import { generateApiKey } from './api-key.js';
import type { Session } from './identity-ports.js';
import { assertAcceptablePassword } from './password-policy.js';
import { permissionsOf } from './permissions.js';
import type { Principal } from './principal.js';

type Versioned = { expectedVersion?: bigint | null };
type AddUserArgs = Versioned & {
  input: {
    userId?: string | null;
    email: string;
    displayName: string;
    password: string;
    roles?: Role[] | null;
  };
};
type RoleArgs = Versioned & { userId: string; role: Role };
type IssueApiKeyArgs = Versioned & {
  input: { keyId?: string | null; name: string; roles: Role[]; expiresAt?: Date | null };
};
type SetPasswordArgs = { userId: string; password: string; currentPassword?: string | null };

const identityOf = (principal: Principal) => ({ ...principal, permissions: permissionsOf(principal.roles) });

const sessionView = (session: Session) => ({
  accessToken: session.accessToken,
  accessTokenExpiresAt: session.accessTokenExpiresAt,
  refreshToken: session.refreshToken,
  refreshTokenExpiresAt: session.refreshTokenExpiresAt,
  identity: identityOf(session.principal),
});

/**
 * How long addUser and issueApiKey wait for the new identity to reach the read model sign-in reads,
 * so that it works as soon as the mutation answers. Past it they answer anyway (the write is done).
 */
const VISIBLE_WAIT_MS = 3_000;

const actorOf = (principal: Principal) => ({ kind: principal.kind, id: principal.id });

/** Sends an organization command on behalf of the caller, into the caller's organization only. */
const send = async (
  context: ApiContext,
  principal: Principal,
  command: { type: string; data: Record<string, unknown> },
  expectedVersion: bigint | null | undefined,
) => {
  const result = await context.ports.bus.execute(
    command,
    commandMetadata(context, principal),
    expectedVersionOption(expectedVersion),
  );
  context.ports.identity.forget(principal.organizationId);
  return result;
};

/**
 * From the event store, not the read model: a user added a moment ago must be able to get a
 * password at once, and the organization stream is small.
 */
const assertUserExists = async (context: ApiContext, organizationId: string, userId: string) => {
  const { state } = await context.ports.store.aggregateStream(
    streamId(streamCategories.organization, organizationId),
    organizationDecider,
  );
  if (state.status !== 'created' || !state.users.has(userId))
    throw notFound(`user ${userId} does not exist`, { userId });
};

const issuedKey = (events: readonly Event[]) => {
  const issued = events.find((event) => event.type === 'ApiKeyIssued') as
    | z.infer<typeof ApiKeyIssued>
    | undefined;
  if (!issued) throw new Error('IssueApiKey produced no ApiKeyIssued event');
  const { keyId, name, roles, expiresAt, issuedAt } = issued.data;
  return {
    keyId,
    name,
    roles,
    expiresAt: expiresAt ? new Date(expiresAt) : null,
    issuedAt: new Date(issuedAt),
    revokedAt: null,
  };
};

/** Sessions, users, roles and API keys. Everything but login and refresh is admin business or one's own. */
export const authArea: ApiArea = {
  typeDefs: authTypeDefs,
  resolvers: {
    Query: {
      users: async (_root, _args, context) => {
        const principal = authorize(context, 'user:read');
        return context.ports.identity.listUsers(principal.organizationId);
      },
      apiKeys: async (_root, _args, context) => {
        const principal = authorize(context, 'apikey:read');
        return context.ports.identity.listApiKeys(principal.organizationId);
      },
    },
    Mutation: {
      login: async (
        _root,
        args: { email: string; password: string; organizationId?: string | null },
        context,
      ) => sessionView(await context.ports.identity.login(args)),

      refreshSession: async (_root, args: { refreshToken: string }, context) =>
        sessionView(await context.ports.identity.refresh(args.refreshToken)),

      logout: async (_root, args: { refreshToken: string }, context) => {
        await context.ports.identity.logout(args.refreshToken);
        return true;
      },

      addUser: async (_root, { input, expectedVersion }: AddUserArgs, context) => {
        const principal = authorize(context, 'user:write');
        // Refused before the user exists: a user must never be created with a password that cannot be stored.
        assertAcceptablePassword(input.password);
        const userId = input.userId ?? context.ports.newId();
        const result = await send(
          context,
          principal,
          {
            type: 'AddUser',
            data: {
              userId,
              email: input.email,
              displayName: input.displayName,
              ...(input.roles ? { roles: input.roles } : {}),
            },
          },
          expectedVersion,
        );
        await context.ports.identity.setPassword({
          organizationId: principal.organizationId,
          userId,
          password: input.password,
          setBy: actorOf(principal),
        });
        await context.ports.identity.awaitVisible(
          { kind: 'user', organizationId: principal.organizationId, userId },
          VISIBLE_WAIT_MS,
        );
        return toWriteResult(result);
      },

      setPassword: async (_root, args: SetPasswordArgs, context) => {
        const caller = context.principal;
        const own = caller?.kind === 'user' && caller.id === args.userId;
        const principal = authorize(context, own ? 'self:write' : 'user:write');
        const { organizationId } = principal;
        if (own) {
          // A stolen access token alone must not be enough to take the account over.
          if (!args.currentPassword)
            throw invalidInput('currentPassword is required to change your own password', {
              field: 'currentPassword',
            });
          const current = { organizationId, userId: args.userId, password: args.currentPassword };
          if (!(await context.ports.identity.verifyPassword(current)))
            throw invalidInput('currentPassword is not your current password', { field: 'currentPassword' });
        }
        assertAcceptablePassword(args.password);
        await assertUserExists(context, organizationId, args.userId);
        await context.ports.identity.setPassword({
          organizationId,
          userId: args.userId,
          password: args.password,
          setBy: actorOf(principal),
        });
        return true;
      },

      grantRole: async (_root, { userId, role, expectedVersion }: RoleArgs, context) => {
        const principal = authorize(context, 'user:write');
        return toWriteResult(
          await send(context, principal, { type: 'GrantRole', data: { userId, role } }, expectedVersion),
        );
      },

      revokeRole: async (_root, { userId, role, expectedVersion }: RoleArgs, context) => {
        const principal = authorize(context, 'user:write');
        return toWriteResult(
          await send(context, principal, { type: 'RevokeRole', data: { userId, role } }, expectedVersion),
        );
      },

      issueApiKey: async (_root, { input, expectedVersion }: IssueApiKeyArgs, context) => {
        const principal = authorize(context, 'apikey:write');
        const keyId = input.keyId ?? context.ports.newId();
        const { key, secretHash } = generateApiKey(keyId);
        const result = await send(
          context,
          principal,
          {
            type: 'IssueApiKey',
            data: {
              keyId,
              name: input.name,
              roles: input.roles,
              secretHash,
              expiresAt: input.expiresAt ? input.expiresAt.toISOString() : null,
            },
          },
          expectedVersion,
        );
        await context.ports.identity.awaitVisible(
          { kind: 'api-key', organizationId: principal.organizationId, keyId },
          VISIBLE_WAIT_MS,
        );
        return { apiKey: issuedKey(result.events), secret: key, result: toWriteResult(result) };
      },

      revokeApiKey: async (_root, args: Versioned & { keyId: string }, context) => {
        const principal = authorize(context, 'apikey:write');
        return toWriteResult(
          await send(
            context,
            principal,
            { type: 'RevokeApiKey', data: { keyId: args.keyId } },
            args.expectedVersion,
          ),
        );
      },
    },
  },
};
