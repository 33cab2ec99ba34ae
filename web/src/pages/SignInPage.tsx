// Sign in with a read or admin API key. The key goes to the gateway once and is exchanged for a
// session cookie; it is never stored in the browser.
import { useState, type SyntheticEvent } from 'react';
import { signIn, type SessionInfo } from '../auth/session-api';

export function SignInPage({
  onSignedIn,
  initialError,
}: {
  onSignedIn: (s: SessionInfo) => void;
  initialError?: string | undefined;
}) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(initialError ?? null);
  const [busy, setBusy] = useState(false);

  const submit = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    signIn(key.trim()).then(
      (s) => {
        setKey('');
        onSignedIn(s);
      },
      (err: unknown) => {
        setBusy(false);
        setError(err instanceof Error ? err.message : String(err));
      },
    );
  };

  return (
    <main className="sign-in" id="main">
      <h1>storefront-recs</h1>
      <p>Sign in with an API key: a read key shows everything, an admin key can also start runs and change settings.</p>
      <form onSubmit={submit}>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          placeholder="rk_…"
          value={key}
          onChange={(e) => {
            setKey(e.target.value);
          }}
        />
        <button type="submit" disabled={busy || !key.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
      <p className="hint">
        Make a key with <code>npx recs apikey create --role admin</code>; <code>npm run demo</code> prints one.
      </p>
    </main>
  );
}
