// The sync-orders stage on a large first sync: its progress names the bulk operation's phases, a
// failed operation fails the stage and raises shopify_bulk_failed at once, and the stage's next
// attempt starts a new operation, stores the orders and resolves the alert.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { createEngine } from '../../src/app/create-engine';
import { ShopifyBulkOperationError } from '../../src/connectors/shopify/shopify-errors';
import { runLayout } from '../../src/engine/training-engine';
import { createRedis } from '../../src/infra/redis';
import type { StageDeps, StageInput } from '../../src/jobs/stage-types';
import { syncOrders } from '../../src/jobs/sync-orders.job';
import { RunStore } from '../../src/pipeline/run-store';
import { STAGES } from '../../src/queues/registry';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { createTestContext, type TestContext } from '../support/test-context';
import {
  expectMatchesStore,
  logger,
  newWorld,
  SHOPIFY_ENV,
  tableCounts,
  type World,
} from '../connectors/shopify-world';

describe('the sync-orders stage through a bulk operation', () => {
  let ctx: TestContext;
  let dir: string;
  let redis: Redis;
  let world: World;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'recs-sync-bulk-'));
    ctx = await createTestContext({ ...SHOPIFY_ENV, OBJECT_STORE_DIR: dir, SHOPIFY_BULK_MIN_ORDERS: '0' });
    redis = createRedis(ctx.config, 'worker');
    world = await newWorld(ctx, 60, { restoreRate: 100_000 });
  });
  afterAll(async () => {
    await world.server.stop();
    redis.disconnect();
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the phases, fails with an alert on a FAILED operation, and the retry stores every order', async () => {
    // The stage reads the Admin URL from its config: point it at the fake.
    const config = { ...ctx.config, shopify: { ...ctx.config.shopify, adminUrl: world.server.url } };
    const deps: StageDeps = {
      config,
      db: ctx.db,
      store: new DirectoryObjectStore(dir),
      engine: createEngine(config, { db: ctx.db, logger }),
      redis,
      logger,
    };
    const run = await new RunStore(ctx.db).create({
      mode: 'FULL',
      trigger: 'test',
      engine: 'local',
      recipes: ['popularity-count'],
      stages: [...STAGES],
    });
    const messages: string[] = [];
    const input: StageInput = {
      run,
      recipes: ['popularity-count'],
      layout: runLayout(run.id),
      progress: (_pct, message) => {
        messages.push(message);
        return Promise.resolve();
      },
    };
    const active = () => ctx.db.prisma.alert.count({ where: { kind: 'shopify_bulk_failed', resolvedAt: null } });

    world.server.bulk.outcomes.push('FAILED');
    await expect(syncOrders(deps, input)).rejects.toBeInstanceOf(ShopifyBulkOperationError);
    expect(await active()).toBe(1);

    await expect(syncOrders(deps, input)).resolves.toMatchObject({ status: 'done' });
    expect(await active()).toBe(0);
    expectMatchesStore(await tableCounts(ctx), world.store);
    expect(messages.some((m) => m.startsWith('bulk operation: Shopify has read'))).toBe(true);
    expect(messages.some((m) => /^bulk operation: \d+ orders applied/.test(m))).toBe(true);
    expect(messages.some((m) => /catalogue products applied/.test(m))).toBe(true);
  });
});
