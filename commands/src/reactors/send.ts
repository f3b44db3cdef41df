import {
  type Command,
  type Decider,
  type Event,
  type EventStore,
  isDomainError,
  parseWith,
} from '@netpulse/domain';
import type { z } from 'zod';
import { handleCommand } from '../handler/command-handler.js';
import { type Cause, reactorMetadata } from './cause.js';
import type { CommandOutcome, ReactorLogger, ReactorMetrics } from './ports.js';
import { withReplayGuard } from './replay-guard.js';

/** The aggregate a reactor's command goes to. */
export type CommandTarget<State, C extends Command, E extends Event> = Readonly<{
  streamId: string;
  decider: Decider<State, C, E>;
  /** The aggregate's command schema: reactors validate what they send like the command bus does. */
  schema: z.ZodType;
  /** Whether the stream has already moved past a decision taken at `now` (see withReplayGuard). */
  stale?: (state: State, now: Date) => boolean;
}>;

export type SendRequest<State, C extends Command, E extends Event> = Readonly<{
  target: CommandTarget<State, C, E>;
  cause: Cause;
  /** Distinguishes the commands one cause produces (e.g. one per alert key). */
  purpose: string;
  command: Readonly<{ type: C['type']; data: C['data'] }>;
  /** The decision's time: the cause's own time, so a replay decides the same. */
  now: Date;
}>;

export type SendResult<E extends Event> = Readonly<{ outcome: CommandOutcome; events: readonly E[] }>;

/** Rejections are final for this cause (e.g. resolving an alert that is no longer open). */
const REJECTIONS = new Set(['NOT_FOUND', 'ILLEGAL_STATE', 'FORBIDDEN', 'VALIDATION_FAILED']);

export type CommandSender = <State, C extends Command, E extends Event>(
  request: SendRequest<State, C, E>,
) => Promise<SendResult<E>>;

/**
 * How reactors send commands: through handleCommand (load → decide → append, retried on version
 * conflicts) with the replay guard. A rejection is logged and counted, never thrown; anything else
 * (the store unreachable, conflicts beyond the retries) is thrown so the batch is retried later.
 */
export const createCommandSender = (
  deps: Readonly<{ store: EventStore; reactorName: string; logger: ReactorLogger; metrics: ReactorMetrics }>,
): CommandSender => {
  const { store, reactorName, logger, metrics } = deps;
  return async (request) => {
    const { target, cause, purpose, now } = request;
    const metadata = reactorMetadata(reactorName, cause, purpose, now);
    try {
      const body = parseWith(target.schema, request.command, `invalid ${request.command.type} command`) as {
        type: string;
        data: unknown;
      };
      const command = { type: body.type, data: body.data, metadata } as unknown as Parameters<
        typeof target.decider.decide
      >[0];
      const guarded = withReplayGuard(target.decider, metadata.commandId, target.stale);
      const result = await handleCommand(store, guarded, target.streamId, command, { maxAttempts: 8 });
      const outcome: CommandOutcome = result.events.length > 0 ? 'appended' : 'unchanged';
      metrics.commandSent(reactorName, request.command.type, outcome);
      return { outcome, events: result.events };
    } catch (error) {
      if (!isDomainError(error) || !REJECTIONS.has(error.code)) throw error;
      metrics.commandSent(reactorName, request.command.type, 'rejected');
      logger.debug(
        { command: request.command.type, stream: target.streamId, code: error.code, cause: cause.eventId },
        `command rejected: ${error.message}`,
      );
      return { outcome: 'rejected', events: [] };
    }
  };
};
