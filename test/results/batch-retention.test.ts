// Retained batches in the loader: a FULL load keeps the batch it replaces when a pinned model
// version is served by it (the replaced tables renamed, the untouched ones copied), an UPDATE load
// copies the pinned live batch before merging, copies no pin needs are dropped, pinned batches
// read back through the result store, and erasure reaches the copies too.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eraseCustomersIn } from '../../src/privacy/customer-erasure';
import { batchOfModelVersion, loadResults, PostgresResultStore, retainedTables } from '../../src/results';
import { CatalogRepository } from '../../src/serving/catalog-repository';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { insertStore, DEFAULT_LOAD_GUARD } from '../support/factories';
import { createTestContext, type TestContext } from '../support/test-context';

const USERS = ['u1', 'u2', 'u3'];

describe('retained batches', () => {
  let ctx: TestContext;
  let dir: string;
  let store: DirectoryObjectStore;

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'recs-retain-'));
    store = new DirectoryObjectStore(dir);
    await insertStore(ctx.db, {
      customers: USERS.map((id) => ({ id })),
      products: ['p1', 'p2', 'p3'].map((id) => ({ id, name: id })),
    });
  });
  afterAll(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const model = async (runId: number) =>
    (
      await ctx.db.pool.query<{ id: number }>(
        `INSERT INTO model_versions (run_id, engine, recipe) VALUES ($1, 'local', 'user-personalization') RETURNING id`,
        [runId],
      )
    ).rows[0]!.id;

  /** Loads run `runId` whose model recommends `product` to everyone. */
  const load = async (runId: number, product: string, pins: number[], mode: 'FULL' | 'UPDATE' = 'FULL') => {
    const key = `r${runId}/user-personalization.jsonl`;
    await store.put(
      key,
      USERS.map((u) => JSON.stringify({ input: { userId: u }, output: { recommendedItems: [product] } })).join('\n') +
        '\n',
    );
    return loadResults(ctx.db, store, {
      runId,
      mode,
      outputs: { 'user-personalization': key },
      ...(mode === 'UPDATE' ? { only: { users: new Set(USERS), items: new Set<string>() } } : {}),
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
      pinnedModelVersions: () => Promise.resolve(pins),
    });
  };
  const listIn = async (table: string, user: string) =>
    (
      await ctx.db.pool.query<{ recommendations: { product_id: string }[] }>(
        `SELECT recommendations FROM "${table}" WHERE user_id = $1`,
        [user],
      )
    ).rows[0]?.recommendations.map((e) => e.product_id);

  it('keeps pinned batches whole, drops the rest, and serves them from their copies', async () => {
    const m1 = await model(1);
    const b1 = (await load(1, 'p1', [m1])).batch;
    expect(await retainedTables(ctx.db.pool)).toEqual([]); // the live batch needs no copy
    expect(await batchOfModelVersion(ctx.db.pool, m1)).toMatchObject({ version: b1.version });

    const m2 = await model(2);
    const b2 = (await load(2, 'p2', [m1])).batch;
    const kept = await retainedTables(ctx.db.pool);
    expect(kept.map((t) => t.version)).toEqual(Array<number>(5).fill(b1.version));
    expect(await listIn(`offline_user_recommendations_b${b1.version}`, 'u1')).toEqual(['p1']);
    expect(await listIn('offline_user_recommendations', 'u1')).toEqual(['p2']);

    // Read back through the result store at the pinned batch: run 1's list, run 1's model.
    const pinned = await batchOfModelVersion(ctx.db.pool, m1);
    expect(pinned).toMatchObject({ version: b1.version, retained: true });
    const results = new PostgresResultStore(ctx.db.pool, new CatalogRepository(ctx.db.pool));
    const list = await results.list(pinned!, 'userRecommendations', 'u1');
    expect(list?.items.map((i) => i.product.id)).toEqual(['p1']);
    expect(list?.modelVersion).toBe(String(m1));

    // An UPDATE retraining the pinned live model copies the live tables before merging.
    await model(3);
    await load(3, 'p3', [m1, m2], 'UPDATE');
    expect(await listIn(`offline_user_recommendations_b${b2.version}`, 'u1')).toEqual(['p2']);
    expect(await listIn(`offline_user_recommendations_b${b1.version}`, 'u1')).toEqual(['p1']);
    expect(await listIn('offline_user_recommendations', 'u1')).toEqual(['p3']);

    // Erasure reaches the copies.
    await ctx.db.transaction((tx) => eraseCustomersIn(tx, ['u1'], 'test'));
    expect(await listIn(`offline_user_recommendations_b${b1.version}`, 'u1')).toBeUndefined();
    expect(await listIn(`offline_user_recommendations_b${b2.version}`, 'u1')).toBeUndefined();

    // No pins left: the next load drops every copy, and run 1's model is gone for good.
    await model(4);
    await load(4, 'p1', []);
    expect(await retainedTables(ctx.db.pool)).toEqual([]);
    expect(await batchOfModelVersion(ctx.db.pool, m1)).toBeNull();
  });
});
