import { useAuth } from '../../auth/auth-context';
import { ApiKeysPanel } from './ApiKeysPanel';
import { EventFeedDemo } from './EventFeedDemo';
import { exampleSubscription } from './integration-documents';

/** How integrators consume NetPulse: the resumable event feed, and the keys they authenticate with. */
export const IntegrationsPage = () => {
  const { can } = useAuth();
  const endpoint = new URL('/graphql', window.location.href);
  const ws = new URL(endpoint);
  ws.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  return (
    <section className="page" aria-label="Integrations">
      <div className="page-header">
        <h1>Integrations</h1>
      </div>
      <section className="panel" aria-label="How to subscribe">
        <h3>Subscribe to every change</h3>
        <p>
          Connect to <code>{ws.toString()}</code> with the <code>graphql-transport-ws</code> protocol (any
          graphql-ws client). Authenticate in <code>connection_init</code> with{' '}
          <code>{'{ "apiKey": "<secret>" }'}</code> (or <code>{'{ "authorization": "Bearer <token>" }'}</code>
          ), then subscribe:
        </p>
        <pre>{exampleSubscription}</pre>
        <ul>
          <li>
            <code>after: "start"</code> replays the whole log, then continues live; omit <code>after</code>{' '}
            for live only.
          </li>
          <li>
            Every event carries a <code>checkpoint</code>. Store the last one you processed; after a
            disconnect, subscribe again with <code>after: &lt;checkpoint&gt;</code>: the feed replays what you
            missed and continues live, with no gap and no duplicate.
          </li>
          <li>
            Queries and mutations go to <code>POST {endpoint.toString()}</code> with{' '}
            <code>Authorization: ApiKey &lt;secret&gt;</code>. Errors carry a code in{' '}
            <code>extensions.code</code> (UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED, VERSION_CONFLICT,
            RATE_LIMITED…).
          </li>
          <li>
            A subscriber that falls too far behind is ended with <code>extensions.code</code>{' '}
            <code>SLOW_CONSUMER</code>: subscribe again after the last checkpoint you received.
          </li>
          <li>
            For paging without a socket:{' '}
            <code>
              query {'{'} events(after: $checkpoint, first: 200) {'{'} events {'{'} … {'}'} checkpoint
              caughtUp {'}'} {'}'}
            </code>
            .
          </li>
        </ul>
      </section>
      {can('events:read') ? (
        <EventFeedDemo />
      ) : (
        <div className="panel dim">
          The event feed needs the events:read permission (admin, auditor or integrator).
        </div>
      )}
      {can('apikey:read') ? (
        <ApiKeysPanel canWrite={can('apikey:write')} />
      ) : (
        <div className="panel dim">API keys are managed by administrators.</div>
      )}
    </section>
  );
};
