// Shopify connector benchmark, on the machine's PostgreSQL and Redis and the fake Admin API.
// 1. Webhook answer time: signed orders/create webhooks through the real router (HMAC, delivery
//    row, BullMQ enqueue), against a baseline route that only checks the HMAC. Goal: p99 < 1 s.
// 2. Sync overhead: a full sync of a fake store against only fetching the same pages (no mapping,
//    no writes), with an unthrottled bucket so the API's rate limit does not hide our own cost.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Queue } from 'bullmq';
import { createRedis } from '../../src/infra/redis';
import { createLogger } from '../../src/infra/logger';
import type { WebhookJobData } from '../../src/queues/registry';
import { createShopifyWebhookRouter } from '../../src/connectors/shopify/webhook-router';
import { bullWebhookQueue } from '../../src/queues/webhook-queue';
import { signShopifyBody, verifyShopifyHmac } from '../../src/connectors/shopify/webhook-verification';
import { syncShopify } from '../../src/connectors/shopify/shopify-sync';
import { ORDERS_QUERY } from '../../src/connectors/shopify/order-query';
import { FakeShopifyServer } from '../../test/support/fake-shopify-server';
import { FxStore, webhookOrder } from '../../test/support/shopify-fixtures';
import { createTestContext } from '../../test/support/test-context';

const SECRET = 'bench-secret';
const SHOP = 'bench-shop.myshopify.com';
const TOKEN = 'shpat_bench';
const logger = createLogger({ logLevel: 'silent' });

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

async function listen(app: express.Express): Promise<{ url: string; server: http.Server }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/shopify`, server };
}

async function fire(url: string, bodies: string[], concurrency: number): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  let seq = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        const t = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-shopify-topic': 'orders/create',
            'x-shopify-webhook-id': `b-${Date.now()}-${seq++}`,
            'x-shopify-shop-domain': SHOP,
            'x-shopify-hmac-sha256': signShopifyBody(body, SECRET),
          },
          body,
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
        times.push(performance.now() - t);
      }
    }),
  );
  return times;
}

async function main(): Promise<void> {
  const ctx = await createTestContext({
    SHOPIFY_SHOP: SHOP,
    SHOPIFY_ACCESS_TOKEN: TOKEN,
    SHOPIFY_WEBHOOK_SECRET: SECRET,
  });
  const redis = createRedis(ctx.config, 'worker');
  const queue = new Queue<WebhookJobData>('webhooks', { connection: redis, prefix: ctx.config.redis.prefix });
  try {
    const store = FxStore.generate({ orders: 2000 });
    const bodies = [...store.orders.values()].slice(0, 600).map((o) => JSON.stringify(webhookOrder(store, o)));

    const real = express();
    real.use(
      createShopifyWebhookRouter({
        config: ctx.config,
        db: ctx.db,
        logger,
        queue: bullWebhookQueue(queue, ctx.config),
      }),
    );
    const base = express();
    base.post('/webhooks/shopify', express.raw({ type: () => true }), (req, res) => {
      res
        .status(
          verifyShopifyHmac(req.body as Buffer, req.headers['x-shopify-hmac-sha256'] as string, SECRET) ? 200 : 401,
        )
        .json({ ok: true });
    });
    const [r, b] = [await listen(real), await listen(base)];
    await fire(b.url, bodies.slice(0, 50), 4); // warm-up
    await fire(r.url, bodies.slice(0, 50), 4);
    const baseT = await fire(b.url, bodies, 8);
    const realT = await fire(r.url, bodies, 8);
    for (const s of [r.server, b.server]) {
      s.closeAllConnections();
      s.close();
    }
    process.stdout.write(`webhooks (${bodies.length} signed orders/create, concurrency 8)\n`);
    process.stdout.write(
      `  baseline (HMAC only)        p50 ${pct(baseT, 50).toFixed(1)} ms  p99 ${pct(baseT, 99).toFixed(1)} ms\n`,
    );
    process.stdout.write(
      `  router (HMAC+row+enqueue)   p50 ${pct(realT, 50).toFixed(1)} ms  p99 ${pct(realT, 99).toFixed(1)} ms  max ${Math.max(...realT).toFixed(1)} ms\n`,
    );
    process.stdout.write(
      `  ratio p99 router/baseline   ${(pct(realT, 99) / pct(baseT, 99)).toFixed(2)}x   goal p99 < 1000 ms: ${pct(realT, 99) < 1000 ? 'met' : 'NOT met'}\n`,
    );

    const fake = await new FakeShopifyServer(store, {
      accessToken: TOKEN,
      restoreRate: 1e9,
      maximumAvailable: 1e9,
    }).start();
    try {
      let t = performance.now();
      let after: string | null = null;
      let pages = 0;
      do {
        const res = await fetch(fake.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-shopify-access-token': TOKEN },
          body: JSON.stringify({ query: ORDERS_QUERY, variables: { first: 10, after, query: null, lineItems: 10 } }),
        });
        const json = (await res.json()) as {
          data: { orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
        };
        after = json.data.orders.pageInfo.hasNextPage ? json.data.orders.pageInfo.endCursor : null;
        pages += 1;
      } while (after);
      const fetchMs = performance.now() - t;
      t = performance.now();
      const result = await syncShopify({
        db: ctx.db,
        config: { shopify: { ...ctx.config.shopify, adminUrl: fake.url } },
        logger,
      });
      const syncMs = performance.now() - t;
      process.stdout.write(`sync (${store.orders.size} orders, ${pages} pages, unthrottled fake API)\n`);
      process.stdout.write(`  baseline: fetch the pages only   ${fetchMs.toFixed(0)} ms\n`);
      process.stdout.write(
        `  full sync (${result.requests} requests)  ${syncMs.toFixed(0)} ms = ${(store.orders.size / (syncMs / 1000)).toFixed(0)} orders/s\n`,
      );
      process.stdout.write(`  ratio sync/fetch-only            ${(syncMs / fetchMs).toFixed(2)}x\n`);
    } finally {
      await fake.stop();
    }
  } finally {
    await queue.close();
    await redis.quit();
    await ctx.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
