// Builds the gateway: Express 5 app with /health /ready /metrics, extra routers, the queue
// dashboard (admin key), and /graphql (Apollo Server 5) over the serving layer.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { Queue } from 'bullmq';
import express, { type RequestHandler } from 'express';
import { connectDedicated } from '../db/database';
import { createRedis } from '../infra/redis';
import { QUEUE, QUEUE_NAMES, type EventsForwardJobData } from '../queues/registry';
import { resolvers } from '../resolvers';
import {
  BatchTracker,
  HotCache,
  HotLayerUnavailableError,
  HotResultStore,
  PostgresResultStore,
  RedisMemoryBudget,
} from '../results';
import { createApiKey, listApiKeys, revokeApiKey } from '../gateway/auth/api-keys';
import { AdminReads } from '../serving/admin-reads';
import { DashboardReads } from '../serving/dashboard-reads';
import { CatalogRepository } from '../serving/catalog-repository';
import { CatalogueRanking } from '../serving/catalogue-ranking';
import { EventIngest } from '../serving/event-ingest';
import { RankingService } from '../serving/ranking-service';
import { RecommendationService } from '../serving/recommendation-service';
import { RealtimeReranker } from '../serving/realtime-reranker';
import { RecentActivity, userSubject } from '../serving/recent-activity';
import { subscribeActivityChanges } from '../serving/activity-subscriber';
import { NEW_PRODUCTS_REFRESH_MS, NewProducts, POPULAR_LISTS_TAG, similarItemsTag } from '../serving/new-products';
import { ServingUnavailableError } from '../serving/serving-unavailable-error';
import { InvalidPipelineRequestError, RunEnqueueError, RunNotFoundError } from '../pipeline/pipeline-service';
import { RedisUnavailableError } from '../infra/redis-circuit';
import { RunChanges } from '../pipeline/run-changes';
import { RunProgressFeed } from '../pipeline/run-progress-feed';
import { WebhookAdmin } from '../serving/webhook-admin';
import { eraseCustomers } from '../privacy/customer-erasure';
import { bullWebhookQueue } from '../queues/webhook-queue';
import { authorize, Authenticator } from '../gateway/auth/authenticator';
import { CorsPolicy, withCors } from '../gateway/cors';
import { RequestAuthenticator } from '../gateway/auth/request-auth';
import { SessionStore } from '../gateway/auth/sessions';
import { dashboardRouter, defaultDashboardDir, WEB_APP_PATH } from '../gateway/dashboard-route';
import type { GatewayContext, GatewayServices } from '../gateway/gateway-context';
import type { Gateway, GatewayDeps } from '../gateway/gateway-deps';
import { createGraphqlHandler } from '../gateway/graphql-handler';
import { graphqlRouter } from '../gateway/graphql-route';
import { LIMITS } from '../gateway/input-limits';
import { GatewayMetrics } from '../gateway/metrics';
import { operationLimitsPlugin } from '../gateway/operation-limits.plugin';
import { opsRouter } from '../gateway/ops-routes';
import { Admission } from '../gateway/admission';
import { shedding } from '../gateway/load-shedding';
import { rateLimited, RequestRateLimiter } from '../gateway/rate-limit';
import { DASHBOARD_PATH, queueDashboard } from '../gateway/queue-dashboard';
import { requestLog } from '../gateway/request-log';
import { legacyRestRouter, openApiRoute, REST_PREFIX } from '../gateway/rest/legacy-rest-router';
import { ResponseCache, type ActivityCheck } from '../gateway/response-cache';
import { experimentsRouter } from '../gateway/experiments-routes';
import { ExperimentService, ExperimentStore, ExposureRecorder, ServingExperiments } from '../experiments';
import { ExperimentLists } from '../serving/experiment-lists';
import { responseCacheLane } from '../gateway/response-cache-lane';
import { responseCachePlugin } from '../gateway/response-cache.plugin';
import { SESSION_PATH, sessionRouter } from '../gateway/session-routes';
import { loadTypeDefs } from '../gateway/schema-loader';
import { attachSubscriptionServer, type SubscriptionServer } from '../gateway/subscription-server';
import { warmUp } from '../gateway/warm-up';

