import { lazy, Suspense, useEffect } from 'react';
import { AuthProvider, useAuth } from '../auth/auth-context';
import { LoginPage } from '../auth/LoginPage';
import { MeQuery } from '../auth/session';
import { ErrorBoundary } from '../components/error-boundary';
import { Empty, Loading } from '../components/states';
import { ClientProvider, useClient } from '../graphql/client-context';
import { FleetPage } from '../pages/fleet/FleetPage';
import { useLocation } from './router';
import { matchRoute } from './routes';
import type { Runtime } from './runtime';
import { TopBar } from './TopBar';

// The fleet is the landing page and ships in the first bundle; the rest load on first visit.
const AlertsPage = lazy(() => import('../pages/alerts/AlertsPage').then((m) => ({ default: m.AlertsPage })));
const DevicePage = lazy(() => import('../pages/device/DevicePage').then((m) => ({ default: m.DevicePage })));
const AuditPage = lazy(() => import('../pages/audit/AuditPage').then((m) => ({ default: m.AuditPage })));
const IntegrationsPage = lazy(() =>
  import('../pages/integrations/IntegrationsPage').then((m) => ({ default: m.IntegrationsPage })),
);

const Routes = () => {
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  switch (route.page) {
    case 'fleet':
      return <FleetPage />;
    case 'alerts':
      return <AlertsPage />;
    case 'device':
      return <DevicePage key={route.deviceId} deviceId={route.deviceId} />;
    case 'audit':
      return <AuditPage />;
    case 'integrations':
      return <IntegrationsPage />;
    default:
      return <Empty title="No such page">{route.path}</Empty>;
  }
};

/** Signed in: re-reads who the caller is (roles may have changed since the session was issued). */
const Shell = () => {
  const client = useClient();
  const { pathname } = useLocation();
  const { store } = useAuth();
  useEffect(() => {
    client.request(MeQuery).then(
      ({ me }) => store.updateIdentity(me),
      () => undefined,
    );
  }, [client, store]);
  return (
    <div className="shell">
      <TopBar />
      <main>
        <ErrorBoundary resetKey={pathname}>
          <Suspense fallback={<Loading />}>
            <Routes />
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
};

const Gate = () => {
  const { session } = useAuth();
  return session ? <Shell /> : <LoginPage />;
};

export const App = ({ runtime }: { runtime: Runtime }) => (
  <ClientProvider client={runtime.client}>
    <AuthProvider store={runtime.session}>
      <Gate />
    </AuthProvider>
  </ClientProvider>
);
