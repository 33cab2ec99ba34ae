// Builds every recommendation list the API serves: hot layer first, cache tables behind it, then
// the fallbacks (popular in the customer's province or the product's category, popular overall).
// Each public call is pinned to one Batch: every hot key and cache-table read it makes is of that
// batch, so an answer never mixes two batches, even while a load commits (see `pinned`).
import type { Logger } from '../infra/logger';
import {
  BatchMovedError,
  HOT_ENTRY,
  RESULT_KINDS,
  type Batch,
  type BatchSource,
  type CachedList,
  type CachedSegment,
  type HotLayer,
  type ListKind,
  type PopularScope,
  type ProductRow,
  type ResultStore,
} from '../results';
import type { RecommendationFilter } from '../schema/__generated__/schema-types';
import type { CatalogRepository } from './catalog-repository';
import type { CatalogueRanking } from './catalogue-ranking';
import { buildList, productPasses, type BuiltList, type CandidateSource } from './list-builder';
import { withNewNeighbours, type NewProducts } from './new-products';
import type { RealtimeReranker } from './realtime-reranker';
import { UNKNOWN_ACTIVITY, subjectsOf, type ActivityEvent } from './recent-activity';
import { ServingUnavailableError } from './serving-unavailable-error';

export interface ListRequest {
  limit: number;
  filter?: RecommendationFilter | null;
  /**
   * Serve this batch instead of the live one (an experiment's variant pinned to a model version,
   * src/results/batch-retention.ts); absent: the live batch.
   */
  batch?: Batch | null;
}

export type Scope = PopularScope;

/** The label of a chain's first source: the kind of list it reads. */
const sourceOf = (kind: ListKind) => RESULT_KINDS[kind].source ?? 'POPULAR';

/**
 * A read started ahead of its await: when the request fails before awaiting it, its own failure
 * would be an unhandled rejection (which ends the process); whoever awaits it still gets the error.
 */
function observed<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** A load committing during a request restarts it at the new batch; more than this many is a storm. */
const MAX_BATCH_RESTARTS = 3;

/** The overall popular list of one batch as positions and scores by product id. */
export interface Popularity {
  rank: ReadonlyMap<string, { index: number; score: number }>;
  modelVersion: string | null;
}

export class RecommendationService {
  private heldPopularity: { version: number; value: Promise<Popularity> } | null = null;

  /**
   * `results` serves the batch results (the hot layer in front of PostgreSQL); `hot` caches the
   * catalogue facts the fallbacks need (a customer's province, a product's category) per batch.
   */
  constructor(
    private readonly results: ResultStore,
    private readonly hot: HotLayer,
    private readonly catalog: CatalogRepository,
    private readonly ranking: CatalogueRanking,
    private readonly batches: BatchSource,
    private readonly logger: Logger,
    /** Session-aware re-ranking (REALTIME_RERANKING); null serves the batch lists as they are. */
    private readonly realtime: RealtimeReranker | null = null,
    /** Products added since the batch (new-products.ts); null serves the batch lists as they are. */
    private readonly newProducts: NewProducts | null = null,
  ) {}

  get batch(): Batch {
    return this.batches.current;
  }

  get batchVersion(): number {
    return this.batches.current.version;
  }

  /** The products items' reasons name (for their text), in one query; none: no query. */
  reasonProducts(ids: readonly string[]): Promise<Map<string, ProductRow>> {
    return ids.length ? this.catalog.productsByIds([...new Set(ids)]) : Promise.resolve(new Map<string, ProductRow>());
  }

  cachedList(kind: ListKind, id: string): Promise<CachedList | null> {
    return this.pinned((b) => this.listAt(b, kind, id));
  }

  popular(scope: Scope, value = ''): Promise<CachedList | null> {
    return this.pinned((b) => this.popularAt(b, scope, value));
  }

  /**
   * The customer's cached scores and the overall popularity, of one batch (rankItems' fallback).
   * The popularity is built once per batch version and held in memory; the customer's list is a
   * hot-layer read (PostgreSQL only on a miss, as for `recommendations`).
   */
  scoresAndPopularity(
    userId: string,
  ): Promise<{ cached: CachedList | null; popularity: Popularity; batchVersion: number }> {
    return this.pinned(async (b) => {
      const [cached, popularity] = await Promise.all([
        this.listAt(b, 'userRecommendations', userId),
        this.popularityAt(b),
      ]);
      return { cached, popularity, batchVersion: b.version };
    });
  }

  /** The overall popularity of the current batch, from memory once read (rankItems' POPULAR order). */
  popularity(): Promise<Popularity & { batchVersion: number }> {
    return this.pinned(async (b) => ({ ...(await this.popularityAt(b)), batchVersion: b.version }));
  }

  private popularityAt(b: Batch): Promise<Popularity> {
    if (this.heldPopularity?.version !== b.version) {
      const held = {
        version: b.version,
        value: this.popularAt(b, 'global', '').then((list) => ({
          rank: new Map(list?.items.map((i, index) => [i.product.id, { index, score: i.score }]) ?? []),
          modelVersion: list?.modelVersion ?? null,
        })),
      };
      // A failed read (PostgreSQL down on a miss, or a newer batch) is not held: the next request reads again.
      held.value.catch(() => {
        if (this.heldPopularity === held) this.heldPopularity = null;
      });
      this.heldPopularity = held;
    }
    return this.heldPopularity.value;
  }

