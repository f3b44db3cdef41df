import { describe, expect, it } from 'vitest';
import type { NotificationsConfigInput } from './notification-config.js';
import { describePlan, scenario, T0 } from './testing/scenario.js';

const config: NotificationsConfigInput = {
  receivers: [
    { name: 'noc', channel: 'email', to: ['noc@example.test'], from: 'netpulse@example.test' },
    { name: 'pager', channel: 'webhook', url: 'http://127.0.0.1:9/hook', secretEnv: 'PAGER_SECRET' },
  ],
  routes: [{ receivers: ['noc'], escalation: [{ level: 1, receivers: ['pager'] }] }],
};

const WAIT = 30;
const INTERVAL = 300;
const REPEAT = 14_400;

describe('grouping with Alertmanager timers (30 s / 5 min / 4 h by default)', () => {
  it('holds a new group for group_wait, then sends every alert that arrived meanwhile at once', () => {
    const given = scenario(config)
      .raise('a', { at: 0, deviceId: 'core-1' })
      .raise('b', { at: 10, deviceId: 'core-2' });
    const early = given.at(WAIT - 1);
    expect(early.due).toEqual([]);
    expect(early.nextDueAt).toBe(T0 + WAIT * 1000);
    expect(early.pendingGroups).toBe(1);

    const due = given.at(WAIT);
    expect(describePlan(due)).toEqual(['noc: raised a, raised b']);
    expect(due.due[0]!.groupLabels).toEqual({ organization: 'org-1', condition: 'device-down' });
  });

  it('spaces a group by group_interval: an alert joining a notified group waits for it', () => {
    const given = scenario(config).raise('a', { at: 0 });
    given.deliver(given.at(WAIT).due[0]!, WAIT);
    expect(given.at(WAIT).due).toEqual([]);

    given.raise('c', { at: 40 });
    const waiting = given.at(WAIT + INTERVAL - 1);
    expect(waiting.due).toEqual([]);
    expect(waiting.nextDueAt).toBe(T0 + (WAIT + INTERVAL) * 1000);
    // Only the new alert: the notified one is neither repeated nor re-sent.
    expect(describePlan(given.at(WAIT + INTERVAL))).toEqual(['noc: raised c']);
  });

  it('lets a burst into a quiet group gather for group_wait instead of going out alert by alert', () => {
    const given = scenario(config).raise('a', { at: 0 });
    given.deliver(given.at(WAIT).due[0]!, WAIT);
    given.raise('c', { at: 1000 }).raise('d', { at: 1005 });
    expect(given.at(1000 + WAIT - 1).due).toEqual([]);
    expect(describePlan(given.at(1000 + WAIT))).toEqual(['noc: raised c, raised d']);
  });

  it('sends the recovery of a notified alert at the next group interval, then forgets the alert', () => {
    const given = scenario(config).raise('a', { at: 0 });
    given.deliver(given.at(WAIT).due[0]!, WAIT);
    given.resolve('a', 100);
    expect(given.at(WAIT + INTERVAL - 1).due).toEqual([]);
    const recovery = given.at(WAIT + INTERVAL);
    expect(describePlan(recovery)).toEqual(['noc: resolved a']);
    given.deliver(recovery.due[0]!, WAIT + INTERVAL);
    expect(given.held()).toEqual([]);
    expect(given.at(REPEAT * 2).due).toEqual([]);
  });

  it('says nothing about an alert that resolved before anyone was told', () => {
    const given = scenario(config).raise('a', { at: 0 }).resolve('a', 10);
    expect(given.at(WAIT).due).toEqual([]);
    expect(given.held()).toEqual([]);
  });

  it('repeats a firing alert after repeat_interval, but not once it is acknowledged', () => {
    const given = scenario(config).raise('a', { at: 0 }).raise('b', { at: 0, deviceId: 'dev-b' });
    given.deliver(given.at(WAIT).due[0]!, WAIT);
    given.acknowledge('b', 60);
    expect(given.at(WAIT + REPEAT - 1).due).toEqual([]);
    const repeat = given.at(WAIT + REPEAT);
    expect(describePlan(repeat)).toEqual(['noc: repeated a']);
    given.deliver(repeat.due[0]!, WAIT + REPEAT);
    expect(given.at(WAIT + 2 * REPEAT - 1).due).toEqual([]);
    expect(describePlan(given.at(WAIT + 2 * REPEAT))).toEqual(['noc: repeated a']);
  });

  it('retries a failed notification one group interval after the failure, still as a raise', () => {
    const given = scenario(config).raise('a', { at: 0 });
    given.deliver(given.at(WAIT).due[0]!, WAIT + 5, 'failed');
    expect(given.at(WAIT + 5 + INTERVAL - 1).due).toEqual([]);
    expect(describePlan(given.at(WAIT + 5 + INTERVAL))).toEqual(['noc: raised a']);
  });

  it('spaces further tries out while a receiver keeps failing, up to repeat_interval, until one succeeds', () => {
    const given = scenario(config).raise('a', { at: 0 });
    let now = WAIT;
    const gaps: number[] = [];
    for (let failures = 0; failures < 8; failures++) {
      const plan = given.at(now);
      expect(describePlan(plan)).toEqual(['noc: raised a']);
      given.deliver(plan.due[0]!, now, 'failed');
      const next = (given.at(now).nextDueAt! - T0) / 1000;
      gaps.push(next - now);
      now = next;
    }
    expect(gaps).toEqual([
      INTERVAL,
      2 * INTERVAL,
      4 * INTERVAL,
      8 * INTERVAL,
      16 * INTERVAL,
      32 * INTERVAL,
      REPEAT,
      REPEAT,
    ]);
    given.deliver(given.at(now).due[0]!, now);
    // Delivered: the group is back to the plain interval.
    given.raise('b', { at: now + 10, deviceId: 'dev-b' });
    expect(given.at(now + INTERVAL).due.map((flush) => flush.items.length)).toEqual([1]);
  });

  it('never notifies an alert born suppressed, nor its recovery', () => {
    const given = scenario(config).raise('m', { at: 0, suppressed: 'maintenance' }).raise('p', {
      at: 0,
      deviceId: 'edge',
      suppressed: 'parent-down',
    });
    expect(given.at(REPEAT).due).toEqual([]);
    expect(given.at(REPEAT).pendingGroups).toBe(0);
    given.resolve('m', REPEAT).resolve('p', REPEAT);
    expect(given.at(2 * REPEAT).due).toEqual([]);
  });

  it('notifies a suppressed alert once the suppression ends, waiting group_wait from then', () => {
    const given = scenario(config).raise('m', { at: 0, suppressed: 'maintenance' }).unsuppress('m', 600);
    expect(given.at(600 + WAIT - 1).due).toEqual([]);
    expect(describePlan(given.at(600 + WAIT))).toEqual(['noc: raised m']);
  });

  it('always delivers the recovery of a notified alert, even after it was suppressed', () => {
    const given = scenario(config).raise('a', { at: 0 });
    given.deliver(given.at(WAIT).due[0]!, WAIT);
    given.suppress('a', 100);
    // Suppressed: no reminder.
    expect(given.at(WAIT + REPEAT).due).toEqual([]);
    given.resolve('a', WAIT + REPEAT);
    expect(describePlan(given.at(WAIT + REPEAT + WAIT))).toEqual(['noc: resolved a']);
  });

  it('tells escalation receivers `escalated` from the level they belong to, and their recovery too', () => {
    const given = scenario(config).raise('a', { at: 0 });
    given.deliver(given.at(WAIT).due[0]!, WAIT);
    given.escalate('a', 1, 900);
    expect(given.at(900 + WAIT - 1).due).toEqual([]);
    const escalated = given.at(900 + WAIT);
    expect(describePlan(escalated)).toEqual(['pager: escalated a']);
    expect(escalated.due[0]?.items[0]?.cause.eventId).toMatch(/^event-/);
    given.deliver(escalated.due[0]!, 900 + WAIT);
    given.resolve('a', 1000);
    expect(describePlan(given.at(900 + WAIT + INTERVAL)).sort()).toEqual([
      'noc: resolved a',
      'pager: resolved a',
    ]);
  });

  it('keeps organizations apart and groups by the configured labels', () => {
    const byDevice = scenario({ ...config, defaults: { groupBy: ['device'] } })
      .raise('a', { at: 0, deviceId: 'core-1' })
      .raise('b', { at: 0, deviceId: 'core-1', condition: 'metric:icmp.lossPct' })
      .raise('c', { at: 0, deviceId: 'core-2' })
      .raise('d', { at: 0, deviceId: 'core-1', organizationId: 'org-2' });
    expect(describePlan(byDevice.at(WAIT)).sort()).toEqual([
      'noc: raised a, raised b',
      'noc: raised c',
      'noc: raised d',
    ]);
    const organizations = byDevice.at(WAIT).due.map((flush) => flush.organizationId);
    expect(organizations.sort()).toEqual(['org-1', 'org-1', 'org-2']);
  });

  it('still sends the recovery to a receiver the alert no longer routes to', () => {
    const given = scenario({
      ...config,
      routes: [{ match: { severities: ['critical'] }, receivers: ['noc'] }, { receivers: ['pager'] }],
    }).raise('a', { at: 0, severity: 'critical' });
    given.deliver(given.at(WAIT).due[0]!, WAIT);
    given.repeat('a', 'warning', 60);
    // Now routed to the pager instead: told there, and noc hears nothing new until the recovery.
    const rerouted = given.at(60 + WAIT);
    expect(describePlan(rerouted)).toEqual(['pager: raised a']);
    given.deliver(rerouted.due[0]!, 60 + WAIT);
    given.resolve('a', 120);
    expect(describePlan(given.at(60 + WAIT + INTERVAL)).sort()).toEqual([
      'noc: resolved a',
      'pager: resolved a',
    ]);
  });

  it('names a notification by its group and due time: the same history plans the same id', () => {
    const first = scenario(config).raise('a', { at: 0 }).at(WAIT).due[0]!;
    const again = scenario(config)
      .raise('a', { at: 0 })
      .at(WAIT + 50).due[0]!;
    const later = scenario(config)
      .raise('a', { at: 5 })
      .at(WAIT + 50).due[0]!;
    expect(again.notificationId).toBe(first.notificationId);
    expect(later.notificationId).not.toBe(first.notificationId);
  });

  it('lists the most severe alerts first', () => {
    const given = scenario(config)
      .raise('w', { at: 0, severity: 'warning' })
      .raise('c', { at: 5, severity: 'critical' });
    expect(describePlan(given.at(WAIT))).toEqual(['noc: raised c, raised w']);
  });
});
