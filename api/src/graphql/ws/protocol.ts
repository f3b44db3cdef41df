import { z } from 'zod';

/** The subprotocol `graphql-ws` clients speak (its PROTOCOL.md); the legacy `graphql-ws` one is refused. */
export const SUBPROTOCOL = 'graphql-transport-ws';

/** Close codes the protocol defines, with the reasons clients show. */
export const closeWith = {
  badMessage: (reason: string) => ({ code: 4400, reason: reason.slice(0, 120) }),
  unauthorized: { code: 4401, reason: 'Unauthorized' },
  subprotocol: { code: 4406, reason: 'Subprotocol not acceptable' },
  initTimeout: { code: 4408, reason: 'Connection initialisation timeout' },
  duplicate: (id: string) => ({ code: 4409, reason: `Subscriber for ${id.slice(0, 80)} already exists` }),
  tooManyInits: { code: 4429, reason: 'Too many initialisation requests' },
  internal: { code: 4500, reason: 'Internal server error' },
} as const;

const payloadRecord = z.record(z.string(), z.unknown()).nullish();

const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('connection_init'), payload: payloadRecord }),
  z.object({ type: z.literal('ping'), payload: payloadRecord }),
  z.object({ type: z.literal('pong'), payload: payloadRecord }),
  z.object({
    type: z.literal('subscribe'),
    id: z.string().min(1),
    payload: z.object({
      query: z.string(),
      operationName: z.string().nullish(),
      variables: z.record(z.string(), z.unknown()).nullish(),
      extensions: z.record(z.string(), z.unknown()).nullish(),
    }),
  }),
  z.object({ type: z.literal('complete'), id: z.string().min(1) }),
]);

export type ClientMessage = z.infer<typeof clientMessage>;
export type SubscribePayload = Extract<ClientMessage, { type: 'subscribe' }>['payload'];

/** A client's frame as a protocol message, or why it is not one (the socket is then closed with 4400). */
export const parseClientMessage = (
  data: string,
): { ok: true; message: ClientMessage } | { ok: false; reason: string } => {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { ok: false, reason: 'Invalid message received: not JSON' };
  }
  const parsed = clientMessage.safeParse(json);
  if (!parsed.success) {
    const type = (json as { type?: unknown } | null)?.type;
    return { ok: false, reason: `Invalid message received${typeof type === 'string' ? ` (${type})` : ''}` };
  }
  return { ok: true, message: parsed.data };
};

/**
 * The start of a `next` frame, which the payload (already serialized) and `}` complete: one
 * serialization of a shared event serves every subscriber, and only the id differs per socket.
 */
export const nextFramePrefix = (id: string): string => `{"id":${JSON.stringify(id)},"type":"next","payload":`;

export const serverFrame = (
  message:
    | { type: 'connection_ack' | 'ping' | 'pong' }
    | { type: 'complete'; id: string }
    | { type: 'error'; id: string; payload: readonly unknown[] }
    | { type: 'next'; id: string; payload: unknown },
): string => JSON.stringify(message);
