// A first sync through Shopify's bulk operations: one bulkOperationRunQuery over every order (line
// items and customer), polled with backoff until COMPLETED, then its JSONL result streamed line by
// line into the same upserts the paged sync uses; then one over the catalogue (products). shopify_bulk_syncs keeps the operation id and the
// number of JSONL lines applied (written in each batch's transaction), so a restarted job polls the
// same operation and skips the applied lines. Once every line is applied the incremental watermark
// is set to the earlier of the newest updatedAt applied and when the operation was asked for (an
// order changed while Shopify ran the query may be missing from the file): later syncs page from there.
import type { ShopifyAdminClient } from './admin-client';
import { applyBulkFile, applyProductLines, mapOrderGroups } from './bulk-apply';
import {
  BULK_ORDERS_QUERY,
  BULK_POLL_QUERY,
  BULK_PRODUCTS_QUERY,
  BULK_RUN_MUTATION,
  bulkPoll,
  bulkRun,
  type BulkPoll,
} from './bulk-query';
import { addApplyCounts, applyOrderRows, noApplyCounts, type ApplyCounts } from './order-store';
import { ShopifyApiError, ShopifyBulkOperationError, SyncAbortedError } from './shopify-errors';
import type { SyncDeps, SyncOptions, SyncProgress, SyncResult } from './sync-types';

/** Orders applied per transaction (and per refund-lines follow-up round). */
const BATCH_ORDERS = 100;
const BATCH_PRODUCTS = 500;
/**
 * The watermark is set this far before the operation was asked for: clocks differ between us and
 * Shopify, and an order read again by the next incremental sync is an upsert that changes nothing.
 */
const WATERMARK_MARGIN_MS = 5 * 60_000;

export interface BulkResult extends ApplyCounts {
  operationId: string;
  resumed: boolean;
  watermark: string;
}

interface BulkRow {
  operation_id: string;
  status: string;
  phase: 'orders' | 'products';
  lines_applied: string;
  orders_applied: number;
  products_applied: number;
  max_updated_at: Date | null;
  started_at: Date;
}

const ROW = 'operation_id, status, phase, lines_applied, orders_applied, products_applied, max_updated_at, started_at';

/** The shop's bulk sync still under way (awaited or streamed), if any: a sync resumes it. */
export async function pendingBulkSync(deps: Pick<SyncDeps, 'db'>, shop: string): Promise<BulkRow | null> {
  const { rows } = await deps.db.pool.query<BulkRow>(
    `SELECT ${ROW} FROM shopify_bulk_syncs WHERE shop = $1 AND status = 'running'`,
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
      bulk: { operationId: r.operationId },
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
  const pending = await pendingBulkSync(deps, shop);
  const resumed = !!pending;
  let row: BulkRow = pending ?? (await startOperation(deps, shop, client, 'orders'));
  logger.info({ shop, operationId: row.operation_id, phase: row.phase, resumed }, 'shopify bulk sync started');
  const progress = (done: number, phase: NonNullable<SyncProgress['phase']>) =>
    deps.progress?.({ done, total: phase === 'bulk-products' ? null : total, pages: 0, resumed, phase });
  const counts = noApplyCounts();
  let maxUpdatedAt = row.max_updated_at;

  if (row.phase === 'orders') {
    const op = await awaitOperation(deps, opts, shop, client, row.operation_id, (n) => {
      progress(n, 'bulk-waiting');
    });
    const before = row.orders_applied;
    progress(before, 'bulk-applying');
    // An operation over an empty store completes without a url.
    if (op.url)
      await applyBulkFile(
        db,
        op.url,
        { skip: Number(row.lines_applied), batchSize: BATCH_ORDERS, signal: opts.signal },
        async (tx, batch, lines) => {
          const mapped = await mapOrderGroups(client, batch);
          const newest = mapped.reduce<Date | null>(
            (m, r) => (r.order && (!m || r.order.updatedAt > m) ? r.order.updatedAt : m),
            null,
          );
          const c = await applyOrderRows(tx, mapped);
          await tx.query(
            `UPDATE shopify_bulk_syncs SET lines_applied = $2, orders_applied = orders_applied + $3,
               max_updated_at = GREATEST(max_updated_at, $4), updated_at = now()
              WHERE shop = $1`,
            [shop, lines, batch.length, newest],
          );
          addApplyCounts(counts, c);
          if (newest && (!maxUpdatedAt || newest > maxUpdatedAt)) maxUpdatedAt = newest;
        },
        (p) => {
          progress(before + p.applied, 'bulk-applying');
        },
      );
    // One bulk query per shop at a time (older versions): the catalogue's operation follows the orders'.
    row = await startOperation(deps, shop, client, 'products');
  }

  const productsBefore = row.products_applied;
  const op = await awaitOperation(deps, opts, shop, client, row.operation_id, () => undefined);
  if (op.url)
    await applyBulkFile(
      db,
      op.url,
      { skip: Number(row.lines_applied), batchSize: BATCH_PRODUCTS, signal: opts.signal },
      async (tx, batch, lines) => {
        counts.products += await applyProductLines(tx, batch);
        await tx.query(
          `UPDATE shopify_bulk_syncs SET lines_applied = $2, products_applied = products_applied + $3, updated_at = now()
            WHERE shop = $1`,
          [shop, lines, batch.length],
        );
      },
      (p) => {
        progress(productsBefore + p.applied, 'bulk-products');
      },
    );

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
  logger.info({ shop, ...counts, watermark }, 'shopify bulk sync finished');
  return { ...counts, operationId: row.operation_id, resumed, watermark };
}

/**
 * Asks Shopify for the phase's operation. The orders phase starts a fresh row (a new sync or one
 * after a failure); the products phase keeps the orders' figures and the time the sync was asked for.
 */
async function startOperation(
  deps: SyncDeps,
  shop: string,
  client: ShopifyAdminClient,
  phase: 'orders' | 'products',
): Promise<BulkRow> {
  const startedAt = new Date();
  const query = phase === 'orders' ? BULK_ORDERS_QUERY : BULK_PRODUCTS_QUERY;
  const res = await client.request(BULK_RUN_MUTATION, { query }, bulkRun);
  const run = res.bulkOperationRunQuery;
  const op = run?.bulkOperation;
  if (!op) {
    const why = run?.userErrors.map((e) => e.message).join('; ') || 'no operation returned';
    // Typically "A bulk query operation for this app and shop is already in progress".
    throw new ShopifyApiError(`Shopify refused the bulk operation: ${why}`, 200, true);
  }
  const { rows } =
    phase === 'orders'
      ? await deps.db.pool.query<BulkRow>(
          `INSERT INTO shopify_bulk_syncs (shop, operation_id, status, phase, lines_applied, orders_applied, products_applied,
                                           error, started_at, updated_at)
           VALUES ($1, $2, 'running', 'orders', 0, 0, 0, NULL, $3, now())
           ON CONFLICT (shop) DO UPDATE SET operation_id = EXCLUDED.operation_id, status = 'running', phase = 'orders',
             lines_applied = 0, orders_applied = 0, products_applied = 0, max_updated_at = NULL, error = NULL,
             started_at = EXCLUDED.started_at, updated_at = now()
           RETURNING ${ROW}`,
          [shop, op.id, startedAt],
        )
      : await deps.db.pool.query<BulkRow>(
          `UPDATE shopify_bulk_syncs SET operation_id = $2, phase = 'products', lines_applied = 0, updated_at = now()
            WHERE shop = $1 RETURNING ${ROW}`,
          [shop, op.id],
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
