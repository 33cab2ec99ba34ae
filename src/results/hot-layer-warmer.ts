// Pre-warms the Redis hot layer for the customers who matter most (the top share of customers by
// purchase spend) under the current batch version. Used by the pipeline's warm-cache stage (after
// load-results) and the weekly `prewarm` schedule.
//
// It works in chunks of customers: one statement reads a chunk's lists (with the batch id, one
// snapshot), one its provinces, one the products in them, and one pipelined Redis round trip writes
// the chunk's entries. The entries are exactly the ones a cache-aside miss stores (same keys, same
// values through the same CacheRepository code, same TTL): test/pipeline/warm-cache.test.ts checks
// a warmed customer's first request against an unwarmed one.
import type { Redis } from 'ioredis';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { Logger } from '../infra/logger';
import { BatchMovedError } from './batch-moved-error';
import { CacheRepository } from './cache-repository';
import { CatalogRepository } from './catalog-repository';
import { HotCache } from './hot-cache';
import { ModelVersionLookup } from './model-versions';
import { HOT_ENTRY } from './recommendation-service';

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
  /** Customers read and written together (default 500). */
  chunkSize?: number;
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

type Entry = { kind: string; id: string; value: unknown };

/** A load committing mid-warm moves the rest of the warm to the newer batch; more than this many is a storm. */
const MAX_BATCH_MOVES = 3;

export async function warmHotLayer(deps: WarmDeps, opts: WarmOptions = {}): Promise<WarmResult> {
  const started = Date.now();
  const fraction = opts.topFraction ?? 0.1;
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`topFraction must be in (0, 1], got ${fraction}`);
  const chunkSize = Math.max(1, opts.chunkSize ?? 500);
  const { config, db, logger } = deps;
  let version = await currentBatchVersion(db);
  if (version === 0) return { batchVersion: version, customers: 0, entries: 0, ms: Date.now() - started };

  const hot = new HotCache(deps.redis, config.redis.prefix, config.cache.ttlSeconds, logger);
  if (!(await hot.waitUntilReady(5_000))) throw new Error('Redis is not reachable: the hot layer cannot be warmed');
  const catalog = new CatalogRepository(db.pool);
  const lists = new CacheRepository(db.pool, catalog, new ModelVersionLookup(db.pool));
  // Popular lists are shared by many customers: each is written once per batch version.
  const popularWritten = new Set<string>();

  const warmChunk = async (v: number, ids: string[]): Promise<number> => {
    const [personal, provinces] = await Promise.all([lists.lists(v, 'user', ids), catalog.customerProvinces(ids)]);
    const entries: Entry[] = [];
    const popular = async (scope: 'global' | 'province', value: string) => {
      const { kind, id } = HOT_ENTRY.popular(scope, value);
      if (popularWritten.has(`${v}:${id}`)) return;
      entries.push({ kind, id, value: await lists.popular(v, scope, value) });
    };
    for (const id of ids) {
      const province = provinces.get(id) ?? null;
      entries.push({ kind: 'user', id, value: personal.get(id) ?? null }, { ...HOT_ENTRY.province(id), value: province });
    }
    for (const province of new Set([...provinces.values()].filter((p): p is string => p !== null))) await popular('province', province);
    await popular('global', '');
    await hot.storeMany(v, entries);
    for (const e of entries) if (e.kind === 'popular') popularWritten.add(`${v}:${e.id}`);
    return entries.length;
  };

  const customers = await topCustomersBySpend(db, fraction);
  await opts.progress?.(0, `warming ${customers.length} customers under batch ${version}`);
  let done = 0;
  let entries = 0;
  let reported = 0;
  let moves = 0;
  while (done < customers.length) {
    const chunk = customers.slice(done, done + chunkSize);
    try {
      entries += await warmChunk(version, chunk);
    } catch (err) {
      if (!(err instanceof BatchMovedError) || moves >= MAX_BATCH_MOVES) throw err;
      moves += 1;
      logger.info({ from: version, to: err.observed }, 'a new batch was loaded while warming: warming the rest under it');
      version = err.observed;
      continue;
    }
    done += chunk.length;
    const percent = Math.floor((done / customers.length) * 100);
    if (percent >= reported + 5 && done < customers.length) {
      reported = percent;
      await opts.progress?.(percent, `warmed ${done} of ${customers.length} customers`);
    }
  }
  const result = { batchVersion: version, customers: done, entries, ms: Date.now() - started };
  logger.info(result, 'hot layer warmed');
  return result;
}
