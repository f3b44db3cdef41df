import { z } from 'zod';
import { Actor } from '../shared/actor.js';
import { Id } from '../shared/primitives.js';

/** A domain event as deciders produce it: a type tag and plain readonly data. */
export type Event<Type extends string = string, Data = unknown> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

/** A command as handlers receive it; `metadata` carries time, ids and who is asking. */
export type Command<Type extends string = string, Data = unknown> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: CommandMetadata;
}>;

/**
 * What every command carries besides its data. Time and ids come in here so deciders stay pure;
 * `commandId` seeds deterministic event ids, so a repeated command never doubles its events.
 */
export const CommandMetadata = z.object({
  commandId: Id,
  now: z.date(),
  organizationId: Id,
  actor: Actor,
  correlationId: Id.optional(),
  causationId: Id.optional(),
});
export type CommandMetadata = Readonly<z.infer<typeof CommandMetadata>>;

/**
 * Metadata stored with every event. `hash`/`previousHash` chain the events of one stream;
 * the event store fills them in on append, callers never do.
 */
export const EventMetadata = z.object({
  organizationId: Id,
  actor: Actor,
  correlationId: Id,
  causationId: Id,
  schemaVersion: z.number().int().positive(),
  previousHash: z.string().optional(),
  hash: z.string().optional(),
});
export type EventMetadata = Readonly<z.infer<typeof EventMetadata>>;

/** An event ready to append: the producer chooses its id (deterministic where it can repeat itself). */
export type EventToAppend<E extends Event = Event> = E & Readonly<{ id: string; metadata: EventMetadata }>;

/** An event as the store recorded it. */
export type RecordedEvent<E extends Event = Event> = E &
  Readonly<{
    id: string;
    streamId: string;
    /** 0-based position in its stream, identical on every adapter. */
    streamVersion: bigint;
    /** Monotonic position in the global log (the order readers see). */
    globalPosition: bigint;
    /** Opaque resume token for readAll / subscribe. */
    checkpoint: Checkpoint;
    recordedAt: Date;
    metadata: EventMetadata & { hash: string; previousHash: string };
  }>;

/** An opaque, adapter-specific resume token; `START` means before the first event. */
export type Checkpoint = string;
export const START: Checkpoint = 'start';
