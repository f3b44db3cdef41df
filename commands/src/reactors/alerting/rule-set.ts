import {
  type AlertRuleDefinition,
  type AlertRuleEvent,
  type AlertRuleState,
  alertRuleDecider,
  type EventStore,
  ruleInScope,
  streamCategories,
} from '@netpulse/domain';
import { CategoryFold } from '../category-fold.js';

export type ActiveRule = Readonly<{
  ruleId: string;
  organizationId: string;
  definition: AlertRuleDefinition;
}>;

/** The enabled metric rules, rebuilt from the alert-rule streams and kept current. */
export class RuleSet {
  private readonly fold = new CategoryFold<AlertRuleState, AlertRuleEvent>(
    streamCategories.alertRule,
    alertRuleDecider,
    (state) => state.status === 'defined',
  );

  refresh(store: EventStore): Promise<void> {
    return this.fold.refresh(store);
  }

  reset(): void {
    this.fold.reset();
  }

  get malformed(): number {
    return this.fold.malformed;
  }

  /** The enabled rules of the device's organization whose scope covers it. */
  rulesFor(
    device: Readonly<{ deviceId: string; organizationId: string | null; tags: readonly string[] }>,
  ): ActiveRule[] {
    const rules: ActiveRule[] = [];
    for (const [, state] of this.fold.entries()) {
      if (state.status !== 'defined' || !state.definition.enabled) continue;
      if (state.organizationId === null || state.organizationId !== device.organizationId) continue;
      if (!ruleInScope(state.definition.scope, device)) continue;
      rules.push({
        ruleId: state.ruleId,
        organizationId: state.organizationId,
        definition: state.definition,
      });
    }
    return rules;
  }

  get size(): number {
    let count = 0;
    for (const [, state] of this.fold.entries())
      if (state.status === 'defined' && state.definition.enabled) count++;
    return count;
  }
}
