// The gateway's outermost API handler (inside CORS, so a browser can read the refusal): every
// request to /graphql and /api/ passes admission control (admission.ts) before anything else runs:
// before its body is read, parsed or validated, before the rate limits and the response cache. Its
// class comes from its credential as the authenticator already knows it (memory; a key not seen in
// the last 10 s is looked up first, as the rate limiter would). A shed request is answered 503 with
// Retry-After and the GraphQL error code OVERLOADED (REST: {"error":"OVERLOADED"}). The ops routes
// (/health, /ready, /metrics), webhooks and dashboards are never shed.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../infra/logger';
import type { Admission, AdmissionClass, ShedReason } from './admission';
import { keyFromHeaders, originOf, type Authenticator, type AuthState } from './auth/authenticator';

/** What a shed client is told to wait before retrying (a slot frees within milliseconds; the flood may last). */
export const SHED_RETRY_AFTER_SECONDS = 1;

/** The APIs (GraphQL, REST): the paths the rate limits count too. */
export function isApiPath(url: string | undefined): boolean {
  return url !== undefined && (url.startsWith('/graphql') || url.startsWith('/api/'));
}

export function admissionClassOf(state: AuthState | undefined): AdmissionClass {
  if (state?.kind === 'key') return 'key';
  // A key the database could not check may be valid: below the secret keys, above anonymous.
  if (state?.kind === 'publishable' || state?.kind === 'unchecked') return 'publishable';
  return 'anonymous';
}

function refuse(req: IncomingMessage, res: ServerResponse): void {
  const message = `the gateway is overloaded; retry in ${SHED_RETRY_AFTER_SECONDS} s`;
  const extensions = { code: 'OVERLOADED', retryAfterSeconds: SHED_RETRY_AFTER_SECONDS };
  const body = JSON.stringify(
    req.url?.startsWith('/graphql')
      ? { errors: [{ message, extensions }] }
      : { error: 'OVERLOADED', message, retryAfterSeconds: SHED_RETRY_AFTER_SECONDS },
  );
  // The body is left unread: Node discards it after the answer and keeps the connection.
  res.writeHead(503, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'retry-after': String(SHED_RETRY_AFTER_SECONDS),
    'cache-control': 'no-store',
  });
  res.end(body);
}

export interface SheddingDeps {
  admission: Admission;
  authenticator: Authenticator;
  logger: Logger;
  /** Counts each shed request (metrics). */
  onShed: (cls: AdmissionClass, reason: ShedReason) => void;
}

export function shedding(d: SheddingDeps, next: RequestListener): RequestListener {
  const enter = (cls: AdmissionClass, req: IncomingMessage, res: ServerResponse): void => {
    const cancel = d.admission.admit(
      cls,
      (release) => {
        // 'close' comes once the answer is sent or the client has gone, whichever is first.
        res.once('close', release);
        next(req, res);
      },
      (reason) => {
        d.onShed(cls, reason);
        d.logger.debug({ cls, reason, url: req.url }, 'request shed');
        if (!res.destroyed) refuse(req, res);
      },
    );
    res.once('close', cancel);
  };
  return (req, res) => {
    if (!isApiPath(req.url)) {
      next(req, res);
      return;
    }
    const key = keyFromHeaders(req.headers);
    const origin = originOf(req.headers);
    const known = d.authenticator.peek(key, origin);
    if (known !== undefined) {
      enter(admissionClassOf(known), req, res);
      return;
    }
    d.authenticator.authenticate(key, origin).then(
      (state) => {
        enter(admissionClassOf(state), req, res);
      },
      (err: unknown) => {
        d.logger.debug({ err }, 'API key could not be checked for admission');
        enter('publishable', req, res);
      },
    );
  };
}
