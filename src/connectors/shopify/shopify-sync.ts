// The Shopify order sync: incremental by an updated_at watermark per shop, page by page through the
// Admin GraphQL API. Each page is written in one transaction together with the resume point (the
// page's end cursor, kept in shopify_sync_state.cursor), so a sync that is interrupted or crashes
// resumes after the last page it saved; the watermark only moves when a run reaches the last page.
import type { Pool, PoolClient } from 'pg';
import type { z } from 'zod';
import type { Config } from '../../config/config';
import { defaultAdminUrl, ShopifyAdminClient } from './admin-client';
import { mapOrder, type OrderRows } from './order-mapper';
import { completeLineItems, withRefundLines } from './order-follow-ups';
import {
  malformedOrder,
  normalizeGraphqlOrder,
  ORDERS_COUNT_QUERY,
  ORDERS_QUERY,
  orderNode,
  ordersCount,
  ordersPage,
  type OrderNode,
} from './order-query';
import { addApplyCounts, applyOrderRows, noApplyCounts } from './order-store';
import { bulkSync, pendingBulkSync } from './bulk-sync';
import type { SyncDeps, SyncOptions, SyncResult } from './sync-types';
import {
  ShopifyApiError,
  ShopifyNotConfiguredError,
  SyncAbortedError,
  SyncAlreadyRunningError,
} from './shopify-errors';

export type { SyncDeps, SyncOptions, SyncProgress, SyncResult } from './sync-types';

/** The resume point stored in shopify_sync_state.cursor while a run is under way. */
interface ResumePoint {
  since: string | null;
  after: string | null;
  max: string | null;
  total: number | null;
  done: number;
}

function later(a: string | null, b: string): string {
  const iso = new Date(b).toISOString();
  return a && Date.parse(a) >= Date.parse(iso) ? a : iso;
}

export function ordersSearch(since: string | null): string | null {
  // `>=`: orders updated in the watermark's own second are read again (harmless: upserts) rather than missed.
  return since ? `updated_at:>='${since}'` : null;
}

/** Whether a sync can run: the sync-orders stage skips Shopify when this is false. */
export function isShopifySyncConfigured(config: Pick<Config, 'shopify'>): boolean {
  return !!(config.shopify.shop && config.shopify.accessToken);
}

