import { expect } from 'vitest';
import type { z } from 'zod';
import { type Decider, foldEvents } from '../event-store/decider.js';
import type { Command, CommandMetadata, Event } from '../event-store/event.js';
import { type DomainErrorCode, isDomainError } from '../shared/errors.js';

export const ORG = 'org-1';
export const NOW = new Date('2025-06-01T12:00:00.000Z');

export const metadata = (overrides: Partial<CommandMetadata> = {}): CommandMetadata => ({
  commandId: 'cmd-1',
  now: NOW,
  organizationId: ORG,
  actor: { kind: 'user', id: 'user-1' },
  ...overrides,
});

type GivenOptions = Readonly<{ organizationId?: string }>;

/**
 * Given / when / then for deciders; `thenEvents`, not `then`, since an object with `then` is a
 * thenable. Given events are stamped with organization metadata as the store records them (the
 * command's organization unless told otherwise); every given and produced event must satisfy the
 * catalog schema, and `decide` must leave the state untouched.
 */
export const spec = <S, C extends Command, E extends Event>(decider: Decider<S, C, E>, schema: z.ZodType) => {
  const replay = (events: readonly E[], organizationId: string): S => {
    for (const event of events) expect(schema.parse(event)).toStrictEqual(event);
    return foldEvents(
      decider,
      events.map((event) => ({ ...event, metadata: { organizationId } })),
    );
  };

  return {
    given: (events: readonly E[], options: GivenOptions = {}) => ({
      state: (organizationId = options.organizationId ?? ORG): S => replay(events, organizationId),
      when: (command: C) => {
        const run = (): readonly E[] => {
          const state = replay(events, options.organizationId ?? command.metadata.organizationId);
          const before = structuredClone(state);
          try {
            return decider.decide(command, state);
          } finally {
            expect(state, 'decide must not mutate state').toStrictEqual(before);
          }
        };
        return {
          thenEvents: (expected: readonly E[]): void => {
            const produced = run();
            expect(produced).toStrictEqual(expected);
            for (const event of produced) expect(schema.parse(event)).toStrictEqual(event);
          },
          thenNothing: (): void => {
            expect(run()).toStrictEqual([]);
          },
          thenThrows: (code: DomainErrorCode): void => {
            let caught: unknown;
            try {
              run();
            } catch (error) {
              caught = error;
            }
            expect(isDomainError(caught), `expected a DomainError ${code}, got ${String(caught)}`).toBe(true);
            if (isDomainError(caught)) expect(caught.code).toBe(code);
          },
        };
      },
    }),
  };
};

/** Asserts that `fn` throws a DomainError with `code`, and returns it for further checks. */
export const expectDomainError = (fn: () => unknown, code: DomainErrorCode) => {
  try {
    fn();
  } catch (error) {
    if (isDomainError(error)) {
      expect(error.code).toBe(code);
      return error;
    }
    throw error;
  }
  throw new Error(`expected a DomainError ${code}, nothing was thrown`);
};
