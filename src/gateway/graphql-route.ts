// POST/GET /graphql through Express: bounded JSON body, then Apollo Server. Repeated reads of batch
// data usually never get here: the response-cache lane in front of Express answers them.
import { expressMiddleware } from '@as-integrations/express5';
import type { ApolloServer } from '@apollo/server';
import express, { Router } from 'express';
import type { Logger } from '../infra/logger';
import { keyFromHeaders, type AuthState, type Authenticator } from './auth/authenticator';
import { bodyErrors } from './body-errors';
import { createContext, type GatewayContext, type GatewayServices } from './gateway-context';
import { LIMITS } from './input-limits';
import { ResponseCache } from './response-cache';

interface RouteDeps {
  apollo: ApolloServer<GatewayContext>;
  services: GatewayServices;
  authenticator: Authenticator;
  logger: Logger;
}

export function graphqlRouter(d: RouteDeps): Router {
  const router = Router();
  router.use(express.json({ limit: LIMITS.maxBodyBytes }));
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
        // The answer is stored under this key when the response-cache plugin finds it cacheable.
        const cacheKey = req.method === 'POST' && d.services.responseCache.enabled ? ResponseCache.keyOfBody(req.body) : null;
        return createContext(d.services, auth, requestId, logger, cacheKey);
      },
    }),
  );
  router.use(bodyErrors);
  return router;
}
