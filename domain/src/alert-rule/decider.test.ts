import { describe, expect, it } from 'vitest';
import { metadata, NOW, spec } from '../testing/decider-spec.js';
import { type AlertRuleCommand, ChangeAlertRule, DefineAlertRule } from './commands.js';
import { alertRuleDecider } from './decider.js';
import { type AlertRuleDefinition, AlertRuleEvent } from './events.js';

const rule = spec(alertRuleDecider, AlertRuleEvent);
const at = NOW.toISOString();
const ruleId = 'rule-1';
const definition: AlertRuleDefinition = {
  name: 'High loss',
  metric: 'icmp.lossPct',
  operator: '>',
  threshold: 20,
  clearThreshold: 10,
  forSeconds: 60,
  severity: 'major',
  scope: { deviceIds: [], tags: ['core'] },
  enabled: true,
};
const defined: AlertRuleEvent = {
  type: 'AlertRuleDefined',
  data: { ruleId, ...definition, definedAt: '2025-05-01T00:00:00.000Z' },
};
const deleted: AlertRuleEvent = {
  type: 'AlertRuleDeleted',
  data: { ruleId, deletedAt: '2025-05-02T00:00:00.000Z' },
};

const define = (overrides: Partial<AlertRuleDefinition> = {}): AlertRuleCommand => ({
  type: 'DefineAlertRule',
  data: { ruleId, ...definition, ...overrides },
  metadata: metadata(),
});
const change = (changes: ChangeAlertRule['data']['changes']): AlertRuleCommand => ({
  type: 'ChangeAlertRule',
  data: { ruleId, changes },
  metadata: metadata(),
});
const remove: AlertRuleCommand = { type: 'DeleteAlertRule', data: { ruleId }, metadata: metadata() };

describe('DefineAlertRule', () => {
  it('defines a rule', () => {
    rule
      .given([])
      .when(define())
      .thenEvents([{ type: 'AlertRuleDefined', data: { ruleId, ...definition, definedAt: at } }]);
  });

  it('fills defaults and normalises the scope from input', () => {
    const body = DefineAlertRule.parse({
      type: 'DefineAlertRule',
      data: {
        ruleId,
        name: 'Slow',
        metric: 'icmp.rttAvgMs',
        operator: '>=',
        threshold: 200,
        clearThreshold: 150,
        severity: 'minor',
        scope: { tags: ['edge', 'core', 'edge'] },
      },
    });
    expect(body.data).toMatchObject({
      forSeconds: 0,
      enabled: true,
      scope: { deviceIds: [], tags: ['core', 'edge'] },
    });
  });

  it('rejects defining a rule twice', () => {
    rule.given([defined]).when(define()).thenThrows('ILLEGAL_STATE');
  });

  it('rejects redefining a deleted rule', () => {
    rule.given([defined, deleted]).when(define()).thenThrows('ILLEGAL_STATE');
  });

  it('forbids redefining another organization’s rule', () => {
    rule.given([defined], { organizationId: 'org-2' }).when(define()).thenThrows('FORBIDDEN');
  });

  it.each([
    ['>', 20, 25],
    ['>=', 20, 20.5],
    ['<', 20, 15],
    ['<=', 20, 19.9],
  ] as const)('rejects %s %d clearing at %d (hysteresis on the wrong side)', (operator, threshold, clearThreshold) => {
    rule.given([]).when(define({ operator, threshold, clearThreshold })).thenThrows('VALIDATION_FAILED');
  });

  it.each([
    ['>', 20, 20],
    ['<', 20, 30],
    ['<=', 20, 20],
  ] as const)('accepts %s %d clearing at %d', (operator, threshold, clearThreshold) => {
    rule
      .given([])
      .when(define({ operator, threshold, clearThreshold }))
      .thenEvents([
        {
          type: 'AlertRuleDefined',
          data: { ruleId, ...definition, operator, threshold, clearThreshold, definedAt: at },
        },
      ]);
  });
});

describe('ChangeAlertRule', () => {
  it('records only the fields that differ', () => {
    rule
      .given([defined])
      .when(change({ threshold: 30, severity: 'major', enabled: false }))
      .thenEvents([
        {
          type: 'AlertRuleChanged',
          data: { ruleId, changes: { threshold: 30, enabled: false }, changedAt: at },
        },
      ]);
  });

  it('records nothing when nothing differs', () => {
    rule
      .given([defined])
      .when(change({ name: 'High loss', scope: { deviceIds: [], tags: ['core'] } }))
      .thenNothing();
  });

  it('treats the scope as a set', () => {
    const body = ChangeAlertRule.parse({
      type: 'ChangeAlertRule',
      data: { ruleId, changes: { scope: { tags: ['core', 'core'] } } },
    });
    rule
      .given([defined])
      .when({ ...body, metadata: metadata() })
      .thenNothing();
  });

  it('sees earlier changes', () => {
    const changed: AlertRuleEvent = {
      type: 'AlertRuleChanged',
      data: { ruleId, changes: { threshold: 30 }, changedAt: at },
    };
    rule
      .given([defined, changed])
      .when(change({ threshold: 30 }))
      .thenNothing();
  });

  it('checks hysteresis on the merged definition', () => {
    rule
      .given([defined])
      .when(change({ threshold: 5 }))
      .thenThrows('VALIDATION_FAILED');
  });

  it('accepts flipping the operator together with both thresholds', () => {
    const changes = { operator: '<', threshold: 5, clearThreshold: 8 } as const;
    rule
      .given([defined])
      .when(change(changes))
      .thenEvents([{ type: 'AlertRuleChanged', data: { ruleId, changes, changedAt: at } }]);
  });

  it('rejects changing an undefined rule', () => {
    rule
      .given([])
      .when(change({ threshold: 30 }))
      .thenThrows('NOT_FOUND');
  });

  it('rejects changing a deleted rule', () => {
    rule
      .given([defined, deleted])
      .when(change({ threshold: 30 }))
      .thenThrows('ILLEGAL_STATE');
  });

  it('forbids changing another organization’s rule', () => {
    rule
      .given([defined], { organizationId: 'org-2' })
      .when(change({ threshold: 30 }))
      .thenThrows('FORBIDDEN');
  });
});

describe('DeleteAlertRule', () => {
  it('deletes a rule', () => {
    rule
      .given([defined])
      .when(remove)
      .thenEvents([{ type: 'AlertRuleDeleted', data: { ruleId, deletedAt: at } }]);
  });

  it('rejects deleting an undefined rule', () => {
    rule.given([]).when(remove).thenThrows('NOT_FOUND');
  });

  it('rejects deleting twice', () => {
    rule.given([defined, deleted]).when(remove).thenThrows('ILLEGAL_STATE');
  });

  it('forbids deleting another organization’s rule', () => {
    rule.given([defined], { organizationId: 'org-2' }).when(remove).thenThrows('FORBIDDEN');
  });
});
