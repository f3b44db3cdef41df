import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { GraphqlWsConnection, type WsTransport } from './graphql-ws-connection.js';
import { closeWith, SUBPROTOCOL } from './protocol.js';

/** Largest client message: a subscribe with its document and variables. */
const MAX_MESSAGE_BYTES = 1_048_576;

/**
 * Serves graphql-transport-ws on the GET route of `path` that mercurius registers for HTTP, so one
 * URL answers both. Call it on the instance mercurius is registered on, before registering it: the
 * route hook gives mercurius's route the WebSocket handler as the route is created.
 */
export const serveGraphqlOverWebSocket = async (
  app: FastifyInstance,
  path: string,
  transport: () => WsTransport,
): Promise<void> => {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.url !== path || !methods.includes('GET')) return;
    route.wsHandler = (socket, request) => {
      if (socket.protocol !== SUBPROTOCOL) {
        socket.close(closeWith.subprotocol.code, closeWith.subprotocol.reason);
        return;
      }
      new GraphqlWsConnection(socket, request, transport());
    };
  });
  await app.register(fastifyWebsocket, {
    options: {
      maxPayload: MAX_MESSAGE_BYTES,
      handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    },
  });
};
