import { randomBytes } from 'node:crypto';
import { detectBackend } from '@netpulse/testing';
import { type Consumer, type IHeaders, Kafka, logLevel } from 'kafkajs';

/** The broker the tests use: KAFKA_BROKERS, else the one infra/scripts/start-kafka.sh starts. */
export const kafkaBrokers = (): string[] =>
  (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');

const testClient = (clientId: string) =>
  new Kafka({
    clientId,
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    retry: { retries: 2, initialRetryTime: 100 },
  });

/** Skips (with the reason printed) when no broker answers; under CI=true a missing broker fails. */
export const detectKafka = () =>
  detectBackend(`Kafka broker at ${kafkaBrokers().join(',')}`, async () => {
    const admin = testClient('netpulse-test-detect').admin();
    await admin.connect();
    try {
      await admin.describeCluster();
    } finally {
      await admin.disconnect();
    }
  });

/** Topics of one test never meet another test's (or an earlier run's). */
export const uniqueTopicPrefix = (name: string): string => `it.${name}.${randomBytes(4).toString('hex')}`;

export const deleteTopicsWithPrefix = async (prefix: string): Promise<void> => {
  const admin = testClient('netpulse-test-cleanup').admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
};

export const topicPartitions = async (topic: string): Promise<number> => {
  const admin = testClient('netpulse-test-metadata').admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0]?.partitions.length ?? 0;
  } finally {
    await admin.disconnect();
  }
};

export type ReceivedMessage = Readonly<{
  topic: string;
  partition: number;
  offset: bigint;
  key: string;
  headers: Readonly<Record<string, string>>;
  value: Record<string, unknown>;
  /** performance.now() when the consumer handed it over. */
  receivedAt: number;
}>;

const headerText = (headers: IHeaders | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
};

/** A real consumer in a group of its own, reading the topics from the beginning, keeping everything. */
export class TopicRecorder {
  readonly messages: ReceivedMessage[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async start(topics: readonly string[], name = 'recorder'): Promise<TopicRecorder> {
    const consumer = testClient(`netpulse-test-${name}`).consumer({
      groupId: `netpulse-test-${name}-${randomBytes(4).toString('hex')}`,
      maxWaitTimeInMs: 50,
    });
    const recorder = new TopicRecorder(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const receivedAt = performance.now();
        for (const message of batch.messages) {
          recorder.messages.push({
            topic: batch.topic,
            partition: batch.partition,
            offset: BigInt(message.offset),
            key: message.key?.toString() ?? '',
            headers: headerText(message.headers),
            value: JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown>,
            receivedAt,
          });
        }
      },
    });
    return recorder;
  }

  /** The distinct event ids received (the `event-id` header). */
  eventIds(): Set<string> {
    return new Set(this.messages.map((message) => message.headers['event-id'] ?? ''));
  }

  async close(): Promise<void> {
    await this.consumer.disconnect();
  }
}
