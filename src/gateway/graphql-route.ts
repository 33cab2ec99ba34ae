// /graphql through Express: GET requests and bodies the response-cache lane does not read (bigger
// than 16 KB, other content types), with body-parser's limit and errors, then Apollo.
import express, { Router } from 'express';
import { bodyErrors } from './body-errors';
import type { GraphqlHandler } from './graphql-handler';
import { LIMITS } from './input-limits';

export function graphqlRouter(handle: GraphqlHandler): Router {
  const router = Router();
  router.use(express.json({ limit: LIMITS.maxBodyBytes }));
  router.use((req, res, next) => {
    // res.locals.operation is what requestLog's line reports.
    handle(req, res, { body: req.body, requestId: String(res.locals.requestId ?? ''), log: res.locals }).catch(next);
  });
  router.use(bodyErrors);
  return router;
}
