import { detectPostgres } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdent } from '../../postgres/pool.js';
import { codes, createGraphqlFixture, type GraphqlFixture } from './testing/graphql-fixture.js';

const postgres = await detectPostgres();

type Recorded = {
  eventId: string;
  type: string;
  streamVersion: string;
  recordedAt: string;
  actor: { kind: string; id: string };
  correlationId: string;
  causationId: string;
  hash: string;
  previousHash: string;
  organizationId: string;
  data: Record<string, unknown>;
};
const RECORDED =
  'eventId type streamVersion recordedAt actor { kind id } correlationId causationId hash previousHash organizationId data';

const before = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();

/**
 * The auditor's questions through GraphQL, answered from the real PostgreSQL event store and read
 * models: who did what (with their notes), the state of a device or an alert at any moment or
 * version, which alerts were open at a moment, whether a stream was altered, and never anything
 * of another organization.
 */
describe.skipIf(!postgres.available)('auditors through GraphQL', () => {
  let api: GraphqlFixture;
  const history = async (streamId: string, caller: 'auditor-a' | 'auditor-b' = 'auditor-a') => {
    const response = await api.gql<{ streamHistory: { currentVersion: string | null; events: Recorded[] } }>(
      caller,
      `query ($id: String!) { streamHistory(streamId: $id) { currentVersion events { ${RECORDED} } } }`,
      { id: streamId },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.streamHistory;
  };

  beforeAll(async () => {
    api = await createGraphqlFixture('audit');
    const register = 'mutation ($input: RegisterDeviceInput!) { registerDevice(input: $input) { version } }';
    for (const [caller, deviceId] of [
      ['operator-a', 'aud-1'],
      ['operator-b', 'other-1'],
    ] as const)
      await api.gql(caller, register, {
        input: { deviceId, name: deviceId, address: '127.0.0.1', kind: 'switch' },
      });
    await api.gql(
      'operator-a',
      'mutation { updateDevice(deviceId: "aud-1", changes: { name: "renamed" }) { version } }',
    );
    await api.gql(
      'operator-a',
      'mutation { pauseMonitoring(deviceId: "aud-1", reason: "rack move") { version } }',
    );
    await api.gql(
      'operator-b',
      'mutation { pauseMonitoring(deviceId: "other-1", reason: "theirs") { version } }',
    );
    const raise = (organizationId: string, alertKey: string, alertId: string, deviceId: string) =>
      api.command(organizationId, {
        type: 'RaiseAlert',
        data: {
          alertId,
          alertKey,
          deviceId,
          ruleId: null,
          condition: 'device-down',
          severity: 'major',
          summary: `${deviceId} is down`,
          details: {},
        },
      });
    await raise('org-a', 'aud-key', 'aud-alert-1', 'aud-1');
    await raise('org-b', 'other-key', 'other-alert', 'other-1');
    await api.settle();
    await api.gql(
      'operator-a',
      'mutation { acknowledgeAlert(alertId: "aud-alert-1", note: "looking into it") { version } }',
    );
    await api.gql(
      'operator-a',
      'mutation { resolveAlert(alertId: "aud-alert-1", note: "cable reseated") { version } }',
    );
    // A recurrence after resolution: a new instance on the same reduction key (and stream).
    await raise('org-a', 'aud-key', 'aud-alert-2', 'aud-1');
    await api.settle();
  });
  afterAll(async () => {
    await api?.dispose();
  });

  it('shows a stream’s history with actor, correlation, causation and a hash chain', async () => {
    const device = await history('device-aud-1');
    expect(device.currentVersion).toBe('2');
    expect(device.events.map((event) => [event.type, event.actor.id])).toEqual([
      ['DeviceRegistered', 'alice'],
      ['DeviceUpdated', 'alice'],
      ['DeviceMonitoringPaused', 'alice'],
    ]);
    for (const [i, event] of device.events.entries()) {
      expect(event.organizationId).toBe('org-a');
      expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(event.correlationId).toEqual(expect.any(String));
      expect(event.causationId).toEqual(expect.any(String));
      if (i > 0) expect(event.previousHash).toBe(device.events[i - 1]?.hash);
    }
    expect(await history('device-other-1')).toEqual({ currentVersion: null, events: [] });
    expect(await history('device-never-1')).toEqual({ currentVersion: null, events: [] });
    expect((await history('device-aud-1', 'auditor-b')).events).toEqual([]);
  });

  it('pages the global log by checkpoint with type and category filters, showing only the caller’s events', async () => {
    const seen: Recorded[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const response: {
        data?: { events: { events: Recorded[]; checkpoint: string; caughtUp: boolean } } | null;
      } = await api.gql(
        'auditor-a',
        `query ($after: String) { events(after: $after, first: 2) { events { ${RECORDED} } checkpoint caughtUp } }`,
        {
          after,
        },
      );
      const body = response.data!.events;
      seen.push(...body.events);
      after = body.checkpoint;
      if (body.caughtUp) break;
    }
    expect(seen.every((event) => event.organizationId === 'org-a')).toBe(true);
    expect(seen.map((event) => event.type)).toEqual([
      'DeviceRegistered',
      'DeviceUpdated',
      'DeviceMonitoringPaused',
      'AlertRaised',
      'AlertAcknowledged',
      'AlertResolved',
      'AlertRaised',
    ]);
    expect(new Set(seen.map((event) => event.eventId)).size).toBe(seen.length);

    const filtered = await api.gql<{ events: { events: Recorded[] } }>(
      'integrator-a',
      `{ events(filter: { categories: ["alert"], types: ["AlertAcknowledged", "AlertResolved"] }) { events { type data } } }`,
    );
    expect(filtered.data?.events.events.map((event) => [event.type, event.data.note])).toEqual([
      ['AlertAcknowledged', 'looking into it'],
      ['AlertResolved', 'cable reseated'],
    ]);
    const theirs = await api.gql<{ events: { events: Recorded[] } }>(
      'auditor-b',
      `{ events { events { organizationId type } } }`,
    );
    expect(theirs.data?.events.events.map((event) => event.type)).toEqual([
      'DeviceRegistered',
      'DeviceMonitoringPaused',
      'AlertRaised',
    ]);
    expect(theirs.data?.events.events.every((event) => event.organizationId === 'org-b')).toBe(true);
    expect(
      codes(await api.gql('auditor-a', '{ events(filter: { categories: ["nope"] }) { checkpoint } }')),
    ).toEqual(['VALIDATION_FAILED']);
    expect(codes(await api.gql('auditor-a', '{ events(after: "garbage") { checkpoint } }'))).toEqual([
      'VALIDATION_FAILED',
    ]);
  });

  it('replays a device as of a moment or a version', async () => {
    const { events } = await history('device-aud-1');
    const [registered, updated, paused] = events;
    const asOf = async (args: string) => {
      const response = await api.gql<{ deviceAsOf: Record<string, unknown> }>(
        'auditor-a',
        `{ deviceAsOf(deviceId: "aud-1", ${args}) { exists lifecycle name status monitoringPaused version state } }`,
      );
      expect(response.errors).toBeUndefined();
      return response.data!.deviceAsOf;
    };
    expect(await asOf(`at: "${before(registered!.recordedAt)}"`)).toMatchObject({
      exists: false,
      version: null,
    });
    expect(await asOf(`at: "${registered!.recordedAt}"`)).toMatchObject({
      exists: true,
      lifecycle: 'active',
      name: 'aud-1',
      status: 'unknown',
      version: '0',
    });
    expect(await asOf(`at: "${before(paused!.recordedAt)}"`)).toMatchObject({
      name: 'renamed',
      monitoringPaused: false,
      version: updated!.streamVersion,
    });
    expect(await asOf('version: "2"')).toMatchObject({
      name: 'renamed',
      monitoringPaused: true,
      version: '2',
    });
    expect(await asOf(`version: "2", at: "${updated!.recordedAt}"`)).toMatchObject({ version: '1' });

    const foreign = await api.gql<{ deviceAsOf: unknown }>(
      'auditor-b',
      '{ deviceAsOf(deviceId: "aud-1") { exists version name state } }',
    );
    const never = await api.gql<{ deviceAsOf: unknown }>(
      'auditor-b',
      '{ deviceAsOf(deviceId: "never-1") { exists version name state } }',
    );
    expect(foreign.data).toEqual(never.data);
    expect(foreign.data?.deviceAsOf).toMatchObject({ exists: false, version: null, name: null });
  });

  it('replays one alert instance as of a moment, even after its key moved on', async () => {
    const alertStream = await history('alert-aud-key');
    const [raised, acked, resolved, reraised] = alertStream.events;
    expect([raised, acked, resolved, reraised].map((event) => event?.type)).toEqual([
      'AlertRaised',
      'AlertAcknowledged',
      'AlertResolved',
      'AlertRaised',
    ]);
    const asOf = async (alertId: string, at: string) => {
      const response = await api.gql<{ alertAsOf: Record<string, unknown> }>(
        'auditor-a',
        `{ alertAsOf(alertId: "${alertId}", at: "${at}") { alertKey exists state acknowledgedBy { id } acknowledgementNote resolvedBy { id } version } }`,
      );
      expect(response.errors).toBeUndefined();
      return response.data!.alertAsOf;
    };
    expect(await asOf('aud-alert-1', before(acked!.recordedAt))).toMatchObject({
      exists: true,
      state: 'open',
      acknowledgedBy: null,
    });
    expect(await asOf('aud-alert-1', acked!.recordedAt)).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: { id: 'alice' },
      acknowledgementNote: 'looking into it',
      version: '1',
    });
    expect(await asOf('aud-alert-1', reraised!.recordedAt)).toMatchObject({
      state: 'resolved',
      resolvedBy: { id: 'alice' },
    });
    expect(await asOf('aud-alert-2', resolved!.recordedAt)).toMatchObject({
      exists: false,
      alertKey: 'aud-key',
    });
    expect(await asOf('aud-alert-2', reraised!.recordedAt)).toMatchObject({ exists: true, state: 'open' });
    const byVersion = await api.gql<{ alertAsOf: { state: string } }>(
      'auditor-a',
      '{ alertAsOf(alertId: "aud-alert-1", version: "0") { state } }',
    );
    expect(byVersion.data?.alertAsOf.state).toBe('open');

    const foreign = await api.gql<{ alertAsOf: unknown }>(
      'auditor-b',
      '{ alertAsOf(alertId: "aud-alert-1") { alertKey exists version snapshot } }',
    );
    const never = await api.gql<{ alertAsOf: unknown }>(
      'auditor-b',
      '{ alertAsOf(alertId: "never-alert") { alertKey exists version snapshot } }',
    );
    expect(foreign.data).toEqual(never.data);
    expect(foreign.data?.alertAsOf).toMatchObject({ exists: false, alertKey: null });
  });

  it('lists the alerts open at a moment, confirmed by replay and shown as they stood', async () => {
    const [raised, acked, resolved, reraised] = (await history('alert-aud-key')).events;
    const openAt = async (at: string, caller: 'auditor-a' | 'auditor-b' = 'auditor-a') => {
      const response = await api.gql<{ alertsOpenAt: { nodes: { alertId: string; state: string }[] } }>(
        caller,
        `{ alertsOpenAt(at: "${at}") { nodes { alertId state } pageInfo { hasNextPage } } }`,
      );
      expect(response.errors).toBeUndefined();
      return response.data!.alertsOpenAt.nodes;
    };
    expect(await openAt(before(raised!.recordedAt))).toEqual([]);
    expect(await openAt(raised!.recordedAt)).toEqual([{ alertId: 'aud-alert-1', state: 'open' }]);
    expect(await openAt(acked!.recordedAt)).toEqual([{ alertId: 'aud-alert-1', state: 'acknowledged' }]);
    expect(await openAt(resolved!.recordedAt)).toEqual([]);
    expect(await openAt(reraised!.recordedAt)).toEqual([{ alertId: 'aud-alert-2', state: 'open' }]);
    expect(await openAt(new Date().toISOString(), 'auditor-b')).toEqual([
      { alertId: 'other-alert', state: 'open' },
    ]);
  });

  it('names the actor and the note of each audited action, filtered by actor, action and time', async () => {
    const response = await api.gql<{
      auditLog: {
        nodes: {
          action: string;
          actor: { kind: string; id: string };
          entityId: string;
          note: string | null;
        }[];
      };
    }>(
      'auditor-a',
      '{ auditLog(filter: { actorId: "alice" }) { nodes { action actor { kind id } entityId note } pageInfo { hasNextPage } } }',
    );
    expect(response.errors).toBeUndefined();
    expect(
      response.data?.auditLog.nodes.map((entry) => [
        entry.action,
        entry.actor.id,
        entry.entityId,
        entry.note,
      ]),
    ).toEqual([
      ['AlertResolved', 'alice', 'aud-key', 'cable reseated'],
      ['AlertAcknowledged', 'alice', 'aud-key', 'looking into it'],
      ['DeviceMonitoringPaused', 'alice', 'aud-1', null],
      ['DeviceUpdated', 'alice', 'aud-1', null],
      ['DeviceRegistered', 'alice', 'aud-1', null],
    ]);
    const acks = await api.gql<{ auditLog: { nodes: { actor: { id: string }; note: string }[] } }>(
      'auditor-a',
      '{ auditLog(filter: { action: "AlertAcknowledged", from: "2000-01-01T00:00:00Z" }) { nodes { actor { id } note } } }',
    );
    expect(acks.data?.auditLog.nodes).toEqual([{ actor: { id: 'alice' }, note: 'looking into it' }]);
    const future = await api.gql<{ auditLog: { nodes: unknown[] } }>(
      'auditor-a',
      '{ auditLog(filter: { from: "2999-01-01T00:00:00Z" }) { nodes { action } } }',
    );
    expect(future.data?.auditLog.nodes).toEqual([]);
    const theirs = await api.gql<{ auditLog: { nodes: { entityId: string }[] } }>(
      'auditor-b',
      '{ auditLog { nodes { entityId } } }',
    );
    expect(new Set(theirs.data?.auditLog.nodes.map((entry) => entry.entityId))).toEqual(
      new Set(['other-1', 'other-key']),
    );
  });

  it('verifies hash chains, detects an altered event, and checks only the caller’s streams', async () => {
    const verify = (streamId: string, caller: 'auditor-a' | 'auditor-b' = 'auditor-a') =>
      api.gql<{
        verifyStream: {
          ok: boolean;
          eventsChecked: number;
          brokenAtVersion: string | null;
          reason: string | null;
        };
      }>(
        caller,
        `{ verifyStream(streamId: "${streamId}") { streamId ok eventsChecked brokenAtVersion reason } }`,
      );
    expect((await verify('device-aud-1')).data?.verifyStream).toMatchObject({
      ok: true,
      eventsChecked: 3,
      brokenAtVersion: null,
    });
    expect(codes(await verify('device-aud-1', 'auditor-b'))).toEqual(['NOT_FOUND']);
    expect((await verify('device-aud-1', 'auditor-b')).errors?.[0]?.message).toBe(
      (await verify('device-never-1', 'auditor-b')).errors?.[0]?.message.replace('never', 'aud'),
    );

    // Someone with database access rewrites history: the pause reason of version 2.
    await api.pool.query(
      `update ${quoteIdent(api.eventSchema)}.events set data = jsonb_set(data, '{reason}', '"nothing happened"')
       where stream_id = $1 and stream_version = 2`,
      ['device-aud-1'],
    );
    const tampered = (await verify('device-aud-1')).data?.verifyStream;
    expect(tampered).toMatchObject({ ok: false, brokenAtVersion: '2' });
    expect(tampered?.reason).toEqual(expect.any(String));
  });

  it('is for auditors: operators may not read the audit trail, integrators only the event log', async () => {
    for (const query of [
      '{ auditLog { nodes { action } } }',
      '{ streamHistory(streamId: "device-aud-1") { currentVersion } }',
      '{ deviceAsOf(deviceId: "aud-1") { exists } }',
      '{ alertsOpenAt(at: "2030-01-01T00:00:00Z") { nodes { alertId } } }',
      '{ verifyStream(streamId: "device-aud-1") { ok } }',
    ]) {
      expect(codes(await api.gql('operator-a', query)), query).toEqual(['FORBIDDEN']);
      expect(codes(await api.gql('integrator-a', query)), query).toEqual(['FORBIDDEN']);
    }
    expect(codes(await api.gql('operator-a', '{ events { checkpoint } }'))).toEqual(['FORBIDDEN']);
    expect((await api.gql('integrator-a', '{ events { checkpoint } }')).errors).toBeUndefined();
  });
});
