import { createContext, type ReactNode, useContext } from 'react';
import type { GraphQLClient } from './client';

const ClientContext = createContext<GraphQLClient | null>(null);

export const ClientProvider = ({ client, children }: { client: GraphQLClient; children: ReactNode }) => (
  <ClientContext.Provider value={client}>{children}</ClientContext.Provider>
);

export const useClient = (): GraphQLClient => {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <ClientProvider>');
  return client;
};
