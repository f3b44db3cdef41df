import type { Principal } from '@netpulse/api';
import { detectPostgres } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSubscription, graphqlWsClient } from '../../../testing/graphql-client.js';
import {
  createLiveDeployment,
  eventually,
  type LiveDeployment,
  type LiveProcess,
  liveFieldMetric,
} from './testing/live-deployment.js';

const postgres = await detectPostgres();

const alice: Principal = {
  kind: 'user',
  id: 'alice',
  organizationId: 'org-a',
  roles: ['operator'],
  displayName: 'Alice',
};
const bob: Principal = { ...alice, id: 'bob', displayName: 'Bob' };
const carol: Principal = { ...alice, id: 'carol', roles: ['viewer'], displayName: 'Carol' };
const dave: Principal = { ...alice, id: 'dave', organizationId: 'org-b', displayName: 'Dave' };
/**
 * Two tokens of the same person (two browser tabs), someone else with the same role in the same
 * organization, someone with another role there, and an operator of another organization.
 */
const callers: Record<string, Principal> = {
  'alice-tab-1': alice,
  'alice-tab-2': alice,
  bob,
  carol,
  dave,
};

const STATUS = 'subscription { deviceStatusChanged { deviceId to } }';
type Status = { deviceStatusChanged: { deviceId: string; to: string } };
type Subscription = ReturnType<typeof collectSubscription<Status>>;

const openSubscriptions = (process: LiveProcess) =>
  liveFieldMetric(process, 'netpulse_live_subscriptions', 'deviceStatusChanged');
const runningExecutions = (process: LiveProcess) =>
  liveFieldMetric(process, 'netpulse_live_subscription_executions', 'deviceStatusChanged');

describe.skipIf(!postgres.available)('subscribers sharing one execution per event', () => {
  let deployment: LiveDeployment;
  let api: LiveProcess;

  beforeAll(async () => {
    deployment = await createLiveDeployment('shared', { redis: false, callers });
    api = await deployment.startProcess();
    await eventually(() => api.live.publisherActive(), 'the publisher');
  });

  afterAll(async () => {
    await deployment?.dispose();
  });

  it('each receive every change; one whose token is revoked is ended alone, the others go on', async () => {
    const clients = ['alice-tab-1', 'alice-tab-2', 'bob'].map((token) =>
      graphqlWsClient(api.url, `Bearer ${token}`),
    );
    const [tab1, tab2, other] = clients.map((client) => collectSubscription<Status>(client, STATUS)) as [
      Subscription,
      Subscription,
      Subscription,
    ];
    try {
      await eventually(async () => (await openSubscriptions(api)) === 3, 'three subscribers');
      const change = (deviceId: string) =>
        deployment.append(
          'org-a',
          `device-${deviceId}`,
          1,
          { deviceId, from: 'up', to: 'down' },
          'DeviceStatusChanged',
        );
      await change('d1');
      await change('d2');
      const devices = (subscription: Subscription) =>
        subscription.received.map((message) => message.data?.deviceStatusChanged.deviceId);
      await eventually(
        () => [tab1, tab2, other].every((subscription) => subscription.received.length === 2),
        'both changes everywhere',
      );
      for (const subscription of [tab1, tab2, other]) expect(devices(subscription)).toEqual(['d1', 'd2']);

      // The second tab's token is revoked: within the recheck interval it alone is ended.
      delete callers['alice-tab-2'];
      await eventually(() => tab2.closedWith() !== null, 'the revoked tab to be ended', 15_000);
      expect(tab2.closedWith()).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
      expect(await openSubscriptions(api)).toBe(2);

      await change('d3');
      await eventually(
        () => tab1.received.length === 3 && other.received.length === 3,
        'the third change for the others',
      );
      expect(devices(tab1!)).toEqual(['d1', 'd2', 'd3']);
      expect(devices(tab2!)).toEqual(['d1', 'd2']);
      expect(tab1.closedWith()).toBeNull();
    } finally {
      callers['alice-tab-2'] = alice;
      for (const client of clients) await client.dispose();
    }
  }, 60_000);

  it('shares one execution among callers of one organization with the same roles, and only among them', async () => {
    const tokens = ['alice-tab-1', 'bob', 'carol', 'dave'];
    const clients = tokens.map((token) => graphqlWsClient(api.url, `Bearer ${token}`));
    const [aliceSub, bobSub, carolSub, daveSub] = clients.map((client) =>
      collectSubscription<Status>(client, STATUS),
    ) as [Subscription, Subscription, Subscription, Subscription];
    try {
      await eventually(async () => (await openSubscriptions(api)) === 4, 'four subscribers');
      // Alice and Bob (operators of org-a) share one; Carol (viewer) and Dave (org-b) run their own.
      await eventually(async () => (await runningExecutions(api)) === 3, 'three executions');
      await deployment.append(
        'org-a',
        'device-d5',
        1,
        { deviceId: 'd5', from: 'up', to: 'down' },
        'DeviceStatusChanged',
      );
      await deployment.append(
        'org-b',
        'device-d6',
        1,
        { deviceId: 'd6', from: 'up', to: 'down' },
        'DeviceStatusChanged',
      );
      await eventually(
        () =>
          [aliceSub, bobSub, carolSub, daveSub].every((subscription) => subscription.received.length === 1),
        'one change for each',
      );
      const devices = (subscription: Subscription) =>
        subscription.received.map((message) => message.data?.deviceStatusChanged.deviceId);
      expect([aliceSub, bobSub, carolSub].map(devices)).toEqual([['d5'], ['d5'], ['d5']]);
      expect(devices(daveSub)).toEqual(['d6']);
      expect(await runningExecutions(api)).toBe(3);
      aliceSub.unsubscribe();
      await eventually(async () => (await openSubscriptions(api)) === 3, 'three subscribers left');
      expect(await runningExecutions(api)).toBe(3);
      bobSub.unsubscribe();
      await eventually(async () => (await runningExecutions(api)) === 2, 'the shared execution to stop');
    } finally {
      for (const client of clients) await client.dispose();
    }
    await eventually(async () => (await runningExecutions(api)) === 0, 'no execution left');
  }, 60_000);

  it('ends a subscriber its client completes, and closes the shared stream only with the last one', async () => {
    const clients = ['alice-tab-1', 'alice-tab-2'].map((token) =>
      graphqlWsClient(api.url, `Bearer ${token}`),
    );
    const [first, second] = clients.map((client) => collectSubscription<Status>(client, STATUS)) as [
      Subscription,
      Subscription,
    ];
    try {
      await eventually(async () => (await openSubscriptions(api)) === 2, 'two subscribers');
      first.unsubscribe();
      await eventually(async () => (await openSubscriptions(api)) === 1, 'one subscriber left');
      await deployment.append(
        'org-a',
        'device-d4',
        1,
        { deviceId: 'd4', from: 'up', to: 'down' },
        'DeviceStatusChanged',
      );
      await eventually(() => second.received.length === 1, 'the change for the remaining subscriber');
      expect(first.received).toEqual([]);
      second.unsubscribe();
      await eventually(async () => (await openSubscriptions(api)) === 0, 'no subscriber left');
    } finally {
      for (const client of clients) await client.dispose();
    }
  }, 60_000);
});
