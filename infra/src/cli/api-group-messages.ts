import type { Registry } from 'prom-client';

/** A registry's metrics as `getMetricsAsJSON` gives them: what crosses the IPC channel. */
export type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/**
 * What an API worker and its primary say to each other over the cluster's IPC channel. Every kind
 * is prefixed so messages of other libraries on the same channel are told apart.
 */
export type WorkerMessage =
  | Readonly<{ kind: 'netpulse:api-ready' }>
  /** The worker serves a scrape of /metrics: the primary answers for the whole group. */
  | Readonly<{ kind: 'netpulse:group-metrics-request'; id: number }>
  | Readonly<{ kind: 'netpulse:own-metrics'; id: number; metrics: MetricsJson }>;

export type PrimaryMessage =
  | Readonly<{ kind: 'netpulse:own-metrics-request'; id: number }>
  | Readonly<{ kind: 'netpulse:group-metrics'; id: number; contentType: string; body: string }>;

const isMessage = (value: unknown): value is { kind: string } =>
  typeof value === 'object' &&
  value !== null &&
  'kind' in value &&
  typeof value.kind === 'string' &&
  value.kind.startsWith('netpulse:');

export const isWorkerMessage = (value: unknown): value is WorkerMessage => isMessage(value);
export const isPrimaryMessage = (value: unknown): value is PrimaryMessage => isMessage(value);
