// sync-orders: pulls new and changed orders from the store before the export.
import type { StageFn } from '../pipeline/stage-types';

export const syncOrders: StageFn = async ({ config }) => {
  if (!config.shopify.shop || !config.shopify.accessToken) {
    return { status: 'skipped', reason: 'no store connector configured (SHOPIFY_SHOP, SHOPIFY_ACCESS_TOKEN)' };
  }
  return { status: 'skipped', reason: 'Shopify sync is not wired into the pipeline yet' };
};
