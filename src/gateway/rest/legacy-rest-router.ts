// The old system's REST API (REFERENCE.md), so its clients switch by changing their base URL:
// GET /api/v1/personalize/recommendations/{user_id}, /similar-items/{product_id},
// /item-affinity/{user_id}, with the old response shapes (the cache tables' columns:
// `recommendations` / `similar_products` / `item_affinities` as [{product_id, score}], recipe_name,
// updated_at), each item with its `reason` {kind, product_ids, text, count}. They call the same RecommendationService as GraphQL (same hot layer, fallbacks and
// fill rule), take the filters as query parameters, and check the same API keys. The extra fields
// (source, fallback, recommendation_id, model_version, batch_version) are additions an old client
// ignores. /api/v1/openapi.json describes them.
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Config } from '../../config/config';
import type { Logger } from '../../infra/logger';
import { HotLayerUnavailableError, type ProductRow, type RecommendationSource } from '../../results';
import { isDatabaseUnavailable } from '../../serving/database-unavailable';
import type { ExperimentLists, ServedList } from '../../serving/experiment-lists';
import { itemReason, reasonProductIds } from '../../serving/item-reason';
import type { RecommendationService } from '../../serving/recommendation-service';
import { ServingUnavailableError } from '../../serving/serving-unavailable-error';
import {
  authorize,
  authorizeCustomerData,
  CUSTOMER_DATA_REFUSAL,
  keyFromHeaders,
  originOf,
  type AuthState,
  type Authenticator,
} from '../auth/authenticator';
import { limitPublishable, type RequestLimiter } from '../auth/request-limiter';
import type { GatewayMetrics } from '../metrics';
import { openApiDocument, OPENAPI_PATH } from './openapi-document';
import { restFilter, restId, restLimit } from './rest-params';

export const REST_PREFIX = '/api/v1/personalize';

/** The recipe whose output a list's leading items are (the old API's recipe_name). */
const RECIPE_OF: Record<RecommendationSource, string> = {
  PERSONALIZED: 'user-personalization',
  SIMILAR_ITEMS: 'similar-items',
  ITEM_AFFINITY: 'item-affinity',
  PERSONALIZED_RANKING: 'personalized-ranking',
  CACHED_SCORES: 'user-personalization',
  POPULAR: 'popularity-count',
  POPULAR_IN_PROVINCE: 'popularity-count',
  POPULAR_IN_CATEGORY: 'popularity-count',
  // Re-ranked by recent activity: its blended-in items come from the similar-items lists.
  REALTIME: 'similar-items',
  // Products added since the batch: neighbours by category and price (no model yet).
  CATEGORY_NEIGHBOURS: 'similar-items',
};

export interface LegacyRestDeps {
  config: Config;
  recs: RecommendationService;
  experimentLists: ExperimentLists;
  authenticator: Authenticator;
  publishableLimiter: RequestLimiter;
  metrics: GatewayMetrics;
  logger: Logger;
}

class RestRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sendError(res: Response, status: number, code: string, message: string, extra: object = {}): void {
  res
    .status(status)
    .setHeader('cache-control', 'no-store')
    .json({ error: code, message, ...extra });
}

/**
 * The old row shape: the list's items as [{product_id, score}] plus each item's reason (the same
 * mapping as GraphQL's RecommendationItem.reason, src/serving/item-reason.ts) and where they came from.
 */
async function body(d: LegacyRestDeps, served: ServedList, primary: RecommendationSource) {
  const { built, assignment } = served;
  const loadedAt = d.recs.batch.version === built.batchVersion ? d.recs.batch.loadedAt : null;
  const named = await d.recs.reasonProducts(built.items.flatMap((i) => reasonProductIds(i.reason)));
  const products = new Map<string, ProductRow | null>(named);
  return {
    items: built.items.map((i) => {
      const r = itemReason(i, products);
      return {
        product_id: i.product.id,
        score: i.score,
        reason: { kind: r.kind, product_ids: r.productIds, text: r.text, count: r.count },
      };
    }),
    meta: {
      recipe_name: RECIPE_OF[built.source],
      updated_at: loadedAt ? loadedAt.toISOString() : null,
      source: built.source,
      fallback: built.source !== primary,
      recommendation_id: `${assignment?.idPrefix ?? ''}${randomUUID()}`,
      model_version: built.modelVersion,
      batch_version: built.batchVersion,
      experiment: assignment
        ? { experiment_id: assignment.experimentId, variant: assignment.variant.key, measured: assignment.measured }
        : null,
    },
  };
}

