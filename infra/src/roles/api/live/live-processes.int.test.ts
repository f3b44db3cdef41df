import { detectPostgres } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectSubscription,
  graphqlHttp,
  graphqlWsClient,
  loginAs,
} from '../../../testing/graphql-client.js';
import {
  createTestDeployment,
  type NetPulseProcess,
  startNetPulse,
  type TestDeployment,
} from '../../../testing/netpulse-process.js';
import { detectRedis, testRedisUrl } from './testing/live-deployment.js';

const postgres = await detectPostgres();
const redis = await detectRedis();

type DeviceEvent = {
  events: { eventId: string; type: string; checkpoint: string; data: { deviceId?: string } };
};
type Summary = { fleetSummary: { total: number } };

/**
 * Two real NetPulse processes sharing PostgreSQL and Redis, as a distributed deployment runs them:
 * one with every role, one serving the API alone. A change made through either reaches the
 * subscribers of both, over graphql-ws, from the one feed publisher the deployment elects.
 */
describe.skipIf(!postgres.available || !redis.available)(
  'live subscriptions across two NetPulse processes',
  () => {
    let deployment: TestDeployment;
    let full: NetPulseProcess;
    let apiOnly: NetPulseProcess;

    beforeAll(async () => {
      deployment = createTestDeployment('live2p');
      const env = { REDIS_URL: testRedisUrl() };
      full = await startNetPulse(deployment, { env, timeoutMs: 120_000 });
      apiOnly = await startNetPulse(deployment, { command: 'api', env, timeoutMs: 120_000 });
    }, 300_000);

    afterAll(async () => {
      await apiOnly?.stop();
      await full?.stop();
      await deployment?.dispose();
    });

    it('delivers the same change to subscribers of both processes', async () => {
      const auth = await loginAs(full.url, deployment.adminEmail, deployment.adminPassword);
      const onFull = graphqlWsClient(full.url, auth);
      const onApi = graphqlWsClient(apiOnly.url, auth);
      const query =
        'subscription { events(filter: { categories: ["device"] }) { eventId type checkpoint data } }';
      const fromFull = collectSubscription<DeviceEvent>(onFull, query);
      const fromApi = collectSubscription<DeviceEvent>(onApi, query);
      const summaries = collectSubscription<Summary>(onApi, 'subscription { fleetSummary { total } }');
      try {
        const initial = await summaries.next((message) => message.data?.fleetSummary !== undefined);
        const before = initial.data!.fleetSummary.total;
        // Both subscriptions are live once a heartbeat-sized moment has passed; register through the API-only process.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const registered = await graphqlHttp<{ registerDevice: { streamId: string } }>(
          apiOnly.url,
          `mutation ($input: RegisterDeviceInput!) { registerDevice(input: $input) { streamId } }`,
          {
            input: {
              deviceId: 'live-2p-router',
              name: 'live router',
              address: '127.0.0.1',
              kind: 'router',
              probes: { icmp: { enabled: false } },
            },
          },
          auth,
        );
        expect(registered.errors).toBeUndefined();

        const isRegistration = (message: { data?: DeviceEvent | null }) =>
          message.data?.events.type === 'DeviceRegistered' &&
          message.data.events.data.deviceId === 'live-2p-router';
        const [onFullSide, onApiSide] = await Promise.all([
          fromFull.next(isRegistration, 30_000),
          fromApi.next(isRegistration, 30_000),
        ]);
        expect(onApiSide.data?.events).toEqual(onFullSide.data?.events);
        // The API-only process runs no projector: its summary moved because the feed told it to look.
        await summaries.next((message) => message.data?.fleetSummary.total === before + 1, 30_000);
      } finally {
        fromFull.unsubscribe();
        fromApi.unsubscribe();
        summaries.unsubscribe();
        await onFull.dispose();
        await onApi.dispose();
      }
    }, 120_000);
  },
);