  segment(productId: string): Promise<(CachedSegment & { batchVersion: number }) | null> {
    return this.pinned(async (b) => {
      const found = await this.results.segment(b, productId);
      return found ? { ...found, batchVersion: b.version } : null;
    });
  }

  /**
   * A customer's list (`userId`), an anonymous visitor's (`sessionId` alone) or both. With
   * re-ranking, the recommendations list reflects the subjects' recent activity.
   */
  forUser(
    kind: 'userRecommendations' | 'itemAffinity',
    userId: string | null,
    req: ListRequest,
    sessionId: string | null = null,
  ): Promise<BuiltList> {
    return this.pinned(async (b) => {
      const realtime = kind === 'userRecommendations' ? this.realtime : null;
      const subjects = subjectsOf(userId, sessionId);
      // The activity, the customer's interactions and their own list are read at once: on a
      // loaded machine each sequential Redis round trip is most of a request's time, and the
      // first source of the chain is always loaded.
      const reading = realtime ? realtime.read(subjects) : Promise.resolve(null);
      const interacted =
        req.filter?.excludeInteracted && userId ? this.catalog.interactedProductIds(userId) : Promise.resolve([]);
      const own = userId ? observed(this.listAt(b, kind, userId)) : null;
      const [read, interactedIds] = await Promise.all([reading, interacted]);
      const exclude = new Set([...(req.filter?.excludeProductIds ?? []), ...interactedIds]);
      if (realtime && read) for (const id of realtime.purchased(read.events)) exclude.add(id);
      // Neighbours of the events' products load while the batch list is built.
      const neighbours = realtime && read?.events.length ? observed(this.neighboursAt(realtime, b, read.events)) : null;
      const chain: CandidateSource[] = [];
      if (userId && own) {
        chain.push(
          { source: sourceOf(kind), load: () => own },
          {
            source: 'POPULAR_IN_PROVINCE',
            load: async () => {
              const province = await this.customerProvince(b, userId);
              return province ? this.popularAt(b, 'province', province) : null;
            },
          },
        );
      }
      chain.push(...this.categoryFallbacks(b, req.filter?.categories), {
        source: 'POPULAR',
        load: () => this.popularAt(b, 'global', ''),
      });
      const built = await this.build(b, req, exclude, chain);
      if (!realtime) return built;
      const versions = read?.versions ?? subjects.map(() => UNKNOWN_ACTIVITY);
      if (!read || !neighbours) return { ...built, activity: { subjects, versions, reuseForMs: null } };
      const reranked = this.rerank(realtime, built, read.events, await neighbours, req, exclude, sourceOf(kind));
      return { ...reranked, activity: { subjects, versions, reuseForMs: realtime.reuseForMs } };
    }, req.batch);
  }

  /** The neighbour lists of the events' products at batch `b` (memory, else the hot layer). */
  private neighboursAt(realtime: RealtimeReranker, b: Batch, events: readonly ActivityEvent[]) {
    return realtime.neighbours(b, events, async (id) => {
      try {
        return await this.listAt(b, 'similarItems', id);
      } catch (err) {
        if (err instanceof BatchMovedError) throw err;
        this.logger.warn({ err, productId: id }, 'neighbours unavailable; blending without them');
        return null;
      }
    });
  }

  /** The batch list blended with the recent activity (realtime-blend.ts). */
  private rerank(
    realtime: RealtimeReranker,
    built: BuiltList,
    activity: ActivityEvent[],
    neighbours: Awaited<ReturnType<RealtimeReranker['neighbours']>>,
    req: ListRequest,
    exclude: ReadonlySet<string>,
    primary: BuiltList['source'],
  ): BuiltList {
    const unavailable = this.ranking.unavailable;
    const blended = realtime.blend(built.items, activity, neighbours, {
      limit: req.limit,
      personal: (i) => i.source === primary,
      allowed: (p) => !exclude.has(p.id) && !unavailable.has(p.id) && productPasses(p, req.filter),
    });
    const items = blended.items;
    return { ...built, items, source: items[0]?.source ?? built.source };
  }

