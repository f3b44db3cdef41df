import { describe, expect, it } from 'vitest';
import { changeAlertRuleCommand, defineAlertRuleCommand } from './alert-rule-inputs.js';
import { registerDeviceCommand, scheduleMaintenanceCommand, updateDeviceCommand } from './device-inputs.js';

describe('GraphQL inputs as commands', () => {
  it('leaves absent and null-with-a-default fields to the command, and keeps clearing nulls', () => {
    expect(
      registerDeviceCommand(
        { name: 'core', address: '127.0.0.1', kind: 'router', tags: null, location: null },
        'd1',
      ),
    ).toEqual({
      type: 'RegisterDevice',
      data: { deviceId: 'd1', name: 'core', address: '127.0.0.1', kind: 'router', location: null },
    });
  });

  it('sends only the changes given; cleared tags are no tags', () => {
    expect(updateDeviceCommand('d1', { name: 'edge', tags: null, parentId: null })).toEqual({
      type: 'UpdateDevice',
      data: { deviceId: 'd1', changes: { name: 'edge', tags: [], parentId: null } },
    });
    expect(updateDeviceCommand('d1', {}).data).toEqual({ deviceId: 'd1', changes: {} });
  });

  it('spells maintenance bounds as UTC ISO strings', () => {
    const input = {
      deviceId: 'd1',
      startsAt: new Date('2026-11-20T10:00:00+02:00'),
      endsAt: new Date('2026-11-20T12:00:00+02:00'),
      reason: 'upgrade',
    };
    expect(scheduleMaintenanceCommand(input, 'w1').data).toEqual({
      deviceId: 'd1',
      windowId: 'w1',
      startsAt: '2026-11-20T08:00:00.000Z',
      endsAt: '2026-11-20T10:00:00.000Z',
      reason: 'upgrade',
    });
  });

  it('fills a rule scope’s missing lists, and reads a cleared scope as every device', () => {
    const base = {
      name: 'loss',
      metric: 'icmp.lossPct',
      operator: '>',
      threshold: 20,
      clearThreshold: 10,
      severity: 'major',
    };
    expect(
      defineAlertRuleCommand({ ...base, scope: { tags: ['core'] }, forSeconds: null }, 'r1').data,
    ).toEqual({
      ruleId: 'r1',
      ...base,
      scope: { deviceIds: [], tags: ['core'] },
    });
    expect(changeAlertRuleCommand('r1', { scope: null, enabled: false }).data).toEqual({
      ruleId: 'r1',
      changes: { scope: { deviceIds: [], tags: [] }, enabled: false },
    });
    expect(changeAlertRuleCommand('r1', { threshold: 25 }).data).toEqual({
      ruleId: 'r1',
      changes: { threshold: 25 },
    });
  });
});
