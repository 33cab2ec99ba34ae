// rankItems: the ranking model when one is trained; otherwise the customer's cached recommendation
// scores, then popularity, labelled CACHED_SCORES / POPULAR so callers know what they got.
import type { Ranker } from '../engine/ranker';
import type { Logger } from '../infra/logger';
import type { CatalogRepository } from './catalog-repository';
import { modelVersionOf } from '../results';
import type { RecommendationService } from './recommendation-service';
import type { BuiltList } from './list-builder';

export class UnknownProductsError extends Error {
  constructor(readonly productIds: string[]) {
    super(`unknown product ids: ${productIds.slice(0, 10).join(', ')}${productIds.length > 10 ? ', ...' : ''}`);
    this.name = 'UnknownProductsError';
  }
}

export class RankingService {
  constructor(
    private readonly ranker: Ranker | null,
    private readonly recs: RecommendationService,
    private readonly catalog: CatalogRepository,
    private readonly logger: Logger,
  ) {}

  private async known(productIds: string[]) {
    const ids = [...new Set(productIds)];
    const products = await this.catalog.productsByIds(ids);
    const unknown = ids.filter((id) => !products.has(id));
    if (unknown.length) throw new UnknownProductsError(unknown);
    return { ids, products };
  }

  /** The caller's products by overall popularity (an experiment's POPULAR variant on rankItems). */
  async byPopularity(productIds: string[]): Promise<BuiltList> {
    const { ids, products } = await this.known(productIds);
    const popular = await this.recs.popular('global');
    const rank = new Map(popular?.items.map((i, index) => [i.product.id, { index, score: i.score }]) ?? []);
    const sorted = ids
      .map((id, input) => ({ id, input, at: rank.get(id)?.index ?? Infinity }))
      .sort((a, b) => a.at - b.at || a.input - b.input);
    return {
      items: sorted.map(({ id }) => ({
        product: known(products, id),
        score: rank.get(id)?.score ?? 0,
        source: 'POPULAR' as const,
      })),
      source: 'POPULAR',
      filled: false,
      modelVersion: popular?.modelVersion ?? null,
      degraded: false,
      batchVersion: this.recs.batchVersion,
    };
  }

  async rank(userId: string, productIds: string[]): Promise<BuiltList> {
    const { ids, products } = await this.known(productIds);

    if (this.ranker) {
      try {
        const batch = this.recs.batch;
        const ranked = await this.ranker.rank(userId, ids);
        return {
          items: ranked.map((r) => ({
            product: known(products, r.productId),
            score: r.score,
            source: 'PERSONALIZED_RANKING' as const,
          })),
          source: 'PERSONALIZED_RANKING',
          filled: false,
          modelVersion: modelVersionOf(batch, 'personalized-ranking'),
          degraded: false,
          batchVersion: batch.version,
        };
      } catch (err) {
        this.logger.warn({ err, userId }, 'ranker failed; ordering by cached scores and popularity');
      }
    }

    const { cached, popular, batchVersion } = await this.recs.scoresAndPopularity(userId);
    const scores = new Map(cached?.items.map((i) => [i.product.id, i.score]) ?? []);
    const popularity = new Map(popular?.items.map((i, index) => [i.product.id, { index, score: i.score }]) ?? []);
    const order = (id: string) =>
      [scores.has(id) ? 0 : 1, -(scores.get(id) ?? 0), popularity.get(id)?.index ?? Infinity] as const;
    const sorted = ids
      .map((id, input) => ({ id, key: order(id), input }))
      .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2] || a.input - b.input);
    const items = sorted.map(({ id }) => ({
      product: known(products, id),
      score: scores.get(id) ?? popularity.get(id)?.score ?? 0,
      source: scores.has(id) ? ('CACHED_SCORES' as const) : ('POPULAR' as const),
    }));
    const anyScored = items.some((i) => i.source === 'CACHED_SCORES');
    return {
      items,
      source: anyScored ? 'CACHED_SCORES' : 'POPULAR',
      filled: anyScored && items.some((i) => i.source === 'POPULAR'),
      modelVersion: anyScored ? (cached?.modelVersion ?? null) : (popular?.modelVersion ?? null),
      degraded: false,
      batchVersion,
    };
  }
}

/** Every id was checked against the catalogue first (UnknownProductsError), so this cannot miss. */
function known<T>(products: Map<string, T>, id: string): T {
  const product = products.get(id);
  if (product === undefined) throw new UnknownProductsError([id]);
  return product;
}
