import type { Decider } from '../event-store/decider.js';
import type { CommandMetadata } from '../event-store/event.js';
import type { Role } from '../shared/actor.js';
import { timestampOf } from '../shared/command-schema.js';
import { forbidden, illegalState, notFound, validationFailed } from '../shared/errors.js';
import type {
  AddUser,
  CreateOrganization,
  IssueApiKey,
  OrganizationCommand,
  RevokeRole,
} from './commands.js';
import type { OrganizationEvent } from './events.js';
import {
  type CreatedOrganization,
  findUserByEmail,
  initialOrganizationState,
  isAdmin,
  type OrganizationState,
  type OrganizationUser,
} from './state.js';

const assertIsThisOrganization = (organizationId: string, metadata: CommandMetadata): void => {
  if (metadata.organizationId !== organizationId) {
    throw forbidden(`organization ${organizationId} is not the caller's organization`, {
      organizationId: metadata.organizationId,
    });
  }
};

/** Only the organization's admins, and NetPulse itself (bootstrap, provisioning), manage it. */
const assertMayAdminister = (state: CreatedOrganization, { actor }: CommandMetadata): void => {
  const allowed = actor.kind === 'system' || (actor.kind === 'user' && isAdmin(state, actor.id));
  if (!allowed) {
    throw forbidden(`only an admin of ${state.organizationId} may manage it`, { actor });
  }
};

const requireUser = (state: CreatedOrganization, userId: string): OrganizationUser => {
  const user = state.users.get(userId);
  if (!user) throw notFound(`user ${userId} does not exist`, { userId });
  return user;
};

const create = (command: CreateOrganization, state: OrganizationState): readonly OrganizationEvent[] => {
  const { organizationId, name } = command.data;
  assertIsThisOrganization(organizationId, command.metadata);
  if (state.status !== 'none') throw illegalState(`organization ${organizationId} already exists`);
  return [{ type: 'OrganizationCreated', data: { organizationId, name, createdAt: timestampOf(command) } }];
};

const addUser = (command: AddUser, state: CreatedOrganization): readonly OrganizationEvent[] => {
  const { userId, email, displayName, roles = [] } = command.data;
  if (state.users.has(userId)) throw illegalState(`user ${userId} already exists`, { userId });
  if (findUserByEmail(state, email))
    throw illegalState(`a user with e-mail ${email} already exists`, { email });
  const at = timestampOf(command);
  return [
    { type: 'UserAdded', data: { userId, email, displayName, addedAt: at } },
    ...[...new Set(roles)].map((role) => ({
      type: 'RoleGranted' as const,
      data: { userId, role, grantedAt: at },
    })),
  ];
};

const revokeRole = (command: RevokeRole, state: CreatedOrganization): readonly OrganizationEvent[] => {
  const { userId, role } = command.data;
  const user = requireUser(state, userId);
  if (!user.roles.includes(role))
    throw illegalState(`user ${userId} does not hold ${role}`, { userId, role });
  const admins = [...state.users.values()].filter((candidate) => candidate.roles.includes('admin'));
  if (role === 'admin' && admins.length === 1) {
    throw illegalState(`user ${userId} is the last admin of ${state.organizationId}`, { userId });
  }
  return [{ type: 'RoleRevoked', data: { userId, role, revokedAt: timestampOf(command) } }];
};

const issueApiKey = (command: IssueApiKey, state: CreatedOrganization): readonly OrganizationEvent[] => {
  const { keyId, name, roles, secretHash, expiresAt } = command.data;
  if (state.apiKeys.has(keyId)) throw illegalState(`API key ${keyId} already exists`, { keyId });
  if (expiresAt !== null && Date.parse(expiresAt) <= command.metadata.now.getTime()) {
    throw validationFailed('an API key must not be expired when issued', { keyId, field: 'expiresAt' });
  }
  const uniqueRoles: Role[] = [...new Set(roles)];
  return [
    {
      type: 'ApiKeyIssued',
      data: { keyId, name, roles: uniqueRoles, secretHash, expiresAt, issuedAt: timestampOf(command) },
    },
  ];
};

export const decideOrganization = (
  command: OrganizationCommand,
  state: OrganizationState,
): readonly OrganizationEvent[] => {
  if (command.type === 'CreateOrganization') return create(command, state);
  if (state.status === 'none')
    throw notFound(`organization ${command.metadata.organizationId} does not exist`);
  assertIsThisOrganization(state.organizationId, command.metadata);
  assertMayAdminister(state, command.metadata);
  const at = timestampOf(command);
  switch (command.type) {
    case 'AddUser':
      return addUser(command, state);
    case 'GrantRole': {
      const { userId, role } = command.data;
      const user = requireUser(state, userId);
      if (user.roles.includes(role))
        throw illegalState(`user ${userId} already holds ${role}`, { userId, role });
      return [{ type: 'RoleGranted', data: { userId, role, grantedAt: at } }];
    }
    case 'RevokeRole':
      return revokeRole(command, state);
    case 'IssueApiKey':
      return issueApiKey(command, state);
    case 'RevokeApiKey': {
      const { keyId } = command.data;
      const key = state.apiKeys.get(keyId);
      if (!key) throw notFound(`API key ${keyId} does not exist`, { keyId });
      if (key.revoked) throw illegalState(`API key ${keyId} is already revoked`, { keyId });
      return [{ type: 'ApiKeyRevoked', data: { keyId, revokedAt: at } }];
    }
  }
};

const withUser = (
  state: CreatedOrganization,
  userId: string,
  change: (user: OrganizationUser) => OrganizationUser,
): CreatedOrganization => {
  const user = state.users.get(userId);
  return user ? { ...state, users: new Map(state.users).set(userId, change(user)) } : state;
};

export const evolveOrganization = (state: OrganizationState, event: OrganizationEvent): OrganizationState => {
  if (event.type === 'OrganizationCreated') {
    const { organizationId, name } = event.data;
    return { status: 'created', organizationId, name, users: new Map(), apiKeys: new Map() };
  }
  if (state.status !== 'created') return state;
  switch (event.type) {
    case 'UserAdded': {
      const { userId, email, displayName } = event.data;
      return { ...state, users: new Map(state.users).set(userId, { userId, email, displayName, roles: [] }) };
    }
    case 'RoleGranted': {
      const { userId, role } = event.data;
      return withUser(state, userId, (user) =>
        user.roles.includes(role) ? user : { ...user, roles: [...user.roles, role] },
      );
    }
    case 'RoleRevoked': {
      const { userId, role } = event.data;
      return withUser(state, userId, (user) => ({
        ...user,
        roles: user.roles.filter((held) => held !== role),
      }));
    }
    case 'ApiKeyIssued': {
      const { keyId, name, roles, secretHash, expiresAt } = event.data;
      return {
        ...state,
        apiKeys: new Map(state.apiKeys).set(keyId, {
          keyId,
          name,
          roles,
          secretHash,
          expiresAt,
          revoked: false,
        }),
      };
    }
    case 'ApiKeyRevoked': {
      const key = state.apiKeys.get(event.data.keyId);
      return key
        ? { ...state, apiKeys: new Map(state.apiKeys).set(key.keyId, { ...key, revoked: true }) }
        : state;
    }
  }
};

export const organizationDecider: Decider<OrganizationState, OrganizationCommand, OrganizationEvent> = {
  decide: decideOrganization,
  evolve: evolveOrganization,
  initialState: initialOrganizationState,
};
