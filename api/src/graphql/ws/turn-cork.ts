/** The part of a net.Socket that holds writes back. */
export type Corkable = Readonly<{ cork: () => void; uncork: () => void }>;

const corked = new Set<Corkable>();

const uncorkAll = () => {
  const sockets = [...corked];
  corked.clear();
  for (const socket of sockets) socket.uncork();
};

/**
 * Holds `socket`'s writes until this turn of the event loop ends, then writes them together. A shared
 * subscription delivers every event it has ready in one turn: when the feed brings several at once
 * (a burst, or a server catching up after falling behind) each socket gets one write for all of
 * them instead of one per event. Writes to a loopback or LAN peer cost a system call each, and those
 * dominate a fan-out's CPU. A lone event goes out at the end of its turn, microseconds later.
 */
export const corkUntilTurnEnds = (socket: Corkable): void => {
  if (corked.has(socket)) return;
  if (corked.size === 0) setImmediate(uncorkAll);
  corked.add(socket);
  socket.cork();
};
