import type { IntegrationEvent } from './integration-events.js';

/** One integration event on its way to a topic. */
export type IntegrationMessage = Readonly<{
  topic: string;
  /** Messages with one key keep their order (one partition). */
  key: string;
  headers: Readonly<Record<string, string>>;
  value: IntegrationEvent;
}>;

/** A publish handed to the publisher in order, not yet acknowledged. */
export type PendingPublish = Readonly<{
  /** Settles as `publish` would: resolved once the broker acknowledged every message. */
  acknowledged: Promise<void>;
}>;

/**
 * Where integration events go (Kafka in infra). The publisher reactor stores its checkpoint only
 * after `publish` resolved, so a message is lost only if the publisher lies about acknowledgements.
 */
export interface IntegrationPublisher {
  /**
   * Connects and makes sure the topics exist; called on every activation, before any publish.
   * Also ends the refusal that follows a failed `enqueue` (see there).
   */
  prepare(topics: readonly string[]): Promise<void>;
  /**
   * Resolves only once the broker acknowledged every message (all in-sync replicas). Rejects
   * otherwise; any part of the batch may then have been written, and the caller sends it all again
   * (consumers deduplicate by event id).
   */
  publish(messages: readonly IntegrationMessage[]): Promise<void>;
  /**
   * Optional: takes the messages behind every earlier publish and returns without waiting for the
   * broker, so the caller can prepare the next batch while this one is written. Per key, messages
   * reach the broker in the order they were handed over. Once one fails, every publish handed
   * over after it fails unsent until `prepare` is called: the caller must then send again from
   * its last acknowledged batch, or a later batch would overtake the failed one.
   */
  enqueue?(messages: readonly IntegrationMessage[]): PendingPublish;
}
