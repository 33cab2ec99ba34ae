// sync-orders: pulls new and changed orders from the store (Shopify) before the export.
import { checkBulkSyncAlert } from '../alerts/check-alerts';
import {
  isShopifySyncConfigured,
  ShopifyBulkOperationError,
  syncShopify,
  type SyncProgress,
} from '../connectors/shopify';
import type { StageFn } from './stage-types';

export const syncOrders: StageFn = async ({ db, config, logger }, { progress }) => {
  if (!isShopifySyncConfigured(config)) {
    return { status: 'skipped', reason: 'no store connector configured (SHOPIFY_SHOP, SHOPIFY_ACCESS_TOKEN)' };
  }
  let last = '';
  const report = (p: SyncProgress) => {
    const pct =
      p.phase === 'bulk-products'
        ? 99
        : p.total
          ? Math.min(100, Math.floor((100 * p.done) / p.total))
          : Math.min(95, p.pages);
    const what =
      p.phase === 'bulk-waiting'
        ? `bulk operation: Shopify has read ${p.done} orders`
        : p.phase === 'bulk-applying'
          ? `bulk operation: ${p.done} orders applied`
          : p.phase === 'bulk-products'
            ? `bulk operation: ${p.done} catalogue products applied`
            : `${p.pages} pages`;
    const message = `${what}${p.resumed ? ' (resumed)' : ''}`;
    // Stage progress is a database write: report whole-percent changes (and phase changes) only.
    const key = `${p.phase ?? 'pages'}:${pct}`;
    if (key === last) return;
    last = key;
    void progress(pct, message).catch((err: unknown) => {
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'progress update failed');
    });
  };
  let result: Awaited<ReturnType<typeof syncShopify>>;
  try {
    result = await syncShopify({ db, config, logger, progress: report });
  } catch (err) {
    // A failed or expired bulk operation is an alert at once; the stage's retry starts a new one.
    if (err instanceof ShopifyBulkOperationError) await checkBulkSyncAlert(db);
    throw err;
  }
  if (result.bulk) await checkBulkSyncAlert(db);
  return {
    status: 'done',
    counts: {
      orders: result.orders,
      lineItems: result.lineItems,
      customers: result.customers,
      products: result.products,
      pages: result.pages,
      quarantined: result.quarantined,
    },
  };
};
