// The catalogue ordered by how often each product was ordered, with its sales figures, held in
// memory. It is the fill rule's last resort and the source of Product.orderCount/unitsSold/revenue,
// so no request ever aggregates the order lines (about 2 M rows at the reference size): that
// aggregate runs once at start-up, again when the batch changes, and every `refreshMs`, in the
// background, one load at a time. Requests read whatever was loaded last.
// It also holds the products that may not be recommended now (archived, draft, deleted, out of
// stock): a small query re-read every `unavailableRefreshMs` (1 s), so a catalogue change leaves
// every served list within a second, without waiting for the next batch.
import type { Pool } from 'pg';
import type { Logger } from '../infra/logger';
import type { ProductRow } from '../results';
import type { CatalogueFillQuery, ProductStats } from './catalog-repository';

interface RankedProduct extends ProductStats {
  product: ProductRow;
}

const NO_STATS: ProductStats = { orderCount: 0, unitsSold: 0, revenue: 0 };
/** related() looks at this many best sellers of a category at most (bounded per call). */
const RELATED_SCAN = 2_000;

/** Relative price distance (unknown prices sort last, in sales order). */
function priceDistance(a: number | null, b: number | null): number {
  if (a === null || b === null) return Number.MAX_VALUE;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 0.01);
}

export class CatalogueRanking {
  private ranked: RankedProduct[] = [];
  private byId = new Map<string, RankedProduct>();
  private byCategory = new Map<string, RankedProduct[]>();
  private loading: Promise<void> | null = null;
  private loadedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private unavailableIds: ReadonlySet<string> = new Set();
  private unavailableTimer: NodeJS.Timeout | undefined;
  private readonly unavailableListeners: (() => void)[] = [];
  private erased = 0;

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
    /** At most this many products are held (the best-selling ones); the rest are never filled in. */
    private readonly maxProducts: number,
    private readonly refreshMs: number,
    private readonly unavailableRefreshMs = 1_000,
  ) {}

  /** Products not to recommend now, as of the last read (at most `unavailableRefreshMs` old). */
  get unavailable(): ReadonlySet<string> {
    return this.unavailableIds;
  }

  /** Re-reads the products not to recommend; a failure keeps the last set (logged). */
  async refreshUnavailable(): Promise<void> {
    // Erasures ride along: a customer erased by another process must leave cached answers too.
    const { rows } = await this.pool.query<{ ids: string[]; erased: number }>(
      `SELECT array(SELECT id FROM products WHERE status <> 'active' OR NOT in_stock) AS ids,
              (SELECT count(*) FROM erased_customers)::int AS erased`,
    );
    const { ids, erased } = rows[0] ?? { ids: [], erased: 0 };
    const next = new Set(ids);
    const changed =
      next.size !== this.unavailableIds.size ||
      ids.some((id) => !this.unavailableIds.has(id)) ||
      erased !== this.erased;
    this.unavailableIds = next;
    this.erased = erased;
    if (changed) for (const fn of this.unavailableListeners) fn();
  }

  /** Called when the set of products not to recommend, or of erased customers, changes (whole-answer caches must forget). */
  onUnavailableChange(fn: () => void): void {
    this.unavailableListeners.push(fn);
  }

  get size(): number {
    return this.ranked.length;
  }

  /** Loads once (a failure is logged: fills are then empty until a refresh succeeds) and starts the timer. */
  async start(): Promise<void> {
    await this.refresh().catch((err: unknown) => {
      this.logger.warn({ err }, 'catalogue ranking could not be loaded; catalogue fills are empty until it is');
    });
    this.timer = setInterval(() => {
      this.refreshInBackground();
    }, this.refreshMs);
    this.timer.unref();
    await this.refreshUnavailable().catch((err: unknown) => {
      this.logger.warn({ err }, 'unavailable products could not be read; none are skipped until they are');
    });
    this.unavailableTimer = setInterval(() => {
      this.refreshUnavailable().catch((err: unknown) => {
        this.logger.warn({ err }, 'unavailable products refresh failed; keeping the last set');
      });
    }, this.unavailableRefreshMs);
    this.unavailableTimer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.unavailableTimer) clearInterval(this.unavailableTimer);
    this.timer = undefined;
    this.unavailableTimer = undefined;
  }

  /** A new batch (new products were sold, new ones loaded): reload, off the request path. */
  refreshInBackground(): void {
    this.refresh().catch((err: unknown) => {
      this.logger.warn(
        { err, ageMs: Date.now() - this.loadedAt },
        'catalogue ranking refresh failed; keeping the last one',
      );
    });
  }

  /** One aggregate of the order lines; concurrent callers share it. */
  refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const { rows } = await this.pool.query<ProductRow & { order_count: number; units: number; revenue: number }>(
      `SELECT p.id, p.name, p.category, p.price,
              coalesce(s.order_count, 0)::int AS order_count, coalesce(s.units, 0)::int AS units,
              coalesce(s.revenue, 0)::float8 AS revenue
         FROM products p
         LEFT JOIN (SELECT product_id, count(*) AS n,
                           count(*) FILTER (WHERE event_type = 'purchase') AS order_count,
                           sum(quantity) FILTER (WHERE event_type = 'purchase') AS units,
                           sum(quantity * coalesce(unit_price, 0)) FILTER (WHERE event_type = 'purchase') AS revenue
                      FROM order_items GROUP BY product_id) s ON s.product_id = p.id
        ORDER BY coalesce(s.n, 0) DESC, p.id
        LIMIT $1`,
      [this.maxProducts],
    );
    const ranked = rows.map((r) => ({
      product: { id: r.id, name: r.name, category: r.category, price: r.price },
      orderCount: r.order_count,
      unitsSold: r.units,
      revenue: r.revenue,
    }));
    this.ranked = ranked;
    this.byId = new Map(ranked.map((r) => [r.product.id, r]));
    const byCategory = new Map<string, RankedProduct[]>();
    for (const r of ranked) {
      if (r.product.category === null) continue;
      const list = byCategory.get(r.product.category);
      if (list) list.push(r);
      else byCategory.set(r.product.category, [r]);
    }
    this.byCategory = byCategory;
    this.loadedAt = Date.now();
  }

  /** Matching products by how often they were ordered, from memory. */
  fill(q: CatalogueFillQuery): ProductRow[] {
    const out: ProductRow[] = [];
    if (q.limit <= 0) return out;
    const excluded = new Set(q.excludeIds);
    for (const { product: p } of this.ranked) {
      if (excluded.has(p.id) || this.unavailableIds.has(p.id)) continue;
      if (q.categories && (p.category === null || !q.categories.includes(p.category))) continue;
      if (q.minPrice !== null && (p.price === null || p.price < q.minPrice)) continue;
      if (q.maxPrice !== null && (p.price === null || p.price > q.maxPrice)) continue;
      out.push(p);
      if (out.length >= q.limit) break;
    }
    return out;
  }

  /** The products of `ids` held in memory (as of the last load; not those created since or beyond maxProducts). */
  products(ids: readonly string[]): Map<string, ProductRow> {
    const out = new Map<string, ProductRow>();
    for (const id of ids) {
      const held = this.byId.get(id);
      if (held) out.set(id, held.product);
    }
    return out;
  }

  /**
   * Products related to one the batch knows nothing about (new since it): the best sellers of its
   * category (the first RELATED_SCAN) nearest to it in price. Empty when the product is not held.
   */
  related(productId: string, limit: number): { product: ProductRow; score: number }[] {
    const self = this.byId.get(productId)?.product;
    return self ? this.relatedTo(self, limit) : [];
  }

  /** related() for a product given by its row (one added since the last load is not held). */
  relatedTo(self: ProductRow, limit: number): { product: ProductRow; score: number }[] {
    if (!self.category) return [];
    const price = self.price;
    const near = (this.byCategory.get(self.category) ?? [])
      .slice(0, RELATED_SCAN)
      .filter((r) => r.product.id !== self.id && !this.unavailableIds.has(r.product.id))
      .map((r) => ({ product: r.product, distance: priceDistance(price, r.product.price) }))
      .sort((x, y) => x.distance - y.distance)
      .slice(0, limit);
    return near.map((n, rank) => ({ product: n.product, score: 1 / (1 + rank) }));
  }

  /** Sales figures as of the last load (zero for products sold since, or beyond maxProducts). */
  stats(ids: readonly string[]): Map<string, ProductStats> {
    return new Map(ids.map((id) => [id, this.byId.get(id) ?? NO_STATS]));
  }
}
