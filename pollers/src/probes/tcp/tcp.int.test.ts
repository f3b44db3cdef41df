import { createServer, type Server } from 'node:net';
import { detectBackend, freePort } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNamespaces, createNamespace } from '../../testing/netns.js';
import { tcpProbe } from './tcp-probe.js';

const namespaces = await detectBackend('network namespaces (root, iproute2)', checkNamespaces);

describe('TCP probe', () => {
  let server: Server;
  let openPort = 0;
  beforeAll(async () => {
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    openPort = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('connects to an open loopback port and times the connect', async () => {
    const outcome = await tcpProbe('127.0.0.1', { port: openPort, timeoutMs: 1_000 });
    expect(outcome.reachable).toBe(true);
    expect(outcome.error).toBeNull();
    expect(outcome.tcp).toMatchObject({ port: openPort, outcome: 'open' });
    const connectMs = outcome.tcp?.connectMs ?? -1;
    expect(connectMs).toBeGreaterThanOrEqual(0);
    expect(connectMs).toBeLessThan(1_000);
  });

  it('reports a closed port as refused, not as a timeout', async () => {
    const closed = await freePort();
    const outcome = await tcpProbe('127.0.0.1', { port: closed, timeoutMs: 1_000 });
    expect(outcome.reachable).toBe(false);
    expect(outcome.tcp).toEqual({ port: closed, outcome: 'refused', connectMs: null });
    expect(outcome.error?.code).toBe('REFUSED');
    expect(outcome.durationMs).toBeLessThan(500);
  });

  it('works over IPv6 loopback', async () => {
    const v6 = createServer((socket) => socket.end());
    const listening = await new Promise<boolean>((resolve) => {
      v6.once('error', () => resolve(false));
      v6.listen(0, '::1', () => resolve(true));
    });
    if (!listening) return;
    const port = (v6.address() as { port: number }).port;
    const outcome = await tcpProbe('::1', { port, timeoutMs: 1_000 });
    await new Promise((resolve) => v6.close(resolve));
    expect(outcome.tcp?.outcome).toBe('open');
  });

  it.skipIf(!namespaces.available)('reports a host that does not answer at all as a timeout', async () => {
    const ns = await createNamespace();
    try {
      await ns.linkDown();
      await ns.assertContained();
      const outcome = await tcpProbe(ns.peerAddress, { port: 22, timeoutMs: 500 });
      expect(outcome.reachable).toBe(false);
      expect(['timeout', 'unreachable']).toContain(outcome.tcp?.outcome);
      expect(outcome.tcp?.outcome === 'timeout' ? outcome.error?.code : 'TIMEOUT').toBe('TIMEOUT');
    } finally {
      await ns.destroy();
    }
  });
});
