import type { IntegrationEvent } from './integration-events.js';

/** One integration event on its way to a topic. */
export type IntegrationMessage = Readonly<{
  topic: string;
  /** Messages with one key keep their order (one partition). */
  key: string;
  headers: Readonly<Record<string, string>>;
  value: IntegrationEvent;
}>;

/**
 * Where integration events go (Kafka in infra). The publisher reactor stores its checkpoint only
 * after `publish` resolved, so a message is lost only if the publisher lies about acknowledgements.
 */
export interface IntegrationPublisher {
  /** Connects and makes sure the topics exist; called on every activation, before any publish. */
  prepare(topics: readonly string[]): Promise<void>;
  /**
   * Resolves only once the broker acknowledged every message (all in-sync replicas). Rejects
   * otherwise; any part of the batch may then have been written, and the caller sends it all again
   * (consumers deduplicate by event id).
   */
  publish(messages: readonly IntegrationMessage[]): Promise<void>;
}
