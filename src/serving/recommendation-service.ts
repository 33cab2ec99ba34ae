// Builds every recommendation list the API serves: hot layer first, cache tables behind it, then
// the fallbacks (popular in the customer's province or the product's category, popular overall).
// Each public call is pinned to one batch version: every hot key and cache-table read it makes is
// of that batch, so an answer never mixes two batches, even while a load commits (see `pinned`).
import type { Logger } from '../infra/logger';
import { BatchMovedError } from './batch-moved-error';
import type { BatchVersionSource } from './batch-version';
import type { CatalogRepository } from './catalog-repository';
import type { CachedSegment, CacheRepository, ListTable } from './cache-repository';
import type { HotLayer } from './hot-cache';
import { buildList, type BuiltList, type CandidateSource } from './list-builder';
import type { CachedList, RecommendationFilterInput } from './serving-types';
import { ServingUnavailableError } from './serving-unavailable-error';

export interface ListRequest {
  limit: number;
  filter?: RecommendationFilterInput | null;
}

export type Scope = 'global' | 'category' | 'province';

/**
 * The hot-layer entries behind lists: kind and id of each (the cache warmer writes the same ones).
 * A customer's list is (ListTable kind, customer id); these are the others.
 */
export const HOT_ENTRY = {
  popular: (scope: Scope, value: string) => ({ kind: 'popular', id: `${scope}:${value}` }),
  province: (userId: string) => ({ kind: 'province', id: userId }),
} as const;

/** A load committing during a request restarts it at the new batch; more than this many is a storm. */
const MAX_BATCH_RESTARTS = 3;

export class RecommendationService {
  constructor(
    private readonly hot: HotLayer,
    private readonly cache: CacheRepository,
    private readonly catalog: CatalogRepository,
    private readonly version: BatchVersionSource,
    private readonly logger: Logger,
  ) {}

  get batchVersion(): number {
    return this.version.current;
  }

  cachedList(kind: ListTable, id: string): Promise<CachedList | null> {
    return this.pinned((v) => this.listAt(v, kind, id));
  }

  popular(scope: Scope, value = ''): Promise<CachedList | null> {
    return this.pinned((v) => this.popularAt(v, scope, value));
  }

  /** The customer's cached scores and the overall popular list, of one batch (rankItems' fallback). */
  scoresAndPopularity(userId: string): Promise<{ cached: CachedList | null; popular: CachedList | null; batchVersion: number }> {
    return this.pinned(async (v) => {
      const [cached, popular] = await Promise.all([this.listAt(v, 'user', userId), this.popularAt(v, 'global', '')]);
      return { cached, popular, batchVersion: v };
    });
  }

  segment(productId: string): Promise<(CachedSegment & { batchVersion: number }) | null> {
    return this.pinned(async (v) => {
      const found = await this.hot.getOrLoad(v, 'segment', productId, () => this.cache.segment(v, productId));
      return found ? { ...found, batchVersion: v } : null;
    });
  }

  forUser(kind: 'user' | 'affinity', userId: string, req: ListRequest): Promise<BuiltList> {
    return this.pinned(async (v) => {
      const exclude = new Set(req.filter?.excludeProductIds ?? []);
      if (req.filter?.excludeInteracted) {
        for (const id of await this.catalog.interactedProductIds(userId)) exclude.add(id);
      }
      const chain: CandidateSource[] = [
        { source: kind === 'user' ? 'PERSONALIZED' : 'ITEM_AFFINITY', load: () => this.listAt(v, kind, userId) },
        {
          source: 'POPULAR_IN_PROVINCE',
          load: async () => {
            const province = await this.customerProvince(v, userId);
            return province ? this.popularAt(v, 'province', province) : null;
          },
        },
        ...this.categoryFallbacks(v, req.filter?.categories),
        { source: 'POPULAR', load: () => this.popularAt(v, 'global', '') },
      ];
      return this.build(v, req, exclude, chain);
    });
  }

