import type { ExecutionResult, GraphQLFormattedError } from 'graphql';

/** One result as the `payload` of a `next` message, serialized once for every member of its group. */
export class SerializedPayload {
  private utf8: Buffer | null = null;

  constructor(readonly json: string) {}

  /** The same text as UTF-8, encoded on first use and then shared by the members that write bytes. */
  get bytes(): Buffer {
    this.utf8 ??= Buffer.from(this.json);
    return this.utf8;
  }
}

/** One subscriber of a group: a subscription id on one socket. */
export interface GroupMember {
  /**
   * Hands the member one result, already serialized. A member that paces its group (it runs alone)
   * returns a promise that settles once its socket took the message.
   */
  deliver(payload: SerializedPayload): void | Promise<void>;
  /** The group's stream is over: normally (null) or with these errors. */
  ended(errors: readonly GraphQLFormattedError[] | null): void;
}

export type OpenedStream =
  | Readonly<{ ok: true; stream: AsyncIterator<ExecutionResult> }>
  | Readonly<{ ok: false; errors: readonly GraphQLFormattedError[] }>;

export type GroupSpec = Readonly<{
  /** Members with equal keys share one stream; null runs the member alone. */
  key: string | null;
  /**
   * Starts the stream (graphql-js `subscribe` with the group's context). `failNow` is for the
   * stream's source to report that it failed on its own, without waiting to be pulled.
   */
  open: (failNow: (error: unknown) => void) => Promise<OpenedStream>;
  /** One result as the `payload` of a `next` message. */
  serialize: (result: ExecutionResult) => string;
  /** The errors a stream that throws ends its members with. */
  failure: (error: unknown) => readonly GraphQLFormattedError[];
  /** Told when the stream starts running (true) and when it has stopped (false), for metrics. */
  running?: (running: boolean) => void;
}>;

class Group {
  readonly members = new Set<GroupMember>();
  private stream: AsyncIterator<ExecutionResult> | null = null;
  private over = false;

  constructor(
    private readonly spec: GroupSpec,
    private readonly forget: () => void,
  ) {}

  /** Runs the stream until it ends or the last member leaves; every result is executed and serialized once. */
  async run(): Promise<void> {
    let opened: OpenedStream;
    try {
      opened = await this.spec.open((error) => this.fail(error));
    } catch (error) {
      opened = { ok: false, errors: this.spec.failure(error) };
    }
    if (!opened.ok) return this.end(opened.errors);
    this.stream = opened.stream;
    // Every member left (or the source failed) while the stream was opening: stop() found no
    // stream to return then, so return it now, or its feed listener and queue would live on.
    if (this.over) {
      void this.stream.return?.().catch(() => {});
      return;
    }
    this.spec.running?.(true);
    try {
      for (;;) {
        const next = await this.stream.next();
        if (this.over) return;
        if (next.done) return this.end(null);
        const payload = new SerializedPayload(this.spec.serialize(next.value));
        for (const member of this.members) {
          const paced = member.deliver(payload);
          if (paced) await paced;
        }
        if (this.over) return;
      }
    } catch (error) {
      if (!this.over) this.end(this.spec.failure(error));
    } finally {
      this.spec.running?.(false);
    }
  }

  /**
   * The stream failed on its own (its queue overflowed): members end now, even while a pacing
   * member's delivery waits on a socket the client stopped reading.
   */
  fail(error: unknown): void {
    if (this.over) return;
    void this.stream?.return?.().catch(() => {});
    this.end(this.spec.failure(error));
  }

  leave(member: GroupMember): void {
    if (!this.members.delete(member) || this.members.size > 0) return;
    this.stop();
  }

  private stop(): void {
    if (this.over) return;
    this.over = true;
    this.forget();
    // The stream's `return` unlistens the feed; a `next` waiting on it ends as done.
    void this.stream?.return?.().catch(() => {});
  }

  private end(errors: readonly GraphQLFormattedError[] | null): void {
    if (this.over && this.members.size === 0) return;
    this.over = true;
    this.forget();
    const members = [...this.members];
    this.members.clear();
    for (const member of members) member.ended(errors);
  }
}

/**
 * Subscriptions that many clients share. A thousand dashboards watching the same status changes
 * with the same rights need one execution and one serialization per event, not a thousand:
 * members with equal keys join one group, whose stream is opened by the first member and closed
 * when the last one leaves. Each member then only writes the shared payload to its own socket.
 */
export class SubscriptionGroups {
  private readonly groups = new Map<string, Group>();

  /** Adds `member` to the group `spec.key` names (started if new); returns how it leaves. */
  join(spec: GroupSpec, member: GroupMember): () => void {
    const { key } = spec;
    let group = key === null ? undefined : this.groups.get(key);
    if (!group) {
      const created: Group = new Group(spec, () => {
        if (key !== null && this.groups.get(key) === created) this.groups.delete(key);
      });
      if (key !== null) this.groups.set(key, created);
      created.members.add(member);
      void created.run();
      group = created;
    } else {
      group.members.add(member);
    }
    const joined = group;
    return () => joined.leave(member);
  }

  /** Groups running now (for tests and metrics). */
  get size(): number {
    return this.groups.size;
  }
}
