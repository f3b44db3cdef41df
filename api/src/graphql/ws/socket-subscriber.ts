import type { GraphQLFormattedError } from 'graphql';
import type WebSocket from 'ws';
import type { LiveLimits } from '../../live/live-ports.js';
import { nextFramePrefix } from './protocol.js';
import type { GroupMember } from './subscription-groups.js';
import { type Corkable, corkUntilTurnEnds } from './turn-cork.js';

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
  private done = false;

  constructor(
    private readonly socket: WebSocket,
    readonly id: string,
    private readonly options: Readonly<{
      paced: boolean;
      /** The TCP socket under the WebSocket, whose writes a burst of deliveries holds together. */
      transport?: Corkable;
      limits: Pick<LiveLimits, 'queueLimit' | 'maxBufferedBytes'>;
      onEnd: (end: SubscriberEnd) => void;
    }>,
  ) {
    this.prefix = nextFramePrefix(id);
  }

  deliver(payloadJson: string): void | Promise<void> {
    if (this.done || this.socket.readyState !== this.socket.OPEN) return;
    const frame = `${this.prefix}${payloadJson}}`;
    if (this.options.paced) return new Promise((resolve) => this.socket.send(frame, () => resolve()));
    const backlog = this.socket.bufferedAmount;
    if (backlog === 0) this.unread = 0;
    else if (backlog > this.options.limits.maxBufferedBytes && this.unread >= this.options.limits.queueLimit)
      return this.finish({ kind: 'slow', queued: this.unread });
    if (this.options.transport) corkUntilTurnEnds(this.options.transport);
    this.socket.send(frame);
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
