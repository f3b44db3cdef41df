import {
  type AggregateOptions,
  type AggregateResult,
  type Event,
  type EventStore,
  type Evolver,
  foldEvents,
  type VerifyResult,
} from '@netpulse/domain';
import { ChainVerifier } from './hash-chain.js';

const PAGE = 1_000;

/** Pages through a stream forwards; shared by every adapter so replay and verification read alike. */
export async function* streamPages(
  store: Pick<EventStore, 'readStream'>,
  streamId: string,
  options: Readonly<{ to?: bigint; toTimestamp?: Date }> = {},
) {
  let from = 0n;
  for (;;) {
    const { events } = await store.readStream(streamId, { from, limit: PAGE, ...options });
    if (events.length > 0) yield events;
    if (events.length < PAGE) return;
    from = events[events.length - 1]!.streamVersion + 1n;
  }
}

/** Time travel: fold a stream up to a version and/or a moment. */
export const aggregateStream = async <State, E extends Event>(
  store: Pick<EventStore, 'readStream'>,
  streamId: string,
  evolver: Evolver<State, E>,
  options: AggregateOptions = {},
): Promise<AggregateResult<State>> => {
  let state = evolver.initialState();
  let version: bigint | null = null;
  const range = {
    ...(options.toVersion !== undefined ? { to: options.toVersion } : {}),
    ...(options.asOf !== undefined ? { toTimestamp: options.asOf } : {}),
  };
  for await (const page of streamPages(store, streamId, range)) {
    state = foldEvents(evolver, page as unknown as E[], state);
    version = page[page.length - 1]!.streamVersion;
  }
  return { state, version };
};

export const verifyStreamChain = async (
  store: Pick<EventStore, 'readStream'>,
  streamId: string,
): Promise<VerifyResult> => {
  const verifier = new ChainVerifier(streamId);
  for await (const page of streamPages(store, streamId)) {
    if (!verifier.add(page)) break;
  }
  return verifier.result();
};
