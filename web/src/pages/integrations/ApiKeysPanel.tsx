import { type FormEvent, useState } from 'react';
import { formatTime, fromLocalInput } from '../../components/format';
import { Empty, ErrorState, InlineError, Loading } from '../../components/states';
import { type Role, roles } from '../../graphql/schema-types';
import { useMutation } from '../../graphql/use-mutation';
import { useQuery } from '../../graphql/use-query';
import { ApiKeysQuery, IssueApiKeyMutation, RevokeApiKeyMutation } from './integration-documents';

/** API keys for machines: list, issue (the secret is shown once), revoke. */
export const ApiKeysPanel = ({ canWrite }: { canWrite: boolean }) => {
  const { data, error, loading, refetch } = useQuery(ApiKeysQuery, {});
  const [issue, issuing] = useMutation(IssueApiKeyMutation);
  const [revoke, revoking] = useMutation(RevokeApiKeyMutation);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<Role[]>(['integrator']);
  const [expires, setExpires] = useState('');
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || chosen.length === 0) return;
    try {
      const { issueApiKey } = await issue({
        input: {
          name: name.trim(),
          roles: chosen,
          expiresAt: fromLocalInput(expires)?.toISOString() ?? null,
        },
      });
      setSecret({ name: issueApiKey.apiKey.name, secret: issueApiKey.secret });
      setName('');
      setTimeout(refetch, 300);
    } catch {
      // shown below
    }
  };

  return (
    <section className="panel" aria-label="API keys">
      <h3>API keys</h3>
      {secret && (
        <output className="panel" style={{ borderColor: 'var(--status-degraded)' }}>
          <strong>Secret of “{secret.name}”: shown only now, store it safely.</strong>
          <pre data-testid="api-key-secret">{secret.secret}</pre>
          <div className="dim">
            Send it as <code>Authorization: ApiKey &lt;secret&gt;</code>, or in the WebSocket connection_init
            payload <code>{'{ apiKey: "<secret>" }'}</code>.
          </div>
          <button type="button" className="small" onClick={() => setSecret(null)}>
            I have stored it
          </button>
        </output>
      )}
      {error && !data ? (
        <ErrorState error={error} onRetry={refetch} title="Could not list the API keys" />
      ) : !data ? (
        loading ? (
          <Loading />
        ) : null
      ) : data.apiKeys.length === 0 ? (
        <Empty title="No API keys yet" />
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key id</th>
              <th>Roles</th>
              <th>Issued</th>
              <th>Expires</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.apiKeys.map((key) => (
              <tr key={key.keyId}>
                <td>{key.name}</td>
                <td className="mono">{key.keyId}</td>
                <td>{key.roles.join(', ')}</td>
                <td className="nowrap">{formatTime(key.issuedAt)}</td>
                <td className="nowrap">{key.expiresAt ? formatTime(key.expiresAt) : 'never'}</td>
                <td>
                  {key.revokedAt ? (
                    <span className="badge bad">revoked {formatTime(key.revokedAt)}</span>
                  ) : key.expiresAt && Date.parse(key.expiresAt) < Date.now() ? (
                    <span className="badge warn">expired</span>
                  ) : (
                    <span className="badge good">active</span>
                  )}
                </td>
                <td>
                  {canWrite && !key.revokedAt && (
                    <button
                      type="button"
                      className="small danger"
                      disabled={revoking.pending}
                      onClick={() => {
                        if (window.confirm(`Revoke “${key.name}”? Clients using it stop working at once.`))
                          revoke({ keyId: key.keyId }).then(
                            () => setTimeout(refetch, 300),
                            () => undefined,
                          );
                      }}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite && (
        <form className="row" onSubmit={submit} aria-label="Issue an API key">
          <input
            aria-label="Key name"
            placeholder="name (e.g. ticketing sync)"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          {roles.map((role) => (
            <label key={role} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(role)}
                onChange={(event) =>
                  setChosen((current) =>
                    event.target.checked ? [...current, role] : current.filter((r) => r !== role),
                  )
                }
              />
              {role}
            </label>
          ))}
          <label className="row dim">
            expires{' '}
            <input
              type="datetime-local"
              aria-label="Expires"
              value={expires}
              onChange={(event) => setExpires(event.target.value)}
            />
          </label>
          <button
            type="submit"
            className="primary"
            disabled={issuing.pending || !name.trim() || chosen.length === 0}
          >
            Issue key
          </button>
        </form>
      )}
      <InlineError error={issuing.error ?? revoking.error} />
    </section>
  );
};
