// The app shell: asks the gateway whether this browser is signed in, shows the sign-in form when
// not, and otherwise the pages, with one GraphQL client carrying the session's CSRF token.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Provider } from 'urql';
import { signOut, type SessionInfo } from './auth/session-api';
import { SessionContext, type SessionState } from './auth/session-context';
import { createClient } from './graphql/client';
import { LiveSocketContext } from './graphql/live-socket';
import { Router } from './Router';
import { SignInPage } from './pages/SignInPage';

type Phase =
  { kind: 'checking' } | { kind: 'signed-out'; error?: string } | { kind: 'signed-in'; session: SessionInfo };

/** `session`: the session check, started before the first render (main.tsx). */
export function App({ session: checking }: { session: Promise<SessionInfo | null> }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });

  useEffect(() => {
    checking.then(
      (session) => {
        setPhase(session ? { kind: 'signed-in', session } : { kind: 'signed-out' });
      },
      (err: unknown) => {
        setPhase({ kind: 'signed-out', error: err instanceof Error ? err.message : String(err) });
      },
    );
  }, [checking]);

  const session = phase.kind === 'signed-in' ? phase.session : null;
  const { client, live } = useMemo(() => createClient(() => session?.csrfToken ?? null), [session]);
  // A new session (or sign-out) ends the old one's socket.
  useEffect(
    () => () => {
      live.dispose();
    },
    [live],
  );
  const leave = useCallback(async () => {
    if (session) await signOut(session.csrfToken);
    setPhase({ kind: 'signed-out' });
  }, [session]);
  const state: SessionState | null = useMemo(() => (session ? { session, signOut: leave } : null), [session, leave]);

  if (phase.kind === 'checking') return <p className="centered">Loading…</p>;
  if (!state)
    return (
      <SignInPage
        initialError={phase.kind === 'signed-out' ? phase.error : undefined}
        onSignedIn={(s) => {
          setPhase({ kind: 'signed-in', session: s });
        }}
      />
    );
  return (
    <SessionContext.Provider value={state}>
      <Provider value={client}>
        <LiveSocketContext.Provider value={live}>
          <Router />
        </LiveSocketContext.Provider>
      </Provider>
    </SessionContext.Provider>
  );
}
