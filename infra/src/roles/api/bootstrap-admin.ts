import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { hashPassword } from '@netpulse/api';
import type { CommandBus } from '@netpulse/commands';
import {
  type Actor,
  type Clock,
  deterministicId,
  type EventStore,
  findUserByEmail,
  isDomainError,
  type OrganizationState,
  organizationDecider,
  streamCategories,
  streamId,
} from '@netpulse/domain';
import type { Logger } from '../../runtime/logger.js';
import type { PostgresCredentialStore } from './postgres-credential-store.js';
import { stagePrivateFile } from './private-file.js';

export const ADMIN_PASSWORD_FILE = 'admin-password';
/** The user id of the administrator a fresh installation gets. */
export const FIRST_ADMIN_ID = 'admin';
const bootstrap: Actor = { kind: 'system', id: 'bootstrap' };

export type BootstrapAdminDeps = Readonly<{
  store: EventStore;
  bus: CommandBus;
  credentials: PostgresCredentialStore;
  clock: Clock;
  logger: Logger;
  organizationId: string;
  email: string;
  /** NETPULSE_ADMIN_PASSWORD; absent = generate one into `dataDir`. */
  password: string | undefined;
  dataDir: string;
}>;

export type BootstrapOutcome = Readonly<{
  organizationCreated: boolean;
  adminCreated: boolean;
  /** Where a generated password was written, when this call generated one. */
  passwordFile: string | null;
}>;

/**
 * Command ids derive from the organization, so processes starting together send the same command
 * and the loser's is refused as already applied (ILLEGAL_STATE), which here means "done".
 */
const sendOnce = async (deps: BootstrapAdminDeps, step: string, command: { type: string; data: object }) => {
  try {
    await deps.bus.execute(command, {
      commandId: deterministicId('bootstrap', step, deps.organizationId),
      now: deps.clock.now(),
      organizationId: deps.organizationId,
      actor: bootstrap,
    });
    return true;
  } catch (error) {
    if (isDomainError(error) && error.code === 'ILLEGAL_STATE') return false;
    throw error;
  }
};

const organization = async (deps: BootstrapAdminDeps): Promise<OrganizationState> =>
  (
    await deps.store.aggregateStream(
      streamId(streamCategories.organization, deps.organizationId),
      organizationDecider,
    )
  ).state;

/**
 * Makes a fresh installation usable: creates the organization NETPULSE_ORGANIZATION_ID when it does
 * not exist and, while it has no user at all, an administrator with NETPULSE_ADMIN_EMAIL. The
 * password is NETPULSE_ADMIN_PASSWORD or a generated one written to NETPULSE_DATA_DIR/admin-password
 * (mode 0600); the log names the file, never the password. A password is set only while that
 * administrator has none, so restarts never reset it.
 */
export const bootstrapFirstAdmin = async (deps: BootstrapAdminDeps): Promise<BootstrapOutcome> => {
  const log = deps.logger.child({ component: 'bootstrap', organizationId: deps.organizationId });
  let state = await organization(deps);
  const organizationCreated =
    state.status === 'none' &&
    (await sendOnce(deps, 'create-organization', {
      type: 'CreateOrganization',
      data: { organizationId: deps.organizationId, name: deps.organizationId },
    }));
  state = await organization(deps);
  if (state.status !== 'created') throw new Error(`organization ${deps.organizationId} could not be created`);
  const adminCreated =
    state.users.size === 0 &&
    (await sendOnce(deps, 'first-admin', {
      type: 'AddUser',
      data: { userId: FIRST_ADMIN_ID, email: deps.email, displayName: 'Administrator', roles: ['admin'] },
    }));
  if (organizationCreated) log.info('created the organization');

  const current = await organization(deps);
  const admin = current.status === 'created' ? findUserByEmail(current, deps.email) : null;
  if (!admin || (await deps.credentials.passwordHash(deps.organizationId, admin.userId)) !== null)
    return { organizationCreated, adminCreated, passwordFile: null };

  const generated = deps.password === undefined;
  const password = deps.password ?? randomBytes(18).toString('base64url');
  const passwordFile = join(deps.dataDir, ADMIN_PASSWORD_FILE);
  // Staged before the hash is stored, so no moment exists where the hash is set and the password lost.
  const staged = generated ? await stagePrivateFile(passwordFile, `${password}\n`) : null;
  const stored = await deps.credentials.savePasswordHashIfAbsent({
    organizationId: deps.organizationId,
    userId: admin.userId,
    hash: await hashPassword(password),
    setBy: bootstrap,
    at: deps.clock.now(),
  });
  if (!stored) {
    await staged?.discard();
    return { organizationCreated, adminCreated, passwordFile: null };
  }
  await staged?.commit();
  if (generated)
    log.info(
      { email: deps.email, passwordFile },
      `first administrator ${deps.email} ready; the generated password is in ${passwordFile}`,
    );
  else
    log.info({ email: deps.email }, `first administrator ${deps.email} ready with NETPULSE_ADMIN_PASSWORD`);
  return { organizationCreated, adminCreated, passwordFile: generated ? passwordFile : null };
};
