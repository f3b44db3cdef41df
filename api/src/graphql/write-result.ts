import type { HandleOptions, HandleResult } from '@netpulse/commands';
import type { Event } from '@netpulse/domain';
import { ApiError } from './api-error.js';

/** What every mutation returns about its write (the `WriteResult` type of the schema). */
export type WriteResult = Readonly<{ streamId: string; version: bigint; eventsWritten: number }>;

/**
 * Turns what the command bus reports into the mutation's answer. A stream that still does not
 * exist after a command has no version a client could pass back, so that case (a command that
 * decided nothing on an absent aggregate) is refused rather than answered with a made-up number.
 */
export const toWriteResult = (result: HandleResult<Event>): WriteResult => {
  if (result.version === null)
    throw new ApiError('ILLEGAL_STATE', `nothing was written and ${result.streamId} does not exist`);
  return { streamId: result.streamId, version: result.version, eventsWritten: result.events.length };
};

/** The bus options for a mutation's optional `expectedVersion` argument (BigInt scalar → bigint). */
export const expectedVersionOption = (expectedVersion: bigint | null | undefined): HandleOptions =>
  expectedVersion === null || expectedVersion === undefined ? {} : { expectedVersion };
