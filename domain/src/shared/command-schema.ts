import type { z } from 'zod';
import type { Command } from '../event-store/event.js';

/** The command type of a `{ type, data }` schema: its parsed body plus the handler's metadata. */
export type CommandOf<S extends z.ZodType<{ type: string; data: unknown }>> = Command<
  z.output<S>['type'],
  z.output<S>['data']
>;

/** When a command was decided, as event timestamps spell it. */
export const timestampOf = (command: Command): string => command.metadata.now.toISOString();
