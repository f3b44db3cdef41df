import { illegalState, isDomainError, notFound } from '@netpulse/domain';
import type { Principal } from '../../auth/principal.js';
import { type ApiContext, commandMetadata } from '../context.js';
import { ownedStream } from '../tenancy/stream-owner.js';
import { expectedVersionOption, toWriteResult, type WriteResult } from '../write-result.js';

export type CommandBody = Readonly<{ type: string; data: Readonly<Record<string, unknown>> }>;

/** What must be true of the target stream before the command may even be tried. */
export type StreamGuard = Readonly<{
  streamId: string;
  /** How errors name the entity, e.g. `device dev-1`. */
  what: string;
  /** `existing`: commands on an entity; `new`: commands that create one under a client-chosen id. */
  expect: 'existing' | 'new';
}>;

/**
 * Refuses before the handler runs whatever would let a caller tell another organization's entity
 * from a missing one: the handler compares expectedVersion before the decider checks ownership,
 * so a version conflict would otherwise confirm that a foreign id exists.
 */
const checkGuard = async (context: ApiContext, principal: Principal, guard: StreamGuard): Promise<void> => {
  const { store } = context.ports;
  if (guard.expect === 'existing') {
    if (!(await ownedStream(store, guard.streamId, principal.organizationId)))
      throw notFound(`${guard.what} does not exist`);
    return;
  }
  // Ids are global: a foreign id cannot be taken, and is refused as any taken id of one's own is.
  const { events } = await store.readStream(guard.streamId, { limit: 1 });
  const owner = events[0]?.metadata.organizationId;
  if (owner !== undefined && owner !== principal.organizationId)
    throw illegalState(`${guard.what} already exists`);
};

/**
 * Sends one command on behalf of the caller and answers the mutation's WriteResult. The decider's
 * FORBIDDEN (another organization's aggregate, reached despite the guard by a race) is reported as
 * NOT_FOUND, like every other trace of a foreign entity.
 */
export const sendCommand = async (
  context: ApiContext,
  principal: Principal,
  command: CommandBody,
  options: Readonly<{ expectedVersion?: bigint | null; guard?: StreamGuard }> = {},
): Promise<WriteResult> => {
  if (options.guard) await checkGuard(context, principal, options.guard);
  try {
    const result = await context.ports.bus.execute(
      command,
      commandMetadata(context, principal),
      expectedVersionOption(options.expectedVersion),
    );
    return toWriteResult(result);
  } catch (error) {
    if (isDomainError(error) && error.code === 'FORBIDDEN')
      throw notFound(`${options.guard?.what ?? 'the target'} does not exist`);
    throw error;
  }
};
