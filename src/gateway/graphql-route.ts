// POST/GET /graphql: bounded JSON body, the response-cache fast path, then Apollo Server.
import { expressMiddleware } from '@as-integrations/express5';
import type { ApolloServer } from '@apollo/server';
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Logger } from '../infra/logger';
import { authorize, keyFromHeaders, type AuthState, type Authenticator } from './auth/authenticator';
import { createContext, type GatewayContext, type GatewayServices } from './gateway-context';
import { LIMITS } from './input-limits';
import type { GatewayMetrics } from './metrics';
import { ResponseCache } from './response-cache';

interface RouteDeps {
  apollo: ApolloServer<GatewayContext>;
  services: GatewayServices;
  authenticator: Authenticator;
  metrics: GatewayMetrics;
  logger: Logger;
  batchVersion: () => number;
}

const MAX_CACHEABLE_QUERY = 4_096;

function fastPath(d: RouteDeps): RequestHandler {
  const { responseCache } = d.services;
  const readAuth = d.services.config.api.readAuth;
  return (req, res, next) => {
    const body: unknown = req.body;
    if (req.method !== 'POST' || !responseCache.enabled || typeof body !== 'object' || body === null) return next();
    const { query, variables, operationName } = body as Record<string, unknown>;
    // Big documents (recordEvents batches) are never cached; skip the key work for them.
    if (typeof query !== 'string' || query.length > MAX_CACHEABLE_QUERY || query.startsWith('mutation')) return next();
    const started = process.hrtime.bigint();
    const key = ResponseCache.key(query, variables, operationName);
    res.locals.responseCacheKey = key;
    const auth = d.authenticator.peek(keyFromHeaders(req.headers));
    // Unknown keys and refusals go through Apollo, which authenticates and explains.
    if (!auth || authorize(auth, 'read', readAuth) !== 'ok') return next();
    const hit = responseCache.render(key, d.batchVersion());
    if (!hit) return next();
    res.locals.operation = hit.operation;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': hit.body.length });
    res.end(hit.body);
    d.metrics.observeRequest(hit.operation, Number(process.hrtime.bigint() - started) / 1e9, 'response-cache');
  };
}

/** Body-parser failures (too large, not JSON) answered in GraphQL's error shape. */
const bodyErrors: ErrorRequestHandler = (err: { type?: string; status?: number; message?: string }, _req, res, next) => {
  if (err?.type === 'entity.too.large') {
    res.status(413).json({ errors: [{ message: `request body exceeds ${LIMITS.maxBodyBytes} bytes`, extensions: { code: 'BAD_USER_INPUT' } }] });
  } else if (err?.type === 'entity.parse.failed') {
    res.status(400).json({ errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }] });
  } else {
    next(err);
  }
};

export function graphqlRouter(d: RouteDeps): Router {
  const router = Router();
  router.use(express.json({ limit: LIMITS.maxBodyBytes }));
  router.use(fastPath(d));
  router.use(
    expressMiddleware(d.apollo, {
      context: async ({ req, res }) => {
        const key = keyFromHeaders(req.headers);
        let auth: AuthState;
        try {
          auth = await d.authenticator.authenticate(key);
        } catch (err) {
          d.logger.warn({ err }, 'API key check failed');
          auth = { kind: 'unchecked', reason: 'the API key could not be checked (database unavailable)' };
        }
        const requestId = String(res.locals.requestId ?? '');
        const logger = d.logger.child({ requestId });
        return createContext(d.services, auth, requestId, logger, (res.locals.responseCacheKey as string | undefined) ?? null);
      },
    }),
  );
  router.use(bodyErrors);
  return router;
}
