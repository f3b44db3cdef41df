import { type RecordedEvent, streamCategories } from '@netpulse/domain';
import { parseEvents } from '../parse-event.js';
import type { PipelinedReactor, Reactor, ReactorContext } from '../reactor.js';
import { AlertDevices } from './alert-devices.js';
import type { IntegrationMessage, IntegrationPublisher } from './integration-publisher.js';
import { integrationTopics } from './integration-topics.js';
import { integratedEventTypes, type MappingOptions, toIntegrationMessage } from './to-integration-message.js';

export const INTEGRATION_PUBLISHER = 'integration-publisher';

export type IntegrationReactorOptions = Readonly<{
  publisher: IntegrationPublisher;
  /** Topics are `<prefix>.device-status.v1` and so on. Default `netpulse`. */
  topicPrefix?: string;
  /** Observations are high-volume telemetry: off unless asked for. */
  publishObservations?: boolean;
  batchSize?: number;
  name?: string;
}>;

/**
 * Publishes integration events (Kafka) for bulk consumers. A reactor, never a projector: a read-model
 * rebuild must not send anything again. Its checkpoint moves only after the broker acknowledged the
 * whole batch, so a crash anywhere re-publishes from the last checkpoint: every event arrives at
 * least once, and consumers deduplicate on the `event-id` header. Order per key holds because a
 * batch is published in global order and a failed batch is sent again whole before the next. With
 * a publisher that has `enqueue`, the runner pipelines it: batch N+1 is mapped and handed over while
 * batch N is unacknowledged (a crash may then re-send two batches, not one).
 */
export const createIntegrationReactor = (options: IntegrationReactorOptions): Reactor | PipelinedReactor => {
  const name = options.name ?? INTEGRATION_PUBLISHER;
  const publishObservations = options.publishObservations ?? false;
  const topics = integrationTopics(options.topicPrefix);
  const types = integratedEventTypes(publishObservations);
  const topicNames = [
    topics.deviceStatus,
    topics.alerts,
    topics.devices,
    ...(publishObservations ? [topics.observations] : []),
  ];
  const alertDevices = new AlertDevices();
  const mapping: MappingOptions = {
    topics,
    publishObservations,
    deviceOfAlert: (alertKey) => alertDevices.get(alertKey),
  };

  const { publisher } = options;
  const enqueue = publisher.enqueue?.bind(publisher);

  const messagesOf = async (
    events: readonly RecordedEvent[],
    context: ReactorContext,
  ): Promise<IntegrationMessage[]> => {
    const { parsed, malformed } = parseEvents(events, types);
    if (malformed.length > 0) {
      context.metrics.eventsSkipped(name, 'malformed', malformed.length);
      context.logger.warn(
        { reactor: name, eventIds: malformed.map((event) => event.id).slice(0, 20) },
        'skipped malformed events: they match no schema and cannot be published',
      );
    }
    await alertDevices.resolve(parsed, context.store);
    const messages: IntegrationMessage[] = [];
    for (const item of parsed) {
      const message = toIntegrationMessage(item, mapping);
      if (message) messages.push(message);
    }
    return messages;
  };

  return {
    name,
    filter: {
      categories: [
        streamCategories.device,
        streamCategories.alert,
        ...(publishObservations ? [streamCategories.observations] : []),
      ],
      eventTypes: types,
    },
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    activate: async (context) => {
      await publisher.prepare(topicNames);
      context.logger.info({ reactor: name, topics: topicNames }, 'integration publisher ready');
    },
    handle: async (events, context) => {
      const messages = await messagesOf(events, context);
      if (messages.length > 0) await publisher.publish(messages);
    },
    // With a publisher that can take the next batch before acknowledging this one, the runner
    // maps and encodes batch N+1 while the broker writes batch N.
    ...(enqueue
      ? {
          dispatch: async (events: readonly RecordedEvent[], context: ReactorContext) => {
            const messages = await messagesOf(events, context);
            return { durable: messages.length > 0 ? enqueue(messages).acknowledged : Promise.resolve() };
          },
        }
      : {}),
  };
};
