type SocketLike = Readonly<{ writableLength?: number }>;
type RequestLike = Readonly<{ raw?: Readonly<{ socket?: SocketLike | null }> }>;
/** The parts of mercurius's subscription context that lead to the client's TCP socket. */
type SubscriptionContextLike = Readonly<{
  request?: RequestLike;
  reply?: Readonly<{ request?: RequestLike }>;
}>;

/**
 * Bytes written to the subscriber's socket that the client has not taken yet (what `ws` reports as
 * `bufferedAmount`, less frames still being compressed). Mercurius passes the upgraded request in the
 * context; outside a WebSocket (tests, HTTP) there is no socket and the backlog reads as 0.
 */
export const socketBacklog = (context: object): (() => number) => {
  const { request, reply } = context as SubscriptionContextLike;
  const socket = request?.raw?.socket ?? reply?.request?.raw?.socket ?? null;
  return () => socket?.writableLength ?? 0;
};
