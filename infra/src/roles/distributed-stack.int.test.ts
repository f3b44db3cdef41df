import { detectPostgres } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteTopicsWithPrefix,
  detectKafka,
  kafkaBrokers,
  uniqueTopicPrefix,
} from '../kafka/testing/kafka-fixture.js';
import { collectSubscription, graphqlHttp, graphqlWsClient, loginAs } from '../testing/graphql-client.js';
import { createTestDeployment, type NetPulseProcess, startNetPulse } from '../testing/netpulse-process.js';
import { listenForProbes, type ProbeTarget } from '../testing/probe-target.js';
import { detectRedis, testRedisUrl } from '../testing/redis.js';

const postgres = await detectPostgres();
const redis = await detectRedis();
const kafka = await detectKafka();

const DEVICES = 6;
const INTERVAL_MS = 5_000;
const SESSION_TIMEOUT_MS = 6_000;

const until = async (condition: () => boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

type AlertMessage = { alertChanged: { alertId: string; change: string; deviceId?: string } };

/**
 * The distributed profile on one machine: 2 pollers, 1 reactor, 1 projector and 2 API processes,
 * each its own `netpulse <role>` process, sharing PostgreSQL, Redis and Kafka.
 */
describe.skipIf(!postgres.available || !redis.available || !kafka.available)('distributed stack', () => {
  const deployment = createTestDeployment('stack');
  const prefix = uniqueTopicPrefix('stack');
  const shared = {
    REDIS_URL: testRedisUrl(),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_POLLER_GROUP: `${prefix}.pollers`,
    KAFKA_POLLER_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
    NETPULSE_HEALTH_FAILURES_DOWN: '1',
    NETPULSE_TRAPS_ENABLED: 'false',
  };
  const processes: NetPulseProcess[] = [];
  let apis: NetPulseProcess[] = [];
  let pollers: NetPulseProcess[] = [];
  let targets: ProbeTarget[] = [];

  beforeAll(async () => {
    // The projector first: it creates the read models the API processes read.
    processes.push(await startNetPulse(deployment, { command: 'projector', env: shared }));
    processes.push(await startNetPulse(deployment, { command: 'reactor', env: shared }));
    apis = await Promise.all([
      startNetPulse(deployment, { command: 'api', env: shared }),
      startNetPulse(deployment, { command: 'api', env: shared }),
    ]);
    pollers = await Promise.all(
      ['stack-poller-a', 'stack-poller-b'].map((id) =>
        startNetPulse(deployment, { command: 'poller', env: { ...shared, NETPULSE_POLLER_ID: id } }),
      ),
    );
    processes.push(...apis, ...pollers);
    targets = await Promise.all(
      Array.from({ length: DEVICES }, (_, index) => listenForProbes(`stack-device-${index}`)),
    );
  }, 180_000);

  afterAll(async () => {
    for (const target of targets) target.server.close();
    await Promise.all(processes.map((process) => process.stop()));
    await deleteTopicsWithPrefix(prefix).catch(() => undefined);
    await deployment.dispose();
  }, 60_000);

  it('keeps probing every device when a poller dies, and an alert reaches subscribers on either API process', async () => {
    const [first, second] = apis as [NetPulseProcess, NetPulseProcess];
    // Identities are a read model: the bootstrap admin can log in once the projector has caught up.
    let auth = '';
    await expect
      .poll(
        async () => {
          auth = await loginAs(first.url, deployment.adminEmail, deployment.adminPassword).catch(() => '');
          return auth;
        },
        { timeout: 30_000, interval: 500 },
      )
      .not.toBe('');

    for (const target of targets) {
      const response = await graphqlHttp(
        first.url,
        'mutation ($input: RegisterDeviceInput!) { registerDevice(input: $input) { version } }',
        {
          input: {
            deviceId: target.deviceId,
            name: target.deviceId,
            address: '127.0.0.1',
            kind: 'server',
            probes: {
              icmp: { enabled: false },
              tcp: { ports: [target.port], intervalSeconds: INTERVAL_MS / 1000, timeoutMs: 1000 },
            },
          },
        },
        auth,
      );
      expect(response.errors).toBeUndefined();
    }
    await until(() => targets.every((target) => target.hits.length > 0), 30_000, 'every device to be probed');

    // One poller dies without a word; the group hands its partitions to the survivor.
    const killedAt = Date.now();
    await (pollers[0] as NetPulseProcess).stop('SIGKILL');
    const budget = SESSION_TIMEOUT_MS + INTERVAL_MS + 4_000;
    await until(
      () => targets.every((target) => target.hits.some((hit) => hit > killedAt + INTERVAL_MS)),
      budget + INTERVAL_MS,
      'every device to be probed after the kill',
    );
    for (const target of targets) {
      const gaps = [killedAt, ...target.hits.filter((hit) => hit > killedAt)].map((hit, index, all) =>
        index === 0 ? 0 : hit - (all[index - 1] as number),
      );
      expect(Math.max(...gaps)).toBeLessThanOrEqual(budget);
    }

    // An alert raised through this stack reaches a subscriber on either API process.
    const clients = [graphqlWsClient(first.url, auth), graphqlWsClient(second.url, auth)];
    const subscriptions = clients.map((client) =>
      collectSubscription<AlertMessage>(client, 'subscription { alertChanged { alertId change } }'),
    );
    try {
      // Let both subscriptions become active before the device goes down.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const victim = targets[0] as ProbeTarget;
      await new Promise<void>((resolve) => victim.server.close(() => resolve()));
      const raised = await Promise.all(
        subscriptions.map((subscription) =>
          subscription.next((message) => message.data?.alertChanged.change === 'AlertRaised', 45_000),
        ),
      );
      expect(raised[0]?.data?.alertChanged.alertId).toBe(raised[1]?.data?.alertChanged.alertId);
    } finally {
      for (const subscription of subscriptions) subscription.unsubscribe();
      await Promise.all(clients.map((client) => client.dispose()));
    }
  }, 240_000);
});
