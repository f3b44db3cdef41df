import { createContext, type ReactNode, useCallback, useContext, useMemo, useSyncExternalStore } from 'react';
import { useClient } from '../graphql/client-context';
import { can, type Permission } from './permissions';
import type { Identity, Session } from './session';
import type { SessionStore } from './session-store';

type AuthValue = Readonly<{
  session: Session | null;
  identity: Identity | null;
  can: (permission: Permission) => boolean;
  signIn: (session: Session) => void;
  signOut: () => void;
  store: SessionStore;
}>;

const AuthContext = createContext<AuthValue | null>(null);

export const AuthProvider = ({ store, children }: { store: SessionStore; children: ReactNode }) => {
  const client = useClient();
  const session = useSyncExternalStore(store.subscribe, store.get, store.get);
  const signIn = useCallback((next: Session) => store.set(next), [store]);
  const signOut = useCallback(() => {
    store.clear();
    client.close();
  }, [store, client]);
  const value = useMemo<AuthValue>(
    () => ({
      session,
      identity: session?.identity ?? null,
      can: (permission) => can(session?.identity, permission),
      signIn,
      signOut,
      store,
    }),
    [session, signIn, signOut, store],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
};

export const useAuth = (): AuthValue => {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside <AuthProvider>');
  return value;
};
