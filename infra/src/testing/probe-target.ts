import { createServer, type Server } from 'node:net';

/** A loopback TCP port standing for one device: every probe of it is a connection counted here. */
export type ProbeTarget = Readonly<{ deviceId: string; port: number; server: Server; hits: number[] }>;

export const listenForProbes = async (deviceId: string): Promise<ProbeTarget> => {
  const hits: number[] = [];
  const server = createServer((socket) => {
    hits.push(Date.now());
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { deviceId, port: (server.address() as { port: number }).port, server, hits };
};

/** The device goes down for real: its port stops accepting connections. */
export const closeProbeTarget = (target: ProbeTarget): Promise<void> =>
  new Promise((resolve) => target.server.close(() => resolve()));
