import {
  AlertCommand,
  AlertRuleCommand,
  alertDecider,
  alertRuleDecider,
  type Command,
  type CommandMetadata,
  type Decider,
  DeviceCommand,
  deviceDecider,
  type Event,
  type EventStore,
  notFound,
  OrganizationCommand,
  organizationDecider,
  parseWith,
  streamCategories,
  streamId,
  validationFailed,
} from '@netpulse/domain';
import type { z } from 'zod';
import { type HandleOptions, type HandleResult, handleCommand } from './command-handler.js';

/** Where an alert instance lives: alert streams are keyed by reduction key, not by instance id. */
export type AlertLocator = (alertId: string, organizationId: string) => Promise<string | null>;

export type CommandBusDeps = Readonly<{ store: EventStore; locateAlert: AlertLocator }>;

type Body = { type: string; data: Record<string, unknown> };

type Locate = (body: Body, metadata: CommandMetadata, deps: CommandBusDeps) => Promise<string>;

type Aggregate = Readonly<{
  schema: z.ZodType<Body>;
  stream: Locate;
  handle: (
    store: EventStore,
    stream: string,
    command: Command,
    options: HandleOptions,
  ) => Promise<HandleResult<Event>>;
}>;

/** Pairs an aggregate's command schema with its decider; the schema has already vouched for the command. */
const route = <S, C extends Command, E extends Event>(
  schema: z.ZodType,
  decider: Decider<S, C, E>,
  stream: Locate,
): Aggregate => ({
  schema: schema as z.ZodType<Body>,
  stream,
  handle: (store, id, command, options) => handleCommand(store, decider, id, command as C, options),
});

const field = (body: Body, name: string): string => String(body.data[name]);

const aggregates: readonly Aggregate[] = [
  route(DeviceCommand, deviceDecider, async (body) =>
    streamId(streamCategories.device, field(body, 'deviceId')),
  ),
  route(AlertCommand, alertDecider, async (body, metadata, deps) => {
    if (body.type === 'RaiseAlert') return streamId(streamCategories.alert, field(body, 'alertKey'));
    const key = await deps.locateAlert(field(body, 'alertId'), metadata.organizationId);
    if (!key) throw notFound(`alert ${field(body, 'alertId')} does not exist`);
    return streamId(streamCategories.alert, key);
  }),
  route(AlertRuleCommand, alertRuleDecider, async (body) =>
    streamId(streamCategories.alertRule, field(body, 'ruleId')),
  ),
  route(OrganizationCommand, organizationDecider, async (_body, metadata) =>
    streamId(streamCategories.organization, metadata.organizationId),
  ),
];

const commandTypes = (schema: z.ZodType<Body>): string[] =>
  (schema as unknown as z.ZodDiscriminatedUnion<z.ZodObject<{ type: z.ZodLiteral<string> }>[]>).options.map(
    (option) => option.shape.type.value,
  );

const byType = new Map(
  aggregates.flatMap((aggregate) => commandTypes(aggregate.schema).map((type) => [type, aggregate])),
);

export const knownCommandTypes = (): readonly string[] => [...byType.keys()];

/**
 * The entrance of the write side: validates `{ type, data }` with the command's zod schema (typed
 * VALIDATION_FAILED with the issues), finds the aggregate stream and runs the handler.
 */
export const createCommandBus = (deps: CommandBusDeps) => ({
  execute: async (
    input: unknown,
    metadata: CommandMetadata,
    options: HandleOptions = {},
  ): Promise<HandleResult<Event>> => {
    const type = (input as { type?: unknown } | null)?.type;
    const aggregate = typeof type === 'string' ? byType.get(type) : undefined;
    if (!aggregate)
      throw validationFailed(`unknown command type: ${String(type)}`, { known: knownCommandTypes() });
    const body = parseWith(aggregate.schema, input, `invalid ${type} command`);
    const command: Command = { type: body.type, data: body.data, metadata };
    return aggregate.handle(deps.store, await aggregate.stream(body, metadata, deps), command, options);
  },
});

export type CommandBus = ReturnType<typeof createCommandBus>;
