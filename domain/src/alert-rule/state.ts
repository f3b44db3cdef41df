import type { AlertRuleDefinition } from './events.js';

type Rule = Readonly<{
  ruleId: string;
  /** Null when folded from events without metadata: nobody may command it. */
  organizationId: string | null;
  definition: AlertRuleDefinition;
}>;

export type AlertRuleState =
  | Readonly<{ status: 'undefined' }>
  | (Rule & Readonly<{ status: 'defined' }>)
  | (Rule & Readonly<{ status: 'deleted'; deletedAt: string }>);

export const initialAlertRuleState = (): AlertRuleState => ({ status: 'undefined' });
