import type { GraphQLFormattedError } from 'graphql';
import type WebSocket from 'ws';
import type { LiveLimits } from '../../live/live-ports.js';
import { nextMessageFrame } from './next-frame.js';
import { nextFramePrefix } from './protocol.js';
import type { GroupMember, SerializedPayload } from './subscription-groups.js';
import { type Corkable, corkUntilTurnEnds } from './turn-cork.js';

/** The TCP socket under a WebSocket: its writes can be held back, and whole frames written to it. */
export type FrameTransport = Corkable & Readonly<{ write: (frame: Uint8Array) => boolean }>;

export type SubscriberEnd =
  /** The client completed it, or its socket closed: nothing more is sent. */
  | Readonly<{ kind: 'cancelled' }>
  | Readonly<{ kind: 'completed' }>
  | Readonly<{ kind: 'failed'; errors: readonly GraphQLFormattedError[] }>
  | Readonly<{ kind: 'slow'; queued: number }>;

/**
 * One subscription on one socket, as a member of its group. A shared member never waits for its
 * socket: the group writes on, and a client that lets more than `queueLimit` messages and
 * `maxBufferedBytes` pile up unread is ended as a slow consumer instead of growing memory. A member
 * running alone paces its stream by its socket, as a pulled stream should (its own queue then
 * decides when it is too slow).
 */
export class SocketSubscriber implements GroupMember {
  /** Messages written since the socket was last seen with nothing unsent. */
  private unread = 0;
  private readonly prefix: string;
  /** Where shared deliveries write their frames themselves, with this socket's prefix in bytes. */
  private readonly direct: Readonly<{ transport: FrameTransport; prefix: Buffer }> | null;
  private done = false;

  constructor(
    private readonly socket: WebSocket,
    readonly id: string,
    private readonly options: Readonly<{
      paced: boolean;
      /** The TCP socket under the WebSocket, whose writes a burst of deliveries holds together. */
      transport?: FrameTransport;
      limits: Pick<LiveLimits, 'queueLimit' | 'maxBufferedBytes'>;
      onEnd: (end: SubscriberEnd) => void;
    }>,
  ) {
    this.prefix = nextFramePrefix(id);
    // Frames go past ws only where ws would send them as they are: with permessage-deflate
    // negotiated (this server never offers it) ws compresses every message, so it writes them all.
    // ws writes each of its frames whole and at once, so frames of both writers never interleave.
    const { transport } = options;
    this.direct =
      transport && socket.extensions === '' ? { transport, prefix: Buffer.from(this.prefix) } : null;
  }

  /** The `next` message as text, for ws to frame (what nextMessageFrame builds as bytes). */
  private message(payload: SerializedPayload): string {
    return `${this.prefix}${payload.json}}`;
  }

  deliver(payload: SerializedPayload): void | Promise<void> {
    if (this.done || this.socket.readyState !== this.socket.OPEN) return;
    if (this.options.paced)
      return new Promise((resolve) => this.socket.send(this.message(payload), () => resolve()));
    const backlog = this.socket.bufferedAmount;
    if (backlog === 0) this.unread = 0;
    else if (backlog > this.options.limits.maxBufferedBytes && this.unread >= this.options.limits.queueLimit)
      return this.finish({ kind: 'slow', queued: this.unread });
    if (this.direct) {
      corkUntilTurnEnds(this.direct.transport);
      this.direct.transport.write(nextMessageFrame(this.direct.prefix, payload.bytes));
    } else {
      if (this.options.transport) corkUntilTurnEnds(this.options.transport);
      this.socket.send(this.message(payload));
    }
    this.unread += 1;
  }

  ended(errors: readonly GraphQLFormattedError[] | null): void {
    this.finish(errors ? { kind: 'failed', errors } : { kind: 'completed' });
  }

  /** Ends this subscriber once, however it ends; later calls are ignored. */
  finish(end: SubscriberEnd): void {
    if (this.done) return;
    this.done = true;
    this.options.onEnd(end);
  }

  get finished(): boolean {
    return this.done;
  }
}
