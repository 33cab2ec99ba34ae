// /auth/session: the dashboard's sign-in. POST exchanges a read or admin API key (JSON body, so a
// cross-site form cannot sign a browser in) for an HttpOnly SameSite=Strict session cookie (Secure
// when the request came over HTTPS); GET tells the page who it is and hands it the CSRF token;
// DELETE signs out (with that token) and clears the cookie.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import express, { Router, type Response } from 'express';
import type { Logger } from '../infra/logger';
import { CSRF_HEADER, csrfVerdict, SESSION_COOKIE, type RequestAuthenticator } from './auth/request-auth';
import type { Session } from './auth/sessions';

export const SESSION_PATH = '/auth/session';

function isHttps(req: IncomingMessage): boolean {
  // x-forwarded-proto only ever adds the Secure flag, so trusting it cannot weaken the cookie.
  return (req.socket as Partial<TLSSocket>).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
}

function cookie(req: IncomingMessage, value: string, maxAgeSeconds: number): string {
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
  if (isHttps(req)) parts.push('Secure');
  return parts.join('; ');
}

const view = (s: Session) => ({ role: s.role, expiresAt: s.expiresAt.toISOString(), csrfToken: s.csrfToken });

function refuse(res: Response, status: number, error: string, message: string): void {
  res.status(status).json({ error, message });
}

export function sessionRouter(auth: RequestAuthenticator, logger: Logger): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  });

  router.post('/', express.json({ limit: '4kb' }), async (req, res, next) => {
    try {
      const key: unknown = (req.body as { key?: unknown } | undefined)?.key;
      if (!req.is('application/json') || typeof key !== 'string' || !key.trim()) {
        refuse(res, 400, 'BAD_USER_INPUT', 'send {"key": "<API key>"} as application/json');
        return;
      }
      const state = await auth.keys.authenticate(key.trim());
      if (state.kind !== 'key') {
        refuse(res, 401, 'UNAUTHENTICATED', state.kind === 'invalid' ? state.reason : 'the key could not be checked');
        return;
      }
      if (state.role === 'ingest') {
        refuse(res, 403, 'FORBIDDEN', 'an ingest key cannot sign in to the dashboard: use a read or admin key');
        return;
      }
      const { token, session } = await auth.sessions.create(state.keyId, state.role);
      logger.info({ keyId: state.keyId, role: state.role }, 'dashboard sign-in');
      res.setHeader('set-cookie', cookie(req, token, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000)));
      res.json(view(session));
    } catch (err) {
      next(err);
    }
  });

  router.get('/', async (req, res, next) => {
    try {
      const found = await auth.session(req);
      if (!found) {
        refuse(res, 401, 'UNAUTHENTICATED', 'not signed in');
        return;
      }
      res.json(view(found.session));
    } catch (err) {
      next(err);
    }
  });

  router.delete('/', async (req, res, next) => {
    try {
      const found = await auth.session(req);
      if (found && csrfVerdict(req, found.session, 'token') !== 'ok') {
        refuse(res, 403, 'FORBIDDEN', `signing out needs the session's CSRF token in the ${CSRF_HEADER} header`);
        return;
      }
      if (found) await auth.sessions.delete(found.token);
      res.setHeader('set-cookie', cookie(req, '', 0));
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });
  return router;
}
