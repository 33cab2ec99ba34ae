// rankItems: the ranking model when one is trained; otherwise the customer's cached recommendation
// scores, then popularity, labelled CACHED_SCORES / POPULAR so callers know what they got. A request
// reads no PostgreSQL once the customer's list is hot: products come from the in-memory catalogue
// ranking, the overall popularity is held per batch version (RecommendationService.popularity).
import type { ServingRanker } from '../engine/ranker';
import type { Logger } from '../infra/logger';
import type { ProductRow } from '../results';
import { modelVersionOf } from '../results';
import type { CatalogRepository } from './catalog-repository';
import type { CatalogueRanking } from './catalogue-ranking';
import type { Popularity, RecommendationService } from './recommendation-service';
import type { BuiltList } from './list-builder';

export class UnknownProductsError extends Error {
  constructor(readonly productIds: string[]) {
    super(`unknown product ids: ${productIds.slice(0, 10).join(', ')}${productIds.length > 10 ? ', ...' : ''}`);
    this.name = 'UnknownProductsError';
  }
}

export class RankingService {
  /** The batch version whose fallback was last logged: once per batch, not once per request. */
  private loggedAt: number | null = null;

  constructor(
    private readonly ranker: ServingRanker | null,
    private readonly recs: RecommendationService,
    private readonly catalogue: CatalogueRanking,
    private readonly catalog: CatalogRepository,
    private readonly logger: Logger,
  ) {}

  /**
   * The caller's products, from memory; PostgreSQL is asked only about ids memory does not hold
   * (products created since the catalogue was last loaded, beyond CATALOGUE_MAX_PRODUCTS, or made up).
   */
  private async known(productIds: string[]): Promise<{ ids: string[]; products: Map<string, ProductRow> }> {
    const ids = [...new Set(productIds)];
    const products = this.catalogue.products(ids);
    const missing = ids.filter((id) => !products.has(id));
    if (missing.length) {
      for (const [id, row] of await this.catalog.productsByIds(missing)) products.set(id, row);
      const unknown = missing.filter((id) => !products.has(id));
      if (unknown.length) throw new UnknownProductsError(unknown);
    }
    return { ids, products };
  }

  /** The caller's products by overall popularity (an experiment's POPULAR variant on rankItems). */
  async byPopularity(productIds: string[]): Promise<BuiltList> {
    const { ids, products } = await this.known(productIds);
    const { rank, modelVersion, batchVersion } = await this.recs.popularity();
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
      modelVersion,
      degraded: false,
      batchVersion,
    };
  }

  async rank(userId: string, productIds: string[]): Promise<BuiltList> {
    const { ids, products } = await this.known(productIds);

    if (this.ranker) {
      const batch = this.recs.batch;
      try {
        const ranked = await this.ranker.rank(userId, ids);
        if (ranked) {
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
        }
        this.once(batch.version, () => {
          this.logger.info('no trained ranking model yet; rankItems orders by cached scores and popularity');
        });
      } catch (err) {
        this.once(batch.version, () => {
          this.logger.warn(
            { err, userId },
            'ranker failed; ordering by cached scores and popularity (logged once per batch)',
          );
        });
      }
    }

    const { cached, popularity, batchVersion } = await this.recs.scoresAndPopularity(userId);
    return byScoresThenPopularity(
      ids,
      products,
      cached?.items ?? [],
      cached?.modelVersion ?? null,
      popularity,
      batchVersion,
    );
  }

  private once(batchVersion: number, log: () => void): void {
    if (this.loggedAt === batchVersion) return;
    this.loggedAt = batchVersion;
    log();
  }
}

/**
 * The documented fallback order: products in the customer's batch list by score, then the others
 * by their place in the overall popular list, then the rest; ties (and the rest) in input order.
 */
function byScoresThenPopularity(
  ids: string[],
  products: Map<string, ProductRow>,
  cachedItems: readonly { product: ProductRow; score: number }[],
  cachedModel: string | null,
  popularity: Popularity,
  batchVersion: number,
): BuiltList {
  const asked = new Set(ids);
  const scores = new Map<string, number>();
  for (const i of cachedItems) if (asked.has(i.product.id)) scores.set(i.product.id, i.score);
  const { rank } = popularity;
  const order = (id: string) =>
    [scores.has(id) ? 0 : 1, -(scores.get(id) ?? 0), rank.get(id)?.index ?? Infinity] as const;
  const sorted = ids
    .map((id, input) => ({ id, key: order(id), input }))
    .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2] || a.input - b.input);
  const items = sorted.map(({ id }) => ({
    product: known(products, id),
    score: scores.get(id) ?? rank.get(id)?.score ?? 0,
    source: scores.has(id) ? ('CACHED_SCORES' as const) : ('POPULAR' as const),
  }));
  const anyScored = items.some((i) => i.source === 'CACHED_SCORES');
  return {
    items,
    source: anyScored ? 'CACHED_SCORES' : 'POPULAR',
    filled: anyScored && items.some((i) => i.source === 'POPULAR'),
    modelVersion: anyScored ? cachedModel : popularity.modelVersion,
    degraded: false,
    batchVersion,
  };
}

/** Every id was checked against the catalogue first (UnknownProductsError), so this cannot miss. */
function known<T>(products: Map<string, T>, id: string): T {
  const product = products.get(id);
  if (product === undefined) throw new UnknownProductsError([id]);
  return product;
}
