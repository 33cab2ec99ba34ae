// The gateway's sign-in endpoint (/auth/session): the key is sent once, the browser keeps only an
// HttpOnly cookie the page cannot read, and the page keeps the CSRF token in memory.
export type Role = 'read' | 'ingest' | 'admin';

export interface SessionInfo {
  role: Role;
  expiresAt: string;
  csrfToken: string;
}

async function problem(res: Response): Promise<Error> {
  try {
    const body = (await res.json()) as { message?: string };
    return new Error(body.message ?? `HTTP ${res.status}`);
  } catch {
    return new Error(`HTTP ${res.status}`);
  }
}

export async function currentSession(): Promise<SessionInfo | null> {
  const res = await fetch('/auth/session', { credentials: 'same-origin' });
  if (res.status === 401) return null;
  if (!res.ok) throw await problem(res);
  return (await res.json()) as SessionInfo;
}

export async function signIn(key: string): Promise<SessionInfo> {
  const res = await fetch('/auth/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key }),
  });
  if (!res.ok) throw await problem(res);
  return (await res.json()) as SessionInfo;
}

export async function signOut(csrfToken: string): Promise<void> {
  const res = await fetch('/auth/session', {
    method: 'DELETE',
    credentials: 'same-origin',
    headers: { 'x-csrf-token': csrfToken },
  });
  if (!res.ok) throw await problem(res);
}
