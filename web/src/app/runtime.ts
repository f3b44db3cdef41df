import { SessionStore } from '../auth/session-store';
import { GraphQLClient } from '../graphql/client';

export type Runtime = Readonly<{ session: SessionStore; client: GraphQLClient }>;

const graphqlUrls = () => {
  const http = new URL('/graphql', window.location.href);
  const ws = new URL(http);
  ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  return { httpUrl: http.toString(), wsUrl: ws.toString() };
};

/** The session and the one GraphQL client of the page, created before React renders. */
export const createRuntime = (): Runtime => {
  const session = new SessionStore(typeof localStorage === 'undefined' ? null : localStorage);
  return { session, client: new GraphQLClient({ ...graphqlUrls(), session }) };
};