export function legacyRestRouter(d: LegacyRestDeps): Router {
  const router = Router();
  const production = !d.config.devMode;

  const endpoint =
    (operation: string, answer: (req: Request, auth: AuthState) => Promise<object>) =>
    async (req: Request, res: Response) => {
      const started = process.hrtime.bigint();
      res.locals.operation = `rest:${operation}`;
      try {
        const auth = await d.authenticator.authenticate(keyFromHeaders(req.headers), originOf(req.headers));
        const limited = await limitPublishable(d.publishableLimiter, auth, req.socket.remoteAddress);
        if (!limited.ok) {
          res.setHeader('retry-after', String(limited.retryAfterSeconds));
          throw new RestRefusal(
            429,
            'RATE_LIMITED',
            `too many requests from this address; retry in ${limited.retryAfterSeconds} s`,
          );
        }
        const verdict = authorize(auth, 'read', d.config.api.readAuth);
        if (verdict === 'UNAUTHENTICATED')
          throw new RestRefusal(401, verdict, 'a valid API key is required: send "Authorization: Bearer <key>"');
        if (verdict === 'FORBIDDEN') throw new RestRefusal(403, verdict, 'this needs a key with role read');
        const result = await answer(req, auth);
        res.setHeader('cache-control', 'no-store');
        res.json(result);
      } catch (err) {
        if (err instanceof RestRefusal) sendError(res, err.status, err.code, err.message);
        else if (err instanceof GraphQLError && err.extensions.code === 'BAD_USER_INPUT')
          sendError(res, 400, 'BAD_USER_INPUT', err.message, { argument: err.extensions.argument });
        else if (
          err instanceof ServingUnavailableError ||
          err instanceof HotLayerUnavailableError ||
          isDatabaseUnavailable(err)
        ) {
          res.setHeader('retry-after', '5');
          sendError(res, 503, 'SERVICE_UNAVAILABLE', 'a dependency is down and nothing cached can answer; retry later');
        } else {
          d.logger.error({ err, operation }, 'REST request failed');
          sendError(
            res,
            500,
            'INTERNAL_SERVER_ERROR',
            production ? 'internal error; see the gateway log' : String(err),
          );
        }
      } finally {
        d.metrics.observeRequest(`rest:${operation}`, Number(process.hrtime.bigint() - started) / 1e9, 'executed');
      }
    };

  router.get(
    '/recommendations/:user_id',
    endpoint('recommendations', async (req, auth) => {
      const userId = restId('user_id', req.params.user_id);
      const filter = restFilter(req.query, true);
      // What the customer bought shows through exclude_interacted: customer data (authorizeCustomerData).
      if (filter?.excludeInteracted) {
        const verdict = authorizeCustomerData(auth);
        if (verdict !== 'ok')
          throw new RestRefusal(verdict === 'FORBIDDEN' ? 403 : 401, verdict, CUSTOMER_DATA_REFUSAL);
      }
      const served = await d.experimentLists.serve('REST', userId, { limit: restLimit(req.query), filter }, (r) =>
        d.recs.forUser('userRecommendations', userId, r),
      );
      const { items, meta } = await body(d, served, 'PERSONALIZED');
      return { user_id: userId, recommendations: items, ...meta };
    }),
  );
  router.get(
    '/similar-items/:product_id',
    endpoint('similar-items', async (req) => {
      const productId = restId('product_id', req.params.product_id);
      const session = typeof req.query.session_id === 'string' ? restId('session_id', req.query.session_id) : null;
      const served = await d.experimentLists.serve(
        'REST',
        session,
        { limit: restLimit(req.query), filter: restFilter(req.query, false) },
        (r) => d.recs.similar(productId, r),
      );
      const { items, meta } = await body(d, served, 'SIMILAR_ITEMS');
      return { product_id: productId, similar_products: items, ...meta };
    }),
  );
  router.get(
    '/item-affinity/:user_id',
    endpoint('item-affinity', async (req) => {
      const userId = restId('user_id', req.params.user_id);
      const built = await d.recs.forUser('itemAffinity', userId, { limit: restLimit(req.query), filter: null });
      const { items, meta } = await body(d, { built, assignment: null, exposure: null }, 'ITEM_AFFINITY');
      return { user_id: userId, item_affinities: items, ...meta };
    }),
  );
  router.use((req, res) => {
    sendError(res, 404, 'NOT_FOUND', `no endpoint ${req.method} ${REST_PREFIX}${req.path}; see ${OPENAPI_PATH}`);
  });
  return router;
}

/** GET /api/v1/openapi.json: the document, built once. */
export function openApiRoute(): Router {
  const router = Router();
  const doc = JSON.stringify(openApiDocument());
  router.get(OPENAPI_PATH, (_req, res) => {
    res.type('application/json').send(doc);
  });
  return router;
}
