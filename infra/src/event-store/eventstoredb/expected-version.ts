import {
  ANY,
  type AppendExpectedRevision,
  type CurrentRevision,
  ErrorType,
  isCommandError,
  NO_STREAM,
  STREAM_EXISTS,
} from '@eventstore/db-client';
import { type ExpectedVersion, VersionConflictError } from '@netpulse/domain';

/**
 * The port's expectation in EventStoreDB terms. Versions are the same 0-based numbers as ESDB
 * revisions, so a number passes through; `no-stream`/`exists`/`any` map to the client's constants.
 */
export const toEsdbExpectedRevision = (expected: ExpectedVersion): AppendExpectedRevision => {
  switch (expected) {
    case 'no-stream':
      return NO_STREAM;
    case 'exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return expected;
  }
};

/**
 * What the adapter actually sends. Every append chains its hashes onto the last event it read, so
 * the write must land right after that event: a caller's exact expectation (a number, `no-stream`)
 * is sent as is, while `any` and `exists` are pinned to the revision the adapter read. A concurrent
 * writer then makes the append fail instead of forking the chain.
 */
export const writeRevision = (
  expected: ExpectedVersion,
  readRevision: bigint | null,
): AppendExpectedRevision =>
  expected === 'any' || expected === 'exists'
    ? readRevision === null
      ? NO_STREAM
      : readRevision
    : toEsdbExpectedRevision(expected);

/** Whether the caller's expectation holds for a stream whose last revision is `revision` (null: absent). */
export const expectationHolds = (expected: ExpectedVersion, revision: bigint | null): boolean => {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return revision === null;
  if (expected === 'exists') return revision !== null;
  return revision !== null && revision === expected;
};

/** ESDB's "current revision" without its quirks: `no_stream` and the legacy `-1` both mean absent. */
export const fromEsdbRevision = (current: CurrentRevision | bigint | undefined): bigint | null =>
  current === undefined || current === NO_STREAM || current < 0n ? null : current;

export const versionConflict = (
  streamId: string,
  expected: ExpectedVersion,
  actual: bigint | null,
): VersionConflictError => new VersionConflictError(streamId, String(expected), actual ?? 'no-stream');

const commandErrorType = (error: unknown): ErrorType | null =>
  error instanceof Error && isCommandError(error) ? error.type : null;

export const isWrongExpectedVersion = (
  error: unknown,
): error is Error & { actualVersion?: CurrentRevision } =>
  commandErrorType(error) === ErrorType.WRONG_EXPECTED_VERSION;

export const isStreamNotFound = (error: unknown): boolean =>
  commandErrorType(error) === ErrorType.STREAM_NOT_FOUND;
