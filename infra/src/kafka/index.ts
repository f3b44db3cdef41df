export {
  type KafkaConfig,
  KafkaConfigError,
  KafkaEnvSchema,
  kafkaConfigFromEnv,
} from './kafka-config.js';
export { createKafkaPublisherMetrics, type KafkaPublisherMetrics } from './kafka-metrics.js';
export { KafkaIntegrationPublisher, type KafkaPublisherOptions } from './kafka-publisher.js';
