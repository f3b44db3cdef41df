/** What the store last knew of a stream's head: the version of its last event and that event's hash. */
export type KnownHead = Readonly<{ version: bigint; hash: string }>;

/**
 * Heads this process wrote or read recently (bounded, least recently used evicted first). With a
 * known head an append can go out as one optimistic statement guarded on version and hash; a stale
 * entry only costs a retry through the locking path.
 */
export class HeadCache {
  private readonly heads = new Map<string, KnownHead>();

  constructor(private readonly capacity = 100_000) {}

  get(streamId: string): KnownHead | undefined {
    const head = this.heads.get(streamId);
    if (head) {
      this.heads.delete(streamId);
      this.heads.set(streamId, head);
    }
    return head;
  }

  set(streamId: string, head: KnownHead): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.capacity) this.heads.delete(this.heads.keys().next().value as string);
  }

  forget(streamIds: Iterable<string>): void {
    for (const id of streamIds) this.heads.delete(id);
  }

  get size(): number {
    return this.heads.size;
  }
}
