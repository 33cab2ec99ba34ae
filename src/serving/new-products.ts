// Products added since the batch (docs/realtime.md "New products"). The batch knows nothing of a
// product created after its run began (a Shopify products webhook, the sync, an import): it has no
// similar-items list, appears in nobody's, and no popular list counts its sales. Until the next
// batch, each gateway holds the newest `maxProducts` of them (active and in stock) with their
// order counts, re-read from PostgreSQL every `refreshMs` (one query), so every gateway process
// sees the same products within that interval. From them:
// - a new product's neighbours: the best sellers of its category nearest in price;
// - the reverse: for a product, the new products it is a neighbour of (blended into its similar items);
// - popular lists with the selling new products placed by their order counts.
import type { Pool } from 'pg';
import type { Logger } from '../infra/logger';
import type { Batch, CachedList, PopularScope, ProductRow, RecommendationSource } from '../results';
import type { CatalogueRanking } from './catalogue-ranking';
import type { BuiltItem } from './list-builder';

type Neighbours = readonly { product: ProductRow; score: number }[];

interface HeldProduct {
  product: ProductRow;
  orderCount: number;
}

/** What a refresh changed, for the response cache: similar-items answers of these products, and popular lists. */
export interface NewProductsChange {
  products: string[];
  popular: boolean;
}

/** At most this many new products are blended into one product's similar items. */
export const NEW_IN_SIMILAR = 2;
/** How often each gateway re-reads the new products (the bound on how soon a change shows). */
export const NEW_PRODUCTS_REFRESH_MS = 1_000;

/** Response-cache tags (beside the recent-activity subjects): a product's similar items, and every answer with popular items. */
export const similarItemsTag = (productId: string): string => `i:${productId}`;
export const POPULAR_LISTS_TAG = 'popular';

export class NewProducts {
  private held = new Map<string, HeldProduct>();
  private neighbourLists = new Map<string, Neighbours>();
  /** product -> the new products it is a neighbour of, nearest first (rank in their neighbour list). */
  private joining = new Map<string, { product: ProductRow; rank: number }[]>();
  /** Selling new products, most orders first: overall and per category. */
  private selling: HeldProduct[] = [];
  private sellingByCategory = new Map<string, HeldProduct[]>();
  private version = -1;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: ((change: NewProductsChange) => void)[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly ranking: CatalogueRanking,
    private readonly logger: Logger,
    private readonly batch: () => Batch,
    private readonly settings: { maxProducts: number; neighbours: number; refreshMs: number },
  ) {}

  get size(): number {
    return this.held.size;
  }

  /** Called after a refresh that changed what the lists would say. */
  onChange(fn: (change: NewProductsChange) => void): void {
    this.listeners.push(fn);
  }

