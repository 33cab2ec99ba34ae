// A large first sync through Shopify's bulk operations (against the fake Admin API's bulk
// operations: real GraphQL validation, status transitions, the JSONL served over HTTP): the rows
// equal a paged sync's, a download cut mid-stream resumes the same operation past the applied
// lines, a failed operation is a visible failure the next sync retries, and a store with a
// watermark keeps paging.
import { syncShopify, type SyncOptions, type SyncProgress } from '../../src/connectors/shopify/shopify-sync';
import { ShopifyBulkOperationError } from '../../src/connectors/shopify/shopify-errors';
import { checkBulkSyncAlert } from '../../src/alerts/check-alerts';
import { startChildCli } from '../support/child-worker';
import { createTestContext, type TestContext } from '../support/test-context';
import { waitFor } from '../support/wait-for';
import {
  expectMatchesStore,
  logger,
  newWorld,
  resetTables,
  SHOP,
  SHOPIFY_ENV,
  tableCounts,
  TOKEN,
  type World,
} from './shopify-world';

describe('syncShopify through a bulk operation', () => {
  let ctx: TestContext;
  let world: World | undefined;
  const fast: SyncOptions = { retryBaseMs: 5, bulkPollBaseMs: 5, bulkPollMaxMs: 20 };

  beforeAll(async () => {
    ctx = await createTestContext(SHOPIFY_ENV);
  });
  afterEach(async () => {
    await world?.server.stop();
    world = undefined;
  });
  afterAll(async () => {
    await ctx.close();
  });

  /** bulkMinOrders 0: every first sync is a bulk one. */
  const deps = (w: World, progress?: (p: SyncProgress) => void) => ({
    db: ctx.db,
    config: { shopify: { ...w.config.shopify, bulkMinOrders: 0 } },
    logger,
    progress,
  });
  const snapshot = async () => {
    const q = async (sql: string) => (await ctx.db.pool.query<Record<string, unknown>>(sql)).rows;
    return {
      orders: await q(`SELECT id, customer_id, status, ordered_at, updated_at FROM orders ORDER BY id`),
      items: await q(
        `SELECT line_key, order_id, customer_id, product_id, quantity, unit_price, event_type, occurred_at, recommendation_id
           FROM order_items ORDER BY line_key`,
      ),
      customers: await q(`SELECT id, city, province FROM customers ORDER BY id`),
      products: await q(`SELECT id, name, category, price FROM products ORDER BY id`),
      quarantine: await q(`SELECT file, reason FROM quarantine ORDER BY file`),
    };
  };
  const bulkRow = async () =>
    (
      await ctx.db.pool.query<{ operation_id: string; status: string; lines_applied: string; error: string | null }>(
        `SELECT operation_id, status, lines_applied, error FROM shopify_bulk_syncs WHERE shop = $1`,
        [SHOP],
      )
    ).rows[0];
  /** The rows a paged sync of the same store writes. */
  const pagedRows = async (w: World) => {
    await syncShopify({ db: ctx.db, config: w.config, logger }, { ...fast, full: true });
    const rows = await snapshot();
    await resetTables(ctx);
    return rows;
  };

  it('stores every order once, with its lines, customer and products, as the paged sync does, and the whole catalogue', async () => {
    world = await newWorld(ctx, 250, { restoreRate: 100_000 });
    const expected = await pagedRows(world);
    // A product no order has sold: only the catalogue's bulk operation knows it.
    world.store.products.set(9999, { id: 9999, title: 'Unsold', productType: 'Bags', price: '5.00' });
    const before = world.server.log.length;
    const seen: SyncProgress[] = [];
    const result = await syncShopify(
      deps(world, (p) => seen.push(p)),
      fast,
    );

    const got = await snapshot();
    expect({ ...got, products: [] }).toEqual({ ...expected, products: [] });
    expect(got.products).toEqual(expect.arrayContaining(expected.products));
    expect(got.products).toContainEqual({ id: '9999', name: 'Unsold', category: 'Bags', price: 5 });
    expect(got.products).toHaveLength(world.store.products.size);
    expectMatchesStore(await tableCounts(ctx), world.store);
    expect(result.bulk?.operationId).toMatch(/^gid:\/\/shopify\/BulkOperation\//);
    expect(result.orders).toBe(world.store.expected().orders);
    const ops = world.server.log.slice(before).map((l) => l.operation);
    // One operation for the orders, then one for the catalogue; no page of orders.
    expect(ops.filter((o) => o === 'SyncBulkRun')).toHaveLength(2);
    expect(ops).not.toContain('SyncOrders');
    expect(world.server.bulk.downloads).toBe(2);
    // Progress: waiting on Shopify, then applying up to every order of the file.
    expect(seen.some((p) => p.phase === 'bulk-waiting')).toBe(true);
    expect(seen.filter((p) => p.phase === 'bulk-applying').at(-1)).toMatchObject({ done: world.store.orders.size });
    expect(seen.at(-1)).toMatchObject({ phase: 'bulk-products', done: world.store.products.size });
    expect(await bulkRow()).toMatchObject({ status: 'done' });

    // Later syncs page from the watermark the bulk sync set.
    const state = (
      await ctx.db.pool.query<{ watermark: Date; cursor: string | null; status: string }>(
        `SELECT watermark, cursor, status FROM shopify_sync_state WHERE shop = $1`,
        [SHOP],
      )
    ).rows[0];
    expect(state).toMatchObject({ cursor: null, status: 'idle' });
    world.store.addOrder(5003, 2);
    const mark = world.server.log.length;
    const incr = await syncShopify(deps(world), fast);
    expect(incr.bulk).toBeUndefined();
    const later = world.server.log.slice(mark);
    expect(later.some((l) => l.operation === 'SyncOrders')).toBe(true);
    expect(later.some((l) => l.operation === 'SyncBulkRun')).toBe(false);
    expect(String(later.find((l) => l.operation === 'SyncOrders')?.variables.query)).toContain(
      `updated_at:>='${state!.watermark.toISOString()}'`,
    );
    expectMatchesStore(await tableCounts(ctx), world.store);
  });

  it('resumes the same operation past the applied lines when the download breaks mid-stream', async () => {
    world = await newWorld(ctx, 250, { restoreRate: 100_000 });
    const expected = await pagedRows(world);
    world.server.bulk.cutNextDownloadAfterLines = 700;

    await expect(syncShopify(deps(world), fast)).rejects.toThrow();
    const broken = await bulkRow();
    expect(broken?.status).toBe('running');
    const applied = Number(broken?.lines_applied);
    expect(applied).toBeGreaterThan(0);
    expect(applied).toBeLessThanOrEqual(700);

    const result = await syncShopify(deps(world), fast);
    expect(result.resumed).toBe(true);
    // The orders' operation was not asked for again (the second one is the catalogue's).
    expect(world.server.ops('SyncBulkRun')).toHaveLength(2);
    expect(world.server.bulk.ops.get(broken!.operation_id)?.query).toContain('orders');
    // Only the lines after the applied ones were applied again.
    expect(result.orders).toBeLessThan(world.store.expected().orders);
    expect(await snapshot()).toEqual(expected);
  });

  it.each(['FAILED', 'EXPIRED'] as const)(
    'makes a %s operation a visible failure (alert) and starts a new one on the next sync',
    async (outcome) => {
      world = await newWorld(ctx, 40, { restoreRate: 100_000 });
      await ctx.db.pool.query(`DELETE FROM alerts WHERE kind = 'shopify_bulk_failed'`);
      world.server.bulk.outcomes.push(outcome);

      const err = await syncShopify(deps(world), fast).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ShopifyBulkOperationError);
      expect((err as ShopifyBulkOperationError).status).toBe(outcome);
      const row = await bulkRow();
      expect(row?.status).toBe('failed');
      expect(row?.error).toContain(outcome);
      const sync = await ctx.db.pool.query(`SELECT status FROM shopify_sync_state WHERE shop = $1`, [SHOP]);
      expect(sync.rows[0]).toEqual({ status: 'failed' });
      expect(await checkBulkSyncAlert(ctx.db)).toEqual(['shopify_bulk_failed']);
      expect(await ctx.db.prisma.alert.count({ where: { kind: 'shopify_bulk_failed', resolvedAt: null } })).toBe(1);

      const retried = await syncShopify(deps(world), fast);
      // The failed one, then a new one for the orders and one for the catalogue.
      expect(world.server.ops('SyncBulkRun')).toHaveLength(3);
      expect(retried.bulk?.operationId).not.toBe((err as ShopifyBulkOperationError).operationId);
      expectMatchesStore(await tableCounts(ctx), world.store);
      expect(await checkBulkSyncAlert(ctx.db)).toEqual([]);
      expect(await ctx.db.prisma.alert.count({ where: { kind: 'shopify_bulk_failed', resolvedAt: null } })).toBe(0);
    },
  );

  it('keeps the paged query for a store that has a watermark, and pages small first syncs by default', async () => {
    world = await newWorld(ctx, 30, { restoreRate: 100_000 });
    // Default SHOPIFY_BULK_MIN_ORDERS (10,000): 30 orders page.
    expect(world.config.shopify.bulkMinOrders).toBe(10_000);
    const first = await syncShopify({ db: ctx.db, config: world.config, logger }, fast);
    expect(first.bulk).toBeUndefined();
    expect(world.server.ops('SyncBulkRun')).toHaveLength(0);
    // With a watermark, even bulkMinOrders 0 keeps paging.
    world.store.addOrder(5003, 1);
    const again = await syncShopify(deps(world), fast);
    expect(again.bulk).toBeUndefined();
    expect(world.server.ops('SyncBulkRun')).toHaveLength(0);
    expectMatchesStore(await tableCounts(ctx), world.store);
    // Asked for (recs sync shopify --bulk), a bulk operation reads everything again.
    const forced = await syncShopify(deps(world), { ...fast, bulk: true });
    expect(forced.bulk).toBeDefined();
    expectMatchesStore(await tableCounts(ctx), world.store);
  });
});

