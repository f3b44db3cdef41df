import { randomBytes } from 'node:crypto';
import { type Ownership, ownsNothing, PartitionedFleetShare } from '@netpulse/pollers';
import { freePort } from '@netpulse/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../../roles/poller/testing/capture-logger.js';
import {
  deleteTopicsWithPrefix,
  detectKafka,
  kafkaBrokers,
  uniqueTopicPrefix,
} from '../testing/kafka-fixture.js';
import type { PollerGroupConfig } from './poller-group-config.js';
import { joinPollerGroup, type PollerGroupMembership } from './poller-group-membership.js';

const kafka = await detectKafka();
const SESSION_TIMEOUT_MS = 6_000;

const partitionsOf = (ownership: Ownership): number[] =>
  ownership.kind === 'all' ? [] : [...ownership.partitions];

describe.skipIf(!kafka.available)('poller group membership on a real broker', () => {
  const prefix = uniqueTopicPrefix('pgroup');
  const config: PollerGroupConfig = {
    brokers: kafkaBrokers(),
    clientId: 'netpulse-it',
    groupId: `it-pgroup-${randomBytes(4).toString('hex')}`,
    topic: `${prefix}.poll-targets`,
    partitions: 12,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    unassignedFallbackMs: 0,
  };
  const memberships: PollerGroupMembership[] = [];
  const member = (name: string, overrides: Partial<PollerGroupConfig> = {}) => {
    const share = new PartitionedFleetShare(ownsNothing(12));
    const logger = captureLogger();
    const registry = new Registry();
    const membership = joinPollerGroup({
      config: { ...config, ...overrides },
      share,
      logger,
      registry,
      memberName: name,
    });
    memberships.push(membership);
    return { share, logger, registry, membership };
  };

  afterAll(async () => {
    await Promise.all(memberships.map((membership) => membership.stop()));
    if (kafka.available) await deleteTopicsWithPrefix(prefix);
  });

  it('creates a compacted poll-targets topic and splits its partitions between two members', async () => {
    const startedAt = Date.now();
    const a = member('poller-a');
    const b = member('poller-b');
    const split = () => {
      const ofA = partitionsOf(a.share.ownership);
      const ofB = partitionsOf(b.share.ownership);
      return (
        ofA.length > 0 &&
        ofB.length > 0 &&
        [...ofA, ...ofB].sort((x, y) => x - y).join() === '0,1,2,3,4,5,6,7,8,9,10,11'
      );
    };
    await expect.poll(split, { timeout: 30_000, interval: 50 }).toBe(true);
    console.info(`[poller-group] two members split 12 partitions ${Date.now() - startedAt} ms after start`);

    const admin = new Kafka({
      clientId: 'netpulse-it-check',
      brokers: kafkaBrokers(),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [config.topic] });
      expect(topics[0]?.partitions).toHaveLength(12);
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: config.topic, configNames: ['cleanup.policy'] }],
      });
      expect(described.resources[0]?.configEntries[0]?.configValue).toBe('compact');
    } finally {
      await admin.disconnect();
    }

    // A member that stops leaves the group: the other owns everything after one rebalance, well
    // before any session timeout.
    const leftAt = Date.now();
    await b.membership.stop();
    await expect
      .poll(() => partitionsOf(a.share.ownership).length, { timeout: SESSION_TIMEOUT_MS, interval: 50 })
      .toBe(12);
    console.info(
      `[poller-group] after a graceful leave the other member owned all ${Date.now() - leftAt} ms later`,
    );
    const metrics = await a.registry.getMetricsAsJSON();
    const value = (name: string) => metrics.find((m) => m.name === name)?.values[0]?.value;
    expect(value('netpulse_poller_rebalances_total')).toBeGreaterThanOrEqual(2);
    expect(value('netpulse_poller_owned_partitions')).toBe(12);
    expect(value('netpulse_poller_group_joined')).toBe(1);
  }, 60_000);

  it('keeps partitions with their members when one joins and when one leaves (sticky assignment)', async () => {
    const sticky = { groupId: `${config.groupId}-sticky`, topic: `${prefix}.sticky-targets` };
    const a = member('poller-a', sticky);
    const b = member('poller-b', sticky);
    const owned = (...members: Array<{ share: PartitionedFleetShare }>) =>
      members.map((m) => partitionsOf(m.share.ownership));
    const covers = (shares: number[][], sizes: number[]) =>
      shares.map((share) => share.length).join() === sizes.join() &&
      shares
        .flat()
        .sort((x, y) => x - y)
        .join() === '0,1,2,3,4,5,6,7,8,9,10,11';
    await expect.poll(() => covers(owned(a, b), [6, 6]), { timeout: 30_000, interval: 50 }).toBe(true);
    const [aBefore, bBefore] = owned(a, b) as [number[], number[]];

    const c = member('poller-c', sticky);
    await expect.poll(() => covers(owned(a, b, c), [4, 4, 4]), { timeout: 30_000, interval: 50 }).toBe(true);
    const [aAfter, bAfter, cAfter] = owned(a, b, c) as [number[], number[], number[]];
    // The newcomer took two from each; nothing else moved.
    expect(aAfter.every((partition) => aBefore.includes(partition))).toBe(true);
    expect(bAfter.every((partition) => bBefore.includes(partition))).toBe(true);

    await b.membership.stop();
    await expect.poll(() => covers(owned(a, c), [6, 6]), { timeout: 30_000, interval: 50 }).toBe(true);
    const [aLast, cLast] = owned(a, c) as [number[], number[]];
    expect(aAfter.every((partition) => aLast.includes(partition))).toBe(true);
    expect(cAfter.every((partition) => cLast.includes(partition))).toBe(true);
  }, 90_000);

  it('with no broker reachable, never crashes, keeps retrying, and falls back to the whole fleet', async () => {
    const deadPort = await freePort();
    const startedAt = Date.now();
    const lonely = member('poller-lonely', {
      brokers: [`127.0.0.1:${deadPort}`],
      unassignedFallbackMs: 1_500,
    });
    await expect.poll(() => lonely.share.ownership.kind, { timeout: 10_000, interval: 50 }).toBe('all');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_500);
    const warnings = () =>
      lonely.logger.lines.filter((line) => line.level === 'warn').map((line) => line.msg);
    expect(warnings()).toContain(
      'poller group: no assignment yet; probing every device until the group assigns partitions',
    );
    // kafkajs gives up on one connection attempt after its own retries; the membership starts over.
    await expect
      .poll(warnings, { timeout: 20_000, interval: 100 })
      .toContain('poller group: Kafka unreachable; retrying, the last share is probed meanwhile');
    // Each repeated kafkajs complaint is logged once per 30 s, not once per retry.
    const refused = warnings().filter((msg) => msg?.startsWith('Connection error'));
    expect(refused.length).toBeLessThanOrEqual(1);
    expect(lonely.share.ownership.kind).toBe('all');
    const stopping = Date.now();
    await lonely.membership.stop();
    expect(Date.now() - stopping).toBeLessThan(6_000);
  }, 40_000);
});
