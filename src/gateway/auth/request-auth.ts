// Who a request is: an API key in a header (Authorization or x-api-key) wins; otherwise the
// dashboard's session cookie (SameSite=Strict, so other sites' pages never send it). A cookie
// alone is not trusted against request forgery: GraphQL also needs the session's CSRF token in the
// x-csrf-token header; bull-board (whose page cannot send our header) needs a same-origin
// Origin/Referer on writes. Without that proof the cookie is ignored (the caller is anonymous).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { keyFromHeaders, originOf, type AuthState, type Authenticator } from './authenticator';
import type { Session, SessionStore } from './sessions';

export const SESSION_COOKIE = 'recs_session';
export const CSRF_HEADER = 'x-csrf-token';

export type CsrfCheck = 'token' | 'same-origin';

export function sessionToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether a write comes from a page of this gateway: Origin (or Referer) names the Host. */
export function sameOrigin(req: IncomingMessage): boolean {
  const source = req.headers.origin ?? req.headers.referer;
  if (typeof source !== 'string') return false;
  try {
    return new URL(source).host === req.headers.host;
  } catch {
    return false;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether the request proves it comes from the dashboard's own page: 'absent' means it makes no
 * such claim (the cookie is then ignored, as for any other page of this origin that calls the API),
 * 'wrong' that it claims and fails.
 */
export function csrfVerdict(
  req: IncomingMessage,
  session: Session | null,
  check: CsrfCheck,
): 'ok' | 'absent' | 'wrong' {
  if (check === 'token') {
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string') return 'absent';
    return session && sameText(sent, session.csrfToken) ? 'ok' : 'wrong';
  }
  return SAFE_METHODS.has((req.method ?? 'GET').toUpperCase()) || sameOrigin(req) ? 'ok' : 'absent';
}

export class RequestAuthenticator {
  constructor(
    readonly keys: Authenticator,
    readonly sessions: SessionStore,
  ) {}

  /** The session behind the request's cookie, or null (no cookie, expired, signed out, key revoked). */
  async session(req: IncomingMessage): Promise<{ token: string; session: Session } | null> {
    const token = sessionToken(req);
    if (token === null) return null;
    const session = await this.sessions.find(token);
    return session ? { token, session } : null;
  }

  async authenticate(req: IncomingMessage, check: CsrfCheck): Promise<AuthState> {
    const key = keyFromHeaders(req.headers);
    if (key !== null || sessionToken(req) === null) return this.keys.authenticate(key, originOf(req.headers));
    // Checked before the lookup: a request that makes no claim costs no query.
    if (csrfVerdict(req, null, check) === 'absent') return { kind: 'anonymous' };
    const found = await this.session(req);
    if (!found)
      return { kind: 'invalid', reason: 'the dashboard session has expired or was signed out; sign in again' };
    if (csrfVerdict(req, found.session, check) !== 'ok')
      return { kind: 'invalid', reason: `wrong CSRF token in the ${CSRF_HEADER} header` };
    return { kind: 'key', role: found.session.role, keyId: found.session.keyId };
  }

  /**
   * Who a WebSocket is (src/gateway/subscription-server.ts), from its upgrade request and its
   * connection_init payload. A browser sends the cookie on any page's WebSocket to this host (no
   * CORS there), so the cookie counts only from this gateway's own pages (same Origin) that also
   * send the session's CSRF token as connectionParams.csrfToken.
   */
  async authenticateSocket(
    req: IncomingMessage,
    params: Readonly<Record<string, unknown>> | undefined,
  ): Promise<AuthState> {
    const sentKey = params?.['apiKey'];
    const key = typeof sentKey === 'string' && sentKey.length ? sentKey : keyFromHeaders(req.headers);
    if (key !== null || sessionToken(req) === null) return this.keys.authenticate(key, originOf(req.headers));
    if (!sameOrigin(req))
      return { kind: 'invalid', reason: "the session cookie is accepted only from this gateway's own pages" };
    const found = await this.session(req);
    if (!found)
      return { kind: 'invalid', reason: 'the dashboard session has expired or was signed out; sign in again' };
    const sent = params?.['csrfToken'];
    if (typeof sent !== 'string' || !sameText(sent, found.session.csrfToken))
      return { kind: 'invalid', reason: 'wrong CSRF token in connectionParams.csrfToken' };
    return { kind: 'key', role: found.session.role, keyId: found.session.keyId };
  }
}
