// The quality benchmark must measure the engine on the data the product produces (issue 11, bug 6):
// its loader yields exactly the order lines the production importer stored, as the export stage
// writes them, for a slice of the real Online Retail file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importAndExport } from '../../bench/quality/online-retail-export';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { describeWithDataset, HEAVY_TEST_TIMEOUT_MS, writeDatasetSlice } from '../support/datasets';
import { createTestContext, type TestContext } from '../support/test-context';

const LINES = 60_000;

describeWithDataset('online-retail', 'quality benchmark data path', (DATASET) => {
  let ctx: TestContext;
  let dir: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'recs-quality-path-'));
  }, HEAVY_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'reads exactly the interactions the product imported and exported',
    async () => {
      const slice = path.join(dir, 'head.csv');
      await writeDatasetSlice(DATASET, LINES, slice);
      const { raw, imported, exported } = await importAndExport(
        ctx.db,
        new DirectoryObjectStore(path.join(dir, 'store')),
        slice,
      );

      const { rows } = await ctx.db.pool.query<{ u: string; i: string; t: string; e: string }>(
        `SELECT customer_id AS u, product_id AS i, floor(extract(epoch FROM occurred_at))::bigint::text AS t, event_type AS e
         FROM order_items ORDER BY 3, 1, 2, 4`,
      );
      const stored = rows.map((r) => `${r.u}|${r.i}|${r.t}|${r.e}`);
      const read: string[] = [];
      for (let k = 0; k < raw.length; k++) {
        read.push(
          `${raw.userIds[raw.user[k]!]!}|${raw.itemIds[raw.item[k]!]!}|${raw.timestamp[k]!}|${raw.eventTypes[raw.eventType[k]!]!}`,
        );
      }
      read.sort();
      stored.sort();
      expect(raw.rejectedCount).toBe(0);
      expect(exported.interactions).toBe(imported.orderItems.total);
      expect(read).toEqual(stored);
      // What the product keeps and the bench's former cleaning dropped: returns as their own event type.
      expect(raw.eventTypes.sort()).toEqual(['purchase', 'return']);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );
});
