import type { z } from 'zod';
import { AlertEvent } from '../alert/events.js';
import { AlertRuleEvent } from '../alert-rule/events.js';
import { DeviceEvent } from '../device/events.js';
import { ObservationEvent } from '../observation/events.js';
import { OrganizationEvent } from '../organization/events.js';

/** Every event NetPulse stores, by type: used to validate at the edges and to document schemas. */
const unions = [DeviceEvent, ObservationEvent, AlertEvent, AlertRuleEvent, OrganizationEvent] as const;

export type DomainEvent = z.infer<(typeof unions)[number]>;
export type DomainEventType = DomainEvent['type'];

export const eventSchemas: ReadonlyMap<string, z.ZodType> = new Map(
  unions.flatMap((union) => union.options.map((option) => [option.shape.type.value, option] as const)),
);

/** The event types of one aggregate's union, e.g. every alert event (for subscription filters). */
export const eventTypesOf = <U extends (typeof unions)[number]>(union: U): readonly string[] =>
  union.options.map((option) => option.shape.type.value);

export const alertEventTypes = eventTypesOf(AlertEvent);

/** Current schema version of every event type; bumped when a type's data changes shape. */
export const CURRENT_SCHEMA_VERSION = 1;
