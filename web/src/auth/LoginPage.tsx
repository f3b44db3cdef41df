import { type FormEvent, useState } from 'react';
import { InlineError } from '../components/states';
import { useClient } from '../graphql/client-context';
import { useAuth } from './auth-context';
import { LoginMutation } from './session';

/** Email and password for a session; the role and permissions come back with it. */
export const LoginPage = () => {
  const client = useClient();
  const { signIn } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const { login } = await client.anonymous(LoginMutation, { email: email.trim(), password });
      signIn(login);
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="login">
      <form className="panel" onSubmit={submit} aria-label="Sign in">
        <div className="brand" style={{ fontSize: 22 }}>
          Net<span>Pulse</span>
        </div>
        <label className="field">
          Email
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label className="field">
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <InlineError error={error} />
        <button type="submit" className="primary" disabled={pending || !email || !password}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
};
