// A first sync through Shopify's bulk operations: one bulkOperationRunQuery over every order (line
// items and customer), polled with backoff until COMPLETED, then its JSONL result streamed line by
// line into the same upserts the paged sync uses. shopify_bulk_syncs keeps the operation id and the
// number of JSONL lines applied (written in each batch's transaction), so a restarted job polls the
// same operation and skips the applied lines. Once every line is applied the incremental watermark
// is set to the earlier of the newest updatedAt applied and when the operation was asked for (an
// order changed while Shopify ran the query may be missing from the file): later syncs page from there.
import type { ShopifyAdminClient } from './admin-client';
import { orderGroups, jsonlLines, type BulkOrderGroup } from './bulk-jsonl';
import { BULK_ORDERS_QUERY, BULK_POLL_QUERY, BULK_RUN_MUTATION, bulkPoll, bulkRun, type BulkPoll } from './bulk-query';
import { withRefundLines } from './order-follow-ups';
import { mapOrder, type OrderRows } from './order-mapper';
import { normalizeGraphqlOrder, orderNode, type OrderNode } from './order-query';
import { applyOrderRows, type ApplyCounts } from './order-store';
import { ShopifyApiError, ShopifyBulkOperationError, SyncAbortedError } from './shopify-errors';
import type { SyncDeps, SyncOptions, SyncResult } from './sync-types';

/** Orders applied per transaction (and per refund-lines follow-up round). */
const BATCH_ORDERS = 100;
/**
 * The watermark is set this far before the operation was asked for: clocks differ between us and
 * Shopify, and an order read again by the next incremental sync is an upsert that changes nothing.
 */
const WATERMARK_MARGIN_MS = 5 * 60_000;

export interface BulkResult extends ApplyCounts {
  operationId: string;
  resumed: boolean;
  linesApplied: number;
  watermark: string;
}

interface BulkRow {
  operation_id: string;
  status: string;
  lines_applied: string;
  orders_applied: number;
  max_updated_at: Date | null;
  started_at: Date;
}

/** The shop's bulk sync still under way (awaited or streamed), if any: a sync resumes it. */
export async function pendingBulkSync(deps: Pick<SyncDeps, 'db'>, shop: string): Promise<BulkRow | null> {
  const { rows } = await deps.db.pool.query<BulkRow>(
    `SELECT operation_id, status, lines_applied, orders_applied, max_updated_at, started_at FROM shopify_bulk_syncs
      WHERE shop = $1 AND status = 'running'`,
    [shop],
  );
  return rows[0] ?? null;
}

/** The bulk path of syncShopify (under its lock): the shop's sync state says running, then idle or failed. */
export async function bulkSync(
  deps: SyncDeps,
  opts: SyncOptions,
  shop: string,
  client: ShopifyAdminClient,
  total: number | null,
): Promise<SyncResult> {
  await deps.db.pool.query(
    `INSERT INTO shopify_sync_state (shop, status, updated_at) VALUES ($1, 'running', now())
     ON CONFLICT (shop) DO UPDATE SET status = 'running', updated_at = now()`,
    [shop],
  );
  try {
    const r = await runBulkSync(deps, opts, shop, client, total);
    return {
      orders: r.orders,
      lineItems: r.lineItems,
      customers: r.customers,
      products: r.products,
      quarantined: r.quarantined,
      stale: r.stale,
      erased: r.erased,
      pages: 0,
      resumed: r.resumed,
      watermark: r.watermark,
      requests: client.stats.requests,
      throttledWaits: client.stats.throttled + client.stats.tooManyRequests,
      bulk: { operationId: r.operationId, linesApplied: r.linesApplied },
    };
  } catch (err) {
    const status = err instanceof SyncAbortedError ? 'interrupted' : 'failed';
    await deps.db.pool.query(`UPDATE shopify_sync_state SET status = $2, updated_at = now() WHERE shop = $1`, [
      shop,
      status,
    ]);
    if (status === 'failed')
      deps.logger.error(
        { shop, err },
        'shopify bulk sync failed; the next run resumes the same operation or starts a new one',
      );
    throw err;
  }
}

