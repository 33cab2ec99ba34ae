// What every resolver receives: the caller's auth, the services, per-request loaders, and the
// bookkeeping the response cache needs (whether the answer may be cached, the ids it stamped).
import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { Config } from '../config/config';
import type { Logger } from '../infra/logger';
import type { PipelineRunView, PipelineService } from '../pipeline/pipeline-service';
import type { HotCache, ProductRow } from '../results';
import type { AdminReads } from '../serving/admin-reads';
import type { DashboardReads } from '../serving/dashboard-reads';
import type { CatalogRepository, ProductStats } from '../serving/catalog-repository';
import type { CatalogueRanking } from '../serving/catalogue-ranking';
import type { ExperimentService } from '../experiments';
import type { EventIngest } from '../serving/event-ingest';
import type { RecentActivity } from '../serving/recent-activity';
import type { ExperimentLists, ServedList } from '../serving/experiment-lists';
import type { RankingService } from '../serving/ranking-service';
import type { RecommendationService } from '../serving/recommendation-service';
import type { WebhookAdmin } from '../serving/webhook-admin';
import type { ErasureCounts } from '../privacy/customer-erasure';
import { authorize, authorizeCustomerData, CUSTOMER_DATA_REFUSAL, type AuthState } from './auth/authenticator';
import type { ApiKeyInfo, Role } from './auth/api-keys';
import { gqlError } from './graphql-errors';
import type { ResponseCache, ResponseStamps } from './response-cache';

export interface GatewayServices {
  config: Config;
  recs: RecommendationService;
  ranking: RankingService;
  events: EventIngest;
  /** Recent-activity state (null without REALTIME_RERANKING): order webhooks write to it too. */
  activity: RecentActivity | null;
  admin: AdminReads;
  dashboard: DashboardReads;
  apiKeys: {
    list(): Promise<ApiKeyInfo[]>;
    create(role: Role, name?: string): Promise<{ key: string; info: ApiKeyInfo }>;
    revoke(id: string): Promise<ApiKeyInfo>;
  };
  catalog: CatalogRepository;
  catalogueRanking: CatalogueRanking;
  pipeline: PipelineService;
  /** A run's live states for the runProgress subscription (src/pipeline/run-progress-feed.ts). */
  watchRun(id: number): AsyncIterableIterator<PipelineRunView | null, undefined>;
  hot: HotCache;
  responseCache: ResponseCache;
  webhooks: WebhookAdmin;
  experiments: ExperimentService;
  experimentLists: ExperimentLists;
  /** Right to erasure (src/privacy), then the answers cached in this process are dropped. */
  eraseCustomer(customerId: string): Promise<ErasureCounts>;
}

export interface GatewayContext {
  services: GatewayServices;
  auth: AuthState;
  requestId: string;
  logger: Logger;
  loaders: {
    product: DataLoader<string, ProductRow | null>;
    productStats: DataLoader<string, ProductStats>;
  };
  /** Set by the response-cache plugin from the operation; resolvers clear it for answers that must not be reused. */
  cacheable: boolean;
  /**
   * What the GraphQL handler needs back from Apollo's run, in an object of its own because Apollo
   * hands plugins and resolvers a shallow copy of the context: the response-cache key (null when
   * the answer may not be stored), the operation's label (for the request log), and storeAs, set
   * by the response-cache plugin when the answer is to be stored (the label it is stored under),
   * and degraded, set by a resolver whose list skipped a source that failed (the answer then says so).
   */
  outcome: { cacheKey: string | null; operation: string | null; storeAs: string | null; degraded: boolean };
  batchVersion: number;
  stamps: ResponseStamps;
  /**
   * A fresh recommendationId (after `prefix`, which names an experiment's variant) and the response
   * time, recorded so cached copies can be re-stamped and their exposures counted again.
   */
  stamp(prefix?: string, exposure?: ServedList['exposure']): { recommendationId: string; generatedAt: string };
  requireRole(role: Role): void;
  /** Refuses callers without a secret API key (authorizeCustomerData). */
  requireCustomerDataAccess(): void;
  /**
   * Needs a valid key (or dashboard session) of at least `role`, even when reads are open: for the
   * store's own people (pipeline state, customers' orders), not for anonymous callers.
   */
  requireKey(role?: Role): void;
}

export function createContext(
  services: GatewayServices,
  auth: AuthState,
  requestId: string,
  logger: Logger,
  responseCacheKey: string | null,
): GatewayContext {
  const { catalog } = services;
  const stamps: ResponseStamps = {
    ids: [],
    generatedAt: new Date().toISOString(),
    exposures: [],
    epoch: services.experimentLists.experiments.epoch,
    subjects: [],
    seq: services.responseCache.invalidationSeq,
    activity: [],
    reuseUntil: Number.POSITIVE_INFINITY,
  };
  const requireRole = (role: Role): void => {
    const verdict = authorize(auth, role, services.config.api.readAuth);
    if (verdict === 'ok') return;
    // A key that could not be checked may well be valid: "unauthenticated" would tell its client
    // to drop it, when only the database is out (the client should retry).
    if (auth.kind === 'unchecked') throw gqlError('SERVICE_UNAVAILABLE', `${auth.reason}: retry shortly`);
    if (verdict === 'UNAUTHENTICATED') {
      const why = auth.kind === 'invalid' ? auth.reason : 'an API key is required';
      throw gqlError('UNAUTHENTICATED', `${why}: send "Authorization: Bearer <key>"`);
    }
    throw gqlError(
      'FORBIDDEN',
      `this needs a key with role ${role} (yours is ${auth.kind === 'key' ? auth.role : 'none'})`,
    );
  };
  return {
    services,
    auth,
    requestId,
    logger,
    loaders: {
      product: new DataLoader(async (ids) => {
        const found = await catalog.productsByIds(ids);
        return ids.map((id) => found.get(id) ?? null);
      }),
      // From memory (the catalogue ranking): a product's figures never aggregate its order lines per request.
      productStats: new DataLoader((ids) => {
        const found = services.catalogueRanking.stats(ids);
        return Promise.resolve(ids.map((id) => found.get(id) ?? { orderCount: 0, unitsSold: 0, revenue: 0 }));
      }),
    },
    cacheable: false,
    outcome: { cacheKey: responseCacheKey, operation: null, storeAs: null, degraded: false },
    batchVersion: services.recs.batchVersion,
    stamps,
    stamp(prefix = '', exposure = null) {
      const unique = randomUUID();
      stamps.ids.push(unique);
      stamps.exposures.push(exposure);
      return { recommendationId: prefix + unique, generatedAt: stamps.generatedAt };
    },
    requireRole,
    requireKey(role = 'read') {
      if (auth.kind === 'unchecked') throw gqlError('SERVICE_UNAVAILABLE', `${auth.reason}: retry shortly`);
      if (auth.kind === 'anonymous')
        throw gqlError('UNAUTHENTICATED', 'this needs an API key (any role): send "Authorization: Bearer <key>"');
      // Publishable keys ship in storefront pages: they read recommendations, nothing of the store's own.
      if (auth.kind === 'publishable')
        throw gqlError('FORBIDDEN', 'a publishable key cannot read this: use a read, ingest or admin key');
      requireRole(role);
    },
    requireCustomerDataAccess() {
      if (auth.kind === 'unchecked') throw gqlError('SERVICE_UNAVAILABLE', `${auth.reason}: customer data needs it`);
      const verdict = authorizeCustomerData(auth);
      if (verdict !== 'ok') throw gqlError(verdict, CUSTOMER_DATA_REFUSAL);
    },
  };
}
