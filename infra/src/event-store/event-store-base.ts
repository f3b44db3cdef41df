import type {
  AggregateOptions,
  AggregateResult,
  AppendResult,
  Event,
  EventStore,
  EventToAppend,
  Evolver,
  ExpectedVersion,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  ReadStreamResult,
  StreamAppend,
  StreamRetention,
  SubscribeOptions,
  Subscription,
  VerifyResult,
} from '@netpulse/domain';
import { aggregateStream, verifyStreamChain } from './stream-reads.js';

/**
 * What every adapter derives the same way from its own primitives: single-stream appends, replay
 * (time travel) and hash-chain verification.
 */
export abstract class EventStoreBase implements EventStore {
  abstract appendMany(appends: readonly StreamAppend[]): Promise<readonly AppendResult[]>;
  abstract readStream<E extends Event = Event>(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<ReadStreamResult<E>>;
  abstract readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  abstract compareCheckpoints(a: string, b: string): number;
  abstract subscribe(options: SubscribeOptions): Subscription;
  abstract setStreamRetention(streamId: string, retention: StreamRetention): Promise<void>;
  abstract close(): Promise<void>;

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: Readonly<{ expectedVersion: ExpectedVersion }>,
  ): Promise<AppendResult> {
    const [result] = await this.appendMany([{ streamId, events, expectedVersion: options.expectedVersion }]);
    return result!;
  }

  aggregateStream<State, E extends Event>(
    streamId: string,
    evolver: Evolver<State, E>,
    options?: AggregateOptions,
  ): Promise<AggregateResult<State>> {
    return aggregateStream(this, streamId, evolver, options);
  }

  verifyStream(streamId: string): Promise<VerifyResult> {
    return verifyStreamChain(this, streamId);
  }
}