async function runBulkSync(
  deps: SyncDeps,
  opts: SyncOptions,
  shop: string,
  client: ShopifyAdminClient,
  total: number | null,
): Promise<BulkResult> {
  const { db, logger } = deps;
  let row = await pendingBulkSync(deps, shop);
  const resumed = !!row;
  if (!row) row = await startOperation(deps, shop, client);
  logger.info({ shop, operationId: row.operation_id, resumed }, 'shopify bulk sync started');
  const progress = (done: number, phase: 'bulk-waiting' | 'bulk-applying') =>
    deps.progress?.({ done, total, pages: 0, resumed, phase });

  const op = await awaitOperation(deps, opts, shop, client, row.operation_id, (n) => {
    progress(n, 'bulk-waiting');
  });
  const counts: ApplyCounts = {
    orders: 0,
    lineItems: 0,
    customers: 0,
    products: 0,
    stale: 0,
    erased: 0,
    quarantined: 0,
  };
  let linesApplied = Number(row.lines_applied);
  let ordersApplied = row.orders_applied;
  let maxUpdatedAt = row.max_updated_at;
  progress(ordersApplied, 'bulk-applying');
  // An operation over an empty store completes without a url.
  if (op.url) {
    const res = await fetch(op.url, { signal: opts.signal });
    if (!res.ok || !res.body)
      throw new ShopifyApiError(`the bulk result of ${op.id} could not be read (HTTP ${res.status})`, res.status, true);
    let batch: BulkOrderGroup[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const last = batch[batch.length - 1] as BulkOrderGroup;
      const mapped = await mapGroups(client, batch);
      const newest = mapped.reduce<Date | null>(
        (m, r) => (r.order && (!m || r.order.updatedAt > m) ? r.order.updatedAt : m),
        null,
      );
      const c = await db.transaction(async (tx) => {
        const applied = await applyOrderRows(tx, mapped);
        await tx.query(
          `UPDATE shopify_bulk_syncs SET lines_applied = $2, orders_applied = orders_applied + $3,
             max_updated_at = GREATEST(max_updated_at, $4), updated_at = now()
            WHERE shop = $1`,
          [shop, last.lastLine, batch.length, newest],
        );
        return applied;
      });
      for (const k of Object.keys(counts) as (keyof ApplyCounts)[]) counts[k] += c[k];
      if (newest && (!maxUpdatedAt || newest > maxUpdatedAt)) maxUpdatedAt = newest;
      linesApplied = last.lastLine;
      ordersApplied += batch.length;
      batch = [];
      progress(ordersApplied, 'bulk-applying');
    };
    for await (const group of orderGroups(jsonlLines(res.body), linesApplied)) {
      batch.push(group);
      if (batch.length >= BATCH_ORDERS) {
        await flush();
        if (opts.signal?.aborted) throw new SyncAbortedError();
      }
    }
    await flush();
  }
  const asked = row.started_at.getTime() - WATERMARK_MARGIN_MS;
  const watermark = new Date(maxUpdatedAt ? Math.min(maxUpdatedAt.getTime(), asked) : asked).toISOString();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO shopify_sync_state (shop, watermark, cursor, status, synced, updated_at) VALUES ($1, $2, NULL, 'idle', $3, now())
       ON CONFLICT (shop) DO UPDATE SET watermark = EXCLUDED.watermark, cursor = NULL, status = 'idle',
         synced = shopify_sync_state.synced + $3, updated_at = now()`,
      [shop, watermark, counts.orders],
    );
    await tx.query(`UPDATE shopify_bulk_syncs SET status = 'done', updated_at = now() WHERE shop = $1`, [shop]);
  });
  logger.info({ shop, operationId: op.id, linesApplied, ordersApplied, watermark }, 'shopify bulk sync finished');
  return { ...counts, operationId: op.id, resumed, linesApplied, watermark };
}

async function startOperation(deps: SyncDeps, shop: string, client: ShopifyAdminClient): Promise<BulkRow> {
  const startedAt = new Date();
  const res = await client.request(BULK_RUN_MUTATION, { query: BULK_ORDERS_QUERY }, bulkRun);
  const run = res.bulkOperationRunQuery;
  const op = run?.bulkOperation;
  if (!op) {
    const why = run?.userErrors.map((e) => e.message).join('; ') || 'no operation returned';
    // Typically "A bulk query operation for this app and shop is already in progress".
    throw new ShopifyApiError(`Shopify refused the bulk operation: ${why}`, 200, true);
  }
  const { rows } = await deps.db.pool.query<BulkRow>(
    `INSERT INTO shopify_bulk_syncs (shop, operation_id, status, lines_applied, orders_applied, error, started_at, updated_at)
     VALUES ($1, $2, 'running', 0, 0, NULL, $3, now())
     ON CONFLICT (shop) DO UPDATE SET operation_id = EXCLUDED.operation_id, status = 'running', lines_applied = 0,
       orders_applied = 0, max_updated_at = NULL, error = NULL, started_at = EXCLUDED.started_at, updated_at = now()
     RETURNING operation_id, status, lines_applied, orders_applied, max_updated_at, started_at`,
    [shop, op.id, startedAt],
  );
  return rows[0] as BulkRow;
}

/** Polls the operation with doubling delays until it completes; a failed one is recorded and thrown. */
async function awaitOperation(
  deps: SyncDeps,
  opts: SyncOptions,
  shop: string,
  client: ShopifyAdminClient,
  id: string,
  onCount: (rootObjects: number) => void,
): Promise<BulkPoll> {
  let delay = opts.bulkPollBaseMs ?? 1_000;
  for (;;) {
    const { node } = await client.request(BULK_POLL_QUERY, { id }, bulkPoll);
    if (!node) throw await failed(deps, shop, new ShopifyBulkOperationError(id, 'MISSING', null));
    if (node.status === 'COMPLETED') return node;
    if (node.status === 'FAILED' || node.status === 'CANCELED' || node.status === 'EXPIRED')
      throw await failed(deps, shop, new ShopifyBulkOperationError(id, node.status, node.errorCode ?? null));
    onCount(node.rootObjectCount ?? node.objectCount);
    await sleep(delay, opts.signal);
    delay = Math.min(opts.bulkPollMaxMs ?? 30_000, delay * 2);
  }
}

async function failed(
  deps: SyncDeps,
  shop: string,
  err: ShopifyBulkOperationError,
): Promise<ShopifyBulkOperationError> {
  await deps.db.pool.query(
    `UPDATE shopify_bulk_syncs SET status = 'failed', error = $2, updated_at = now() WHERE shop = $1`,
    [shop, err.message],
  );
  deps.logger.error({ shop, operationId: err.operationId, status: err.status, errorCode: err.errorCode }, err.message);
  return err;
}

/** The paged sync's treatment of one order, for a batch of JSONL groups. */
async function mapGroups(client: ShopifyAdminClient, groups: BulkOrderGroup[]): Promise<OrderRows[]> {
  const mapped: OrderRows[] = [];
  const valid: OrderNode[] = [];
  for (const { node, lastLine } of groups) {
    const parsed = orderNode.safeParse(node);
    if (parsed.success) {
      valid.push(parsed.data);
      continue;
    }
    const issue = parsed.error.issues[0];
    mapped.push({
      order: null,
      customer: null,
      products: [],
      items: [],
      quarantined: [
        {
          file: typeof node.id === 'string' ? `order/${node.id}` : `bulk-line/${lastLine}`,
          reason: `malformed order from the Admin API: ${issue?.path.join('.')} ${issue?.message}`,
          raw: node,
        },
      ],
    });
  }
  for (const n of await withRefundLines(client, valid)) mapped.push(mapOrder(normalizeGraphqlOrder(n)));
  return mapped;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new SyncAbortedError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new SyncAbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
