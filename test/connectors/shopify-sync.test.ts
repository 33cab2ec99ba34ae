import { syncShopify, type SyncProgress } from '../../src/connectors/shopify/shopify-sync';
import {
  ShopifyApiError,
  SyncAbortedError,
  SyncAlreadyRunningError,
} from '../../src/connectors/shopify/shopify-errors';
import { createTestContext, type TestContext } from '../support/test-context';
import { expectMatchesStore, logger, newWorld, SHOP, SHOPIFY_ENV, tableCounts, type World } from './shopify-world';

describe('syncShopify against a fake Shopify Admin API', () => {
  let ctx: TestContext;
  let world: World | undefined;
  const fast = { retryBaseMs: 5 };

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

  const deps = (w: World, progress?: (p: SyncProgress) => void) => ({ db: ctx.db, config: w.config, logger, progress });
  const state = async () =>
    (
      await ctx.db.pool.query<{ watermark: Date | null; cursor: string | null; status: string; synced: number }>(
        `SELECT watermark, cursor, status, synced FROM shopify_sync_state WHERE shop = $1`,
        [SHOP],
      )
    ).rows[0];

  it('imports every order, line, refund and cancellation of a full store, once', async () => {
    world = await newWorld(ctx, 120, { restoreRate: 100_000 });
    const seen: SyncProgress[] = [];
    const result = await syncShopify(
      deps(world, (p) => seen.push(p)),
      fast,
    );

    const counts = await tableCounts(ctx);
    expectMatchesStore(counts, world.store);
    const e = world.store.expected();
    expect(result).toMatchObject({ orders: e.orders, resumed: false, stale: 0 });
    expect(result.lineItems).toBe(e.purchases + e.returns);
    expect(result.pages).toBe(Math.ceil(world.store.orders.size / 10));
    // Guest orders, the corrupt order and custom (product-less) lines are quarantined with a reason.
    expect(counts.quarantined).toBeGreaterThanOrEqual(e.quarantinedOrders);
    const reasons = (await ctx.db.pool.query<{ reason: string }>(`SELECT DISTINCT reason FROM quarantine`)).rows
      .map((r) => r.reason)
      .join('\n');
    expect(reasons).toMatch(/guest checkout/);
    expect(reasons).toMatch(/malformed order/);
    expect(reasons).toMatch(/no product/);

    // Progress counts up to the total Shopify reported.
    expect(seen[seen.length - 1]).toMatchObject({ done: world.store.orders.size, total: world.store.orders.size });
    // The watermark is the newest updated_at seen; nothing was ever refused for cost.
    const newest = [...world.store.orders.values()]
      .map((o) => o.updatedAt)
      .sort()
      .pop() as string;
    expect(await state()).toMatchObject({ status: 'idle', cursor: null, watermark: new Date(newest) });
    expect(world.server.log.filter((l) => l.outcome === 'error')).toEqual([]);
    // The 60-line order and its 60-line refund were read past their first page; the 12-refund order in full.
    expect(world.server.ops('SyncMoreLineItems').length).toBeGreaterThanOrEqual(1);
    expect(world.server.ops('SyncRefundLines').some((l) => l.variables.after)).toBe(true);
    expect(world.server.ops('SyncAllRefunds').length).toBeGreaterThanOrEqual(1);

    // Customers carry the default address; products the type as category and the catalogue price.
    const c = (
      await ctx.db.pool.query<{ city: string | null; province: string | null }>(
        `SELECT city, province FROM customers WHERE id = '5000'`,
      )
    ).rows[0];
    expect(c).toEqual({ city: 'Lahore', province: 'Punjab' });
    const p = (
      await ctx.db.pool.query<{ name: string; category: string | null; price: number }>(
        `SELECT name, category, price FROM products WHERE id = '1000'`,
      )
    ).rows[0];
    expect(p).toEqual({ name: 'Product 0', category: 'Shoes', price: 10 });
    const untyped = (
      await ctx.db.pool.query<{ category: string | null }>(`SELECT category FROM products WHERE id = '1003'`)
    ).rows[0];
    expect(untyped).toEqual({ category: null });
  });

  it('reads only what changed since the watermark, and applies refunds, cancellations and new orders', async () => {
    world = await newWorld(ctx, 60, { restoreRate: 100_000 });
    await syncShopify(deps(world), fast);
    const first = await state();

    const again = await syncShopify(deps(world), fast);
    expect(again.orders).toBeLessThanOrEqual(2); // only the orders sharing the watermark's second
    expectMatchesStore(await tableCounts(ctx), world.store);

    const s = world.store;
    const [a, b] = [...s.orders.values()].filter(
      (o) => o.customerId !== null && !o.cancelledAt && !o.corrupt && !o.refunds.length,
    );
    s.refund(a!.id, [{ lineItemId: a!.lines[0]!.id, quantity: 1 }]);
    s.cancel(b!.id, false);
    s.addOrder(5003, 2);
    const incr = await syncShopify(deps(world), fast);
    const search = world.server.ops('SyncOrders').at(-1)?.variables.query as string;
    expect(search).toContain(`updated_at:>='${first!.watermark!.toISOString()}'`);
    expect(incr.orders).toBeLessThanOrEqual(5);
    expectMatchesStore(await tableCounts(ctx), s);
    const status = (
      await ctx.db.pool.query(`SELECT id, status FROM orders WHERE id = ANY($1) ORDER BY id`, [
        [String(a!.id), String(b!.id)],
      ])
    ).rows;
    expect(status).toEqual([
      { id: String(a!.id), status: 'partially_refunded' },
      { id: String(b!.id), status: 'cancelled' },
    ]);
  });

  it('waits out throttling and 429s, and retries malformed and failed pages without losing any', async () => {
    world = await newWorld(ctx, 50, { restoreRate: 20_000 });
    world.server.faults.push(
      { kind: 'drain-bucket' },
      { kind: 'status', status: 429, retryAfter: '0.3' },
      { kind: 'malformed-page' },
      { kind: 'malformed-json' },
      { kind: 'status', status: 502 },
    );
    const result = await syncShopify(deps(world), fast);
    expectMatchesStore(await tableCounts(ctx), world.store);
    expect(result.throttledWaits).toBeGreaterThanOrEqual(2);

    const log = world.server.log;
    const i429 = log.findIndex((l) => l.status === 429);
    expect(log[i429 + 1]!.at - log[i429]!.at).toBeGreaterThanOrEqual(290);
    // After the drained bucket the client waits for the restore rate instead of hammering.
    expect(log.filter((l) => l.outcome === 'throttled').length).toBeLessThanOrEqual(2);
  });

  it('paces itself by throttleStatus so a small bucket is rarely exceeded', async () => {
    world = await newWorld(ctx, 30, { maximumAvailable: 1000, restoreRate: 4000 });
    await syncShopify(deps(world), fast);
    expectMatchesStore(await tableCounts(ctx), world.store);
    expect(world.server.log.filter((l) => l.outcome === 'throttled').length).toBeLessThanOrEqual(1);
  });

  it('resumes after a crash mid-way from the last saved page, with nothing lost or duplicated', async () => {
    world = await newWorld(ctx, 100, { restoreRate: 100_000 });
    world.server.crashAfterPages = 4;
    await expect(syncShopify(deps(world), fast)).rejects.toBeInstanceOf(ShopifyApiError);
    const crashed = await state();
    // The 4th page was served, but the server died before its refunds were read: 3 pages were saved.
    expect(crashed).toMatchObject({ status: 'failed', synced: 30 });
    expect(crashed!.cursor).not.toBeNull();
    const partial = await tableCounts(ctx);
    expect(partial.orders).toBeGreaterThan(0);
    expect(partial.orders).toBeLessThan(world.store.expected().orders);

    world.server.recover();
    const resumed = await syncShopify(deps(world), fast);
    expect(resumed.resumed).toBe(true);
    expectMatchesStore(await tableCounts(ctx), world.store);
    expect(await state()).toMatchObject({ status: 'idle', cursor: null, synced: world.store.orders.size });
  });

  it('stops between pages when interrupted (Ctrl-C) and resumes where it stopped', async () => {
    world = await newWorld(ctx, 80, { restoreRate: 100_000 });
    const ac = new AbortController();
    const run = syncShopify(
      deps(world, (p) => {
        if (p.pages === 3) ac.abort();
      }),
      { ...fast, signal: ac.signal },
    );
    await expect(run).rejects.toBeInstanceOf(SyncAbortedError);
    expect(await state()).toMatchObject({ status: 'interrupted', synced: 30 });

    const pagesBefore = world.server.ops('SyncOrders').length;
    const resumed = await syncShopify(deps(world), fast);
    expect(resumed.resumed).toBe(true);
    expect(world.server.ops('SyncOrders').length - pagesBefore).toBe(Math.ceil(world.store.orders.size / 10) - 3);
    expect(world.server.ops('SyncOrders')[pagesBefore]!.variables.after).not.toBeNull();
    expectMatchesStore(await tableCounts(ctx), world.store);
  });

  it('resumes from the newest saved updated_at when Shopify refuses the saved cursor', async () => {
    world = await newWorld(ctx, 60, { restoreRate: 100_000 });
    const ac = new AbortController();
    await expect(
      syncShopify(
        deps(world, (p) => {
          if (p.pages === 2) ac.abort();
        }),
        { ...fast, signal: ac.signal },
      ),
    ).rejects.toBeInstanceOf(SyncAbortedError);
    const saved = JSON.parse((await state())!.cursor!) as Record<string, unknown>;
    await ctx.db.pool.query(`UPDATE shopify_sync_state SET cursor = $2 WHERE shop = $1`, [
      SHOP,
      JSON.stringify({ ...saved, after: 'expired!' }),
    ]);

    const resumed = await syncShopify(deps(world), fast);
    expect(resumed.resumed).toBe(true);
    expect(world.server.ops('SyncOrders').some((l) => String(l.variables.query).includes(String(saved.max)))).toBe(
      true,
    );
    expectMatchesStore(await tableCounts(ctx), world.store);
    expect(await state()).toMatchObject({ status: 'idle', cursor: null });
  });

  it('refuses a second concurrent sync of the same shop and a bad token', async () => {
    world = await newWorld(ctx, 30, { restoreRate: 100_000 });
    const ac = new AbortController();
    const slow = syncShopify(deps(world), { ...fast, signal: ac.signal });
    await new Promise((r) => setTimeout(r, 30));
    await expect(syncShopify(deps(world), fast)).rejects.toBeInstanceOf(SyncAlreadyRunningError);
    ac.abort();
    await slow.catch(() => undefined);

    const bad = { ...world, config: { shopify: { ...world.config.shopify, accessToken: 'wrong' } } };
    await expect(syncShopify(deps(bad), fast)).rejects.toMatchObject({
      name: 'ShopifyApiError',
      status: 401,
      retryable: false,
    });
  });
});