  async start(): Promise<void> {
    await this.refresh().catch((err: unknown) => {
      this.logger.warn({ err }, 'new products could not be read; none are blended in until they are');
    });
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => {
        this.logger.warn({ err }, 'new products refresh failed; keeping the last ones');
      });
    }, this.settings.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One query: the newest products created after the batch's run began, with their order counts. */
  async refresh(): Promise<void> {
    const b = this.batch();
    // No batch yet: nothing is newer than it (the catalogue fill serves every list).
    if (b.version === 0 || this.settings.maxProducts === 0) {
      this.replace(b.version, []);
      return;
    }
    const { rows } = await this.pool.query<ProductRow & { order_count: number }>(
      `WITH cutoff AS (
         SELECT coalesce(r.started_at, r.created_at, b.loaded_at) AS at
           FROM cache_batches b LEFT JOIN pipeline_runs r ON r.id = b.run_id WHERE b.id = $1)
       SELECT p.id, p.name, p.category, p.price,
              (SELECT count(*) FROM order_items o WHERE o.product_id = p.id AND o.event_type = 'purchase')::int AS order_count
         FROM products p, cutoff
        WHERE p.created_at > cutoff.at AND p.status = 'active' AND p.in_stock
        ORDER BY p.created_at DESC, p.id
        LIMIT $2`,
      [b.version, this.settings.maxProducts],
    );
    this.replace(
      b.version,
      rows.map((r) => ({
        product: { id: r.id, name: r.name, category: r.category, price: r.price },
        orderCount: r.order_count,
      })),
    );
  }

  private replace(version: number, rows: HeldProduct[]): void {
    const next = new Map(rows.map((r) => [r.product.id, r]));
    const sameBatch = version === this.version;
    const changed = new Set<string>();
    let popular = false;
    for (const [id, was] of this.held) {
      const now = next.get(id);
      if (!now || !sameBatch || !sameProduct(now.product, was.product)) changed.add(id);
      else if (now.orderCount !== was.orderCount) popular = true;
    }
    for (const id of next.keys()) if (!this.held.has(id) || !sameBatch) changed.add(id);
    if (!changed.size && !popular) return;
    if ([...changed].some((id) => (next.get(id)?.orderCount ?? 0) > 0 || (this.held.get(id)?.orderCount ?? 0) > 0))
      popular = true;
    // The neighbours of the products that changed (their lists change too), before and after.
    const touched = new Set(changed);
    for (const id of changed) for (const n of this.neighbourLists.get(id) ?? []) touched.add(n.product.id);
    const lists = new Map<string, Neighbours>();
    for (const [id, r] of next) {
      const kept = changed.has(id) ? undefined : this.neighbourLists.get(id);
      const list = kept ?? this.ranking.relatedTo(r.product, this.settings.neighbours);
      lists.set(id, list);
      if (changed.has(id)) for (const n of list) touched.add(n.product.id);
    }
    this.held = next;
    this.version = version;
    this.neighbourLists = lists;
    this.joining = reverse(next, lists);
    this.selling = [...next.values()].filter((r) => r.orderCount > 0).sort((x, y) => y.orderCount - x.orderCount);
    this.sellingByCategory = new Map();
    for (const r of this.selling) {
      if (r.product.category === null) continue;
      const list = this.sellingByCategory.get(r.product.category);
      if (list) list.push(r);
      else this.sellingByCategory.set(r.product.category, [r]);
    }
    const change = { products: [...touched], popular };
    for (const fn of this.listeners) fn(change);
  }

  /** Whether the product was added since the batch (as of the last refresh). */
  isNew(productId: string): boolean {
    return this.held.has(productId);
  }

  /** A new product's neighbours (category, price), or null when the product is not new. */
  neighboursOf(productId: string): Neighbours | null {
    return this.neighbourLists.get(productId) ?? null;
  }

  /** The new products `productId` is a neighbour of, nearest first, at most NEW_IN_SIMILAR. */
  joiningListOf(productId: string): ProductRow[] {
    return (this.joining.get(productId) ?? []).slice(0, NEW_IN_SIMILAR).map((j) => j.product);
  }

  /**
   * A popular list with the selling new products placed by their order counts: each goes before
   * the first listed product that was ordered fewer times (the catalogue ranking's counts), taking
   * its score. Province lists are left as they are (the orders' provinces are not read here).
   */
  placeInPopular(list: CachedList | null, scope: PopularScope, value: string): CachedList | null {
    if (!list?.items.length || scope === 'province') return list;
    const candidates = scope === 'global' ? this.selling : (this.sellingByCategory.get(value) ?? []);
    if (!candidates.length) return list;
    const stats = this.ranking.stats(list.items.map((i) => i.product.id));
    const listed = new Set(list.items.map((i) => i.product.id));
    const waiting = candidates.filter((c) => !listed.has(c.product.id));
    const items: CachedList['items'] = [];
    let next = 0;
    for (const item of list.items) {
      const count = stats.get(item.product.id)?.orderCount ?? 0;
      for (let c = waiting[next]; c && c.orderCount > count; c = waiting[++next])
        items.push({ product: c.product, score: item.score, reason: null });
      items.push(item);
    }
    return next ? { ...list, items } : list;
  }
}

function sameProduct(a: ProductRow, b: ProductRow): boolean {
  return a.name === b.name && a.category === b.category && a.price === b.price;
}

function reverse(
  held: ReadonlyMap<string, HeldProduct>,
  lists: ReadonlyMap<string, Neighbours>,
): Map<string, { product: ProductRow; rank: number }[]> {
  const out = new Map<string, { product: ProductRow; rank: number }[]>();
  for (const [id, list] of lists) {
    const product = held.get(id)?.product;
    if (!product) continue;
    list.forEach((n, rank) => {
      const entries = out.get(n.product.id);
      if (entries) entries.push({ product, rank });
      else out.set(n.product.id, [{ product, rank }]);
    });
  }
  for (const entries of out.values()) entries.sort((x, y) => x.rank - y.rank || (x.product.id < y.product.id ? -1 : 1));
  return out;
}

/**
 * A similar-items list with the new products `productId` is a neighbour of: after the batch's own
 * items (the `own` source), ahead of the fallbacks; when the batch's items fill the list, they take
 * its last places (at most NEW_IN_SIMILAR).
 */
export function withNewNeighbours(
  items: readonly BuiltItem[],
  newcomers: readonly ProductRow[],
  o: { limit: number; own: RecommendationSource; allowed: (p: ProductRow) => boolean },
): BuiltItem[] {
  const present = new Set(items.map((i) => i.product.id));
  const added = newcomers.filter((p) => !present.has(p.id) && o.allowed(p)).slice(0, NEW_IN_SIMILAR);
  if (!added.length) return [...items];
  const own = items.filter((i) => i.source === o.own);
  const rest = items.filter((i) => i.source !== o.own);
  const kept = own.slice(0, Math.max(0, o.limit - added.length));
  const score = kept.at(-1)?.score ?? 0;
  const blended = added.map((product): BuiltItem => ({
    product,
    score,
    source: 'CATEGORY_NEIGHBOURS',
    reason: { kind: 'new-product', productIds: [] },
  }));
  return [...kept, ...blended, ...rest].slice(0, o.limit);
}
