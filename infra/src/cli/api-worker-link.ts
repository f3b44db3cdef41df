import type { DependencyCheck, MetricsText } from '@netpulse/api';
import type { Registry } from 'prom-client';
import { isPrimaryMessage, type WorkerMessage } from './api-group-messages.js';

export type ApiWorkerLink = Readonly<{
  /** Tells the primary this worker's API listens (it then starts the next one). */
  ready: () => void;
  /** /metrics of the whole group, gathered by the primary. */
  groupMetrics: () => Promise<MetricsText>;
  /** Resolves when the primary is gone: a worker never outlives it. */
  primaryGone: Promise<void>;
  /** Down once the primary is gone (a load balancer then stops sending this worker requests). */
  check: DependencyCheck;
  /** After the API stopped: detaches from the primary, so the worker process can exit. */
  close: () => void;
}>;

/** The worker's end of the IPC channel to the primary of `netpulse api|start` with API_WORKERS > 1. */
export const linkToPrimary = (registry: Registry, timeoutMs = 5_000): ApiWorkerLink => {
  const send = (message: WorkerMessage) => {
    if (process.connected) process.send?.(message);
  };
  let nextRequest = 0;
  const pending = new Map<number, (metrics: MetricsText) => void>();
  const onMessage = (message: unknown) => {
    if (!isPrimaryMessage(message)) return;
    if (message.kind === 'netpulse:own-metrics-request')
      void registry
        .getMetricsAsJSON()
        .then((metrics) => send({ kind: 'netpulse:own-metrics', id: message.id, metrics }));
    if (message.kind === 'netpulse:group-metrics')
      pending.get(message.id)?.({ contentType: message.contentType, body: message.body });
  };
  process.on('message', onMessage);
  const primaryGone = new Promise<void>((resolve) => process.once('disconnect', () => resolve()));

  return {
    ready: () => send({ kind: 'netpulse:api-ready' }),
    groupMetrics: () =>
      new Promise<MetricsText>((resolve, reject) => {
        const id = nextRequest++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`the primary process did not send the metrics within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, (metrics) => {
          clearTimeout(timer);
          pending.delete(id);
          resolve(metrics);
        });
        send({ kind: 'netpulse:group-metrics-request', id });
      }),
    primaryGone,
    check: {
      name: 'primaryProcess',
      check: async () => {
        if (!process.connected) throw new Error('the primary process is gone');
      },
    },
    close: () => {
      process.off('message', onMessage);
      // The IPC channel keeps a cluster worker alive: once its API has stopped, let go of it so the
      // process exits (the primary waits for that exit).
      if (process.connected) process.disconnect();
    },
  };
};
