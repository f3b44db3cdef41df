import { useSyncExternalStore } from 'react';
import { useAuth } from '../auth/auth-context';
import { useClient } from '../graphql/client-context';
import { Link, useLocation } from './router';
import { matchRoute } from './routes';

const liveLabel = {
  idle: 'live: idle',
  connecting: 'connecting…',
  connected: 'live',
  reconnecting: 'reconnecting…',
} as const;

/** Navigation, who is signed in with which roles, and whether live updates are flowing. */
export const TopBar = () => {
  const client = useClient();
  const { identity, can, signOut } = useAuth();
  const { pathname } = useLocation();
  const page = matchRoute(pathname).page;
  const connection = useSyncExternalStore(
    client.onConnectionChange,
    client.connectionState,
    client.connectionState,
  );
  const links = [
    { to: '/', label: 'Fleet', current: page === 'fleet' || page === 'device', show: true },
    { to: '/alerts', label: 'Alerts', current: page === 'alerts', show: can('alert:read') },
    {
      to: '/audit',
      label: 'Audit',
      current: page === 'audit',
      show: can('audit:read') || can('events:read'),
    },
    { to: '/integrations', label: 'Integrations', current: page === 'integrations', show: true },
  ];
  return (
    <header className="topbar">
      <Link to="/" className="brand">
        Net<span>Pulse</span>
      </Link>
      <nav className="nav" aria-label="Main">
        {links
          .filter((link) => link.show)
          .map((link) => (
            <Link key={link.to} to={link.to} aria-current={link.current ? 'page' : undefined}>
              {link.label}
            </Link>
          ))}
      </nav>
      <span className="live" data-state={connection} data-testid="live-state">
        {liveLabel[connection]}
      </span>
      <div className="whoami" data-testid="whoami">
        <span className="name">{identity?.displayName ?? identity?.id}</span>
        {identity?.roles.map((role) => (
          <span key={role} className="role" data-testid="role">
            {role}
          </span>
        ))}
        <button type="button" className="small" onClick={signOut}>
          Sign out
        </button>
      </div>
    </header>
  );
};