export async function syncShopify(deps: SyncDeps, opts: SyncOptions = {}): Promise<SyncResult> {
  const { shop, accessToken, adminUrl } = deps.config.shopify;
  const missing = [!shop && 'SHOPIFY_SHOP', !accessToken && 'SHOPIFY_ACCESS_TOKEN'].filter((m): m is string => !!m);
  if (!shop || !accessToken) throw new ShopifyNotConfiguredError(missing);

  const lock = await deps.db.pool.connect();
  try {
    const { rows } = await lock.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1)) AS ok`, [
      `shopify-sync:${shop}`,
    ]);
    if (!rows[0]?.ok) throw new SyncAlreadyRunningError(shop);
    try {
      return await runSync(
        deps,
        opts,
        shop,
        new ShopifyAdminClient({
          endpoint: adminUrl ?? defaultAdminUrl(shop),
          accessToken,
          logger: deps.logger,
          signal: opts.signal,
          retryBaseMs: opts.retryBaseMs,
          fetchImpl: opts.fetchImpl,
        }),
      );
    } finally {
      await lock.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`shopify-sync:${shop}`]);
    }
  } finally {
    lock.release();
  }
}

async function runSync(
  deps: SyncDeps,
  opts: SyncOptions,
  shop: string,
  client: ShopifyAdminClient,
): Promise<SyncResult> {
  const { db, logger } = deps;
  const state = await db.pool.query<{ watermark: Date | null; cursor: string | null }>(
    `SELECT watermark, cursor FROM shopify_sync_state WHERE shop = $1`,
    [shop],
  );
  const saved = state.rows[0];
  let point: ResumePoint;
  const resumed = !opts.full && !!saved?.cursor;
  if (resumed && saved.cursor) {
    point = JSON.parse(saved.cursor) as ResumePoint;
  } else {
    const since = opts.full ? null : (saved?.watermark?.toISOString() ?? null);
    point = { since, after: null, max: null, total: null, done: 0 };
  }
  let search = ordersSearch(point.since);
  if (point.total === null) {
    const counted = await client.request(ORDERS_COUNT_QUERY, { query: search }, ordersCount);
    point.total = counted.ordersCount?.count ?? null;
  }
  // A first sync (no watermark) of a large store, or one asked for, reads everything in one bulk
  // operation; one already under way is resumed whatever was asked.
  if (!resumed) {
    const pendingBulk = await pendingBulkSync(deps, shop);
    const large = point.since === null && point.total !== null && point.total >= deps.config.shopify.bulkMinOrders;
    if (pendingBulk || opts.bulk || large) {
      // Progress counts against every order: a bulk sync asked for on a synced store reads them all.
      const all =
        point.since === null
          ? point.total
          : ((await client.request(ORDERS_COUNT_QUERY, { query: null }, ordersCount)).ordersCount?.count ?? null);
      return bulkSync(deps, opts, shop, client, all);
    }
  }
  await saveState(db.pool, shop, 'running', point);
  logger.info({ shop, since: point.since, resumed, total: point.total }, 'shopify sync started');

  const result: SyncResult = {
    ...noApplyCounts(),
    pages: 0,
    resumed,
    watermark: point.since,
    requests: 0,
    throttledWaits: 0,
  };
  const pageSize = opts.pageSize ?? 10;
  const lineItems = opts.lineItemsPerOrder ?? 10;
  deps.progress?.({ done: point.done, total: point.total, pages: 0, resumed });
  try {
    for (;;) {
      if (opts.signal?.aborted) throw new SyncAbortedError();
      let page: z.infer<typeof ordersPage>;
      try {
        page = await client.request(
          ORDERS_QUERY,
          { first: pageSize, after: point.after, query: search, lineItems },
          ordersPage,
        );
      } catch (err) {
        // Pages come sorted by updated_at, so everything up to `max` is saved: when Shopify refuses
        // an old cursor, reading from `max` on is the same resume point by other means.
        if (
          resumed &&
          result.pages === 0 &&
          point.after &&
          point.max &&
          err instanceof ShopifyApiError &&
          err.status === 200
        ) {
          logger.warn(
            { shop, since: point.max, err: err.message },
            'shopify refused the saved cursor; resuming from the newest saved updated_at',
          );
          point.after = null;
          point.since = point.max;
          search = ordersSearch(point.since);
          continue;
        }
        throw err;
      }
      const mapped: OrderRows[] = [];
      const valid: OrderNode[] = [];
      for (const [i, raw] of page.orders.nodes.entries()) {
        const parsed = orderNode.safeParse(raw);
        if (parsed.success) {
          valid.push(await completeLineItems(client, parsed.data));
          point.max = later(point.max, parsed.data.updatedAt);
          continue;
        }
        const { id, updatedAt } = (raw ?? {}) as { id?: unknown; updatedAt?: unknown };
        // A quarantined order still moves the watermark: it is kept, with its reason, in quarantine.
        if (typeof updatedAt === 'string' && !Number.isNaN(Date.parse(updatedAt)))
          point.max = later(point.max, updatedAt);
        mapped.push(
          malformedOrder(
            typeof id === 'string' ? `order/${id}` : `orders-page/${point.after ?? 'first'}/${i}`,
            parsed.error,
            raw,
          ),
        );
      }
      for (const node of await withRefundLines(client, valid)) mapped.push(mapOrder(normalizeGraphqlOrder(node)));
      const last = !page.orders.pageInfo.hasNextPage || !page.orders.pageInfo.endCursor;
      point.after = page.orders.pageInfo.endCursor ?? point.after;
      point.done += page.orders.nodes.length;
      const counts = await db.transaction(async (tx) => {
        const c = await applyOrderRows(tx, mapped);
        if (last) {
          const watermark = point.max ?? point.since;
          await tx.query(
            `INSERT INTO shopify_sync_state (shop, watermark, cursor, status, synced, updated_at) VALUES ($1, $2, NULL, 'idle', $3, now())
             ON CONFLICT (shop) DO UPDATE SET watermark = EXCLUDED.watermark, cursor = NULL, status = 'idle',
               synced = shopify_sync_state.synced + $3, updated_at = now()`,
            [shop, watermark, page.orders.nodes.length],
          );
          result.watermark = watermark;
        } else {
          await saveState(tx, shop, 'running', point, page.orders.nodes.length);
        }
        return c;
      });
      result.pages += 1;
      addApplyCounts(result, counts);
      deps.progress?.({ done: point.done, total: point.total, pages: result.pages, resumed });
      if (last) break;
    }
  } catch (err) {
    const status = err instanceof SyncAbortedError ? 'interrupted' : 'failed';
    await db.pool.query(`UPDATE shopify_sync_state SET status = $2, updated_at = now() WHERE shop = $1`, [
      shop,
      status,
    ]);
    if (status === 'interrupted')
      logger.info(
        { shop, pages: result.pages },
        'shopify sync interrupted; the next run resumes from the last saved page',
      );
    else
      logger.error(
        { shop, pages: result.pages, err },
        'shopify sync failed; the next run resumes from the last saved page',
      );
    throw err;
  } finally {
    result.requests = client.stats.requests;
    result.throttledWaits = client.stats.throttled + client.stats.tooManyRequests;
  }
  logger.info({ shop, ...result }, 'shopify sync finished');
  return result;
}

async function saveState(
  q: Pool | PoolClient,
  shop: string,
  status: string,
  point: ResumePoint,
  addSynced = 0,
): Promise<void> {
  await q.query(
    `INSERT INTO shopify_sync_state (shop, cursor, status, synced, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (shop) DO UPDATE SET cursor = EXCLUDED.cursor, status = EXCLUDED.status,
       synced = shopify_sync_state.synced + $4, updated_at = now()`,
    [shop, JSON.stringify(point), status, addSynced],
  );
}
