// Who is signed in, for every page: the role decides which buttons exist (a read session sees, an
// admin session also acts; the gateway enforces the same).
import { createContext, useContext } from 'react';
import type { SessionInfo } from './session-api';

export interface SessionState {
  session: SessionInfo;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside a signed-in page');
  return state;
}

export function useCanAct(): boolean {
  return useSession().session.role === 'admin';
}
