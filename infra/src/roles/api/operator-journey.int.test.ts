import { detectPostgres } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSubscription, graphqlHttp, graphqlWsClient, loginAs } from '../../testing/graphql-client.js';
import { createTestDeployment, type NetPulseProcess, startNetPulse } from '../../testing/netpulse-process.js';
import { closeProbeTarget, listenForProbes, type ProbeTarget } from '../../testing/probe-target.js';

const postgres = await detectPostgres();

type StatusEvent = { deviceStatusChanged: { deviceId: string; to: string; from: string | null } };
type AlertEvent = {
  alertChanged: { alertId: string; change: string; alert: { state: string; version: string | null } | null };
};

/**
 * The operator's day, end to end against a running NetPulse: a device really goes down (its TCP
 * port closes), the status change and the alert arrive over graphql-ws, the operator acknowledges
 * with a note, and the audit trail names them and their note.
 */
describe.skipIf(!postgres.available)('operator journey through a running NetPulse', () => {
  const deployment = createTestDeployment('journey');
  let netpulse: NetPulseProcess;
  let listener: ProbeTarget;

  beforeAll(async () => {
    netpulse = await startNetPulse(deployment, {
      env: { NETPULSE_HEALTH_FAILURES_DOWN: '1', NETPULSE_FAST_REPOLL_INTERVAL_SECONDS: '5' },
    });
    listener = await listenForProbes('journey-edge-1');
  }, 90_000);

  afterAll(async () => {
    listener?.server.close();
    await netpulse?.stop();
    await deployment.dispose();
  });

  it('delivers the down status and the alert live, and audits the acknowledgement', async () => {
    const auth = await loginAs(netpulse.url, deployment.adminEmail, deployment.adminPassword);
    const { port } = listener;

    const registered = await graphqlHttp<{ registerDevice: { streamId: string; version: string } }>(
      netpulse.url,
      `mutation ($input: RegisterDeviceInput!) { registerDevice(input: $input) { streamId version } }`,
      {
        input: {
          deviceId: 'journey-edge-1',
          name: 'journey edge 1',
          address: '127.0.0.1',
          kind: 'server',
          tags: ['journey'],
          probes: { icmp: { enabled: false }, tcp: { ports: [port], intervalSeconds: 5, timeoutMs: 1000 } },
        },
      },
      auth,
    );
    expect(registered.errors).toBeUndefined();

    const client = graphqlWsClient(netpulse.url, auth);
    const statuses = collectSubscription<StatusEvent>(
      client,
      'subscription { deviceStatusChanged(deviceId: "journey-edge-1") { deviceId from to } }',
    );
    const alerts = collectSubscription<AlertEvent>(
      client,
      'subscription { alertChanged(deviceId: "journey-edge-1") { alertId change alert { state version } } }',
    );
    try {
      await statuses.next((message) => message.data?.deviceStatusChanged.to === 'up', 45_000);

      // The device goes down for real: its port stops accepting connections.
      await closeProbeTarget(listener);
      const down = await statuses.next((message) => message.data?.deviceStatusChanged.to === 'down', 45_000);
      expect(down.data?.deviceStatusChanged).toMatchObject({ deviceId: 'journey-edge-1', from: 'up' });
      const raised = await alerts.next(
        (message) => message.data?.alertChanged.change === 'AlertRaised',
        30_000,
      );
      const alertId = raised.data?.alertChanged.alertId ?? '';
      expect(alertId).not.toBe('');

      const note = 'cable pulled in rack 4, dispatching';
      const ack = await graphqlHttp<{ acknowledgeAlert: { version: string } }>(
        netpulse.url,
        `mutation ($id: String!, $note: String) { acknowledgeAlert(alertId: $id, note: $note) { version } }`,
        { id: alertId, note },
        auth,
      );
      expect(ack.errors).toBeUndefined();
      const acknowledged = await alerts.next(
        (message) => message.data?.alertChanged.change === 'AlertAcknowledged',
        30_000,
      );
      // Each event is resolved afresh: the version is the acknowledgement's, not the one the
      // subscription loaded for the raise.
      expect(acknowledged.data?.alertChanged.alert?.version).toBe(ack.data?.acknowledgeAlert.version);
      expect(BigInt(acknowledged.data?.alertChanged.alert?.version ?? 0)).toBeGreaterThan(
        BigInt(raised.data?.alertChanged.alert?.version ?? 0),
      );

      const me = await graphqlHttp<{ me: { id: string } }>(netpulse.url, '{ me { id } }', {}, auth);
      // The audit index files alert events under the alert's stream, i.e. its reduction key.
      const located = await graphqlHttp<{ alert: { alertKey: string } | null }>(
        netpulse.url,
        'query ($id: String!) { alert(alertId: $id) { alertKey } }',
        { id: alertId },
        auth,
      );
      const alertKey = located.data?.alert?.alertKey;
      expect(alertKey).toBeTruthy();
      // The audit index is a read model: poll until the projector has caught up.
      const auditEntries = async () =>
        (
          await graphqlHttp<{
            auditLog: {
              nodes: { action: string; actor: { kind: string; id: string }; note: string | null }[];
            };
          }>(
            netpulse.url,
            `query ($entity: String) { auditLog(filter: { entityId: $entity }) { nodes { action actor { kind id } note } } }`,
            { entity: alertKey },
            auth,
          )
        ).data?.auditLog.nodes ?? [];
      await expect
        .poll(auditEntries, { timeout: 15_000, interval: 200 })
        .toEqual(
          expect.arrayContaining([
            { action: 'AlertAcknowledged', actor: { kind: 'user', id: me.data?.me.id }, note },
          ]),
        );
    } finally {
      statuses.unsubscribe();
      alerts.unsubscribe();
      await client.dispose();
    }
  }, 180_000);
});
