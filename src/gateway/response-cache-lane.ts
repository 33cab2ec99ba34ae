// The response-cache lane: the HTTP server's own request handler, in front of the Express app. It
// reads the small JSON bodies POSTed to /graphql (cacheable reads are small) and answers a cached
// read itself: one JSON.parse, a Map lookup and one Buffer, without Express's router, middleware
// chain and body parser, so the server allocates (and the garbage collector pauses) far less per
// request. A body it has read and cannot answer from the cache goes straight to Apollo
// (graphql-handler.ts); every other request (other routes, GET, big bodies) goes to Express unchanged.
// An answer made with recent activity is served only once Redis confirms its activity versions.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../infra/logger';
import { authorize, keyFromHeaders, originOf, type Authenticator } from './auth/authenticator';
import { sendBodyProblem } from './body-errors';
import type { GraphqlHandler } from './graphql-handler';
import type { GatewayMetrics } from './metrics';
import { trackRequest } from './request-log';
import type { ActivityCheck, RenderedResponse, ResponseCache } from './response-cache';

export interface LaneDeps {
  cache: ResponseCache;
  authenticator: Authenticator;
  readAuth: 'open' | 'key';
  batchVersion: () => number;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Executes what the cache cannot answer. */
  graphql: GraphqlHandler;
  /**
   * Whether an answer made at these activity versions is still current (one Redis read); absent
   * without re-ranking (no answer then carries a check).
   */
  activityCurrent?: (check: ActivityCheck) => Promise<boolean>;
}

const INTERNAL = JSON.stringify({
  errors: [{ message: 'internal error; see the gateway log', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
});

/** Cacheable reads are small; bigger bodies (recordEvents batches) go straight to Express. */
const MAX_LANE_BODY = 16 * 1024;
const JSON_TYPE = /^application\/json\s*(?:;\s*charset="?utf-8"?\s*)?$/i;

/** Whether the lane reads this request's body (else Express gets the request untouched). */
function laneTakes(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || req.url !== '/graphql' || req.headers['content-encoding'] !== undefined) return false;
  const type = req.headers['content-type'];
  const length = Number(req.headers['content-length']);
  return typeof type === 'string' && JSON_TYPE.test(type) && length > 0 && length <= MAX_LANE_BODY;
}

export function responseCacheLane(d: LaneDeps, fallThrough: RequestListener): RequestListener {
  const serve = (req: IncomingMessage, res: ServerResponse, raw: Buffer, started: number): void => {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      trackRequest(d.logger, req, res, () => undefined);
      sendBodyProblem(res, 'not-json');
      return;
    }
    const key = d.cache.enabled ? d.cache.keyOfBody(body) : null;
    // Unknown API keys and refusals go to Apollo, which authenticates and explains; so do
    // publishable keys, whose requests count against their IP's rate limit there.
    const auth = key === null ? undefined : d.authenticator.peek(keyFromHeaders(req.headers), originOf(req.headers));
    const found =
      key !== null && auth && auth.kind !== 'publishable' && authorize(auth, 'read', d.readAuth) === 'ok'
        ? d.cache.find(key, d.batchVersion())
        : null;
    if (!found) {
      execute(req, res, body, key);
      return;
    }
    const check = found.check;
    if (!check) {
      reply(req, res, d.cache.serve(found), started);
      return;
    }
    const current = d.activityCurrent ? d.activityCurrent(check) : Promise.resolve(false);
    current.then(
      (ok) => {
        if (ok) reply(req, res, d.cache.serve(found), started);
        else {
          d.cache.stale(found);
          execute(req, res, body, key);
        }
      },
      (err: unknown) => {
        d.logger.error({ err }, 'response-cache activity check failed');
        d.cache.stale(found);
        execute(req, res, body, key);
      },
    );
  };

  const execute = (req: IncomingMessage, res: ServerResponse, body: unknown, key: string | null): void => {
    const log: { operation?: unknown } = {};
    const requestId = trackRequest(d.logger, req, res, () => log.operation);
    // The key computed above goes along: the handler need not compute it again.
    d.graphql(req, res, { body, requestId, log, cacheKey: key }).catch((err: unknown) => {
      d.logger.error({ err, requestId }, 'GraphQL request failed');
      if (res.headersSent) return res.destroy();
      res.writeHead(500, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(INTERNAL),
      });
      res.end(INTERNAL);
    });
  };

  const reply = (req: IncomingMessage, res: ServerResponse, hit: RenderedResponse, started: number): void => {
    trackRequest(d.logger, req, res, () => hit.operation);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': hit.body.length,
      'cache-control': 'no-store',
    });
    res.end(hit.body);
    d.metrics.observeRequest(hit.operation, (performance.now() - started) / 1e3, 'response-cache');
  };

  return (req, res) => {
    if (!laneTakes(req)) {
      fallThrough(req, res);
      return;
    }
    const started = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      serve(req, res, chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks), started);
    });
    // A client that goes away mid-body: nothing to answer, and its socket is already closing.
    req.once('error', (err) => {
      d.logger.debug({ err }, 'request body aborted');
      res.destroy();
    });
  };
}
