import type { LiveField, LiveMetrics } from '@netpulse/api';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { FeedHubMetrics } from './feed-hub.js';

const existing = <M>(registry: Registry, name: string): M | undefined =>
  registry.getSingleMetric(name) as M | undefined;

export type LiveFeedMetrics = LiveMetrics &
  FeedHubMetrics &
  Readonly<{ published(events: number): void; publisherActive(active: boolean): void }>;

/** The live area's metrics in prom-client, registered once per registry. */
export const createLiveMetrics = (registry: Registry): LiveFeedMetrics => {
  const subscriptions =
    existing<Gauge<'field'>>(registry, 'netpulse_live_subscriptions') ??
    new Gauge({
      name: 'netpulse_live_subscriptions',
      help: 'Live GraphQL subscriptions open on this process, by subscription field',
      labelNames: ['field'] as const,
      registers: [registry],
    });
  const executions =
    existing<Gauge<'field'>>(registry, 'netpulse_live_subscription_executions') ??
    new Gauge({
      name: 'netpulse_live_subscription_executions',
      help: 'Subscription executions running on this process, by field: subscribers sharing one (same organization, roles and document) count once',
      labelNames: ['field'] as const,
      registers: [registry],
    });
  const slow =
    existing<Counter<'field'>>(registry, 'netpulse_live_slow_consumers_closed_total') ??
    new Counter({
      name: 'netpulse_live_slow_consumers_closed_total',
      help: 'Subscribers closed because they fell behind their queue limit (SLOW_CONSUMER)',
      labelNames: ['field'] as const,
      registers: [registry],
    });
  const gaps =
    existing<Counter>(registry, 'netpulse_live_feed_gaps_total') ??
    new Counter({
      name: 'netpulse_live_feed_gaps_total',
      help: 'Feed messages that did not continue from the last event this process heard (resumable feeds re-read the store)',
      registers: [registry],
    });
  const lag =
    existing<Histogram>(registry, 'netpulse_live_feed_lag_seconds') ??
    new Histogram({
      name: 'netpulse_live_feed_lag_seconds',
      help: 'Time from an event being recorded to this process hearing it on the live feed',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  const published =
    existing<Counter>(registry, 'netpulse_live_feed_published_events_total') ??
    new Counter({
      name: 'netpulse_live_feed_published_events_total',
      help: 'Events this process published on the live feed',
      registers: [registry],
    });
  const active =
    existing<Gauge>(registry, 'netpulse_live_feed_publisher_active') ??
    new Gauge({
      name: 'netpulse_live_feed_publisher_active',
      help: '1 while this process is the live feed publisher',
      registers: [registry],
    });
  for (const field of [
    'deviceStatusChanged',
    'alertChanged',
    'deviceMetrics',
    'fleetSummary',
    'events',
  ] as const) {
    subscriptions.inc({ field }, 0);
    executions.inc({ field }, 0);
    slow.inc({ field }, 0);
  }
  return {
    subscriptionOpened: (field: LiveField) => subscriptions.inc({ field }),
    subscriptionClosed: (field: LiveField) => subscriptions.dec({ field }),
    executionStarted: (field: LiveField) => executions.inc({ field }),
    executionStopped: (field: LiveField) => executions.dec({ field }),
    slowConsumerClosed: (field: LiveField) => slow.inc({ field }),
    gap: () => gaps.inc(),
    heard: (_event, seconds) => lag.observe(Math.max(0, seconds)),
    published: (events) => published.inc(events),
    publisherActive: (isActive) => active.set(isActive ? 1 : 0),
  };
};
