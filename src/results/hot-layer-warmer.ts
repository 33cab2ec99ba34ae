// Pre-warms the Redis hot layer for the customers who matter most (the top share of customers by
// purchase spend) under the current batch version. Used by the pipeline's warm-cache stage (after
// load-results) and the weekly `prewarm` schedule.
//
// It works in chunks of customers: one statement reads a chunk's lists (with the batch id, one
// snapshot), one its provinces, one the products in them, and one pipelined Redis round trip writes
// the chunk's entries. The entries are exactly the ones a cache-aside miss stores (same keys, same
// values through the same PostgresResultStore code, same TTL): test/results/warm-cache.test.ts
// checks a warmed customer's first request against an unwarmed one.
import type { Redis } from 'ioredis';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { Logger } from '../infra/logger';
import type { Batch } from './batch';
import { BatchMovedError } from './batch-moved-error';
import { readNewestBatch } from './batch-tracker';
import { HotCache } from './hot-cache';
import { RedisMemoryBudget } from './hot-memory-budget';
import { HOT_ENTRY } from './hot-keys';
import { PostgresResultStore } from './postgres-result-store';
import { RESULT_KINDS } from './result-kinds';
import type { ProductLookup } from './result-store';

/** The catalogue reads the warmer needs (serving's CatalogRepository). */
export interface WarmCatalog extends ProductLookup {
  customerProvinces(ids: readonly string[]): Promise<Map<string, string | null>>;
}

export interface WarmDeps {
  config: Config;
  db: Database;
  /** Any ready-or-connecting client; writes are awaited. */
  redis: Redis;
  logger: Logger;
  catalog: WarmCatalog;
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
  const { config, db, logger, catalog } = deps;
  let batch: Batch = await readNewestBatch(db.pool);
  if (batch.version === 0) return { batchVersion: 0, customers: 0, entries: 0, ms: Date.now() - started };

  // The warm stops where the gateways would stop writing: at the hot layer's memory cap, counting
  // its own writes between readings as they do.
  const budget = new RedisMemoryBudget(deps.redis, config.cache.hotMaxMb * 1024 * 1024, logger);
  const hot = new HotCache(deps.redis, config.redis.prefix, config.cache.ttlSeconds, logger, {
    mayWrite: (bytes) => budget.take(bytes),
  });
  if (!(await hot.waitUntilReady(5_000))) throw new Error('Redis is not reachable: the hot layer cannot be warmed');
  const lists = new PostgresResultStore(db.pool, catalog);
  // Popular lists are shared by many customers: each is written once per batch version.
  const popularWritten = new Set<string>();

  /** The entries written, or null when they would pass the cap (nothing written). */
  const warmChunk = async (b: Batch, ids: string[]): Promise<number | null> => {
    const v = b.version;
    const [personal, provinces] = await Promise.all([
      lists.lists(b, 'userRecommendations', ids),
      catalog.customerProvinces(ids),
    ]);
    const entries: Entry[] = [];
    const popular = async (scope: 'global' | 'province', value: string) => {
      const { kind, id } = HOT_ENTRY.popular(scope, value);
      if (popularWritten.has(`${v}:${id}`)) return;
      entries.push({ kind, id, value: await lists.popular(b, scope, value) });
    };
    for (const id of ids) {
      const province = provinces.get(id) ?? null;
      entries.push(
        { kind: RESULT_KINDS.userRecommendations.hotKind, id, value: personal.get(id) ?? null },
        { ...HOT_ENTRY.province(id), value: province },
      );
    }
    for (const province of new Set([...provinces.values()].filter((p): p is string => p !== null)))
      await popular('province', province);
    await popular('global', '');
    if (!(await hot.storeMany(v, entries))) return null;
    for (const e of entries) if (e.kind === RESULT_KINDS.popularItems.hotKind) popularWritten.add(`${v}:${e.id}`);
    return entries.length;
  };

  const customers = await topCustomersBySpend(db, fraction);
  await opts.progress?.(0, `warming ${customers.length} customers under batch ${batch.version}`);
  let done = 0;
  let entries = 0;
  let reported = 0;
  let moves = 0;
  while (done < customers.length) {
    await budget.check();
    if (!budget.allowsWrites) {
      logger.warn({ done, of: customers.length }, 'hot layer memory cap reached: warm stopped early');
      break;
    }
    const chunk = customers.slice(done, done + chunkSize);
    try {
      const written = await warmChunk(batch, chunk);
      if (written === null) {
        logger.warn({ done, of: customers.length }, 'hot layer memory cap reached: warm stopped early');
        break;
      }
      entries += written;
    } catch (err) {
      if (!(err instanceof BatchMovedError) || moves >= MAX_BATCH_MOVES) throw err;
      moves += 1;
      logger.info(
        { from: batch.version, to: err.observed.version },
        'a new batch was loaded while warming: warming the rest under it',
      );
      batch = err.observed;
      continue;
    }
    done += chunk.length;
    const percent = Math.floor((done / customers.length) * 100);
    if (percent >= reported + 5 && done < customers.length) {
      reported = percent;
      await opts.progress?.(percent, `warmed ${done} of ${customers.length} customers`);
    }
  }
  const result = { batchVersion: batch.version, customers: done, entries, ms: Date.now() - started };
  logger.info(result, 'hot layer warmed');
  return result;
}