  /**
   * Reads every hot entry `recommendations(userId)` can read without a category filter: the
   * personalised list, the customer's province, that province's popular list and the overall
   * popular list. Through the cache warmer's hot layer this stores them, so the customer's first
   * request is a hot hit whatever its limit.
   */
  similar(productId: string, req: ListRequest): Promise<BuiltList> {
    return this.pinned((v) => {
      const exclude = new Set([...(req.filter?.excludeProductIds ?? []), productId]);
      const chain: CandidateSource[] = [
        { source: 'SIMILAR_ITEMS', load: () => this.listAt(v, 'similar', productId) },
        {
          source: 'POPULAR_IN_CATEGORY',
          load: async () => {
            const category = await this.productCategory(v, productId);
            return category ? this.popularAt(v, 'category', category) : null;
          },
        },
        ...this.categoryFallbacks(v, req.filter?.categories),
        { source: 'POPULAR', load: () => this.popularAt(v, 'global', '') },
      ];
      return this.build(v, req, exclude, chain);
    });
  }

  popularItems(limit: number, category: string | null, province: string | null): Promise<BuiltList> {
    return this.pinned((v) => {
      const filter: RecommendationFilterInput | null = category ? { categories: [category] } : null;
      const chain: CandidateSource[] = [];
      if (province) chain.push({ source: 'POPULAR_IN_PROVINCE', load: () => this.popularAt(v, 'province', province) });
      if (category) chain.push({ source: 'POPULAR_IN_CATEGORY', load: () => this.popularAt(v, 'category', category) });
      chain.push({ source: 'POPULAR', load: () => this.popularAt(v, 'global', '') });
      return this.build(v, { limit, filter }, new Set(), chain);
    });
  }

  /**
   * Runs `fn` at the current batch version. When one of its reads finds that a newer batch has
   * been committed, nothing of it is kept: the tracker moves on (so later requests never go back to
   * the older batch) and `fn` runs again at the batch that was seen.
   */
  private async pinned<T>(fn: (version: number) => Promise<T>): Promise<T> {
    let version = this.version.current;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fn(version);
      } catch (err) {
        if (!(err instanceof BatchMovedError)) throw err;
        if (attempt >= MAX_BATCH_RESTARTS) {
          throw new ServingUnavailableError('the cache batch changed repeatedly during this request; retry it', err);
        }
        this.logger.debug({ expected: err.expected, observed: err.observed }, 'batch moved during a request; starting over');
        this.version.observe(err.observed);
        version = err.observed;
      }
    }
  }

  private listAt(v: number, kind: ListTable, id: string): Promise<CachedList | null> {
    return this.hot.getOrLoad(v, kind, id, () => this.cache.list(v, kind, id));
  }

  private popularAt(v: number, scope: Scope, value: string): Promise<CachedList | null> {
    const { kind, id } = HOT_ENTRY.popular(scope, value);
    return this.hot.getOrLoad(v, kind, id, () => this.cache.popular(v, scope, value));
  }

  private customerProvince(v: number, userId: string): Promise<string | null> {
    const { kind, id } = HOT_ENTRY.province(userId);
    return this.hot.getOrLoad(v, kind, id, async () => (await this.catalog.customer(userId))?.province ?? null);
  }

  private productCategory(v: number, productId: string): Promise<string | null> {
    return this.hot.getOrLoad(v, 'category', productId, async () => {
      const found = await this.catalog.productsByIds([productId]);
      return found.get(productId)?.category ?? null;
    });
  }

  private categoryFallbacks(v: number, categories: string[] | null | undefined): CandidateSource[] {
    return (categories ?? []).map((category) => ({
      source: 'POPULAR_IN_CATEGORY' as const,
      load: () => this.popularAt(v, 'category', category),
    }));
  }

  private build(v: number, req: ListRequest, exclude: Set<string>, chain: CandidateSource[]): Promise<BuiltList> {
    return buildList(
      { limit: req.limit, filter: req.filter, exclude, chain, catalogueFill: (q) => this.catalog.catalogueFill(q), batchVersion: v },
      this.logger,
    );
  }
}
