// sync-orders: pulls new and changed orders from the store (Shopify) before the export.
import { isShopifySyncConfigured, syncShopify } from '../connectors/shopify';
import type { StageFn } from './stage-types';

export const syncOrders: StageFn = async ({ db, config, logger }, { progress }) => {
  if (!isShopifySyncConfigured(config)) {
    return { status: 'skipped', reason: 'no store connector configured (SHOPIFY_SHOP, SHOPIFY_ACCESS_TOKEN)' };
  }
  let last = 0;
  const result = await syncShopify({
    db,
    config,
    logger,
    progress: (p) => {
      const pct = p.total ? Math.floor((100 * p.done) / p.total) : Math.min(95, p.pages);
      // Stage progress is a database write: report whole-percent changes only.
      if (pct !== last) {
        last = pct;
        void progress(pct, `${p.pages} pages${p.resumed ? ' (resumed)' : ''}`).catch((err: unknown) => {
          logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'progress update failed');
        });
      }
    },
  });
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