describe('a bulk sync process killed mid-stream', () => {
  let ctx: TestContext;
  let world: World | undefined;

  beforeAll(async () => {
    ctx = await createTestContext(SHOPIFY_ENV);
  });
  afterAll(async () => {
    await world?.server.stop();
    await ctx.close();
  });

  it('resumes in the next sync and ends with the rows of an uninterrupted one', async () => {
    world = await newWorld(ctx, 250, { restoreRate: 100_000 });
    await syncShopify({ db: ctx.db, config: world.config, logger }, { retryBaseMs: 5, full: true });
    const expected = await ctx.db.pool.query(`SELECT id, status, updated_at FROM orders ORDER BY id`);
    const expectedItems = await ctx.db.pool.query(`SELECT line_key, quantity FROM order_items ORDER BY line_key`);
    await resetTables(ctx);

    // The download stalls after 700 lines: the process has applied some batches and waits for more.
    world.server.bulk.holdNextDownloadAfterLines = 700;
    const cli = startChildCli(ctx, ['sync', 'shopify', '--bulk'], {
      SHOPIFY_ADMIN_URL: world.server.url,
      SHOPIFY_SHOP: SHOP,
      SHOPIFY_ACCESS_TOKEN: TOKEN,
    });
    const applied = await waitFor(
      'the process to apply some JSONL lines',
      async () => {
        if (cli.proc.exitCode !== null) throw new Error(`sync exited early:\n${cli.output()}`);
        const r = await ctx.db.pool.query<{ lines: string }>(
          `SELECT lines_applied AS lines FROM shopify_bulk_syncs WHERE shop = $1 AND lines_applied > 0`,
          [SHOP],
        );
        return r.rows[0] ? Number(r.rows[0].lines) : null;
      },
      60_000,
    );
    expect(await cli.stop('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });
    expect(applied).toBeLessThanOrEqual(700);

    const result = await syncShopify(
      { db: ctx.db, config: { shopify: { ...world.config.shopify, bulkMinOrders: 0 } }, logger },
      { retryBaseMs: 5, bulkPollBaseMs: 5 },
    );
    expect(result.resumed).toBe(true);
    expect(world.server.ops('SyncBulkRun')).toHaveLength(2);
    expect((await ctx.db.pool.query(`SELECT id, status, updated_at FROM orders ORDER BY id`)).rows).toEqual(
      expected.rows,
    );
    expect((await ctx.db.pool.query(`SELECT line_key, quantity FROM order_items ORDER BY line_key`)).rows).toEqual(
      expectedItems.rows,
    );
    expectMatchesStore(await tableCounts(ctx), world.store);
  });
});
