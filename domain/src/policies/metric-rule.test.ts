import { describe, expect, it } from 'vitest';
import type { AlertRuleDefinition } from '../alert-rule/events.js';
import type { Observation } from './health.js';
import { evaluateMetricRule, type MetricVerdict, ruleInScope } from './metric-rule.js';
import { metricValue } from './metric-value.js';

const highLoss: Pick<AlertRuleDefinition, 'operator' | 'threshold' | 'clearThreshold' | 'forSeconds'> = {
  operator: '>',
  threshold: 20,
  clearThreshold: 10,
  forSeconds: 60,
};

/** Given a rule, when values arrive every 30 s (oldest first), then the verdict on the last one. */
const given = (rule = highLoss) => ({
  when: (...values: number[]) => ({
    thenVerdict: (verdict: MetricVerdict) =>
      expect(
        evaluateMetricRule(
          rule,
          values.map((value, i) => ({ at: i * 30_000, value })),
        ),
      ).toBe(verdict),
  }),
});

describe('metric rules', () => {
  it('raises only once the breach has lasted `for`', () => {
    given().when(5, 30).thenVerdict('hold');
    given().when(5, 30, 30).thenVerdict('hold');
    given().when(5, 30, 30, 30).thenVerdict('raise');
  });

  it('raises once per episode, not on every breaching sample', () => {
    given().when(5, 30, 30, 30, 30).thenVerdict('hold');
  });

  it('raises at once without a `for`', () => {
    given({ ...highLoss, forSeconds: 0 })
      .when(5, 30)
      .thenVerdict('raise');
    given({ ...highLoss, forSeconds: 0 })
      .when(30)
      .thenVerdict('raise');
  });

  it('restarts `for` when the breach is interrupted', () => {
    given().when(30, 30, 15, 30, 30).thenVerdict('hold');
    given().when(30, 30, 15, 30, 30, 30).thenVerdict('raise');
  });

  it('clears only past the clear threshold (hysteresis)', () => {
    given().when(30, 30, 30, 15).thenVerdict('hold');
    given().when(30, 30, 30, 10).thenVerdict('clear');
  });

  it('works for rules that watch a value falling', () => {
    const lowMemoryFree = { operator: '<', threshold: 10, clearThreshold: 20, forSeconds: 0 } as const;
    given(lowMemoryFree).when(50, 5).thenVerdict('raise');
    given(lowMemoryFree).when(5, 15).thenVerdict('hold');
    given(lowMemoryFree).when(5, 25).thenVerdict('clear');
  });
});

describe('scope', () => {
  const device = { deviceId: 'dev-1', tags: ['core', 'dc1'] };
  it('covers every device when empty', () => {
    expect(ruleInScope({ deviceIds: [], tags: [] }, device)).toBe(true);
  });
  it('covers listed devices and tagged devices', () => {
    expect(ruleInScope({ deviceIds: ['dev-1'], tags: [] }, device)).toBe(true);
    expect(ruleInScope({ deviceIds: [], tags: ['dc1'] }, device)).toBe(true);
    expect(ruleInScope({ deviceIds: ['dev-2'], tags: ['edge'] }, device)).toBe(false);
  });
});

describe('metric values', () => {
  const base: Observation = {
    deviceId: 'dev-1',
    pollerId: 'p',
    probe: 'snmp',
    scheduledAt: '2025-06-01T12:00:00.000Z',
    observedAt: '2025-06-01T12:00:00.000Z',
    durationMs: 1,
    reachable: true,
    error: null,
    icmp: null,
    tcp: null,
    snmp: {
      sysUpTimeSeconds: 10,
      sysName: null,
      sysDescr: null,
      cpuPct: 91,
      memoryPct: null,
      disks: [
        { name: '/', usedPct: 50 },
        { name: '/var', usedPct: 95 },
      ],
      interfaces: [],
      partialErrors: [],
    },
  };
  it('reads probe fields, the worst disk, and nothing from other probes', () => {
    expect(metricValue(base, 'snmp.cpuPct')).toBe(91);
    expect(metricValue(base, 'snmp.memoryPct')).toBeNull();
    expect(metricValue(base, 'snmp.disk.usedPct')).toBe(95);
    expect(metricValue(base, 'snmp.if.inBps')).toBeNull();
    expect(metricValue(base, 'icmp.lossPct')).toBeNull();
  });
});
