// Shared set-up for the Shopify connector tests: a fake shop, its server, and the test database.
import type { Config } from '../../src/config/config';
import { createLogger } from '../../src/infra/logger';
import { FakeShopifyServer, type FakeShopifyOptions } from '../support/fake-shopify-server';
import { FxStore } from '../support/shopify-fixtures';
import type { TestContext } from '../support/test-context';

export const SHOP = 'test-shop.myshopify.com';
export const TOKEN = 'shpat_test_token';
export const SECRET = 'test-webhook-secret';
export const logger = createLogger({ logLevel: 'silent' });

export const SHOPIFY_ENV = { SHOPIFY_SHOP: SHOP, SHOPIFY_ACCESS_TOKEN: TOKEN, SHOPIFY_WEBHOOK_SECRET: SECRET };

export interface World {
  store: FxStore;
  server: FakeShopifyServer;
  config: Pick<Config, 'shopify'>;
}

export async function resetTables(ctx: TestContext): Promise<void> {
  await ctx.db.pool.query(
    `TRUNCATE orders, order_items, customers, products, quarantine, shopify_sync_state, shopify_bulk_syncs, webhook_deliveries`,
  );
}

export async function newWorld(ctx: TestContext, orders: number, opts: FakeShopifyOptions = {}): Promise<World> {
  await resetTables(ctx);
  const store = FxStore.generate({ orders });
  const server = await new FakeShopifyServer(store, { accessToken: TOKEN, ...opts }).start();
  return { store, server, config: { shopify: { ...ctx.config.shopify, adminUrl: server.url } } };
}

export async function tableCounts(ctx: TestContext) {
  const { rows } = await ctx.db.pool.query<{
    orders: number;
    purchases: number;
    returns: number;
    returned_qty: number;
    customers: number;
    products: number;
    quarantined: number;
  }>(`SELECT (SELECT count(*)::int FROM orders WHERE source = 'shopify') AS orders,
            (SELECT count(*)::int FROM order_items WHERE event_type = 'purchase') AS purchases,
            (SELECT count(*)::int FROM order_items WHERE event_type = 'return') AS returns,
            (SELECT coalesce(sum(quantity), 0)::int FROM order_items WHERE event_type = 'return') AS returned_qty,
            (SELECT count(*)::int FROM customers) AS customers,
            (SELECT count(*)::int FROM products) AS products,
            (SELECT count(*)::int FROM quarantine WHERE source = 'shopify') AS quarantined`);
  return rows[0] as NonNullable<(typeof rows)[0]>;
}

/** What the fake store says must be in the tables. */
export function expectMatchesStore(counts: Awaited<ReturnType<typeof tableCounts>>, store: FxStore): void {
  const e = store.expected();
  expect({
    orders: counts.orders,
    purchases: counts.purchases,
    returns: counts.returns,
    returnedQty: counts.returned_qty,
  }).toEqual({
    orders: e.orders,
    purchases: e.purchases,
    returns: e.returns,
    returnedQty: e.returnedQty,
  });
}
