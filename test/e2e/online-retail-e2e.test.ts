// Issue 2's walking skeleton, end to end on real data: the first 60,000 lines of the Online
// Retail file are imported, the pipeline runs through BullMQ workers, and the gateway serves a
// personalised recommendation to a real customer of the file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildServices, type Services } from '../../src/app/services';
import { startGateway } from '../../src/app/start-gateway';
import type { GatewayHandle } from '../../src/app/create-gateway';
import { importOnlineRetail } from '../../src/importers/online-retail/online-retail-importer';
import { QUEUE_NAMES } from '../../src/queues/registry';
import { startWorkers, type WorkerProcess } from '../../src/workers/worker-process';
import { describeWithDataset, HEAVY_TEST_TIMEOUT_MS, writeDatasetSlice } from '../support/datasets';
import { createTestContext, type TestContext } from '../support/test-context';

const LINES = 60_000;

describeWithDataset('online-retail', 'Online Retail, end to end', (DATASET) => {
  let ctx: TestContext;
  let dir: string;
  let services: Services | undefined;
  let workers: WorkerProcess | undefined;
  let gateway: GatewayHandle | undefined;
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'recs-or-e2e-'));
    ctx = await createTestContext({ OBJECT_STORE_DIR: path.join(dir, 'store') });
    const slice = path.join(dir, 'online_retail_head.csv');
    await writeDatasetSlice(DATASET, LINES, slice);
    await importOnlineRetail(ctx.db, slice);
    services = buildServices(ctx.config);
    workers = await startWorkers(services, { queues: [...QUEUE_NAMES], concurrency: 1 });
    gateway = await startGateway(services);
    url = (await gateway.listen(0, '127.0.0.1')).url;
  }, HEAVY_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await gateway?.close();
    await workers?.close();
    await services?.close();
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'imports, runs every stage and serves customer 17850 personalised products from the file',
    async () => {
      const run = await services!.pipeline.startRun({ trigger: 'test' });
      let final = run;
      for (let i = 0; i < 600 && !['succeeded', 'failed', 'cancelled'].includes(final.status); i += 1) {
        await new Promise((r) => setTimeout(r, 200));
        final = (await services!.pipeline.getRun(run.id))!;
      }
      expect(final.error).toBeNull();
      expect(final.status).toBe('succeeded');

      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `{ recommendations(userId: "17850", limit: 5) { source items { rank score product { id name price } } } }`,
        }),
      });
      const body = (await res.json()) as {
        data: {
          recommendations: {
            source: string;
            items: { rank: number; score: number; product: { id: string; name: string; price: number } }[];
          };
        };
      };
      const list = body.data.recommendations;
      expect(list.source).toBe('PERSONALIZED');
      expect(list.items).toHaveLength(5);
      expect(list.items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5]);
      const { rows: bought } = await ctx.db.pool.query<{ product_id: string }>(
        `SELECT DISTINCT product_id FROM order_items WHERE customer_id = '17850' AND event_type = 'purchase'`,
      );
      const boughtIds = new Set(bought.map((b) => b.product_id));
      for (const item of list.items) {
        expect(item.product.name).toMatch(/\w/);
        expect(item.product.id).toMatch(/^\d/);
        expect(boughtIds.has(item.product.id)).toBe(false);
      }
    },
    HEAVY_TEST_TIMEOUT_MS,
  );
});
