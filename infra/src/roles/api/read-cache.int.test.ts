import { detectPostgres } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphqlFixture, type GraphqlFixture } from './testing/graphql-fixture.js';

const postgres = await detectPostgres();

const register = `mutation ($input: RegisterDeviceInput!) { registerDevice(input: $input) { version } }`;
const page = '{ devices(first: 10) { nodes { deviceId status } } }';

const device = (deviceId: string) => ({
  deviceId,
  name: deviceId,
  address: '127.0.0.1',
  kind: 'router',
  probes: { icmp: { enabled: false } },
});

/**
 * The API's device pages, kept until the projector announces a commit of the devices read model:
 * over the real PostgreSQL, the real projector and the LISTEN the API process holds.
 */
describe.skipIf(!postgres.available)('read-model cache (real PostgreSQL and projector)', () => {
  let api: GraphqlFixture;

  beforeAll(async () => {
    api = await createGraphqlFixture('read_cache');
  });
  afterAll(async () => {
    await api?.dispose();
  });

  const reads = async (outcome: 'hit' | 'miss' | 'bypass') => {
    const metric = await api.metrics.getSingleMetric('netpulse_read_cache_reads_total')?.get();
    return (
      metric?.values.find((v) => v.labels.outcome === outcome && v.labels.read_model === 'devices')?.value ??
      0
    );
  };
  const ids = async (caller: 'operator-a' | 'operator-b' = 'operator-a') => {
    const response = await api.gql<{ devices: { nodes: { deviceId: string }[] } }>(caller, page);
    expect(response.errors).toBeUndefined();
    return response.data!.devices.nodes.map((node) => node.deviceId);
  };
  const until = async (check: () => Promise<boolean>, what: string, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('serves a page from memory until the devices read model commits, then reads it again', async () => {
    await api.gql('operator-a', register, { input: device('cache-1') });
    await api.settle();
    // Nothing is kept before the API process listens for commits.
    await until(async () => {
      const before = await reads('hit');
      await ids();
      await ids();
      return (await reads('hit')) > before;
    }, 'the cache to start listening');
    expect(await ids()).toEqual(['cache-1']);

    const misses = await reads('miss');
    const hits = await reads('hit');
    for (let i = 0; i < 20; i++) expect(await ids()).toEqual(['cache-1']);
    expect(await reads('miss')).toBe(misses);
    expect(await reads('hit')).toBe(hits + 20);

    // The commit is heard of well within the cache's 10 s age bound, so only it can explain this.
    await api.gql('operator-a', register, { input: device('cache-2') });
    await until(async () => (await ids()).length === 2, 'the new device in the page');
    expect(await ids()).toEqual(['cache-1', 'cache-2']);
    expect(await reads('miss')).toBeGreaterThan(misses);
  });

  it('keeps each organization its own page', async () => {
    await api.gql('operator-b', register, { input: device('cache-b-1') });
    await api.settle();
    expect(await ids('operator-b')).toEqual(['cache-b-1']);
    expect(await ids('operator-a')).toEqual(['cache-1', 'cache-2']);
    expect(await ids('operator-b')).toEqual(['cache-b-1']);
  });
});