export interface GatewayHandle extends Gateway {
  readonly services: GatewayServices;
  readonly metrics: GatewayMetrics;
  /** Re-reads the batch version now (the background refresh does it every second). */
  refreshBatchVersion(): Promise<number>;
}

function inputErrorCode(err: unknown): 'BAD_USER_INPUT' | 'NOT_FOUND' | null {
  if (err instanceof InvalidPipelineRequestError) return 'BAD_USER_INPUT';
  if (err instanceof RunNotFoundError) return 'NOT_FOUND';
  return null;
}

export async function createGateway(deps: GatewayDeps): Promise<GatewayHandle> {
  const { config, logger, db } = deps;
  const prefix = config.redis.prefix;
  const ownRedis = deps.redis === undefined ? createRedis(config, 'request') : null;
  const redis = deps.redis === undefined ? ownRedis : deps.redis;
  let ownQueueConnection: ReturnType<typeof createRedis> | null = null;
  let queues = deps.queues;
  if (!queues) {
    const connection = createRedis(config, 'producer');
    ownQueueConnection = connection;
    queues = QUEUE_NAMES.map((name) => new Queue(name, { connection, prefix }));
  }

  const tracker = new BatchTracker(db.pool, redis, prefix, logger, deps.batchVersionRefreshMs);
  const catalog = new CatalogRepository(db.pool);
  const budget = new RedisMemoryBudget(redis, config.cache.hotMaxMb * 1024 * 1024, logger);
  const hot = new HotCache(redis, prefix, config.cache.ttlSeconds, logger, {
    negativeEntries: config.cache.negativeEntries,
    negativeTtlMs: config.cache.negativeTtlSeconds * 1000,
    mayWrite: (bytes) => budget.take(bytes),
  });
  const results = new HotResultStore(hot, new PostgresResultStore(db.pool, catalog));
  const catalogueRanking = new CatalogueRanking(
    db.pool,
    logger,
    config.serving.catalogueMaxProducts,
    config.serving.catalogueRefreshSeconds * 1000,
  );
  const rt = config.realtime;
  const activity = rt.enabled
    ? new RecentActivity(
        redis,
        prefix,
        { maxEvents: rt.maxEvents, ttlSeconds: rt.ttlSeconds, maxSubjects: rt.maxSubjects },
        logger,
      )
    : null;
  // Products added since the batch: neighbours by category and price, and their sales in popular lists.
  const newProducts = rt.enabled
    ? new NewProducts(db.pool, catalogueRanking, logger, () => tracker.current, {
        maxProducts: rt.maxNewProducts,
        neighbours: rt.neighbours,
        refreshMs: NEW_PRODUCTS_REFRESH_MS,
      })
    : null;
  const reranker = activity
    ? new RealtimeReranker(
        activity,
        {
          halfLifeMs: rt.halfLifeMs,
          neighbours: rt.neighbours,
          maxEvents: rt.maxEvents,
          excludePurchased: config.engine.excludePurchased,
        },
        (productId) => newProducts?.neighboursOf(productId) ?? catalogueRanking.related(productId, rt.neighbours),
      )
    : null;
  const recs = new RecommendationService(
    results,
    hot,
    catalog,
    catalogueRanking,
    tracker,
    logger,
    reranker,
    newProducts,
  );
  const responseCache = new ResponseCache(
    deps.responseCacheEntries ?? config.cache.responseEntries,
    config.cache.responseMb * 1024 * 1024,
  );
  // An event drops its subjects' cached answers here at once (before its ack), and in every other
  // gateway when the broadcast arrives. Correctness does not rest on the broadcast: an answer made
  // with recent activity is served only while its subjects' versions in Redis are unchanged.
  activity?.onChange((subjects) => {
    responseCache.forget(subjects);
  });
  const activityFeed =
    activity && redis
      ? subscribeActivityChanges(config, activity.channel, logger, {
          changed: (subjects) => {
            responseCache.forget(subjects);
          },
        })
      : null;
  const activityCurrent = activity
    ? async (check: ActivityCheck): Promise<boolean> => {
        try {
          const now = await activity.versions(check.subjects);
          return now.every((v, i) => v === check.versions[i]);
        } catch (err) {
          // Redis unreachable: a fresh answer could not read the activity either (it would be the
          // batch list), so the copy is no staler, and serving it keeps the outage off PostgreSQL.
          logger.debug({ err }, 'activity versions unavailable; serving the cached answer');
          return true;
        }
      }
    : undefined;
  tracker.onChange(() => {
    responseCache.clear();
    catalogueRanking.refreshInBackground();
  });
  // Each gateway re-reads the new products itself (PostgreSQL), so no broadcast is needed: the
  // answers a change affects go here within NEW_PRODUCTS_REFRESH_MS, in every gateway alike.
  newProducts?.onChange((change) => {
    responseCache.forget([...change.products.map(similarItemsTag), ...(change.popular ? [POPULAR_LISTS_TAG] : [])]);
  });
  // A product archived, deleted or sold out leaves every answer at once, cached ones included.
  catalogueRanking.onUnavailableChange(() => {
    responseCache.clear();
  });
  const forwardQueue = queues.find((q) => q.name === QUEUE.eventsForward);
  const enqueueForward =
    config.aws.trackingId && forwardQueue
      ? async (data: EventsForwardJobData) => {
          // The queue's connection waits through Redis outages; a request must not.
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              reject(new Error(`${QUEUE.eventsForward} queue did not answer within 2 s`));
            }, 2_000);
          });
          try {
            await Promise.race([forwardQueue.add(QUEUE.eventsForward, data), timeout]);
          } finally {
            clearTimeout(timer);
          }
        }
      : null;
  const admin = new AdminReads(db.pool);
  // The overview's coverage scan takes about a second at the reference size (bench/dashboard):
  // computed at start (the warm-up below) and at every batch change, no dashboard load waits for it.
  const computeCoverageAhead = (version: number | undefined): void => {
    admin.coverage(version).catch((err: unknown) => {
      logger.warn({ err }, 'coverage could not be computed ahead');
    });
  };
  tracker.onChange((batch) => {
    computeCoverageAhead(batch.version);
  });
  const exposures = new ExposureRecorder(db.pool, logger, {
    flushMs: config.experiments.exposureFlushMs,
    maxPendingLists: config.experiments.exposureMaxPending,
  });
  const servingExperiments = new ServingExperiments(
    new ExperimentStore(db),
    logger,
    config.experiments.refreshSeconds * 1000,
  );
  const experimentLists = new ExperimentLists(servingExperiments, recs, exposures);
  responseCache.epochOf = () => servingExperiments.epoch;
  responseCache.onReplay = (list) => {
    const at = Date.now();
    for (const e of list) experimentLists.replay(e, at);
  };
  // Live run progress for the runProgress subscription; a run's worker may be another process.
  const runChanges = new RunChanges(() => connectDedicated(config, 'run-changes'), db.schema, logger);
  const webhooksQueue = queues.find((q) => q.name === QUEUE.webhooks);
  if (!webhooksQueue) throw new Error(`the gateway needs the ${QUEUE.webhooks} queue`);
  const services: GatewayServices = {
    config,
    recs,
    ranking: new RankingService(deps.ranker ?? null, recs, catalogueRanking, catalog, logger),
    events: new EventIngest(db.pool, enqueueForward, logger, 1, activity),
    activity,
    admin,
    dashboard: new DashboardReads(db.pool),
    apiKeys: {
      list: () => listApiKeys(db.pool),
      create: (role, name) => createApiKey(db.pool, role, name),
      revoke: (id) => revokeApiKey(db.pool, id),
    },
    catalog,
    catalogueRanking,
    pipeline: deps.pipeline,
    watchRun: (id) =>
      new RunProgressFeed(id, {
        changes: runChanges,
        read: (runId) => deps.pipeline.getRun(runId),
        safetyPollMs: 15_000,
      }),
    hot,
    responseCache,
    webhooks: new WebhookAdmin(db.pool, bullWebhookQueue(webhooksQueue, config), logger),
    // A change made through this gateway serves at once; other gateways see it within EXPERIMENTS_REFRESH_SECONDS.
    experiments: new ExperimentService(db, () => servingExperiments.refresh()),
    experimentLists,
    async eraseCustomer(customerId) {
      const counts = await eraseCustomers({ db, redis, prefix, logger }, [customerId], 'admin request');
      await activity?.forget([userSubject(customerId)]);
      responseCache.clear();
      return counts;
    },
  };
  const metrics = new GatewayMetrics({
    hot,
    responseCache,
    admin,
    queues,
    batchVersion: () => tracker.current.version,
    activityFeedLosses: () => activityFeed?.losses ?? 0,
    logger,
  });
  const authenticator = new Authenticator(db.pool, logger, deps.authCacheMs);
  // One limiter for every limit: shared by all gateways through Redis, in memory while it cannot answer.
  const limiter = new RequestRateLimiter(
    redis,
    prefix,
    { ...config.rateLimit, publishablePerMinute: config.api.publishableRatePerMinute },
    logger,
  );
  const publishableLimiter = deps.publishableLimiter ?? limiter.publishable();
  const corsPolicy = new CorsPolicy(config.api.corsOrigins, db.pool, logger, deps.corsRefreshMs);
  const requestAuth = new RequestAuthenticator(authenticator, new SessionStore(db.pool, config.dashboard.sessionTtlMs));

  // One schema for both transports: Apollo over HTTP, graphql-ws for subscriptions.
  const schema = makeExecutableSchema<GatewayContext>({ typeDefs: loadTypeDefs(), resolvers });
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    // Cache-control hints are unused (answers are stamped per response and never HTTP-cacheable:
    // the handlers send no-store); without the plugin Apollo does not wrap every field resolver.
    plugins: [operationLimitsPlugin(), responseCachePlugin(metrics), ApolloServerPluginCacheControlDisabled()],
    parseOptions: { maxLexicalTokens: LIMITS.maxTokens },
    // Production unless RECS_DEV_MODE: no stack traces, no internal messages (they are logged).
    includeStacktraceInErrorResponses: config.devMode,
    formatError: (formatted, error) => {
      const original = unwrapResolverError(error);
      // Outages, not bugs: retry later (a run Redis did not take is failed at once, so a retry can start).
      if (
        original instanceof ServingUnavailableError ||
        original instanceof HotLayerUnavailableError ||
        original instanceof RunEnqueueError ||
        original instanceof RedisUnavailableError
      ) {
        return { ...formatted, extensions: { ...formatted.extensions, code: 'SERVICE_UNAVAILABLE' } };
      }
      // The caller's mistake wherever it surfaces (mutations report these as userErrors).
      const mistake = inputErrorCode(original);
      if (mistake) return { ...formatted, extensions: { ...formatted.extensions, code: mistake } };
      // Unexpected errors are logged with their detail; clients get no internals in production.
      // A GraphQLError that wraps nothing was written for the client (Apollo's own request errors,
      // such as an APQ hash that does not match its query), so its message stays.
      if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR' && !(original instanceof GraphQLError)) {
        logger.error({ err: original, path: formatted.path }, 'resolver failed');
        if (!config.devMode) return { ...formatted, message: 'internal error; see the gateway log' };
      }
      return formatted;
    },
    introspection: config.api.introspection,
    // One shutdown path (src/infra/shutdown.ts): Apollo must not install its own signal handlers.
    stopOnTerminationSignals: false,
    logger: {
      debug: (m) => {
        logger.debug(m);
      },
      info: (m) => {
        logger.info(m);
      },
      warn: (m) => {
        logger.warn(m);
      },
      error: (m) => {
        logger.error(m);
      },
    },
  });
  await apollo.start();
  if (!(await hot.waitUntilReady(2_000))) logger.warn('Redis is not reachable: serving from PostgreSQL until it is');
  await budget.start();
  await tracker.start();
  await catalogueRanking.start();
  await newProducts?.start();
  await servingExperiments.start();
  await runChanges.start();
  exposures.start();
  await warmUp(apollo, services, db.pool, logger);

  const adminOnly: RequestHandler = async (req, res, next) => {
    try {
      const state = await requestAuth.authenticate(req, 'same-origin');
      const verdict = authorize(state, 'admin', config.api.readAuth);
      if (verdict === 'ok') {
        next();
        return;
      }
      res
        .status(verdict === 'FORBIDDEN' ? 403 : 401)
        .json({ error: verdict, message: 'the queue dashboard needs an admin API key or an admin dashboard session' });
    } catch (err) {
      next(err);
    }
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(logger));
  const queueConnection = ownQueueConnection ?? deps.queueConnection;
  const otherRedis = [
    ...(queueConnection ? [{ role: 'queues', client: queueConnection }] : []),
    ...(activityFeed ? [{ role: 'activity subscriber', client: activityFeed.connection }] : []),
  ];
  app.use(
    opsRouter({
      pool: db.pool,
      redis,
      otherRedis,
      batch: () => tracker.current,
      metrics,
      metricsToken: config.api.metricsToken,
    }),
  );
  app.use(openApiRoute());
  app.use(
    REST_PREFIX,
    legacyRestRouter({ config, recs, experimentLists, authenticator, publishableLimiter, metrics, logger }),
  );
  app.use(experimentsRouter({ experiments: services.experiments, authenticator, config }));
  for (const { path, router } of deps.routers ?? []) app.use(path, router);
  app.use(DASHBOARD_PATH, adminOnly, queueDashboard(queues));
  app.use(SESSION_PATH, sessionRouter(requestAuth, logger));
  app.use(WEB_APP_PATH, dashboardRouter(config.dashboard.dir ?? defaultDashboardDir()));
  app.get('/', (_req, res) => {
    res.redirect(302, `${WEB_APP_PATH}/`);
  });
  const graphql = createGraphqlHandler({ apollo, services, auth: requestAuth, publishableLimiter, logger });
  app.use('/graphql', graphqlRouter(graphql));
  const lane = responseCacheLane(
    {
      cache: responseCache,
      authenticator,
      readAuth: config.api.readAuth,
      batchVersion: () => tracker.current.version,
      metrics,
      logger,
      graphql,
      activityCurrent,
    },
    app,
  );
  // Inside CORS, so a browser can read a 429.
  const limited = rateLimited(
    {
      limiter,
      authenticator,
      logger,
      onRefused: (scope) => {
        metrics.rateLimited(scope);
      },
    },
    lane,
  );

  // Outermost but for CORS: a flood is shed before its bodies are read, parsed or rate-limited.
  const admission = new Admission(config.admission);
  metrics.watchAdmission(admission);
  const admitted = shedding(
    {
      admission,
      authenticator,
      logger,
      onShed: (cls, reason) => {
        metrics.shed(cls, reason);
      },
    },
    limited,
  );

  await corsPolicy.start();
  const handler = withCors(corsPolicy, admitted);

  let server: Server | undefined;
  let subscriptions: SubscriptionServer | undefined;
  return {
    handler,
    services,
    metrics,
    refreshBatchVersion: () => tracker.refresh(),
    listen(port = config.http.port, host = config.http.host) {
      return new Promise((resolve, reject) => {
        const listening = createServer(handler);
        server = listening;
        subscriptions = attachSubscriptionServer(listening, { schema, services, auth: requestAuth, logger });
        listening.keepAliveTimeout = 65_000;
        listening.once('error', reject);
        listening.listen(port, host, () => {
          const address = listening.address() as AddressInfo;
          const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
          logger.info({ url }, 'gateway listening');
          resolve({ url, port: address.port });
        });
      });
    },
    async close() {
      // First: open sockets would keep the HTTP server from closing.
      await subscriptions?.close();
      await runChanges.stop();
      const open = server;
      if (open) {
        const closed = new Promise<void>((resolve) =>
          open.close(() => {
            resolve();
          }),
        );
        open.closeIdleConnections();
        await closed;
      }
      tracker.stop();
      corsPolicy.stop();
      servingExperiments.stop();
      // After the server has closed: the last lists' exposures are written before the pool goes.
      await exposures.close().catch((err: unknown) => {
        logger.error({ err }, 'the last experiment exposures could not be written');
      });
      catalogueRanking.stop();
      newProducts?.stop();
      budget.stop();
      activityFeed?.close();
      await apollo.stop();
      if (!deps.queues) await Promise.all(queues.map((q) => q.close()));
      ownQueueConnection?.disconnect();
      ownRedis?.disconnect();
    },
  };
}