  /**
   * Products related to `productId`: the batch's similar items, then its category's popular list,
   * then the overall one. Products added since the batch take part both ways (new-products.ts).
   */
  similar(productId: string, req: ListRequest): Promise<BuiltList> {
    return this.pinned(async (b) => {
      const exclude = new Set([...(req.filter?.excludeProductIds ?? []), productId]);
      // A product added since the batch has no list of its own: its category and price neighbours stand in.
      const neighbours = this.newProducts?.neighboursOf(productId) ?? null;
      const chain: CandidateSource[] = [
        { source: sourceOf('similarItems'), load: () => this.listAt(b, 'similarItems', productId) },
        ...(neighbours
          ? [
              {
                source: 'CATEGORY_NEIGHBOURS' as const,
                load: () => Promise.resolve({ items: [...neighbours], recipe: null, modelVersion: null }),
              },
            ]
          : []),
        {
          source: 'POPULAR_IN_CATEGORY',
          load: async () => {
            const category = await this.productCategory(b, productId);
            return category ? this.popularAt(b, 'category', category) : null;
          },
        },
        ...this.categoryFallbacks(b, req.filter?.categories),
        { source: 'POPULAR', load: () => this.popularAt(b, 'global', '') },
      ];
      const built = await this.build(b, req, exclude, chain);
      const newcomers = this.newProducts?.joiningListOf(productId) ?? [];
      if (!newcomers.length) return built;
      const unavailable = this.ranking.unavailable;
      const items = withNewNeighbours(built.items, newcomers, {
        limit: req.limit,
        own: sourceOf('similarItems'),
        allowed: (p) => !exclude.has(p.id) && !unavailable.has(p.id) && productPasses(p, req.filter),
      });
      return { ...built, items, source: items[0]?.source ?? built.source };
    }, req.batch);
  }

  popularItems(limit: number, category: string | null, province: string | null): Promise<BuiltList> {
    return this.pinned((b) => {
      const filter: RecommendationFilter | null = category ? { categories: [category] } : null;
      const chain: CandidateSource[] = [];
      if (province) chain.push({ source: 'POPULAR_IN_PROVINCE', load: () => this.popularAt(b, 'province', province) });
      if (category) chain.push({ source: 'POPULAR_IN_CATEGORY', load: () => this.popularAt(b, 'category', category) });
      chain.push({ source: 'POPULAR', load: () => this.popularAt(b, 'global', '') });
      return this.build(b, { limit, filter }, new Set(), chain);
    });
  }

  /**
   * Runs `fn` at the current Batch. When one of its reads finds that a newer batch has been
   * committed, nothing of it is kept: the tracker moves on (so later requests never go back to the
   * older batch) and `fn` runs again at the batch that was seen.
   */
  private async pinned<T>(fn: (batch: Batch) => Promise<T>, fixed?: Batch | null): Promise<T> {
    if (fixed) return this.fixedAt(fixed, fn);
    let batch = this.batches.current;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fn(batch);
      } catch (err) {
        if (!(err instanceof BatchMovedError)) throw err;
        if (attempt >= MAX_BATCH_RESTARTS) {
          throw new ServingUnavailableError('the cache batch changed repeatedly during this request; retry it', err);
        }
        this.logger.debug(
          { expected: err.expected, observed: err.observed.version },
          'batch moved during a request; starting over',
        );
        this.batches.observe(err.observed);
        batch = err.observed;
      }
    }
  }

  /**
   * Runs `fn` at a batch a variant is pinned to. The live batch it was may be replaced during the
   * request: then it is read again from its retained copies. A pinned batch that is gone (its
   * experiment stopped, and this gateway has not reloaded the experiments yet) serves the live one.
   */
  private async fixedAt<T>(fixed: Batch, fn: (batch: Batch) => Promise<T>): Promise<T> {
    try {
      return await fn(fixed);
    } catch (err) {
      if (!(err instanceof BatchMovedError)) throw err;
      if (!fixed.retained) return this.fixedAt({ ...fixed, retained: true }, fn);
      this.logger.warn({ batch: fixed.version }, 'pinned batch no longer kept; serving the live batch');
      return this.pinned(fn);
    }
  }

  private listAt(b: Batch, kind: ListKind, id: string): Promise<CachedList | null> {
    return this.results.list(b, kind, id);
  }

  /** A batch popular list, with the new products that sold since placed by their orders (new-products.ts). */
  private async popularAt(b: Batch, scope: Scope, value: string): Promise<CachedList | null> {
    const list = await this.results.popular(b, scope, value);
    return this.newProducts ? this.newProducts.placeInPopular(list, scope, value) : list;
  }

  private customerProvince(b: Batch, userId: string): Promise<string | null> {
    const { kind, id } = HOT_ENTRY.province(userId);
    return this.hot.getOrLoad(b.version, kind, id, async () => (await this.catalog.customer(userId))?.province ?? null);
  }

  private productCategory(b: Batch, productId: string): Promise<string | null> {
    const { kind, id } = HOT_ENTRY.category(productId);
    return this.hot.getOrLoad(b.version, kind, id, async () => {
      const found = await this.catalog.productsByIds([productId]);
      return found.get(productId)?.category ?? null;
    });
  }

  private categoryFallbacks(b: Batch, categories: string[] | null | undefined): CandidateSource[] {
    return (categories ?? []).map((category) => ({
      source: 'POPULAR_IN_CATEGORY' as const,
      load: () => this.popularAt(b, 'category', category),
    }));
  }

  private build(b: Batch, req: ListRequest, exclude: Set<string>, chain: CandidateSource[]): Promise<BuiltList> {
    return buildList(
      {
        limit: req.limit,
        filter: req.filter,
        exclude,
        unavailable: this.ranking.unavailable,
        chain,
        catalogueFill: (q) => Promise.resolve(this.ranking.fill(q)),
        batchVersion: b.version,
      },
      this.logger,
    );
  }
}
