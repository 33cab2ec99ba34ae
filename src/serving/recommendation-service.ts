// Builds every recommendation list the API serves: hot layer first, cache tables behind it, then
// the fallbacks (popular in the customer's province or the product's category, popular overall).
import type { Logger } from '../infra/logger';
import type { BatchVersionSource } from './batch-version';
import type { CatalogRepository } from './catalog-repository';
import type { CachedSegment, CacheRepository, ListTable } from './cache-repository';
import type { HotLayer } from './hot-cache';
import { buildList, type BuiltList, type CandidateSource } from './list-builder';
import type { CachedList, RecommendationFilterInput } from './serving-types';

export interface ListRequest {
  limit: number;
  filter?: RecommendationFilterInput | null;
}

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
    return this.hot.getOrLoad(this.version.current, kind, id, () => this.cache.list(kind, id));
  }

  popular(scope: 'global' | 'category' | 'province', value = ''): Promise<CachedList | null> {
    return this.hot.getOrLoad(this.version.current, 'popular', `${scope}:${value}`, () => this.cache.popular(scope, value));
  }

  segment(productId: string): Promise<CachedSegment | null> {
    return this.hot.getOrLoad(this.version.current, 'segment', productId, () => this.cache.segment(productId));
  }

  private customerProvince(userId: string): Promise<string | null> {
    return this.hot.getOrLoad(this.version.current, 'province', userId, async () => (await this.catalog.customer(userId))?.province ?? null);
  }

  private productCategory(productId: string): Promise<string | null> {
    return this.hot.getOrLoad(this.version.current, 'category', productId, async () => {
      const found = await this.catalog.productsByIds([productId]);
      return found.get(productId)?.category ?? null;
    });
  }

  async forUser(kind: 'user' | 'affinity', userId: string, req: ListRequest): Promise<BuiltList> {
    const exclude = new Set(req.filter?.excludeProductIds ?? []);
    if (req.filter?.excludeInteracted) {
      for (const id of await this.catalog.interactedProductIds(userId)) exclude.add(id);
    }
    const chain: CandidateSource[] = [
      { source: kind === 'user' ? 'PERSONALIZED' : 'ITEM_AFFINITY', load: () => this.cachedList(kind, userId) },
      {
        source: 'POPULAR_IN_PROVINCE',
        load: async () => {
          const province = await this.customerProvince(userId);
          return province ? this.popular('province', province) : null;
        },
      },
      ...this.categoryFallbacks(req.filter?.categories),
      { source: 'POPULAR', load: () => this.popular('global') },
    ];
    return this.build(req, exclude, chain);
  }

  /**
   * Reads every hot entry `recommendations(userId)` can read without a category filter: the
   * personalised list, the customer's province, that province's popular list and the overall
   * popular list. Through the cache warmer's hot layer this stores them, so the customer's first
   * request is a hot hit whatever its limit.
   */
  async warmUser(userId: string): Promise<void> {
    await this.cachedList('user', userId);
    const province = await this.customerProvince(userId);
    if (province) await this.popular('province', province);
    await this.popular('global');
  }

  async similar(productId: string, req: ListRequest): Promise<BuiltList> {
    const exclude = new Set([...(req.filter?.excludeProductIds ?? []), productId]);
    const chain: CandidateSource[] = [
      { source: 'SIMILAR_ITEMS', load: () => this.cachedList('similar', productId) },
      {
        source: 'POPULAR_IN_CATEGORY',
        load: async () => {
          const category = await this.productCategory(productId);
          return category ? this.popular('category', category) : null;
        },
      },
      ...this.categoryFallbacks(req.filter?.categories),
      { source: 'POPULAR', load: () => this.popular('global') },
    ];
    return this.build(req, exclude, chain);
  }

  async popularItems(limit: number, category: string | null, province: string | null): Promise<BuiltList> {
    const filter: RecommendationFilterInput | null = category ? { categories: [category] } : null;
    const chain: CandidateSource[] = [];
    if (province) chain.push({ source: 'POPULAR_IN_PROVINCE', load: () => this.popular('province', province) });
    if (category) chain.push({ source: 'POPULAR_IN_CATEGORY', load: () => this.popular('category', category) });
    chain.push({ source: 'POPULAR', load: () => this.popular('global') });
    return this.build({ limit, filter }, new Set(), chain);
  }

  private categoryFallbacks(categories: string[] | null | undefined): CandidateSource[] {
    return (categories ?? []).map((category) => ({
      source: 'POPULAR_IN_CATEGORY' as const,
      load: () => this.popular('category', category),
    }));
  }

  private build(req: ListRequest, exclude: Set<string>, chain: CandidateSource[]): Promise<BuiltList> {
    return buildList(
      { limit: req.limit, filter: req.filter, exclude, chain, catalogueFill: (q) => this.catalog.catalogueFill(q) },
      this.logger,
    );
  }
}
