// Pre-warms the Redis hot layer for the customers who matter most (the top share of customers by
// purchase spend) under the current batch version. It reads through the gateway's own
// RecommendationService and writes through HotCache.store, so its entries are exactly the ones a
// cache-aside miss would store: same keys, same values, same TTL.
// Used by the pipeline's warm-cache stage (after load-results) and the weekly `prewarm` schedule.
import type { Redis } from 'ioredis';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { Logger } from '../infra/logger';
import { CacheRepository } from './cache-repository';
import { CatalogRepository } from './catalog-repository';
import { HotCache, type HotLayer } from './hot-cache';
import { ModelVersionLookup } from './model-versions';
import { RecommendationService } from './recommendation-service';

export interface WarmDeps {
  config: Config;
  db: Database;
  /** Any ready-or-connecting client; writes are awaited. */
  redis: Redis;
  logger: Logger;
}

export interface WarmOptions {
  /** Share of customers to warm, by spend (default 0.1: the top 10%). */
  topFraction?: number;
  /** Customers warmed at once (default 8; each costs a few PostgreSQL reads and Redis writes). */
  concurrency?: number;
  /** Called as customers are warmed (about every 5%). */
  progress?: (percent: number, message: string) => Promise<void>;
}

export interface WarmResult {
  /** 0 when no cache batch has been loaded yet (nothing was warmed). */
  batchVersion: number;
  customers: number;
  /** Hot keys written (per-customer entries plus the shared popular lists). */
  entries: number;
  ms: number;
}

/** Stores every entry it loads; entries shared by many customers (popular lists) are loaded once. */
class WarmingHotLayer implements HotLayer {
  private readonly shared = new Map<string, Promise<unknown>>();
  entries = 0;

  constructor(private readonly hot: HotCache) {}

  getOrLoad<T>(version: number, kind: string, id: string, load: () => Promise<T>): Promise<T> {
    const key = `${version}:${kind}:${id}`;
    const seen = this.shared.get(key);
    if (seen) return seen as Promise<T>;
    const promise = (async () => {
      const value = await load();
      await this.hot.store(version, kind, id, value);
      this.entries += 1;
      return value;
    })();
    // Bounded: per-customer keys are met once, so old ones only cost memory.
    if (this.shared.size >= 10_000) this.shared.clear();
    this.shared.set(key, promise);
    return promise;
  }
}

/** The newest cache batch (the version the gateway serves), 0 when none. */
async function currentBatchVersion(db: Database): Promise<number> {
  const { rows } = await db.pool.query<{ id: number | null }>('SELECT max(id) AS id FROM cache_batches');
  return rows[0]?.id ?? 0;
}

/**
 * The top `fraction` of customers by purchase spend (sum of quantity x unit price over purchase
 * lines; returns do not count), biggest first. The share is of all known customers, but only
 * customers who bought something qualify.
 */
export async function topCustomersBySpend(db: Database, fraction: number): Promise<string[]> {
  const { rows } = await db.pool.query<{ customer_id: string }>(
    `WITH spend AS (
       SELECT customer_id, sum(quantity * coalesce(unit_price, 0)) AS total
         FROM order_items WHERE event_type = 'purchase'
        GROUP BY customer_id HAVING sum(quantity * coalesce(unit_price, 0)) > 0)
     SELECT customer_id FROM spend ORDER BY total DESC, customer_id
      LIMIT ceil($1::float8 * greatest((SELECT count(*) FROM customers), (SELECT count(*) FROM spend)))::int`,
    [fraction],
  );
  return rows.map((r) => r.customer_id);
}

export async function warmHotLayer(deps: WarmDeps, opts: WarmOptions = {}): Promise<WarmResult> {
  const started = Date.now();
  const fraction = opts.topFraction ?? 0.1;
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`topFraction must be in (0, 1], got ${fraction}`);
  const { config, db, logger } = deps;
  const batchVersion = await currentBatchVersion(db);
  if (batchVersion === 0) return { batchVersion, customers: 0, entries: 0, ms: Date.now() - started };

  const hot = new HotCache(deps.redis, config.redis.prefix, config.cache.ttlSeconds, logger);
  if (!(await hot.waitUntilReady(5_000))) throw new Error('Redis is not reachable: the hot layer cannot be warmed');
  const layer = new WarmingHotLayer(hot);
  // A load committing mid-warm moves the rest of the warm to the newer batch.
  const pinned = {
    current: batchVersion,
    observe(version: number) {
      if (version > pinned.current) pinned.current = version;
    },
  };
  const catalog = new CatalogRepository(db.pool);
  const recs = new RecommendationService(
    layer,
    new CacheRepository(db.pool, catalog, new ModelVersionLookup(db.pool)),
    catalog,
    pinned,
    logger,
  );

  const customers = await topCustomersBySpend(db, fraction);
  await opts.progress?.(0, `warming ${customers.length} customers under batch ${batchVersion}`);
  let next = 0;
  let done = 0;
  let reported = 0;
  const worker = async () => {
    while (next < customers.length) {
      const id = customers[next++]!;
      await recs.warmUser(id);
      done += 1;
      const percent = Math.floor((done / customers.length) * 100);
      if (percent >= reported + 5 && done < customers.length) {
        reported = percent;
        await opts.progress?.(percent, `warmed ${done} of ${customers.length} customers`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker));
  const result = { batchVersion: pinned.current, customers: done, entries: layer.entries, ms: Date.now() - started };
  logger.info(result, 'hot layer warmed');
  return result;
}
