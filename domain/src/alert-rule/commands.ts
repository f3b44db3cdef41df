import { z } from 'zod';
import type { CommandOf } from '../shared/command-schema.js';
import { IdSet, TagSet } from '../shared/normalize.js';
import { Id } from '../shared/primitives.js';
import { AlertRuleDefinition } from './events.js';

/** A scope compares as a set: order and duplicates of ids and tags carry no meaning. */
const ScopeInput = z.object({ deviceIds: IdSet.default([]), tags: TagSet.default([]) });

const DefinitionInput = AlertRuleDefinition.extend({
  forSeconds: AlertRuleDefinition.shape.forSeconds.default(0),
  scope: ScopeInput.prefault({}),
  enabled: z.boolean().default(true),
});

export const DefineAlertRule = z.object({
  type: z.literal('DefineAlertRule'),
  data: DefinitionInput.extend({ ruleId: Id }),
});

export const ChangeAlertRule = z.object({
  type: z.literal('ChangeAlertRule'),
  data: z.object({
    ruleId: Id,
    changes: AlertRuleDefinition.partial().extend({ scope: ScopeInput.optional() }),
  }),
});

export const DeleteAlertRule = z.object({
  type: z.literal('DeleteAlertRule'),
  data: z.object({ ruleId: Id }),
});

/** Parses a command's `{ type, data }`; the handler adds the metadata. */
export const AlertRuleCommand = z.discriminatedUnion('type', [
  DefineAlertRule,
  ChangeAlertRule,
  DeleteAlertRule,
]);

export type DefineAlertRule = CommandOf<typeof DefineAlertRule>;
export type ChangeAlertRule = CommandOf<typeof ChangeAlertRule>;
export type DeleteAlertRule = CommandOf<typeof DeleteAlertRule>;
export type AlertRuleCommand = DefineAlertRule | ChangeAlertRule | DeleteAlertRule;
