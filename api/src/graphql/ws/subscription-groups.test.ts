import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  type GroupMember,
  type GroupSpec,
  type OpenedStream,
  SubscriptionGroups,
} from './subscription-groups.js';

/** A stream the test pushes results into; it records being returned, as the live streams' queues do. */
const pushStream = () => {
  const waiting: Array<{
    resolve: (result: IteratorResult<ExecutionResult>) => void;
    reject: (error: unknown) => void;
  }> = [];
  const state = { returned: 0, asked: 0 };
  const stream: AsyncIterator<ExecutionResult> = {
    next: () => {
      state.asked += 1;
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return: async () => {
      state.returned += 1;
      for (const waiter of waiting.splice(0)) waiter.resolve({ value: undefined, done: true });
      return { value: undefined, done: true };
    },
  };
  return {
    stream,
    state,
    push: (value: number) => waiting.shift()?.resolve({ value: { data: { n: value } }, done: false }),
    end: () => waiting.shift()?.resolve({ value: undefined, done: true }),
    fail: (error: Error) => waiting.shift()?.reject(error),
  };
};

const member = (options: { paced?: Promise<void> } = {}) => {
  const received: string[] = [];
  const endings: Array<readonly GraphQLFormattedError[] | null> = [];
  const self: GroupMember = {
    deliver: (payload) => {
      received.push(payload.json);
      return options.paced;
    },
    ended: (errors) => endings.push(errors),
  };
  return { self, received, endings };
};

const settle = () => new Promise((resolve) => setImmediate(resolve));

const spec = (key: string | null, open: GroupSpec['open'], counter = { serialized: 0 }): GroupSpec => ({
  key,
  open,
  serialize: (result) => {
    counter.serialized += 1;
    return JSON.stringify(result);
  },
  failure: (error) => [{ message: (error as Error).message, extensions: { code: 'SOMETHING' } }],
});

describe('subscription groups', () => {
  it('opens one stream for members with equal keys and serializes each result once for all of them', async () => {
    const groups = new SubscriptionGroups();
    const source = pushStream();
    let opened = 0;
    const counter = { serialized: 0 };
    const open = async (): Promise<OpenedStream> => {
      opened += 1;
      return { ok: true, stream: source.stream };
    };
    const [a, b, c] = [member(), member(), member()];
    groups.join(spec('k', open, counter), a.self);
    groups.join(spec('k', open, counter), b.self);
    await settle();
    groups.join(spec('k', open, counter), c.self);
    source.push(1);
    await settle();
    source.push(2);
    await settle();

    expect(opened).toBe(1);
    expect(counter.serialized).toBe(2);
    for (const { received } of [a, b, c]) expect(received).toEqual(['{"data":{"n":1}}', '{"data":{"n":2}}']);
    expect(groups.size).toBe(1);
  });

  it('keeps the stream while one member remains, and returns it when the last one leaves', async () => {
    const groups = new SubscriptionGroups();
    const source = pushStream();
    const open = async (): Promise<OpenedStream> => ({ ok: true, stream: source.stream });
    const [a, b] = [member(), member()];
    const leaveA = groups.join(spec('k', open), a.self);
    const leaveB = groups.join(spec('k', open), b.self);
    await settle();
    leaveA();
    source.push(1);
    await settle();
    expect(a.received).toEqual([]);
    expect(b.received).toEqual(['{"data":{"n":1}}']);
    expect(source.state.returned).toBe(0);

    leaveB();
    await settle();
    expect(source.state.returned).toBe(1);
    expect(groups.size).toBe(0);
    expect([a.endings, b.endings]).toEqual([[], []]);
  });

  it('returns a stream that finished opening after its last member had left', async () => {
    const groups = new SubscriptionGroups();
    const source = pushStream();
    let finishOpening = () => {};
    const open = () =>
      new Promise<OpenedStream>((resolve) => {
        finishOpening = () => resolve({ ok: true, stream: source.stream });
      });
    const leave = groups.join(spec('k', open), member().self);
    leave();
    expect(groups.size).toBe(0);
    finishOpening();
    await settle();
    expect(source.state.returned).toBe(1);
    expect(source.state.asked).toBe(0);
  });

  it('runs a member without a key alone', async () => {
    const groups = new SubscriptionGroups();
    let opened = 0;
    const open = async (): Promise<OpenedStream> => {
      opened += 1;
      return { ok: true, stream: pushStream().stream };
    };
    groups.join(spec(null, open), member().self);
    groups.join(spec(null, open), member().self);
    await settle();
    expect(opened).toBe(2);
    expect(groups.size).toBe(0);
  });

  it('ends every member with the errors of a stream that could not open, and forgets the group', async () => {
    const groups = new SubscriptionGroups();
    const refused = [{ message: 'no', extensions: { code: 'FORBIDDEN' } }];
    const open = async (): Promise<OpenedStream> => ({ ok: false, errors: refused });
    const [a, b] = [member(), member()];
    groups.join(spec('k', open), a.self);
    groups.join(spec('k', open), b.self);
    await settle();
    expect([a.endings, b.endings]).toEqual([[refused], [refused]]);
    expect(groups.size).toBe(0);
  });

  it('ends members with the failure of a stream that throws, or completes them when it ends', async () => {
    const groups = new SubscriptionGroups();
    const failing = pushStream();
    const ending = pushStream();
    const a = member();
    const b = member();
    groups.join(
      spec('fails', async () => ({ ok: true, stream: failing.stream })),
      a.self,
    );
    groups.join(
      spec('ends', async () => ({ ok: true, stream: ending.stream })),
      b.self,
    );
    await settle();
    failing.fail(new Error('fell behind'));
    ending.end();
    await settle();
    expect(a.endings).toEqual([[{ message: 'fell behind', extensions: { code: 'SOMETHING' } }]]);
    expect(b.endings).toEqual([null]);
    expect(groups.size).toBe(0);

    // A new member with the same key starts a new stream.
    const again = pushStream();
    const c = member();
    groups.join(
      spec('ends', async () => ({ ok: true, stream: again.stream })),
      c.self,
    );
    await settle();
    again.push(7);
    await settle();
    expect(c.received).toEqual(['{"data":{"n":7}}']);
  });

  it('asks its stream for nothing more until a pacing member’s socket took the last message', async () => {
    const groups = new SubscriptionGroups();
    const source = pushStream();
    let release = () => {};
    const paced = new Promise<void>((resolve) => {
      release = resolve;
    });
    const a = member({ paced });
    groups.join(
      spec(null, async () => ({ ok: true, stream: source.stream })),
      a.self,
    );
    await settle();
    source.push(1);
    await settle();
    expect(source.state.asked).toBe(1);
    release();
    await settle();
    expect(source.state.asked).toBe(2);
    source.push(2);
    await settle();
    expect(a.received).toEqual(['{"data":{"n":1}}', '{"data":{"n":2}}']);
  });

  it('ends a pacing member at once when its stream reports failing, though its socket is stuck', async () => {
    const groups = new SubscriptionGroups();
    const source = pushStream();
    let failNow: (error: unknown) => void = () => {};
    const a = member({ paced: new Promise<void>(() => {}) });
    const open = async (report: (error: unknown) => void): Promise<OpenedStream> => {
      failNow = report;
      return { ok: true, stream: source.stream };
    };
    groups.join(spec(null, open), a.self);
    await settle();
    source.push(1);
    await settle();
    failNow(new Error('fell behind'));
    await settle();
    expect(a.endings).toEqual([[{ message: 'fell behind', extensions: { code: 'SOMETHING' } }]]);
    expect(source.state.returned).toBe(1);
  });
});
