import { describe, expect, it } from 'vitest';
import { recorded } from '../../testing/recorded.js';
import { foldAlertRule } from './alert-rule-row.js';

const stream = 'alertrule-r1';
const defined = recorded(
  stream,
  'AlertRuleDefined',
  {
    ruleId: 'r1',
    name: 'high loss',
    metric: 'icmp.lossPct',
    operator: '>',
    threshold: 20,
    clearThreshold: 10,
    forSeconds: 60,
    severity: 'major',
    scope: { deviceIds: [], tags: ['core'] },
    enabled: true,
    definedAt: '2026-11-20T10:00:00.000Z',
  },
  { version: 0n, organizationId: 'org-a' },
);

describe('alert rule rows', () => {
  it('folds a definition, a change and a deletion, keeping the stream version and the organization', () => {
    const row = foldAlertRule(null, defined);
    expect(row).toMatchObject({
      rule_id: 'r1',
      organization_id: 'org-a',
      version: '0',
      scope_tags: ['core'],
    });
    const changed = foldAlertRule(
      row,
      recorded(
        stream,
        'AlertRuleChanged',
        {
          ruleId: 'r1',
          changes: { threshold: 30, scope: { deviceIds: ['d1'], tags: [] } },
          changedAt: '2026-11-20T11:00:00.000Z',
        },
        { version: 1n },
      ),
    );
    expect(changed).toMatchObject({
      threshold: 30,
      clear_threshold: 10,
      scope_device_ids: ['d1'],
      scope_tags: [],
      version: '1',
      changed_at: '2026-11-20T11:00:00.000Z',
      deleted_at: null,
    });
    const deleted = foldAlertRule(
      changed,
      recorded(
        stream,
        'AlertRuleDeleted',
        { ruleId: 'r1', deletedAt: '2026-11-20T12:00:00.000Z' },
        { version: 2n },
      ),
    );
    expect(deleted).toMatchObject({ deleted_at: '2026-11-20T12:00:00.000Z', version: '2', threshold: 30 });
    // The fold never mutates the row it was given (the projection compares identities).
    expect(row?.threshold).toBe(20);
  });

  it('ignores events of a rule it never saw defined', () => {
    expect(
      foldAlertRule(
        null,
        recorded(stream, 'AlertRuleDeleted', { ruleId: 'r1', deletedAt: '2026-11-20T12:00:00.000Z' }),
      ),
    ).toBeNull();
  });
});
